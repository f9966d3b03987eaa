package main

import "github.com/graphperf/graphperf/profiling"

// startProfiles starts a CPU profile into the file cpu and creates the heap
// profile file mem (each when set; see package profiling) and returns the
// function that stops them. Errors name the flag (--cpuprofile,
// --memprofile: see hint).
func startProfiles(cpu, mem string) (func() error, error) {
	s, err := profiling.Start(profiling.Config{CPU: cpu, Heap: mem})
	if err != nil {
		return nil, err
	}
	return s.Stop, nil
}
