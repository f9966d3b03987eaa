package suite

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/sampler"
)

func TestMeasure(t *testing.T) {
	var started []string
	params := []json.RawMessage{json.RawMessage(`{"id":1}`), json.RawMessage(`{"id":2}`), json.RawMessage(`{"id":3}`)}
	wrong := errors.New("wrong answer: got 3 rows, want 4")
	ops := []Op{
		{Name: "lookup", Params: params, Call: func(_ context.Context, i int) error { return nil }},
		{Name: "flaky", Params: params, Call: func(_ context.Context, i int) error {
			if i == 2 {
				return wrong
			}
			return nil
		}},
		{Name: "no-params", Call: func(_ context.Context, i int) error {
			if i != 0 {
				return errors.New("an operation without params must get index 0")
			}
			return nil
		}},
	}
	run := baseline.NewRun("query-bench")
	cfg := sampler.Config{Warmup: -1, MinRounds: 6, MinTime: -1}
	err := Measure(context.Background(), cfg, run, ops, func(op string, i, n int) {
		started = append(started, op)
		if n != 3 {
			t.Errorf("progress total %d, want 3", n)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(started, []string{"lookup", "flaky", "no-params"}) {
		t.Errorf("progress %v", started)
	}
	if len(run.Operations) != 3 {
		t.Fatalf("%d operations recorded", len(run.Operations))
	}
	lookup, flaky, noParams := run.Operations[0], run.Operations[1], run.Operations[2]
	if len(lookup.Samples) != 6 || !slices.Equal(lookup.SampleParams, []int{0, 1, 2, 0, 1, 2}) || !lookup.Unit.IsLatency() {
		t.Errorf("lookup: %+v", lookup)
	}
	if string(lookup.Params[1]) != `{"id":2}` {
		t.Errorf("params not stored: %s", lookup.Params)
	}
	if flaky.ErrorCount != 2 || len(flaky.Samples) != 4 || len(flaky.Errors) != 2 || !strings.Contains(flaky.Errors[0], "wrong answer") {
		t.Errorf("flaky: errors=%d samples=%d msgs=%q", flaky.ErrorCount, len(flaky.Samples), flaky.Errors)
	}
	if noParams.ErrorCount != 0 || len(noParams.Samples) != 6 {
		t.Errorf("no-params: %+v", noParams)
	}
	want := map[string]string{"warmup": "0", "min_rounds": "6", "min_time": "0s", "clients": "1"}
	for k, v := range want {
		if run.Settings[k] != v {
			t.Errorf("setting %s = %q, want %q (all %v)", k, run.Settings[k], v, run.Settings)
		}
	}
	if err := run.Validate(); err != nil {
		t.Errorf("measured run does not validate: %v", err)
	}
}

func TestMeasureRejectsBadOps(t *testing.T) {
	ok := func(context.Context, int) error { return nil }
	tests := []struct {
		name string
		ops  []Op
	}{
		{name: "duplicate", ops: []Op{{Name: "a", Call: ok}, {Name: "a", Call: ok}}},
		{name: "unnamed", ops: []Op{{Call: ok}}},
		{name: "no call", ops: []Op{{Name: "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := baseline.NewRun("query-bench")
			if err := Measure(context.Background(), sampler.Config{}, run, tt.ops, nil); err == nil {
				t.Error("want an error")
			}
			if len(run.Operations) != 0 {
				t.Error("nothing should be measured")
			}
		})
	}
}

func TestMeasureCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	ops := []Op{
		{Name: "first", Call: func(ctx context.Context, _ int) error {
			calls++
			if calls == 3 {
				cancel()
				return ctx.Err()
			}
			return nil
		}},
		{Name: "never", Call: func(context.Context, int) error { t.Error("ran after cancellation"); return nil }},
	}
	run := baseline.NewRun("query-bench")
	err := Measure(ctx, sampler.Config{Warmup: -1, MinRounds: 100, MinTime: time.Hour}, run, ops, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(run.Operations) != 1 || len(run.Operations[0].Samples) != 2 {
		t.Errorf("want the partial first operation with 2 samples, got %+v", run.Operations)
	}
}
