package finbench

import (
	"fmt"
	"math"
)

// Reads share FinBench's conventions, applied identically by the Gremlin
// and by the oracle (package oracle):
//
//   - Time windows are open: an edge is in [Window] w when
//     w.Start < timestamp < w.End, as in FinBench's reference
//     implementations (Gremlin inside(start, end)).
//   - Truncation ([Truncation]) happens per vertex and per step: of the
//     edges a step may follow from one vertex (those in the window and
//     passing the step's amount threshold, if any), at most Limit are
//     followed, the first in Order. Ties in the sort key are broken by the
//     server (FinBench leaves them open too).
//   - Floating-point results are rounded half up to 3 decimals ([Round3]).
//   - A read of a vertex that does not exist answers the empty result: no
//     rows, or the "nothing found" values of a single-row result.

// Window is a FinBench time window, epoch milliseconds, open at both ends.
type Window struct {
	// Start is the window's exclusive lower bound.
	Start int64
	// End is the window's exclusive upper bound.
	End int64
}

// In reports whether ts is inside the window.
func (w Window) In(ts int64) bool { return w.Start < ts && ts < w.End }

// TruncationOrder is the order in which a vertex's edges are sorted before
// truncation. The zero value is FinBench's default, newest first.
type TruncationOrder int

// Truncation orders.
const (
	// TimestampDescending follows the newest edges (the default).
	TimestampDescending TruncationOrder = iota
	// TimestampAscending follows the oldest edges.
	TimestampAscending
	// AmountDescending follows the largest amounts.
	AmountDescending
	// AmountAscending follows the smallest amounts.
	AmountAscending
)

// String returns the FinBench name ("TIMESTAMP_DESCENDING", ...).
func (o TruncationOrder) String() string {
	switch o {
	case TimestampDescending:
		return "TIMESTAMP_DESCENDING"
	case TimestampAscending:
		return "TIMESTAMP_ASCENDING"
	case AmountDescending:
		return "AMOUNT_DESCENDING"
	case AmountAscending:
		return "AMOUNT_ASCENDING"
	}
	return fmt.Sprintf("TruncationOrder(%d)", int(o))
}

// DefaultTruncationLimit is FinBench's truncation limit, used when
// Truncation.Limit is 0.
const DefaultTruncationLimit = 500

// Truncation bounds the edges followed per vertex and step.
type Truncation struct {
	// Limit is the most edges followed per vertex and step; 0 means
	// DefaultTruncationLimit.
	Limit int
	// Order sorts the edges before truncation.
	Order TruncationOrder
}

// EffectiveLimit returns Limit, or DefaultTruncationLimit when it is 0.
func (t Truncation) EffectiveLimit() int {
	if t.Limit <= 0 {
		return DefaultTruncationLimit
	}
	return t.Limit
}

// Round3 rounds x half up to 3 decimals, FinBench's precision of results.
func Round3(x float64) float64 { return math.Floor(x*1000+0.5) / 1000 }
