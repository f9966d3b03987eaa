package main

import (
	"errors"
	"fmt"

	"github.com/graphperf/graphperf/profiling"
)

// startProfiles starts a CPU profile into the file cpu and creates the heap
// profile file mem (each when set; see package profiling) and returns the
// function that stops them. Errors name the flag (--cpuprofile,
// --memprofile).
func startProfiles(cpu, mem string) (func() error, error) {
	s, err := profiling.Start(profiling.Config{CPU: cpu, Heap: mem})
	if err != nil {
		return nil, profileFlagError(err)
	}
	return func() error { return profileFlagError(s.Stop()) }, nil
}

// profileFlagError names the flag of each profiling error in err.
func profileFlagError(err error) error {
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for i, e := range errs {
		var pe *profiling.Error
		if errors.As(e, &pe) {
			flag := "--cpuprofile"
			if pe.Kind == profiling.Heap {
				flag = "--memprofile"
			}
			errs[i] = fmt.Errorf("%s %s: %w", flag, pe.Path, pe.Err)
		}
	}
	return errors.Join(errs...)
}
