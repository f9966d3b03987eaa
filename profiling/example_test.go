package profiling_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/graphperf/graphperf/profiling"
)

// Profile a piece of work: both files exist as soon as Start returns.
func Example() {
	dir, _ := os.MkdirTemp("", "profiling-example-")
	defer os.RemoveAll(dir)
	s, err := profiling.Start(profiling.Config{CPU: filepath.Join(dir, "cpu.pprof"), Heap: filepath.Join(dir, "heap.pprof")})
	if err != nil {
		fmt.Println(err)
		return
	}
	sum := 0
	for i := range 1_000_000 {
		sum += i
	}
	if err := s.Stop(); err != nil {
		fmt.Println(err)
		return
	}
	_, err = os.Stat(filepath.Join(dir, "heap.pprof"))
	fmt.Println(sum, err)
	// Output: 499999500000 <nil>
}
