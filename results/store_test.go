package results

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
)

// sampleRun is a complete query-bench run at a fresh commit.
func sampleRun(id, branch, dataset string, c Commit, started time.Time, ops ...OperationResult) Run {
	return Run{ID: id, Kind: KindQueryBench, Name: "main", Started: started, Finished: started.Add(time.Minute),
		Commit: c, Branch: branch, Dataset: dataset, Driver: "graphperf", Machine: "linux/amd64, 2 cores",
		Server:   Server{Backend: "inmemory", JanusGraphVersion: "1.1.0", Config: map[string]string{"storage.backend": "inmemory"}},
		Settings: map[string]string{"rounds": "20", "clients": "1"}, Operations: ops}
}

// A run reads back as it was stored, with every summary field; storing it
// again is one run with one result per operation; storing it with an
// operation fewer removes that result.
func TestStoreRoundTripIdempotent(t *testing.T) {
	g, cl := newGraph(t)
	ctx := context.Background()
	c := Commit{Hash: hash(), Time: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Message: "speed up lookups", Author: "Ada", Parents: []string{hash()}}
	id := unique("run")
	r := sampleRun(id, unique("branch"), unique("ds"), c, time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC),
		opResult("account-lookup", 0.002), opResult("transfer-cycle", 0.010))
	r.Dirty = true
	must(t, g.Store(ctx, r))
	must(t, g.Store(ctx, r))

	got, err := g.Run(ctx, id)
	must(t, err)
	want := r
	want.Status = Complete
	for i := range want.Operations {
		op := &want.Operations[i]
		op.Summary = stats.Summarize(op.Samples, op.Unit)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Run(%s) =\n%+v\nwant\n%+v", id, got, want)
	}
	if n := count(t, cl, `g.V().has('Run','runId',rid).count()`, map[string]any{"rid": id}); n != 1 {
		t.Errorf("%d Run vertices after storing twice, want 1", n)
	}
	if n := count(t, cl, `g.V().has('Run','runId',rid).out('hasResult').count()`, map[string]any{"rid": id}); n != 2 {
		t.Errorf("%d results after storing twice, want 2", n)
	}
	if n := count(t, cl, `g.V().has('Commit','hash',h).count()`, map[string]any{"h": c.Hash}); n != 1 {
		t.Errorf("%d Commit vertices, want 1", n)
	}

	r.Operations = r.Operations[1:]
	r.Dirty = false
	must(t, g.Store(ctx, r))
	got, err = g.Run(ctx, id)
	must(t, err)
	if len(got.Operations) != 1 || got.Operations[0].Operation != "transfer-cycle" || got.Dirty {
		t.Errorf("after storing with one operation: %+v, dirty %v; want only transfer-cycle, not dirty", got.Operations, got.Dirty)
	}
	if n := count(t, cl, `g.V().has('OperationResult','resultId',x).count()`, map[string]any{"x": ResultID(id, "account-lookup")}); n != 0 {
		t.Errorf("the dropped operation's result is still stored (%d)", n)
	}
}

func TestRunNotFound(t *testing.T) {
	g, _ := newGraph(t)
	_, err := g.Run(context.Background(), unique("missing"))
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Run(unknown) = %v, want ErrNotFound", err)
	}
	_, err = g.Comparable(context.Background(), unique("missing"))
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Comparable(unknown) = %v, want ErrNotFound", err)
	}
}

// failAfter passes requests to a real client and fails the one whose
// script is fail, as a server killed at that moment would.
type failAfter struct {
	*client.Client
	fail string
}

func (f *failAfter) Do(ctx context.Context, req *client.Request) (client.Result, error) {
	if req.Script == f.fail {
		return nil, errors.New("injected: connection lost")
	}
	return f.Client.Do(ctx, req)
}

// A store that fails half-way leaves the run partial (listed as such);
// storing it again completes it. A run cut short stays partial.
func TestStorePartial(t *testing.T) {
	_, cl := newGraph(t)
	ctx := context.Background()
	branch := unique("branch")
	id := unique("run")
	r := sampleRun(id, branch, unique("ds"), Commit{Hash: hash()}, time.Now().UTC(), opResult("a", 0.001), opResult("b", 0.001))

	for _, step := range []struct{ script, name string }{{resultsScript, "results"}, {completeScript, "complete"}} {
		err := New(&failAfter{Client: cl, fail: step.script}).Store(ctx, r)
		var se *StoreError
		if !errors.As(err, &se) || se.Step != step.name || se.RunID != id {
			t.Fatalf("Store failing at %s = %v, want a *StoreError of step %s", step.name, err, step.name)
		}
		runs, err := New(cl).Runs(ctx, Filter{Branch: branch})
		must(t, err)
		if len(runs) != 1 || runs[0].Status != Partial {
			t.Fatalf("after a failed store: %+v, want one partial run", runs)
		}
	}
	must(t, New(cl).Store(ctx, r))
	runs, err := New(cl).Runs(ctx, Filter{Branch: branch})
	must(t, err)
	if len(runs) != 1 || runs[0].Status != Complete || runs[0].Operations != 2 {
		t.Fatalf("after storing again: %+v, want one complete run with 2 operations", runs)
	}

	r.Status = Partial
	must(t, New(cl).Store(ctx, r))
	got, err := New(cl).Run(ctx, id)
	must(t, err)
	if got.Status != Partial {
		t.Errorf("a run stored with status partial reads back %q", got.Status)
	}
}

func TestValidate(t *testing.T) {
	ok := sampleRun("x", "", "", Commit{}, time.Now(), opResult("a", 1))
	for _, tc := range []struct {
		name string
		edit func(*Run)
		want string
	}{
		{"no id", func(r *Run) { r.ID = " " }, "without an id"},
		{"kind", func(r *Run) { r.Kind = "bench" }, `unknown kind "bench"`},
		{"status", func(r *Run) { r.Status = "done" }, `unknown status "done"`},
		{"started", func(r *Run) { r.Started = time.Time{} }, "no start time"},
		{"dup", func(r *Run) { r.Operations = append(r.Operations, r.Operations[0]) }, `operation "a" twice`},
		{"unit", func(r *Run) { r.Operations[0].Unit = stats.Unit{} }, "invalid unit"},
		{"nan", func(r *Run) { r.Operations[0].Samples = []float64{1, nan()} }, "not a finite number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			r.Operations = append([]OperationResult(nil), ok.Operations...)
			r.Operations[0].Samples = append([]float64(nil), ok.Operations[0].Samples...)
			tc.edit(&r)
			err := r.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v, want an error containing %q", err, tc.want)
			}
			if err := (&Graph{}).Store(context.Background(), r); err == nil || err.Error() != r.Validate().Error() {
				t.Errorf("Store = %v, want the validation error before anything is sent", err)
			}
		})
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(valid run) = %v", err)
	}
}

func nan() float64 { var z float64; return z / z }
