package calc

// Count counts from 0 to n-1: the i++ → i-- mutant never ends (Timeout).
func Count(n int) int {
	c := 0
	for i := 0; i < n; i++ {
		c++
	}
	return c
}

// Grow returns n blocks of 1 MiB: the j++ → j-- mutant allocates without
// bound and must end under the memory cap.
func Grow(n int) [][]byte {
	var s [][]byte
	for j := 0; j < n; j++ {
		s = append(s, make([]byte, 1<<20))
	}
	return s
}

//graphperf:nomutate
func noReason() int { return 1 }
