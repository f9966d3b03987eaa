package oracle

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"github.com/graphperf/graphperf/bench/workload"
)

// Live checks the reads of a concurrent (benchmark-mode) run, where a
// read's answer depends on which writes the server had committed when it
// ran. It keeps the model current by applying each write when it
// succeeds, and checks a read only when no write was running at any
// moment of it (none started before it and unfinished, none started or
// finished during it): then the model is exactly the data the read saw,
// and a correct answer always passes. The other reads are counted as
// unchecked ([Live.Unchecked]), never as correct. After a write fails (its
// effect on the server is unknown) or its effect cannot be applied, the
// model may differ from the server, and every later read is unchecked.
//
// Wrap every operation of the schedule, and set the run's Config.Oracle to
// [Live.Oracle]. Checking holds a lock while the oracle computes, so a
// write finishing meanwhile waits for it: measure latencies without it
// when they matter more than the check.
type Live struct {
	apply func(workload.Operation, workload.Result) error

	mu        sync.Mutex
	g         *Graph
	inflight  int    // writes started and not finished
	epoch     uint64 // incremented when a write starts or finishes
	diverged  error  // why the model may differ from the server, once it may
	unchecked map[string]int64
	checked   map[string]int64
}

// NewLive returns a checker over g, which must hold the data the server
// holds when the run starts; apply applies a succeeded write's effect to g
// given its result (Graph.ApplyOutcome, which follows a read-write's
// outcome on the server instead of re-deciding it).
func NewLive(g *Graph, apply func(workload.Operation, workload.Result) error) *Live {
	return &Live{g: g, apply: apply, unchecked: map[string]int64{}, checked: map[string]int64{}}
}

// Verdict is the Result of a wrapped read: the read's own result and the
// oracle's verdict on it, taken when it finished.
type Verdict struct {
	// Result is the read's result.
	Result workload.Result
	// Checked reports whether the oracle checked it.
	Checked bool
	// Err is the oracle's rejection (nil when checked and correct, or
	// unchecked).
	Err error
}

// Wrap returns op instrumented for l: a read's Result becomes a
// [Verdict]; a write's effect is applied to the model when it succeeds.
func (l *Live) Wrap(op workload.Operation) workload.Operation {
	do := op.Do
	w := op
	if op.Kind == workload.Read {
		w.Do = func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
			l.mu.Lock()
			quiet, epoch := l.inflight == 0 && l.diverged == nil, l.epoch
			l.mu.Unlock()
			res, err := do(ctx, ex)
			if err != nil {
				return nil, err
			}
			l.mu.Lock()
			defer l.mu.Unlock()
			if !quiet || l.epoch != epoch || l.diverged != nil {
				l.unchecked[op.Type]++
				return Verdict{Result: res}, nil
			}
			l.checked[op.Type]++
			return Verdict{Result: res, Checked: true, Err: l.g.Check(op, res)}, nil
		}
		return w
	}
	w.Do = func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
		l.mu.Lock()
		l.inflight++
		l.epoch++
		l.mu.Unlock()
		res, err := do(ctx, ex)
		l.mu.Lock()
		defer l.mu.Unlock()
		l.inflight--
		l.epoch++
		if l.diverged == nil {
			switch {
			case err != nil:
				l.diverged = fmt.Errorf("%s failed (its effect is unknown): %w", op.Type, err)
			default:
				if aerr := l.apply(op, res); aerr != nil {
					l.diverged = fmt.Errorf("applying %s to the model: %w", op.Type, aerr)
				}
			}
		}
		return res, err
	}
	return w
}

// Oracle is the Config.Oracle of a run of wrapped operations: a read's
// verdict (nil when unchecked), nil for writes.
func (l *Live) Oracle(_ workload.Operation, res workload.Result) error {
	if v, ok := res.(Verdict); ok {
		return v.Err
	}
	return nil
}

// Checked returns the number of reads checked, per operation type.
func (l *Live) Checked() map[string]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.checked)
}

// Unchecked returns the number of succeeded reads not checked because a
// write overlapped them or the model had diverged, per operation type.
func (l *Live) Unchecked() map[string]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.unchecked)
}

// Diverged returns why the model may differ from the server (a write
// failed, or its effect could not be applied), or nil.
func (l *Live) Diverged() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.diverged
}
