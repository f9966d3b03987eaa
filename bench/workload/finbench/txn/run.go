package txn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
)

// Config configures [Workload.Run].
type Config struct {
	// Schedule selects the load: TCR, frequencies, duration.
	Schedule ScheduleConfig
	// Driver configures the open-loop driver (clients, warm-up, progress,
	// ...). Its Oracle must be nil: Run checks every read with the model.
	Driver workload.Config
	// Reset, when set, is called before the run to restore the graph to
	// the bulk part (FindMax calls it before every probe).
	Reset func(ctx context.Context) error
}

// Result is the outcome of one benchmark run.
type Result struct {
	// TCR is the time compression ratio run.
	TCR float64
	// Report is the driver's measurement.
	Report *workload.Report
	// Checks counts, per read type, the reads the oracle compared and
	// those it could not (see [Checks]).
	Checks map[string]Checks
	// Diverged says why the oracle stopped checking reads during the run
	// (a write failed or could not be applied to its model); "" when it
	// followed the graph to the end.
	Diverged string
}

// Run executes one benchmark run through ex: the schedule of cfg, every
// operation routed through a fresh oracle model of the bulk part. Wrong
// answers count as mismatches in the report. When ctx is cancelled Run
// returns the partial result with ctx's error (see workload.Run).
func (w *Workload) Run(ctx context.Context, ex workload.Executor, cfg Config) (*Result, error) {
	if cfg.Driver.Oracle != nil {
		return nil, fmt.Errorf("%w: the FinBench workload checks reads with its own oracle", workload.ErrBadConfig)
	}
	s, err := w.Schedule(cfg.Schedule)
	if err != nil {
		return nil, err
	}
	if cfg.Reset != nil {
		if err := cfg.Reset(ctx); err != nil {
			return nil, fmt.Errorf("txn: restoring the bulk part: %w", err)
		}
	}
	g := w.Model()
	l := oracle.NewLive(g, g.ApplyOutcome)
	wrapAll(l, s)
	dc := cfg.Driver
	dc.Oracle = l.Oracle
	rep, err := workload.Run(ctx, dc, s, ex)
	if rep == nil {
		return nil, err
	}
	r := &Result{TCR: cfg.Schedule.TCR, Report: rep, Checks: checks(l)}
	if d := l.Diverged(); d != nil {
		r.Diverged = d.Error()
	}
	return r, err
}

// Passed reports whether the run kept its schedule with no error and no
// wrong answer.
func (r *Result) Passed() bool {
	return !r.Report.Partial && r.Report.Audit.Passed() && r.Report.Total.Errors == 0 && r.Report.Total.Mismatches == 0
}

// FindMaxResult is the outcome of [Workload.FindMax].
type FindMaxResult struct {
	workload.FindMaxResult
	// Best is the run at the lowest passing TCR (nil when none passed).
	Best *Result
}

// FindMax bisects the lowest time compression ratio whose run passes the
// schedule audit (workload.FindMax), one full run per probe (cfg.Reset
// restores the graph before each). A probe with errors or wrong answers
// fails, whatever its audit.
func (w *Workload) FindMax(ctx context.Context, ex workload.Executor, cfg Config, fm workload.FindMaxConfig) (*FindMaxResult, error) {
	out := &FindMaxResult{}
	runs := map[float64]*Result{}
	res, err := workload.FindMax(ctx, fm, func(ctx context.Context, tcr float64) (workload.Audit, error) {
		c := cfg
		c.Schedule.TCR = tcr
		r, err := w.Run(ctx, ex, c)
		if err != nil {
			return workload.Audit{}, err
		}
		runs[tcr] = r
		a := r.Report.Audit
		if !r.Passed() {
			a.OnTime = 0 // errors or wrong answers fail the probe
		}
		return a, nil
	})
	out.FindMaxResult = res
	out.Best = runs[res.TCR]
	return out, err
}

// Outcome is the verdict on one operation of a validation.
type Outcome struct {
	// Type is the operation type; Params its parameters.
	Type   string
	Params any
	// Latency is how long it took.
	Latency time.Duration
	// Err is nil when the server's answer agrees with the oracle's; else
	// the server's error or the oracle's *oracle.MismatchError.
	Err error
}

// Validation is the outcome of [Workload.Validate].
type Validation struct {
	// Outcomes are the operations in the order they ran.
	Outcomes []Outcome
}

// Failed returns the outcomes with an error.
func (v *Validation) Failed() []Outcome {
	var out []Outcome
	for _, o := range v.Outcomes {
		if o.Err != nil {
			out = append(out, o)
		}
	}
	return out
}

// ErrValidation is matched (with errors.Is) by the error of
// [Workload.Validate] when an operation failed or answered wrongly.
var ErrValidation = errors.New("validation failed")

// Validate runs every operation type once, serially, through ex on a graph
// that holds the bulk part, and checks each answer exactly with the
// oracle (FinBench's validation mode): every read on the bulk part, then
// every write type (the first update of each type in the stream and the
// first curated parameter set of each other write and read-write), each
// applied to the model and its result compared, then every read again on
// the changed graph. Types whose frequency in leaveOut is -1 (as in
// ScheduleConfig.Frequencies) are left out. It returns the outcomes, with
// an error matching ErrValidation when one failed; ctx's error stops it.
func (w *Workload) Validate(ctx context.Context, ex workload.Executor, leaveOut map[string]int) (*Validation, error) {
	m := w.Model()
	ops, err := w.validationOps(leaveOut)
	if err != nil {
		return nil, err
	}
	v := &Validation{}
	for _, op := range ops {
		if err := ctx.Err(); err != nil {
			return v, err
		}
		start := time.Now()
		res, err := op.Do(ctx, ex)
		o := Outcome{Type: op.Type, Params: op.Params, Latency: time.Since(start)}
		switch {
		case err != nil && ctx.Err() != nil:
			return v, ctx.Err()
		case err != nil && op.Kind != workload.Read && definite(err):
			// A write the server refused must be refused by the model too.
			if _, merr := m.ApplyResult(op); merr == nil {
				o.Err = fmt.Errorf("the server failed (%v), the model wrote", err)
			}
		case err != nil:
			o.Err = err
		case op.Kind == workload.Read:
			o.Err = m.Check(op, res)
		default:
			o.Err = m.CheckApply(op, res)
		}
		v.Outcomes = append(v.Outcomes, o)
	}
	if n := len(v.Failed()); n > 0 {
		return v, fmt.Errorf("%w: %d of %d operations failed or answered wrongly", ErrValidation, n, len(v.Outcomes))
	}
	return v, nil
}

// validationOps returns the operations of a validation: reads, writes,
// reads again.
func (w *Workload) validationOps(leaveOut map[string]int) ([]workload.Operation, error) {
	srcs := sources(w.Params)
	var reads, writes []workload.Operation
	for _, t := range readTypes() {
		if s, ok := srcs[t]; ok {
			reads = append(reads, s.op(0))
		}
	}
	ups, err := w.updateOps()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, u := range ups {
		if !seen[u.Op.Type] {
			seen[u.Op.Type] = true
			writes = append(writes, u.Op)
		}
	}
	for _, t := range extraTypes {
		if s, ok := srcs[t]; ok {
			writes = append(writes, s.op(0))
		}
	}
	var ops []workload.Operation
	for _, op := range append(append(reads, writes...), reads...) {
		if leaveOut[op.Type] != -1 {
			ops = append(ops, op)
		}
	}
	return ops, nil
}

// readTypes lists the read types in FinBench's order.
func readTypes() []string {
	var out []string
	for i := 1; i <= 12; i++ {
		out = append(out, fmt.Sprintf("TCR%d", i))
	}
	for i := 1; i <= 6; i++ {
		out = append(out, fmt.Sprintf("TSR%d", i))
	}
	return out
}
