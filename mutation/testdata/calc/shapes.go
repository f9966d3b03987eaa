package calc

// Pair is a generic pair: its methods exercise the schemata dispatch with
// type parameters, unnamed and blank parameters.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// Valid reports whether the key is set.
func (p Pair[K, V]) Valid(_ int, _ string) bool { return p.Key != *new(K) }

// First returns the first of xs, or the zero value and false.
func First[T any](xs ...T) (T, bool) {
	if len(xs) > 0 {
		return xs[0], true
	}
	var z T
	return z, false
}

type counter struct{ n int }

// One returns 1.
func (counter) One(int) int { return 0 + 1 }

// Inc increments the counter.
func (c *counter) Inc() { c.n++ }
