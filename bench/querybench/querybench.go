// Package querybench runs the query catalogue (bench/queries) against a
// loaded graph: it checks that the graph holds the dataset, curates
// parameters, checks every answer once before timing, then measures each
// query with bench/suite. A wrong answer fails the run whatever its speed.
//
// With Config.AB the same build is measured twice, alternating call by call
// (suite.MeasureAB); [Slowdown] decorates the B half's driver to prove that
// a slowdown is caught (scripts/aa-experiment.sh).
package querybench

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/driver"
	"github.com/graphperf/graphperf/bench/queries"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/bench/suite"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/loader"
)

// Command is the Command of the runs query-bench records.
const Command = "query-bench"

// Dataset is the loaded data as the benchmark knows it; [NewDataset]
// reads it into memory.
type Dataset struct {
	// Data is the opened data (dataset.Source.Open): its Fingerprint
	// identifies the run's dataset.
	Data *dataset.Data
	// Index is the whole dataset in memory, to curate parameters and
	// check answers.
	Index *queries.Data
	// Describe says how it was loaded, for the run's settings (e.g.
	// "--scale 0.01 --seed 42").
	Describe string
}

// NewDataset reads d (generated, or a directory checked against its
// manifest while read) into memory as the benchmark's dataset.
func NewDataset(ctx context.Context, d *dataset.Data, describe string) (Dataset, error) {
	gt, err := d.GroundTruth()
	if err != nil {
		return Dataset{}, err
	}
	idx, err := queries.Collect(ctx, gt, d.Run)
	if err != nil {
		return Dataset{}, err
	}
	return Dataset{Data: d, Index: idx, Describe: describe}, nil
}

// Config configures [Run]. The zero Config runs the whole catalogue with
// the default parameters and sampling.
type Config struct {
	// Queries are the names of the queries to run (nil: the catalogue).
	Queries []string
	// Params configures parameter curation and truncation.
	Params queries.Config
	// Sampling configures each query's measurement; MaxErrors defaults to
	// 10 here.
	Sampling sampler.Config
	// AB measures the build twice, call by call alternated: the result
	// holds runs named ABNames (default "A", "B").
	AB      bool
	ABNames [2]string
	// B is the driver of the B half with AB (nil: the same driver); e.g. a
	// [Slowdown] over it.
	B driver.Driver
	// Driver and Hosts are recorded in the run.
	Driver string
	Hosts  []string
	// Log receives progress lines (nil: none).
	Log func(string)
}

// Result is a measured run.
type Result struct {
	// Run is the run (with AB, the B half).
	Run *baseline.Run
	// A is the A half with AB, else nil.
	A *baseline.Run
}

// IncompleteGraphError reports a graph that is empty or does not hold the
// dataset (its cause is a *queries.EmptyGraphError or a *NotLoadedError).
type IncompleteGraphError struct{ Err error }

// NotLoadedError is a graph that holds data but records no complete load
// of the dataset (see loader.GraphState).
type NotLoadedError struct {
	// Dataset describes the dataset (Dataset.Describe, or its
	// fingerprint).
	Dataset string
	// State is the graph's record of a partial load of the dataset; nil
	// when the graph records no load of it.
	State *loader.GraphState
}

// Error names the dataset and what the graph records of it.
func (e *NotLoadedError) Error() string {
	if e.State != nil {
		return fmt.Sprintf("dataset %s is not completely loaded: the graph holds %s", e.Dataset, e.State)
	}
	return fmt.Sprintf("the graph records no load of dataset %s", e.Dataset)
}

// checkLoaded checks, at the cost of an index lookup whatever the graph's
// size, that the graph records a complete load of ds (the load state the
// loader maintains, loader.ReadDatasetState); counting the graph's
// elements can take longer than any timeout on a large or loaded server.
func checkLoaded(ctx context.Context, drv driver.Driver, ds Dataset) error {
	st, nonEmpty, err := loader.ReadDatasetState(ctx, drv, ds.Data.Fingerprint)
	switch {
	case err != nil:
		return fmt.Errorf("querybench: checking that the dataset is loaded: %w", err)
	case st != nil && st.Complete():
		return nil
	case !nonEmpty:
		return &IncompleteGraphError{Err: &queries.EmptyGraphError{}}
	}
	return &IncompleteGraphError{Err: &NotLoadedError{Dataset: cmp.Or(ds.Describe, ds.Data.Fingerprint), State: st}}
}

// Error implements the error interface.
func (e *IncompleteGraphError) Error() string { return "querybench: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *IncompleteGraphError) Unwrap() error { return e.Err }

// NoQueriesError reports a selection of which no query has parameters in
// the dataset.
type NoQueriesError struct{}

// Error implements the error interface.
func (e *NoQueriesError) Error() string {
	return "querybench: no selected query has parameters in this dataset"
}

// FailedCallsError reports measured calls that failed (the run holds them;
// it should not become a baseline).
type FailedCallsError struct {
	// Failures are "query: N failed calls (first: ...)".
	Failures []string
}

// Error implements the error interface.
func (e *FailedCallsError) Error() string {
	return "querybench: failed calls: " + strings.Join(e.Failures, "; ")
}

// ConnectionLostError ends a run whose connection was lost and did not come
// back within the driver's reconnect budget.
type ConnectionLostError struct {
	Query string
	Err   error
}

// Error implements the error interface.
func (e *ConnectionLostError) Error() string {
	return fmt.Sprintf("querybench: connection lost during %s: %v", e.Query, e.Err)
}

// Unwrap returns the cause.
func (e *ConnectionLostError) Unwrap() error { return e.Err }

// planned is one query with its checked cases.
type planned struct {
	q     queries.Query
	cases []queries.Case
}

// Run checks that the graph behind drv holds ds, curates and checks every
// query's answers, and measures them. Errors: *queries.UnknownQueryError,
// *IncompleteGraphError, *queries.WrongAnswerError (before any timing),
// *NoQueriesError, *ConnectionLostError, *FailedCallsError (with the
// result), or one wrapping ctx.Err() on cancellation.
func Run(ctx context.Context, drv driver.Driver, ds Dataset, cfg Config) (*Result, error) {
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			cfg.Log(fmt.Sprintf(format, args...))
		}
	}
	selected, err := queries.Select(cfg.Queries)
	if err != nil {
		return nil, err
	}
	b := cfg.B
	if b == nil {
		b = drv
	}
	if err := checkLoaded(ctx, drv, ds); err != nil {
		return nil, err
	}
	var plan []planned
	for _, q := range selected {
		cs, err := q.Cases(ds.Index, cfg.Params)
		var np *queries.NoParamsError
		if errors.As(err, &np) {
			logf("skipping %s: %v", q.Name, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		plan = append(plan, planned{q: q, cases: cs})
	}
	if len(plan) == 0 {
		return nil, &NoQueriesError{}
	}
	logf("checking the answers of %d queries", len(plan))
	drivers := []driver.Driver{drv}
	if cfg.AB {
		drivers = append(drivers, b)
	}
	if err := checkAnswers(ctx, plan, drivers); err != nil {
		return nil, err
	}
	run := newRun(ctx, drv, ds, cfg)

	// A lost connection ends the run with its cause, rather than letting
	// every remaining call fail slowly.
	mctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	call := func(d driver.Driver, p planned) sampler.Func {
		return func(ctx context.Context, i int) error {
			res, err := d.Submit(ctx, p.q.Script, p.cases[i].Bindings)
			if err != nil {
				var ce *client.ConnError
				if errors.As(err, &ce) {
					cancel(&ConnectionLostError{Query: p.q.Name, Err: err})
				}
				return err
			}
			return queries.Verify(p.q, p.cases[i], res)
		}
	}
	progress := func(op string, index, total int) { logf("[%d/%d] %s", index+1, total, op) }
	sampling := cfg.Sampling
	if sampling.MaxErrors == 0 {
		sampling.MaxErrors = 10
	}
	result := &Result{}
	if cfg.AB {
		names := cfg.ABNames
		if names[0] == "" && names[1] == "" {
			names = [2]string{"A", "B"}
		}
		ops := make([]suite.ABOp, len(plan))
		for k, p := range plan {
			ops[k] = suite.ABOp{Name: p.q.Name, Params: paramList(p), A: call(drv, p), B: call(b, p)}
		}
		result.A, result.Run, err = suite.MeasureAB(mctx, sampling, run, names[0], names[1], ops, progress)
	} else {
		ops := make([]suite.Op, len(plan))
		for k, p := range plan {
			ops[k] = suite.Op{Name: p.q.Name, Params: paramList(p), Call: call(drv, p)}
		}
		result.Run = run
		err = suite.Measure(mctx, sampling, run, ops, progress)
	}
	if cause := context.Cause(mctx); err != nil && cause != nil && ctx.Err() == nil {
		return nil, cause
	}
	if err != nil {
		return nil, fmt.Errorf("querybench: %w", err)
	}
	if failed := failures(result); len(failed) > 0 {
		return result, &FailedCallsError{Failures: failed}
	}
	return result, nil
}

// checkAnswers runs every case of plan once through each driver and
// verifies the answer: a wrong answer fails before anything is timed.
func checkAnswers(ctx context.Context, plan []planned, drivers []driver.Driver) error {
	for _, p := range plan {
		for _, cs := range p.cases {
			for _, d := range drivers {
				res, err := d.Submit(ctx, p.q.Script, cs.Bindings)
				if err != nil {
					return fmt.Errorf("querybench: %s with %s: %w", p.q.Name, cs.Param(), err)
				}
				if err := queries.Verify(p.q, cs, res); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// newRun returns the run's record before measuring: dataset, driver,
// commit, server and settings.
func newRun(ctx context.Context, drv driver.Driver, ds Dataset, cfg Config) *baseline.Run {
	run := baseline.NewRun(Command)
	run.Dataset = ds.Data.Fingerprint
	run.Driver = cfg.Driver
	if commit, err := baseline.GitCommit(ctx, ""); err == nil {
		run.Commit = commit
	}
	run.Server = baseline.DescribeServer(ctx, drv, cfg.Hosts)
	params := cfg.Params.WithDefaults()
	run.Settings = map[string]string{"dataset": ds.Describe, "params": strconv.Itoa(params.Params), "truncation": strconv.Itoa(params.Truncation)}
	return run
}

// failures lists the operations with failed calls, in both halves.
func failures(res *Result) []string {
	var failed []string
	for _, op := range res.Run.Operations {
		if op.ErrorCount > 0 {
			msg := fmt.Sprintf("%s: %d failed calls", op.Name, op.ErrorCount)
			if len(op.Errors) > 0 {
				msg += " (first: " + op.Errors[0] + ")"
			}
			failed = append(failed, msg)
		}
	}
	if res.A != nil {
		for _, op := range res.A.Operations {
			if op.ErrorCount > 0 {
				failed = append(failed, fmt.Sprintf("%s (A): %d failed calls", op.Name, op.ErrorCount))
			}
		}
	}
	return failed
}

// paramList returns the parameter list of p's cases.
func paramList(p planned) []json.RawMessage {
	out := make([]json.RawMessage, len(p.cases))
	for i, cs := range p.cases {
		out[i] = cs.Param()
	}
	return out
}
