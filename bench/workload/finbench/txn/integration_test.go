package txn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
	"github.com/graphperf/graphperf/bench/workload/finbench/txn"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/loader"
)

// splitConfig is a small split graph with a few instances of every
// pattern: it loads in seconds.
func splitConfig() banking.Config {
	return banking.Config{Seed: 21, Scale: 0.002, UpdateShare: banking.FinBenchUpdateShare, Patterns: banking.PatternCounts{
		TransferCycles: 2, MuleChains: 2, Structuring: 2, FraudRings: 2,
		BlockedMediumChains: 2, FanInWithdraws: 2, GuaranteeChains: 2}}
}

// setup prepares the workload of splitConfig and a restorer of its bulk
// part on the server at GRAPHPERF_HOSTS (it empties that graph).
func setup(t *testing.T) (context.Context, *client.Client, *txn.Workload, func(context.Context) error) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test")
	}
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	c, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := schema.Apply(ctx, c, loader.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Source{Config: splitConfig()}.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := txn.Prepare(ctx, d, txn.PrepareConfig{Params: paramgen.Config{PerType: 10}})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, c, w, txn.Restorer(c, d, loader.Config{StateDir: t.TempDir()})
}

// corrupt is an executor that answers one script wrongly: it adds a
// fabricated item to that script's answers (a mutated query).
type corrupt struct {
	workload.Executor
	script string
	hits   int
}

func (c *corrupt) Submit(ctx context.Context, req workload.Request) ([]any, error) {
	res, err := c.Executor.Submit(ctx, req)
	if err == nil && req.Script == c.script {
		c.hits++
		if m, ok := res[0].(map[any]any); ok && len(res) == 1 {
			cp := map[any]any{}
			for k, v := range m {
				cp[k] = v
			}
			cp["isBlocked"] = !cp["isBlocked"].(bool)
			res = []any{cp}
		}
	}
	return res, err
}

// TestIntegrationValidate runs the validation on the real server: every
// operation type once, serially, checked exactly; then again with one
// query's answers corrupted, which must fail it and name that query.
func TestIntegrationValidate(t *testing.T) {
	ctx, c, w, reset := setup(t)
	if err := reset(ctx); err != nil {
		t.Fatal(err)
	}
	ex := workload.ClientExecutor{Client: c}
	v, err := w.Validate(ctx, ex, nil)
	if err != nil {
		for _, o := range v.Failed() {
			t.Errorf("%s %+v: %v", o.Type, o.Params, o.Err)
		}
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, o := range v.Outcomes {
		types[o.Type] = true
	}
	for _, want := range []string{"TSR1", "TSR6", "TW12", "TW1", "TW17", "TRW1", "TRW3"} {
		if !types[want] {
			t.Errorf("validation did not run %s (ran %v)", want, types)
		}
	}
	t.Logf("validated %d operations of %d types", len(v.Outcomes), len(types))

	if err := reset(ctx); err != nil {
		t.Fatal(err)
	}
	bad := &corrupt{Executor: ex, script: tsr1Script(t, w)}
	v, err = w.Validate(ctx, bad, nil)
	if !errors.Is(err, txn.ErrValidation) || bad.hits == 0 {
		t.Fatalf("validation with a corrupted TSR1: %v (%d corrupted answers), want ErrValidation", err, bad.hits)
	}
	for _, o := range v.Failed() {
		var me *oracle.MismatchError
		if o.Type != "TSR1" || !errors.As(o.Err, &me) {
			t.Errorf("failed %s: %v, want only TSR1 mismatches", o.Type, o.Err)
		}
	}
}

// tsr1Script returns the script of the workload's TSR1 operations.
func tsr1Script(t *testing.T, w *txn.Workload) string {
	t.Helper()
	rec := &recorder{}
	op := w.Sample("TSR1")
	if op.Do == nil {
		t.Fatal("no TSR1 in the workload")
	}
	op.Do(context.Background(), rec) //nolint:errcheck // the recorder answers nothing
	return rec.script
}

type recorder struct{ script string }

func (r *recorder) Submit(_ context.Context, req workload.Request) ([]any, error) {
	r.script = req.Script
	return nil, nil
}

// TestIntegrationRun runs a short open-loop run on the real server with
// one client (so that no read overlaps a write and every read is checked,
// whatever the machine's speed): no wrong answer, no error; and a
// cancelled run returns a partial result. The read-writes are left out:
// one whose outcome the model cannot follow stops the checking (they are
// checked by TestIntegrationValidate).
func TestIntegrationRun(t *testing.T) {
	ctx, c, w, reset := setup(t)
	ex := workload.ClientExecutor{Client: c}
	cfg := txn.Config{Schedule: txn.ScheduleConfig{TCR: 0.00001, Duration: 10 * time.Second,
		Frequencies: map[string]int{"TRW1": -1, "TRW2": -1, "TRW3": -1}},
		Driver: workload.Config{Clients: 1}, Reset: reset}
	r, err := w.Run(ctx, ex, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Report
	if rep.Total.Errors != 0 || rep.Total.Mismatches != 0 {
		for _, st := range rep.Types {
			if st.FirstError != nil || st.FirstMismatch != nil {
				t.Errorf("%s: %v %v", st.Type, st.FirstError, st.FirstMismatch)
			}
		}
		t.Fatalf("%d errors, %d wrong answers", rep.Total.Errors, rep.Total.Mismatches)
	}
	var checked, unchecked int64
	reads := int64(0)
	for _, st := range rep.Types {
		if st.Kind == workload.Read {
			reads += st.Count
		}
	}
	for _, ch := range r.Checks {
		checked += ch.Checked
		unchecked += ch.Unchecked
	}
	var text strings.Builder
	rep.WriteText(&text) //nolint:errcheck // a Builder does not fail
	t.Logf("report:\n%s", text.String())
	if checked == 0 || unchecked != 0 || checked != reads {
		t.Errorf("%d reads checked, %d unchecked, %d reads ran", checked, unchecked, reads)
	}
	t.Logf("%d ops, %d reads checked, %d unchecked; %s", rep.Total.Count, checked, unchecked, rep.Audit)

	cctx, cancel := context.WithCancel(ctx)
	cfg.Driver.Progress = func(p workload.Progress) {
		if p.Done > 0 {
			cancel()
		}
	}
	cfg.Driver.ProgressInterval = 200 * time.Millisecond
	cfg.Schedule.Duration = 0
	r, err = w.Run(cctx, ex, cfg)
	if !errors.Is(err, context.Canceled) || r == nil || !r.Report.Partial {
		t.Fatalf("cancelled run: %v, partial %v", err, r != nil && r.Report.Partial)
	}
}
