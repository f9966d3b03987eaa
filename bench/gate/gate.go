// Package gate is what happens to a benchmark run once it is measured:
// compare it with a stored baseline, write the HTML report, save it under a
// name, and decide whether it regressed. It is shared by query-bench and
// load-bench and usable alone.
//
// Every output is checked by [Config.Check] before the benchmark starts, so
// that a mistyped path fails in a second rather than after the whole run;
// [Config.Finish] still writes every output it can when one fails late, and
// says which one failed.
package gate

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/internal/outfile"
)

// Config says what to do with a run. The zero Config compares, writes and
// saves nothing.
type Config struct {
	// Command is the run's Command ("query-bench", "load-bench"): a
	// baseline recorded by another command is refused.
	Command string
	// Base is the run to compare with (nil: no comparison).
	Base *baseline.Run
	// Compare configures the comparison.
	Compare compare.Config
	// Dir is the directory of stored runs (default baseline.DefaultDir).
	Dir string
	// Save names the stored copy of the run ("": not saved).
	Save string
	// HTML is the path of a standalone HTML report ("": none).
	HTML string
}

func (c Config) dir() string {
	if c.Dir == "" {
		return baseline.DefaultDir
	}
	return c.Dir
}

// OutputError reports an output (Kind "save" or "report") that cannot be
// written.
type OutputError struct {
	Kind string
	Path string
	Err  error
}

// Error implements the error interface.
func (e *OutputError) Error() string {
	return fmt.Sprintf("gate: %s %s: %v", e.Kind, e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *OutputError) Unwrap() error { return e.Err }

// CommandMismatchError reports a baseline recorded by another command.
type CommandMismatchError struct {
	BaseName, Base, Current string
}

// Error implements the error interface.
func (e *CommandMismatchError) Error() string {
	return fmt.Sprintf("gate: the run %s was recorded by %s, not %s: compare %s runs only with %s runs",
		e.BaseName, e.Base, e.Current, e.Current, e.Current)
}

// RegressionError is the verdict of a comparison that found regressions.
type RegressionError struct {
	Command, BaseName string
	Regressions       []string
}

// Error implements the error interface.
func (e *RegressionError) Error() string {
	return fmt.Sprintf("%s: regression against %s: %s", e.Command, e.BaseName, strings.Join(e.Regressions, ", "))
}

// Check verifies, before anything is measured, that the baseline belongs
// to Command and that every output can be written: the Save name is valid
// and Dir writable (Dir is created), and the HTML report's directory exists
// and is writable. Errors are *CommandMismatchError, *OutputError or
// *baseline.InvalidNameError.
func (c Config) Check() error {
	if c.Base != nil && c.Command != "" && c.Base.Command != c.Command {
		return &CommandMismatchError{BaseName: c.Base.Name, Base: c.Base.Command, Current: c.Command}
	}
	if c.Save != "" {
		path, err := baseline.Path(c.dir(), c.Save)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return &OutputError{Kind: "save", Path: path, Err: err}
		}
		var pe *outfile.PathError
		if err := outfile.CheckDir(filepath.Dir(path)); errors.As(err, &pe) {
			return &OutputError{Kind: "save", Path: path, Err: errors.New(pe.Problem)}
		}
	}
	if c.HTML != "" {
		var pe *outfile.PathError
		if err := outfile.CheckFile(c.HTML); errors.As(err, &pe) {
			return &OutputError{Kind: "report", Path: c.HTML, Err: errors.New(pe.Problem)}
		}
	}
	return nil
}

// CheckDataset refuses a baseline measured on another dataset than the one
// with fingerprint fp: a *compare.DatasetMismatchError.
func (c Config) CheckDataset(fp string) error {
	if c.Base != nil && c.Base.Dataset != fp {
		return &compare.DatasetMismatchError{BaseName: c.Base.Name, Base: c.Base.Dataset, Current: fp}
	}
	return nil
}

// CompareRun compares run with Base; the report is nil without a Base. A
// comparison with nothing in common is a *compare.NothingComparedError.
func (c Config) CompareRun(run *baseline.Run) (*compare.Report, error) {
	if c.Base == nil {
		return nil, nil
	}
	return compare.Compare(c.Base, run, c.Compare)
}

// CanFail reports whether a comparison of a run of family operations with
// rounds samples each can find any change significant: against Base (its
// operation with the fewest samples, baseRounds), or, when the run is only
// saved, against a future run like it (baseRounds is rounds). Without Base
// or Save nothing is compared and ok is true.
func (c Config) CanFail(rounds, family int) (baseRounds int, ok bool) {
	if c.Base == nil && c.Save == "" {
		return rounds, true
	}
	baseRounds = rounds
	if c.Base != nil {
		for i, op := range c.Base.Operations {
			if i == 0 || len(op.Samples) < baseRounds {
				baseRounds = len(op.Samples)
			}
		}
	}
	return baseRounds, compare.CanBeSignificant(baseRounds, rounds, family, c.Compare.Alpha)
}

// Outputs are the files [Config.Finish] wrote.
type Outputs struct {
	// HTML and Saved are the paths written ("" when not asked for or
	// failed).
	HTML, Saved string
}

// Finish writes the HTML report of run and rep, then saves run (only when
// save is true: a run with failures should not become a baseline). When
// one output fails it still writes the other; the error is the
// *OutputError(s), joined.
func (c Config) Finish(run *baseline.Run, rep *compare.Report, save bool) (Outputs, error) {
	var out Outputs
	var errs []error
	if c.HTML != "" {
		if err := writeHTML(c.HTML, run, rep); err != nil {
			errs = append(errs, &OutputError{Kind: "report", Path: c.HTML, Err: err})
		} else {
			out.HTML = c.HTML
		}
	}
	if c.Save != "" && save {
		path, err := baseline.Save(c.dir(), c.Save, run)
		if err != nil {
			if path == "" {
				path = filepath.Join(c.dir(), c.Save+".json")
			}
			errs = append(errs, &OutputError{Kind: "save", Path: path, Err: err})
		} else {
			out.Saved = path
		}
	}
	return out, errors.Join(errs...)
}

// Verdict returns a *RegressionError when rep found regressions, else nil.
func (c Config) Verdict(rep *compare.Report) error {
	if rep == nil || !rep.Failed() {
		return nil
	}
	name := ""
	if c.Base != nil {
		name = c.Base.Name
	}
	return &RegressionError{Command: c.Command, BaseName: name, Regressions: rep.Regressions}
}

// writeHTML writes the report atomically: under a temporary name in the
// same directory, renamed into place only when complete, so a failed write
// (a full disk) leaves neither a partial nor an empty file, and an older
// report stays as it was.
func writeHTML(path string, run *baseline.Run, rep *compare.Report) error {
	return outfile.WriteAtomic(path, func(w io.Writer) error {
		return report.WriteHTML(w, run, rep)
	})
}
