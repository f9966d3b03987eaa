package finbench

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/bench/workload"
)

// faultyExec injects answers and failures that the real server does not
// give on demand; the happy paths run against JanusGraph in
// integration_test.go.
type faultyExec struct {
	res []any
	err error
	got []workload.Request
}

func (f *faultyExec) Submit(_ context.Context, req workload.Request) ([]any, error) {
	f.got = append(f.got, req)
	return f.res, f.err
}

func TestFaults(t *testing.T) {
	boom := errors.New("connection lost")
	tests := []struct {
		name string
		op   workload.Operation
		res  []any
		err  error
		is   error
		want string
	}{
		{"TSR1 executor error", TSR1(7), nil, boom, boom, "TSR1 account 7: connection lost"},
		{"TSR1 two answers", TSR1(7), []any{map[any]any{}, map[any]any{}}, nil, nil, "2 accounts answered, want at most 1"},
		{"TSR1 not a map", TSR1(7), []any{"x"}, nil, nil, "answer: client: result item 0 is string x, want a map with string keys"},
		{"TSR1 missing property", TSR1(7), []any{map[any]any{"createTime": int64(1), "type": "card"}}, nil, nil, "lacks createTime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.op.Do(context.Background(), &faultyExec{res: tt.res, err: tt.err})
			if err == nil || !strings.Contains(err.Error(), tt.want) || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Errorf("error %v, want %q (is %v)", err, tt.want, tt.is)
			}
		})
	}
}

// TestRequests checks what the operations send: constant scripts, bound
// values, and idempotency only for the read.
func TestRequests(t *testing.T) {
	ex := &faultyExec{res: []any{}}
	if a, err := TSR1(42).Do(context.Background(), ex); err != nil || a.(Account).Found {
		t.Fatalf("TSR1 on an empty answer: %v, %v; want not found", a, err)
	}
	ex.res = []any{int64(1)}
	tr := Transfer{From: 1, To: 2, Time: 3, Amount: 4.5, OrderNumber: 6, PayType: "wire"}
	if _, err := TW12(tr).Do(context.Background(), ex); err != nil {
		t.Fatal(err)
	}
	r, w := ex.got[0], ex.got[1]
	if r.Script != TSR1Script || r.Bindings["aid"] != int64(42) || !r.Idempotent {
		t.Errorf("TSR1 request %+v", r)
	}
	if w.Script != TW12Script || w.Idempotent || w.Bindings["src"] != int64(1) || w.Bindings["dst"] != int64(2) ||
		w.Bindings["ts"] != int64(3) || w.Bindings["amt"] != 4.5 || w.Bindings["ord"] != int64(6) || w.Bindings["pt"] != "wire" {
		t.Errorf("TW12 request %+v", w)
	}
}
