package finbench

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/bench/workload"
)

// answerExec answers every request with res: it injects answers the real
// server does not give (malformed, out of order); the reads' right answers
// are checked against the server by package oracle's integration test.
type answerExec struct {
	res []any
	got workload.Request
}

func (a *answerExec) Submit(_ context.Context, req workload.Request) ([]any, error) {
	a.got = req
	return a.res, nil
}

var win0 = Window{Start: 1, End: 2}

func TestReadDecoding(t *testing.T) {
	tests := []struct {
		name string
		op   workload.Operation
		res  []any
		want workload.Result
	}{
		{"TSR2 missing account", TSR2(TSR2Params{ID: 1, Window: win0}), nil, TSR2Result{MaxEdge1Amount: -1, MaxEdge2Amount: -1}},
		{"TSR2 rounds", TSR2(TSR2Params{ID: 1, Window: win0}), []any{map[any]any{
			"out": map[any]any{"n": int64(2), "sum": 1.00049, "max": 0.5},
			"in":  map[any]any{"n": int64(0), "sum": 0.0, "max": -1.0}}},
			TSR2Result{SumEdge1Amount: 1, MaxEdge1Amount: 0.5, NumEdge1: 2, MaxEdge2Amount: -1}},
		{"TSR3 ratio", TSR3(TSR3Params{ID: 1}), []any{map[any]any{"n": int64(3), "blocked": int64(1)}}, TSR3Result{BlockRatio: 0.333}},
		{"TSR3 no transfer", TSR3(TSR3Params{ID: 1}), []any{map[any]any{"n": int64(0), "blocked": int64(0)}}, TSR3Result{BlockRatio: -1}},
		{"TSR4 none", TSR4(TSR4Params{ID: 1}), []any{}, []TSR4Row{}},
		{"TSR4 equal rounded sums by id", TSR4(TSR4Params{ID: 1}), []any{
			map[any]any{"dst": int64(9), "n": int64(1), "sum": 30.3},
			map[any]any{"dst": int64(8), "n": int64(2), "sum": 30.299999999999997},
			map[any]any{"dst": int64(7), "n": int64(1), "sum": 1.0}},
			[]TSR4Row{{DstID: 8, NumEdges: 2, SumAmount: 30.3}, {DstID: 9, NumEdges: 1, SumAmount: 30.3}, {DstID: 7, NumEdges: 1, SumAmount: 1}}},
		{"TCR3 no path", TCR3(TCR3Params{ID1: 1, ID2: 2}), nil, TCR3Result{ShortestPathLength: -1}},
		{"TCR7 no outs", TCR7(TCR7Params{ID: 1}), []any{map[any]any{
			"in": map[any]any{"n": int64(2), "sum": 10.0}, "out": map[any]any{"n": int64(0), "sum": 0.0}}},
			TCR7Result{NumSrc: 2, InOutRatio: -1}},
		{"TCR9 ratios", TCR9(TCR9Params{ID: 1}), []any{map[any]any{
			"dep": map[any]any{"n": int64(1), "sum": 30.0}, "rep": map[any]any{"n": int64(0), "sum": 0.0},
			"in": map[any]any{"n": int64(1), "sum": 20.0}, "out": map[any]any{"n": int64(2), "sum": 60.0}}},
			TCR9Result{RatioRepay: -1, RatioDeposit: 0.5, RatioTransfer: 0.333}},
		{"TCR10 jaccard", TCR10(TCR10Params{PID1: 1, PID2: 2}), []any{map[any]any{
			"a": []any{int64(1), int64(2), int64(3)}, "b": []any{int64(3), int64(4)}}}, TCR10Result{JaccardSimilarity: 0.25}},
		{"TCR10 both empty", TCR10(TCR10Params{PID1: 1, PID2: 2}), []any{map[any]any{"a": []any{}, "b": []any{}}}, TCR10Result{}},
		{"TCR1 distance from the path size", TCR1(TCR1Params{ID: 1}), []any{map[any]any{
			"other": int64(5), "n": int64(7), "mid": int64(9), "mtype": "IP"}}, []TCR1Row{{OtherID: 5, AccountDistance: 3, MediumID: 9, MediumType: "IP"}}},
		{"TCR5 sorts traces of one length", TCR5(TCR5Params{ID: 1}), []any{
			[]any{int64(1), int64(3), int64(2)}, []any{int64(1), int64(2), int64(4)}, []any{int64(1), int64(2)}},
			[]TCR5Row{{Path: []int64{1, 2, 4}}, {Path: []int64{1, 3, 2}}, {Path: []int64{1, 2}}}},
		{"TCR8 ratio and distance", TCR8(TCR8Params{ID: 1}), []any{map[any]any{"amt": 200.0, "rows": []any{
			map[any]any{"dst": int64(3), "sum": 50.0, "n": int64(5)}, map[any]any{"dst": int64(4), "sum": 100.0, "n": int64(7)}}}},
			[]TCR8Row{{DstID: 4, Ratio: 0.5, MinDistanceFromLoan: 3}, {DstID: 3, Ratio: 0.25, MinDistanceFromLoan: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.op.Do(context.Background(), &answerExec{res: tt.res})
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("= %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestReadFaults(t *testing.T) {
	tests := []struct {
		name string
		op   workload.Operation
		res  []any
		want string
	}{
		{"two answers", TSR2(TSR2Params{ID: 7}), []any{map[any]any{}, map[any]any{}}, "TSR2 account 7: 2 answers, want at most 1"},
		{"missing key", TSR3(TSR3Params{ID: 7}), []any{map[any]any{"n": int64(1)}}, `lacks "blocked"`},
		{"not a number", TSR4(TSR4Params{ID: 7}), []any{map[any]any{"dst": "x", "n": int64(1), "sum": 1.0}}, `row 0: answer "dst" is string x, want an integer`},
		{"not a map", TCR4(TCR4Params{ID1: 1, ID2: 2}), []any{"x"}, "TCR4 accounts 1 -> 2: row 0: answer item is string, want a map"},
		{"missing sub-key", TCR4(TCR4Params{ID1: 1, ID2: 2}), []any{map[any]any{"other": int64(3), "e2": map[any]any{}, "e3": map[any]any{}}}, `lacks "n"`},
		{"TSR5 out of order", TSR5(TSR5Params{ID: 7}), []any{
			map[any]any{"src": int64(1), "n": int64(1), "sum": 1.0}, map[any]any{"src": int64(2), "n": int64(1), "sum": 2.0}},
			"rows 0 and 1 are out of order"},
		{"TCR5 not longest first", TCR5(TCR5Params{ID: 1}), []any{[]any{int64(1), int64(2)}, []any{int64(1), int64(2), int64(3)}}, "not longest first"},
		{"TCR10 not a list", TCR10(TCR10Params{PID1: 1, PID2: 2}), []any{map[any]any{"a": int64(1), "b": []any{}}}, `answer "a" is int64, want a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.op.Do(context.Background(), &answerExec{res: tt.res})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestReadRequests checks what reads send: their constant script,
// idempotent, with the truncation bound.
func TestReadRequests(t *testing.T) {
	ex := &answerExec{res: []any{}}
	p := TCR12Params{ID: 5, Window: Window{Start: 10, End: 20}, Truncation: Truncation{Order: AmountAscending}}
	op := TCR12(p)
	if _, err := op.Do(context.Background(), ex); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"vid": int64(5), "s": int64(10), "e": int64(20), "lim": int64(DefaultTruncationLimit), "tk": "amount", "up": true}
	if ex.got.Script != TCR12Script || !ex.got.Idempotent || !reflect.DeepEqual(ex.got.Bindings, want) {
		t.Errorf("request %+v, want bindings %v", ex.got, want)
	}
	if op.Type != "TCR12" || op.Kind != workload.Read || op.Params != p {
		t.Errorf("operation %+v", op)
	}
	// Guarantees have no amount: TCR11 sorts them by time instead.
	if _, err := TCR11(TCR11Params{ID: 1, Truncation: Truncation{Limit: 3, Order: AmountDescending}}).Do(context.Background(), ex); err != nil {
		t.Fatal(err)
	}
	if ex.got.Bindings["tk"] != "timestamp" || ex.got.Bindings["up"] != false || ex.got.Bindings["lim"] != int64(3) {
		t.Errorf("TCR11 bindings %v", ex.got.Bindings)
	}
}
