package oracle

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

// tiny is a hand-made graph: accounts 1–4 (3 blocked), a cycle
// 1 → 2 → 3 → 1 and a transfer 2 → 4, at times 10, 20, 30, 40.
func tiny() *Graph {
	g := New()
	g.Add(&banking.Batch{Label: banking.Account, Accounts: []banking.AccountV{{ID: 1}, {ID: 2}, {ID: 3, IsBlocked: true}, {ID: 4}}})
	tr := func(from, to, ts int64, amt float64) banking.TransferE {
		return banking.TransferE{Ends: banking.Ends{FromLabel: banking.Account, ToLabel: banking.Account, From: from, To: to}, Timestamp: ts, Amount: amt}
	}
	g.Add(&banking.Batch{Label: banking.Transfer, Transfers: []banking.TransferE{
		tr(1, 2, 10, 100), tr(2, 3, 20, 50.5), tr(3, 1, 30, 25.25), tr(2, 4, 40, 7)}})
	return g
}

var all = finbench.Window{Start: 0, End: 100}

func TestAnswers(t *testing.T) {
	g := tiny()
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"TSR2 account 2", g.TSR2(finbench.TSR2Params{ID: 2, Window: all}),
			finbench.TSR2Result{SumEdge1Amount: 57.5, MaxEdge1Amount: 50.5, NumEdge1: 2, SumEdge2Amount: 100, MaxEdge2Amount: 100, NumEdge2: 1}},
		{"TSR2 window excludes its ends", g.TSR2(finbench.TSR2Params{ID: 2, Window: finbench.Window{Start: 10, End: 40}}),
			finbench.TSR2Result{SumEdge1Amount: 50.5, MaxEdge1Amount: 50.5, NumEdge1: 1, MaxEdge2Amount: -1}},
		{"TSR3 from blocked", g.TSR3(finbench.TSR3Params{ID: 1, Window: all}), finbench.TSR3Result{BlockRatio: 1}},
		{"TSR3 none", g.TSR3(finbench.TSR3Params{ID: 4, Threshold: 10, Window: all}), finbench.TSR3Result{BlockRatio: -1}},
		{"TSR6", g.TSR6(finbench.TSR6Params{ID: 4, Window: all}), finbench.TSR6Result{DstIDs: []int64{3}}},
		{"TCR3 two hops", g.TCR3(finbench.TCR3Params{ID1: 1, ID2: 3, Window: all}), finbench.TCR3Result{ShortestPathLength: 2}},
		{"TCR3 to itself", g.TCR3(finbench.TCR3Params{ID1: 1, ID2: 1, Window: all}), finbench.TCR3Result{ShortestPathLength: -1}},
		{"TCR4 cycle", g.TCR4(finbench.TCR4Params{ID1: 1, ID2: 2, Window: all}), []finbench.TCR4Row{{OtherID: 3,
			NumEdge2: 1, SumEdge2Amount: 25.25, MaxEdge2Amount: 25.25, NumEdge3: 1, SumEdge3Amount: 50.5, MaxEdge3Amount: 50.5}}},
		{"TCR4 no edge1", g.TCR4(finbench.TCR4Params{ID1: 2, ID2: 1, Window: all}), []finbench.TCR4Row{}},
		{"TCR7 truncated to the newest out", g.TCR7(finbench.TCR7Params{ID: 2, Window: all, Truncation: finbench.Truncation{Limit: 1}}),
			finbench.TCR7Result{NumSrc: 1, NumDst: 1, InOutRatio: finbench.Round3(100.0 / 7)}},
		{"TCR7 truncated to the largest out", g.TCR7(finbench.TCR7Params{ID: 2, Window: all, Truncation: finbench.Truncation{Limit: 1, Order: finbench.AmountDescending}}),
			finbench.TCR7Result{NumSrc: 1, NumDst: 1, InOutRatio: finbench.Round3(100 / 50.5)}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	g := tiny()
	op := finbench.TCR4(finbench.TCR4Params{ID1: 1, ID2: 2, Window: all})
	right := g.TCR4(op.Params.(finbench.TCR4Params))
	if err := g.Check(op, right); err != nil {
		t.Errorf("the oracle's own answer: %v", err)
	}
	near := []finbench.TCR4Row{right[0]}
	near[0].SumEdge2Amount += 0.001 // one rounding unit: agrees
	if err := g.Check(op, near); err != nil {
		t.Errorf("an answer one rounding unit off: %v", err)
	}
	wrong := []finbench.TCR4Row{right[0]}
	wrong[0].MaxEdge3Amount = 50
	var m *MismatchError
	if err := g.Check(op, wrong); !errors.As(err, &m) || m.Detail != "[0].MaxEdge3Amount: got 50, want 50.5" {
		t.Errorf("a wrong maximum: %v", err)
	}
	if err := g.Check(op, []finbench.TCR4Row{}); !errors.As(err, &m) {
		t.Errorf("a missing row: %v", err)
	}
	if err := g.Check(op, finbench.TSR3Result{}); !errors.As(err, &m) {
		t.Errorf("an answer of another type: %v", err)
	}
	if err := g.Check(finbench.TW12(finbench.Transfer{}), nil); !errors.Is(err, ErrNoOracle) {
		t.Errorf("a write: %v, want ErrNoOracle", err)
	}
}

// stepExec answers every request with answer(): a fault injector whose
// answer may run another operation, so that the test orders operations
// without timing.
type stepExec struct {
	answer func() []any
}

func (s stepExec) Submit(context.Context, workload.Request) ([]any, error) { return s.answer(), nil }

func TestLive(t *testing.T) {
	g := tiny()
	var applied []string
	l := NewLive(g, func(op workload.Operation, _ workload.Result) error { applied = append(applied, op.Type); return nil })
	ctx := context.Background()
	read := l.Wrap(finbench.TSR6(finbench.TSR6Params{ID: 4, Window: all}))
	ids := func(v ...int64) func() []any {
		return func() []any {
			out := []any{}
			for _, x := range v {
				out = append(out, x)
			}
			return out
		}
	}
	// Quiet: checked, right and wrong.
	for _, tt := range []struct {
		answer func() []any
		bad    bool
	}{{ids(3), false}, {ids(3, 4), true}} {
		res, err := read.Do(ctx, stepExec{tt.answer})
		if err != nil {
			t.Fatal(err)
		}
		v := res.(Verdict)
		if !v.Checked || (l.Oracle(read, res) != nil) != tt.bad {
			t.Errorf("quiet read %v: %+v", tt.answer(), v)
		}
	}
	// A write running during the read: unchecked, even though wrong.
	write := l.Wrap(finbench.TW12(finbench.Transfer{From: 1, To: 2}))
	var during workload.Result
	res, err := write.Do(ctx, stepExec{func() []any {
		during, _ = read.Do(ctx, stepExec{ids(4)})
		return []any{int64(1)}
	}})
	if err != nil || res != nil {
		t.Fatalf("write: %v, %v", res, err)
	}
	if v := during.(Verdict); v.Checked || l.Oracle(read, during) != nil {
		t.Errorf("read during a write: %+v, want unchecked", v)
	}
	if len(applied) != 1 {
		t.Errorf("applied %v, want the write", applied)
	}
	if got, want := l.Unchecked(), map[string]int64{"TSR6": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Unchecked = %v, want %v", got, want)
	}
	if got, want := l.Checked(), map[string]int64{"TSR6": 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("Checked = %v, want %v", got, want)
	}
	// A failed write: the model may have diverged, later reads are
	// unchecked.
	failing := l.Wrap(finbench.TW12(finbench.Transfer{From: 1, To: 9}))
	if _, err := failing.Do(ctx, stepExec{ids(0)}); !errors.Is(err, finbench.ErrNoAccount) {
		t.Fatalf("failing write: %v", err)
	}
	if l.Diverged() == nil {
		t.Error("no divergence after a failed write")
	}
	if res, _ := read.Do(ctx, stepExec{ids(3)}); res.(Verdict).Checked {
		t.Error("a read after divergence was checked")
	}
}
