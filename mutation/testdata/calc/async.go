package calc

// Double doubles x on another goroutine. The x < 0 → x >= 0 mutant panics
// in that goroutine, outside any test's own goroutine.
func Double(x int) int {
	ch := make(chan int)
	go func() {
		if x < 0 {
			panic("negative input")
		}
		ch <- x * 2
	}()
	return <-ch
}
