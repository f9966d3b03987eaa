// Package profiling writes pprof CPU and heap profiles of the running
// program: the one home for profiling of every graphperf command.
//
// Both files are created by [Start], before any work is done, so that a path
// that cannot be written fails at once instead of after a long run.
package profiling

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// Config names the profile files; an empty name skips that profile. The zero
// Config profiles nothing.
type Config struct {
	// CPU is the file of the CPU profile, recorded from Start to Stop.
	CPU string
	// Heap is the file of the heap profile, written by Stop (after a GC).
	Heap string
}

// Kind names a profile in an [*Error].
type Kind string

// Profile kinds.
const (
	CPU  Kind = "cpu"
	Heap Kind = "heap"
)

// Error reports a profile that could not be started or written.
type Error struct {
	Kind Kind
	Path string
	Err  error
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("profiling: %s profile %s: %v", e.Kind, e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Session is a profiling session started by [Start].
type Session struct {
	cfg       Config
	cpu, heap *os.File
}

// Start creates the files of cfg and starts the CPU profile. Call Stop
// exactly once when the profiled work is done.
func Start(cfg Config) (*Session, error) {
	s := &Session{cfg: cfg}
	if cfg.Heap != "" {
		f, err := os.Create(cfg.Heap)
		if err != nil {
			return nil, &Error{Kind: Heap, Path: cfg.Heap, Err: err}
		}
		s.heap = f
	}
	if cfg.CPU != "" {
		f, err := os.Create(cfg.CPU)
		if err == nil {
			if err = pprof.StartCPUProfile(f); err != nil {
				f.Close()
			}
		}
		if err != nil {
			if s.heap != nil {
				s.heap.Close()
			}
			return nil, &Error{Kind: CPU, Path: cfg.CPU, Err: err}
		}
		s.cpu = f
	}
	return s, nil
}

// Stop stops the CPU profile and writes the heap profile. Errors are
// [*Error]s, joined.
func (s *Session) Stop() error {
	var errs []error
	if s.cpu != nil {
		pprof.StopCPUProfile()
		if err := s.cpu.Close(); err != nil {
			errs = append(errs, &Error{Kind: CPU, Path: s.cfg.CPU, Err: err})
		}
		s.cpu = nil
	}
	if s.heap != nil {
		runtime.GC()
		if err := pprof.WriteHeapProfile(s.heap); err != nil {
			errs = append(errs, &Error{Kind: Heap, Path: s.cfg.Heap, Err: err})
		}
		if err := s.heap.Close(); err != nil {
			errs = append(errs, &Error{Kind: Heap, Path: s.cfg.Heap, Err: err})
		}
		s.heap = nil
	}
	return errors.Join(errs...)
}
