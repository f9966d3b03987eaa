// Package calc is a fixture for the mutation engine's tests.
package calc

import "errors"

// ErrDivZero is returned by Div for a zero divisor.
var ErrDivZero = errors.New("division by zero")

// Add returns a+b.
func Add(a, b int) int { return a + b }

// Max returns the larger of a and b. Its test never checks equal inputs, so
// the boundary mutant survives.
func Max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Div divides a by b.
func Div(a, b int) (int, error) {
	if b == 0 {
		return 0, ErrDivZero
	}
	return a / b, nil
}

// Sum adds up xs.
func Sum(xs []int) int {
	total := 0
	for i := 0; i < len(xs); i++ {
		total += xs[i]
	}
	return total
}

// Untested has no test: its mutants are NoCoverage.
func Untested(x int) int { return x * 3 }

// Positive reports whether every element is positive.
func Positive(xs []int) bool {
	for _, x := range xs {
		if x <= 0 && len(xs) > 0 {
			return false
		}
	}
	return true
}

//graphperf:nomutate fixture: the engine must report these mutants as Ignored
func Skipped(a int) int { return a - 1 }

// Sink keeps n alive: removing the call leaves n unused, which does not
// compile.
func Sink(xs []int) int {
	n := len(xs)
	keep(n)
	return 7
}

func keep(int) {}
