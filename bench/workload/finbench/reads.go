package finbench

import (
	"cmp"
	"context"

	"fmt"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
	"math"
	"slices"
)

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

// win is the Gremlin filter of an edge in the window bound to s and e.
const win = `has('timestamp',inside(s,e))`

// truncBindings adds the bindings of a truncation to b: the limit "lim",
// the sort key "tk" and "up", true for an ascending order.
func truncBindings(t Truncation, b map[string]any) map[string]any {
	b["lim"] = int64(t.EffectiveLimit())
	switch t.Order {
	case TimestampAscending, AmountAscending:
		b["up"] = true
	default:
		b["up"] = false
	}
	switch t.Order {
	case AmountAscending, AmountDescending:
		b["tk"] = "amount"
	default:
		b["tk"] = "timestamp"
	}
	return b
}

// readOp is a read: one idempotent request whose answer decode turns into
// the typed result; what names the parameters in errors.
func readOp(typ, what string, params any, script string, bindings map[string]any, decode func(res []any) (workload.Result, error)) workload.Operation {
	return workload.Operation{Type: typ, Kind: workload.Read, Params: params,
		Do: func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
			res, err := ex.Submit(ctx, workload.Request{Script: script, Bindings: bindings, Idempotent: true})
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", typ, what, err)
			}
			r, err := decode(res)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", typ, what, err)
			}
			return r, nil
		}}
}

// fields decodes the values of an answer map, remembering the first
// failure.
type fields struct {
	m   map[string]any
	err error
}

// newFields decodes answer item v, which must be a map.
func newFields(v any) *fields {
	m, ok := client.AsMap(v)
	if !ok {
		return &fields{err: fmt.Errorf("answer item is %T, want a map", v)}
	}
	return &fields{m: m}
}

func (f *fields) get(k string) (any, bool) {
	if f.err != nil {
		return nil, false
	}
	v, ok := f.m[k]
	if !ok {
		f.err = fmt.Errorf("answer %v lacks %q", f.m, k)
	}
	return v, ok
}

func (f *fields) int(k string) int64 {
	v, ok := f.get(k)
	if !ok {
		return 0
	}
	n, ok := client.AsInt64(v)
	if !ok {
		f.err = fmt.Errorf("answer %q is %T %v, want an integer", k, v, v)
	}
	return n
}

// float decodes a number rounded to FinBench's 3 decimals.
func (f *fields) float(k string) float64 { return Round3(f.rawFloat(k)) }

func (f *fields) str(k string) string {
	v, ok := f.get(k)
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		f.err = fmt.Errorf("answer %q is %T %v, want a string", k, v, v)
	}
	return s
}

func (f *fields) sub(k string) *fields {
	v, ok := f.get(k)
	if !ok {
		return f
	}
	s := newFields(v)
	if s.err != nil {
		f.err = fmt.Errorf("%q: %w", k, s.err)
		return f
	}
	return s
}

// atMostOne returns the only item of res, or nil for none.
func atMostOne(res []any) (any, error) {
	switch len(res) {
	case 0:
		return nil, nil
	case 1:
		return res[0], nil
	}
	return nil, fmt.Errorf("%d answers, want at most 1", len(res))
}

// rows decodes every item of res with row.
func rows[T any](res []any, row func(f *fields) T) ([]T, error) {
	out := make([]T, 0, len(res))
	for i, v := range res {
		f := newFields(v)
		r := row(f)
		if f.err != nil {
			return nil, fmt.Errorf("row %d: %w", i, f.err)
		}
		out = append(out, r)
	}
	return out, nil
}

// TimeOrdered returns t with amount orders replaced by the timestamp
// order of the same direction, for steps over edges without an amount
// (guarantee).
func (t Truncation) TimeOrdered() Truncation {
	switch t.Order {
	case AmountAscending:
		t.Order = TimestampAscending
	case AmountDescending:
		t.Order = TimestampDescending
	}
	return t
}

// rawFloat decodes a number as it is, for ratios computed from it.
func (f *fields) rawFloat(k string) float64 {
	v, ok := f.get(k)
	if !ok {
		return 0
	}
	x, ok := client.AsFloat64(v)
	if !ok {
		f.err = fmt.Errorf("answer %q is %T %v, want a number", k, v, v)
	}
	return x
}

// ordered checks that rows came in the spec's order up to FinBench's
// rounding, then sorts them exactly by it. Two consecutive rows may come
// out of order only when every sort key sums (keys) differ by at most
// 0.001: the server orders by unrounded sums, whose floating-point noise
// may reverse rows the spec orders by id (equal rounded sums). cmpRows is
// the spec's order on the rounded values. Use it as
// ordered(cmp, keys)(rows(res, row)).
func ordered[T any](cmpRows func(a, b T) int, keys func(T) []float64) func(rows []T, err error) ([]T, error) {
	return func(rows []T, err error) ([]T, error) {
		if err != nil {
			return nil, err
		}
		return inOrder(rows, cmpRows, keys)
	}
}

func inOrder[T any](rows []T, cmpRows func(a, b T) int, keys func(T) []float64) ([]T, error) {
	for i := 0; i+1 < len(rows); i++ {
		if cmpRows(rows[i], rows[i+1]) <= 0 {
			continue
		}
		a, b := keys(rows[i]), keys(rows[i+1])
		for k := range a {
			if math.Abs(a[k]-b[k]) > 0.001+1e-9 {
				return nil, fmt.Errorf("rows %d and %d are out of order: %+v before %+v", i, i+1, rows[i], rows[i+1])
			}
		}
	}
	slices.SortStableFunc(rows, cmpRows)
	return rows, nil
}

// bySumThenID orders by a sum descending, then an id ascending.
func bySumThenID(sumA, sumB float64, idA, idB int64) int {
	return cmp.Or(cmp.Compare(sumB, sumA), cmp.Compare(idA, idB))
}

// CompareTSR4 is TSR4's order: sum descending, then id.
func CompareTSR4(a, b TSR4Row) int { return bySumThenID(a.SumAmount, b.SumAmount, a.DstID, b.DstID) }

// CompareTSR5 is TSR5's order: sum descending, then id.
func CompareTSR5(a, b TSR5Row) int { return bySumThenID(a.SumAmount, b.SumAmount, a.SrcID, b.SrcID) }

// CompareTCR2 is TCR2's order: loan amount sum descending, then id.
func CompareTCR2(a, b TCR2Row) int {
	return bySumThenID(a.SumLoanAmount, b.SumLoanAmount, a.OtherID, b.OtherID)
}

// CompareTCR4 is TCR4's order: edge2 sum descending, edge3 sum
// descending, then id.
func CompareTCR4(a, b TCR4Row) int {
	return cmp.Or(cmp.Compare(b.SumEdge2Amount, a.SumEdge2Amount), bySumThenID(a.SumEdge3Amount, b.SumEdge3Amount, a.OtherID, b.OtherID))
}

// CompareTCR6 is TCR6's order: withdrawn sum descending, then id.
func CompareTCR6(a, b TCR6Row) int {
	return bySumThenID(a.SumEdge2Amount, b.SumEdge2Amount, a.MidID, b.MidID)
}

// CompareTCR12 is TCR12's order: sum descending, then id.
func CompareTCR12(a, b TCR12Row) int {
	return bySumThenID(a.SumEdge2Amount, b.SumEdge2Amount, a.CompAccountID, b.CompAccountID)
}
