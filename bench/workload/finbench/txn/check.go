package txn

import (
	"errors"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
)

// Checks counts the oracle's verdicts on one operation type's reads.
type Checks struct {
	// Checked is the number of reads compared with the model.
	Checked int64 `json:"checked"`
	// Unchecked is the number of reads that could not be compared: a write
	// overlapped them, or an earlier write's effect is unknown, so the
	// model's state at the read is not defined (see oracle.Live). They are
	// never counted as correct.
	Unchecked int64 `json:"unchecked"`
}

// checks returns l's per-type counts.
func checks(l *oracle.Live) map[string]Checks {
	out := map[string]Checks{}
	for t, n := range l.Checked() {
		c := out[t]
		c.Checked = n
		out[t] = c
	}
	for t, n := range l.Unchecked() {
		c := out[t]
		c.Unchecked = n
		out[t] = c
	}
	return out
}

// definite reports whether a write's error says that it changed nothing
// (finbench.ErrNothingWritten: a missing vertex, a taken id), so that the
// model can follow.
func definite(err error) bool { return errors.Is(err, finbench.ErrNothingWritten) }

// wrapAll routes every operation of s through l.
func wrapAll(l *oracle.Live, s workload.Schedule) {
	for i := range s {
		s[i].Op = l.Wrap(s[i].Op)
	}
}
