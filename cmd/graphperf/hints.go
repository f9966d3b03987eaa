package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload/finbench/txn"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/outfile"
	"github.com/graphperf/graphperf/internal/usage"
	"github.com/graphperf/graphperf/mutation"
	"github.com/graphperf/graphperf/mutation/report"
	"github.com/graphperf/graphperf/profiling"
)

// hint adds to a library's typed error the advice that names the flags to
// change: one table for every command. Errors that are already usage
// errors are returned as they are; advice that depends on a command's own
// flags (load's rerun commands, query-bench's reload advice) stays with
// the command.
func hint(err error) error {
	if errors.As(err, new(*usage.Error)) {
		return err
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range j.Unwrap() {
			errs = append(errs, hint(e))
		}
		return errors.Join(errs...)
	}
	for _, h := range []func(error) error{
		on(func(e *client.DecodeError) error {
			if strings.HasPrefix(e.Msg, "GraphBinary:") {
				return fmt.Errorf("%w (with --serializer graphson, values of types graphperf does not know come back raw)", err)
			}
			return nil
		}),
		on(func(*banking.ConfigError) error { return usageErrorf("%v", err) }),
		on(func(e *mutation.ConfigError) error { return usageErrorf("--%s: %s", flagOf(e.Field), e.Problem) }),
		on(func(e *report.OptionError) error {
			if e.Err != nil {
				return pathFlagError(flagOf(e.Field), e.Err)
			}
			return usageErrorf("--%s: %s", flagOf(e.Field), e.Problem)
		}),
		// An input file that cannot be used is a usage error, as --from
		// and --compare are.
		on(func(e *report.InputError) error { return usageErrorf("mutate merge: %v", e) }),
		on(func(*mutation.MemoryLimitError) error {
			return fmt.Errorf("%w (--memory-limit MIB; 0 disables the cap)", err)
		}),
		on(func(e *mutation.RefError) error { return usageErrorf("--diff %s: %s", e.Ref, e.Problem) }),
		on(func(e *profiling.Error) error {
			flag := map[profiling.Kind]string{profiling.CPU: "--cpuprofile", profiling.Heap: "--memprofile"}[e.Kind]
			return fmt.Errorf("%s %s: %w", flag, e.Path, e.Err)
		}),
		on(func(e *txn.ConfigError) error { return usageErrorf("--%s %s", flagOf(e.Field), e.Problem) }),
		on(func(e *txn.FrequencyError) error { return usageErrorf("--freq: %v", e) }),
		on(func(e *dataset.NotEmptyError) error {
			return usageErrorf("--out %s is not empty: pass --force to overwrite", e.Dir)
		}),
	} {
		if h := h(err); h != nil {
			return h
		}
	}
	if errors.Is(err, banking.ErrTooManyPatterns) {
		return usageErrorf("%v: lower the pattern counts (--cycles, --mule-chains, ...) or raise --scale", err)
	}
	return err
}

// flagOf names the flag of a library configuration field named in a
// typed error (mutation.ConfigError, report.OptionError, txn.ConfigError).
func flagOf(field string) string {
	return map[string]string{"Shard": "shard", "Operators": "operators", "Workers": "workers",
		"Threshold": "threshold", "JSONFile": "json-report", "HTMLFile": "html-report",
		"Schedule.TCR": "tcr", "Schedule.Duration": "duration", "Driver.Warmup": "warmup", "Driver.Clients": "clients"}[field]
}

// on returns a hint function for the error type E: f's result when err
// is (or wraps) an E, else nil.
func on[E error](f func(E) error) func(error) error {
	return func(err error) error {
		var e E
		if errors.As(err, &e) {
			return f(e)
		}
		return nil
	}
}

// pathFlagError turns an *outfile.PathError into a usage error naming flag.
func pathFlagError(flag string, err error) error {
	var pe *outfile.PathError
	if errors.As(err, &pe) {
		return usageErrorf("--%s %s: %s", flag, pe.Path, pe.Problem)
	}
	return err
}

// checkFileFlag checks, before any work, that the file path given to flag
// can be written (see outfile.CheckFile); errors name the flag (exit 2).
func checkFileFlag(flag, path string) error {
	return pathFlagError(flag, outfile.CheckFile(path))
}

// checkDirFlag checks, before any work, that the directory given to flag
// can be written or created (see outfile.CheckDir); errors name the flag.
func checkDirFlag(flag, dir string) error {
	return pathFlagError(flag, outfile.CheckDir(dir))
}

// firstError returns the first non-nil of errs.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// atLeast checks that each int flag named is at least min; the error
// names the first that is not.
func atLeast(c *cli.Context, min int, names ...string) error {
	for _, name := range names {
		if v := c.Int(name); v < min {
			return usageErrorf("--%s must be ≥ %d, got %d", name, min, v)
		}
	}
	return nil
}
