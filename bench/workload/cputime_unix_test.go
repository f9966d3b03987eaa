//go:build unix

package workload

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time, so that benchmarks
// can report throughput per CPU-second, which stays meaningful on a busy
// shared machine where wall-clock throughput does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
