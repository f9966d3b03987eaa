package suite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/testenv"
)

// serverOps returns two operations against the real server: "inject"
// (a trivial traversal, the latency floor) and "sleep" (a traversal behind
// a server-side Thread.sleep of sleepMs: the documented hook to inject a
// slowdown). Each call checks its answer.
func serverOps(c *client.Client, sleepMs float64) []Op {
	params := make([]json.RawMessage, 5)
	for i := range params {
		params[i] = json.RawMessage(fmt.Sprintf(`{"x":%d}`, 100+i))
	}
	call := func(script string, extra map[string]any) sampler.Func {
		return func(ctx context.Context, i int) error {
			want := int64(100 + i)
			b := map[string]any{"x": want}
			for k, v := range extra {
				b[k] = v
			}
			res, err := c.Submit(ctx, script, b)
			if err != nil {
				return err
			}
			if len(res) != 1 || res[0] != want {
				return fmt.Errorf("wrong answer: got %v, want [%d]", res, want)
			}
			return nil
		}
	}
	return []Op{
		{Name: "inject", Params: params, Call: call("g.inject(x)", nil)},
		{Name: "sleep", Params: params, Call: call("Thread.sleep(sleepUs.intdiv(1000)); g.inject(x)", map[string]any{"sleepUs": int64(sleepMs * 1000)})},
	}
}

// TestIntegrationInjectedSlowdown measures a baseline against the real
// JanusGraph, then a run with the sleep hook tripled, and compares them
// with the CLI's rule: the slowed operation must be flagged. The injected
// slowdown (+250ms on an operation of a few ms) dominates the noise of a shared 2-core machine on
// purpose: this test checks the pipeline end to end (sampler, correctness
// checks, run files, comparison) on the real server; the statistical power
// and false-alarm rate are checked by compare's simulation tests and the
// documented A/A experiment, which needs a quiet machine.
func TestIntegrationInjectedSlowdown(t *testing.T) {
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	defer c.Close()

	cfg := sampler.Config{Warmup: 5, MinRounds: 30, MinTime: -1}
	measure := func(sleepMs float64) *baseline.Run {
		run := baseline.NewRun("query-bench")
		run.Dataset = "none"
		if err := Measure(ctx, cfg, run, serverOps(c, sleepMs), nil); err != nil {
			t.Fatal(err)
		}
		for _, op := range run.Operations {
			if op.ErrorCount > 0 {
				t.Fatalf("%s: %d failed calls: %v", op.Name, op.ErrorCount, op.Errors)
			}
			if len(op.Samples) != 30 {
				t.Fatalf("%s: %d samples, want 30", op.Name, len(op.Samples))
			}
		}
		return run
	}
	th, err := compare.ParseThresholds("median:10%")
	if err != nil {
		t.Fatal(err)
	}
	base := measure(8)
	// Round-trip the baseline through a run file, as --save/--compare do.
	dir := t.TempDir()
	if _, err := baseline.Save(dir, "base", base); err != nil {
		t.Fatal(err)
	}
	loaded, err := baseline.Load(dir, "base")
	if err != nil {
		t.Fatal(err)
	}
	cur := measure(258)
	rep, err := compare.Compare(loaded, cur, compare.Config{FailOn: th})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		t.Logf("%s: %.3fms → %.3fms (%+.1f%%) p=%.3g adj=%.3g %s regressed=%v warnings=%v",
			r.Name, 1000*r.Base.Median, 1000*r.Current.Median, 100*r.Delta, r.P, r.AdjustedP, r.Verdict, r.Regressed, r.Warnings)
	}
	sleep := rep.Results[1]
	if sleep.Name != "sleep" || sleep.Verdict != compare.Slower || !sleep.Regressed {
		t.Errorf("sleep: verdict %q regressed %v, want slower and regressed", sleep.Verdict, sleep.Regressed)
	}
	if !rep.Failed() || !slices.Contains(rep.Regressions, "sleep") {
		t.Errorf("regressions %v should contain the slowed operation", rep.Regressions)
	}
	if len(sleep.Warnings) != 0 {
		t.Errorf("same parameters in both runs, yet warnings: %v", sleep.Warnings)
	}
}
