// Package mutation is a mutation-testing engine for Go packages.
//
// It generates mutants from go/ast and go/types (see [Operator]), applies
// all mutants of a file at once as "mutant schemata" (every mutated function
// gets one variant per mutant, selected at run time by the environment
// variable [EnvMutant]) through `go test -overlay`, builds ONE test binary
// per package, and runs that binary once per mutant with only the tests that
// cover the mutant, fastest first. The source tree is never written.
//
// Statuses and the score follow mutation-testing-elements
// (https://stryker-mutator.io/docs/mutation-testing-elements/mutant-states-and-metrics).
// Call [Execute] with a [Config]; it returns a [Run], the data from which
// every report (package mutation/report) is made.
package mutation

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"time"
)

// EnvMutant is the environment variable that selects the active mutant in a
// schemata test binary. Zero or unset runs the original code.
const EnvMutant = "GRAPHPERF_MUTANT"

// Operator names a kind of mutation. The names are the mutatorName values
// written to mutation-testing-elements reports.
type Operator string

// The mutation operators.
const (
	// ArithmeticBase swaps + and -, * and /, and turns % into *, on numbers.
	ArithmeticBase Operator = "ArithmeticBase"
	// ConditionalsBoundary turns < into <=, <= into <, > into >= and >= into >.
	ConditionalsBoundary Operator = "ConditionalsBoundary"
	// ConditionalsNegation negates a comparison: == and !=, < and >=, > and <=.
	ConditionalsNegation Operator = "ConditionalsNegation"
	// InvertLogical swaps && and ||.
	InvertLogical Operator = "InvertLogical"
	// IncrementDecrement swaps ++ and --.
	IncrementDecrement Operator = "IncrementDecrement"
	// InvertAssignments swaps += and -=, *= and /=, and turns %= into *=.
	InvertAssignments Operator = "InvertAssignments"
	// ReturnZero makes a return statement return the zero value of every result.
	ReturnZero Operator = "ReturnZero"
	// ErrorToNil replaces a returned non-nil error expression with nil.
	ErrorToNil Operator = "ErrorToNil"
	// RemoveStatement removes a call statement (whose results are unused) or
	// an assignment to an existing variable.
	RemoveStatement Operator = "RemoveStatement"
	// Constant replaces a literal: 0 with 1, other numbers with 0, "" with
	// "graphperf", other strings with "", true with false and false with true.
	Constant Operator = "Constant"
)

// Operators lists every operator, in a stable order.
func Operators() []Operator {
	return []Operator{ArithmeticBase, ConditionalsBoundary, ConditionalsNegation, InvertLogical,
		IncrementDecrement, InvertAssignments, ReturnZero, ErrorToNil, RemoveStatement, Constant}
}

// Status is the outcome of a mutant, as mutation-testing-elements names it.
type Status string

// The statuses of mutation-testing-elements.
const (
	// Pending: generated but not tested yet.
	Pending Status = "Pending"
	// Killed: at least one test failed while the mutant was active.
	Killed Status = "Killed"
	// Survived: every covering test passed while the mutant was active.
	Survived Status = "Survived"
	// NoCoverage: no test executes the mutated code; nothing was run.
	NoCoverage Status = "NoCoverage"
	// Timeout: the tests did not finish within the mutant's deadline, twice.
	Timeout Status = "Timeout"
	// CompileError: the mutant does not build.
	CompileError Status = "CompileError"
	// RuntimeError: the test process failed without a failing test (a Go
	// runtime fatal error, the memory cap, a signal, a crash outside tests).
	RuntimeError Status = "RuntimeError"
	// Ignored: the code is marked //graphperf:nomutate <reason>.
	Ignored Status = "Ignored"
)

// Position is a 1-based line and column in a source file.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Mutant is one mutation of the source and, after a run, its outcome.
type Mutant struct {
	// ID is stable across runs: a hash of the file (relative to the module
	// root), the function, the operator, the position relative to the
	// function and the replacement.
	ID string `json:"id"`
	// Package is the import path of the mutated package.
	Package string `json:"package"`
	// File is the mutated file, slash-separated, relative to the module root.
	File string `json:"file"`
	// Func is the enclosing function ("F", "T.M" or "(*T).M").
	Func     string   `json:"func"`
	Operator Operator `json:"operator"`
	// Original and Replacement are the source text before and after.
	Original    string   `json:"original"`
	Replacement string   `json:"replacement"`
	Start       Position `json:"start"`
	// End is exclusive.
	End Position `json:"end"`

	Status       Status `json:"status"`
	StatusReason string `json:"statusReason,omitempty"`
	// CoveredBy lists the tests (top-level names) that execute the mutant.
	CoveredBy []string `json:"coveredBy,omitempty"`
	// KilledBy lists the tests that failed: the first one, or every one
	// with Config.FullMatrix.
	KilledBy []string `json:"killedBy,omitempty"`
	// TestsCompleted counts the tests that ran to an end with the mutant.
	TestsCompleted int `json:"testsCompleted"`
	// Duration is the time spent running the tests of this mutant.
	Duration time.Duration `json:"duration"`

	num int // 1-based switch value in the package's schemata
}

// Description is a one-line human description of the mutation.
func (m *Mutant) Description() string {
	return fmt.Sprintf("%s: %s → %s", m.Operator, m.Original, m.Replacement)
}

func mutantID(file, fn string, op Operator, relLine, col int, replacement string) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%d:%d\x00%s", file, fn, op, relLine, col, replacement)))
	return hex.EncodeToString(h[:6])
}

// Counts holds the number of mutants per status.
type Counts map[Status]int

// Detected is Killed + Timeout.
func (c Counts) Detected() int { return c[Killed] + c[Timeout] }

// Undetected is Survived + NoCoverage.
func (c Counts) Undetected() int { return c[Survived] + c[NoCoverage] }

// Valid is Detected + Undetected: the mutants that count in the score.
func (c Counts) Valid() int { return c.Detected() + c.Undetected() }

// Total is the number of mutants of any status.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Score is the mutation score in percent, as mutation-testing-elements
// defines it: (Killed+Timeout)/(Killed+Timeout+Survived+NoCoverage)×100.
// It is NaN when no mutant is valid.
func (c Counts) Score() float64 {
	v := c.Valid()
	if v == 0 {
		return math.NaN()
	}
	return 100 * float64(c.Detected()) / float64(v)
}

// CountStatuses counts the mutants per status.
func CountStatuses(ms []*Mutant) Counts {
	c := Counts{}
	for _, m := range ms {
		c[m.Status]++
	}
	return c
}
