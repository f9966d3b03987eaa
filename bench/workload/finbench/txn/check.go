package txn

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

// Model is the oracle of a run: *oracle.Graph. Check compares a read's
// result with the model's answer; CheckApply applies a write or
// read-write that succeeded on the server and compares its result with the
// model's; ApplyResult applies one whose server request failed.
type Model interface {
	Check(op workload.Operation, res workload.Result) error
	CheckApply(op workload.Operation, res workload.Result) error
	ApplyResult(op workload.Operation) (workload.Result, error)
}

// definite reports whether a write's error says that it changed nothing
// (a missing vertex, a taken id), so that the model can follow.
func definite(err error) bool {
	return errors.Is(err, finbench.ErrNotFound) || errors.Is(err, finbench.ErrExists)
}

// Checks counts the oracle's verdicts on one operation type's reads.
type Checks struct {
	// Checked is the number of reads compared with the model.
	Checked int64 `json:"checked"`
	// Unchecked is the number of reads that could not be compared: a write
	// overlapped them, or an earlier write's effect is unknown (it failed,
	// or a read-write overlapped another write), so the model's state at
	// the read is not defined. They are never counted as correct.
	Unchecked int64 `json:"unchecked"`
}

// live serialises a model behind a concurrent run: writes are applied
// when they succeed, and a read is checked only when no write started or
// ended while it ran and every earlier write's effect is known, so that a
// correct answer is never flagged and a wrong one always is.
type live struct {
	mu       sync.Mutex
	m        Model
	inflight int    // writes running
	epoch    uint64 // changes at every write start and end
	tainted  bool   // the model no longer follows the graph
	checks   map[string]*Checks
}

func newLive(m Model) *live { return &live{m: m, checks: map[string]*Checks{}} }

// verdict is the Result of a wrapped read: the server's answer and the
// oracle's verdict (nil when correct or unchecked).
type verdict struct {
	res workload.Result
	err error
}

func (l *live) count(t string) *Checks {
	c := l.checks[t]
	if c == nil {
		c = &Checks{}
		l.checks[t] = c
	}
	return c
}

// wrap returns op with Do routed through the model.
func (l *live) wrap(op workload.Operation) workload.Operation {
	do := op.Do
	if op.Kind == workload.Read {
		op.Do = func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
			l.mu.Lock()
			e0, quiet := l.epoch, l.inflight == 0 && !l.tainted
			l.mu.Unlock()
			res, err := do(ctx, ex)
			if err != nil {
				return nil, err
			}
			l.mu.Lock()
			defer l.mu.Unlock()
			if !quiet || l.epoch != e0 || l.tainted {
				l.count(op.Type).Unchecked++
				return verdict{res: res}, nil
			}
			l.count(op.Type).Checked++
			return verdict{res: res, err: l.m.Check(op, res)}, nil
		}
		return op
	}
	op.Do = func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
		l.mu.Lock()
		l.inflight++
		l.epoch++
		e0 := l.epoch
		l.mu.Unlock()
		res, err := do(ctx, ex)
		l.mu.Lock()
		defer l.mu.Unlock()
		overlapped := l.epoch != e0 // another write started or ended meanwhile
		l.inflight--
		l.epoch++
		switch {
		case err != nil && definite(err):
			// The server changed nothing; the model must fail alike.
			if _, merr := l.m.ApplyResult(op); merr == nil {
				l.tainted = true
			}
		case err != nil:
			// Maybe applied (a timeout), maybe not: the model cannot know.
			l.tainted = true
		case op.Kind == workload.ReadWrite && overlapped:
			// Its decision depended on writes the model may order
			// differently: apply the server's outcome is not possible, so
			// the model stops following the graph.
			l.tainted = true
		default:
			if verr := l.m.CheckApply(op, res); verr != nil {
				l.tainted = true
				return verdict{res: res, err: verr}, nil
			}
		}
		return res, err
	}
	return op
}

// oracle is the driver's Config.Oracle of a wrapped schedule.
func (l *live) oracle(_ workload.Operation, res workload.Result) error {
	if v, ok := res.(verdict); ok {
		return v.err
	}
	return nil
}

// snapshot returns the per-type counts.
func (l *live) snapshot() map[string]Checks {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]Checks{}
	for _, t := range slices.Sorted(maps.Keys(l.checks)) {
		out[t] = *l.checks[t]
	}
	return out
}
