package suite

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/sampler"
)

// abIndex: every parameter appears once per half and block, the first
// block starting each pair with A and the second with B.
func TestABIndex(t *testing.T) {
	const n = 3
	seen := map[[2]int]int{}
	for i := range 4 * n {
		h, p := abIndex(i, n)
		seen[[2]int{h, p}]++
		if i < 2*n && i%2 == 0 && h != 0 {
			t.Errorf("entry %d: the first block starts each pair with A", i)
		}
		if i >= 2*n && i%2 == 0 && h != 1 {
			t.Errorf("entry %d: the second block starts each pair with B", i)
		}
	}
	for h := range 2 {
		for p := range n {
			if seen[[2]int{h, p}] != 2 {
				t.Errorf("half %d parameter %d appears %d times, want 2", h, p, seen[[2]int{h, p}])
			}
		}
	}
}

// MeasureAB calls A and B alternately, each for every parameter, and each
// half gets exactly its own samples with the original parameter list.
func TestMeasureAB(t *testing.T) {
	const n = 3
	var params []json.RawMessage
	for i := range n {
		params = append(params, json.RawMessage(strconv.Itoa(i)))
	}
	var mu sync.Mutex
	var calls []string
	call := func(half string) sampler.Func {
		return func(_ context.Context, i int) error {
			mu.Lock()
			calls = append(calls, half+strconv.Itoa(i))
			mu.Unlock()
			return nil
		}
	}
	tmpl := baseline.NewRun("query-bench")
	tmpl.Settings = map[string]string{"dataset": "d"}
	cfg := sampler.Config{Warmup: -1, MinRounds: 2 * n, MinTime: -1}
	a, b, err := MeasureAB(context.Background(), cfg, tmpl, "A", "B", []ABOp{{Name: "q", Params: params, A: call("A"), B: call("B")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "A" || b.Name != "B" || a.Settings["dataset"] != "d" || a.Settings["ab"] == "" || len(tmpl.Operations) != 0 {
		t.Fatalf("runs: %+v / %+v", a, b)
	}
	for _, r := range []*baseline.Run{a, b} {
		op := r.Operations[0]
		if len(op.Samples) < 2*n || len(op.Params) != n || string(op.Params[1]) != "1" {
			t.Errorf("%s: %d samples, params %s", r.Name, len(op.Samples), op.Params)
		}
		for _, p := range op.SampleParams {
			if p < 0 || p >= n {
				t.Errorf("%s: sample parameter %d out of range", r.Name, p)
			}
		}
	}
	if len(calls) < 4 || calls[0] != "A0" || calls[1] != "B0" {
		t.Errorf("calls %v, want A0 B0 ... first", calls)
	}
	counts := map[string]int{}
	for _, c := range calls {
		counts[c[:1]]++
	}
	if counts["A"] != counts["B"] || counts["A"] != len(a.Operations[0].Samples) {
		t.Errorf("%d A calls, %d B calls, %d A samples", counts["A"], counts["B"], len(a.Operations[0].Samples))
	}
	if _, _, err := MeasureAB(context.Background(), cfg, tmpl, "X", "X", nil, nil); err == nil {
		t.Error("equal run names accepted")
	}
}
