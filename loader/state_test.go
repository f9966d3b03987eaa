package loader

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
)

func TestDedupeStates(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	st := func(ds string, min int, status string) GraphState {
		return GraphState{Dataset: ds, Status: status, Updated: t0.Add(time.Duration(min) * time.Minute)}
	}
	tests := []struct {
		name string
		in   []GraphState
		want []GraphState
	}{
		{"none", nil, nil},
		{"distinct datasets kept in order", []GraphState{st("a", 1, StatusLoading), st("b", 0, StatusComplete)},
			[]GraphState{st("a", 1, StatusLoading), st("b", 0, StatusComplete)}},
		{"later duplicate wins", []GraphState{st("a", 1, StatusLoading), st("b", 0, StatusLoading), st("a", 2, StatusComplete)},
			[]GraphState{st("a", 2, StatusComplete), st("b", 0, StatusLoading)}},
		{"earlier duplicate loses", []GraphState{st("a", 2, StatusComplete), st("a", 1, StatusLoading)},
			[]GraphState{st("a", 2, StatusComplete)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dedupeStates(append([]GraphState(nil), tt.in...))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("dedupeStates = %v, want %v", got, tt.want)
			}
		})
	}
}

// Two concurrent state writes can both create the LoadState vertex of one
// dataset (a unique index takes no lock). On the real server: such a
// duplicate, made with two transactions, is read as exactly one state (the
// newer), and the next write leaves exactly one vertex, found by the index
// and by a scan.
func TestIntegrationDuplicateLoadStateVertices(t *testing.T) {
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cl, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := schema.Apply(ctx, cl, Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	ds := fmt.Sprintf("dup-state-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	count := `[g.V().hasLabel('LoadState').where(values('loadDataset').is(ds)).count().next(), g.V().has('LoadState', 'loadDataset', ds).count().next()]`
	t.Cleanup(func() {
		_, _ = cl.Submit(context.Background(), `g.V().hasLabel('LoadState').where(values('loadDataset').is(ds)).drop()`, map[string]any{"ds": ds})
	})
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	state := func(min int, status string) GraphState {
		return GraphState{Dataset: ds, Source: "test", Status: status, Updated: t0.Add(time.Duration(min) * time.Minute)}
	}
	js := func(st GraphState) string {
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	_, err = cl.Submit(ctx, `def t1 = graph.newTransaction()
def t2 = graph.newTransaction()
t1.addVertex(T.label, 'LoadState', 'loadDataset', ds, 'loadState', s1)
t2.addVertex(T.label, 'LoadState', 'loadDataset', ds, 'loadState', s2)
t1.commit()
t2.commit()
true`, map[string]any{"ds": ds, "s1": js(state(1, StatusLoading)), "s2": js(state(2, StatusComplete))})
	if err != nil {
		t.Fatal(err)
	}
	n, err := client.Result(mustSubmit(t, ctx, cl, count, ds)).Int64s()
	if err != nil || n[0] != 2 {
		t.Fatalf("setting up the duplicate: [scan, index] counts %v (%v), want 2 vertices by scan", n, err)
	}

	mine := func() []GraphState {
		t.Helper()
		states, err := ReadGraphStates(ctx, cl)
		if err != nil {
			t.Fatal(err)
		}
		var out []GraphState
		for _, st := range states {
			if st.Dataset == ds {
				out = append(out, st)
			}
		}
		return out
	}
	if got := mine(); len(got) != 1 || !got[0].Updated.Equal(state(2, "").Updated) || got[0].Status != StatusComplete {
		t.Fatalf("ReadGraphStates with two vertices of the dataset gave %+v, want exactly the newer state", got)
	}

	if err := writeState(ctx, cl, state(3, StatusComplete), time.Minute); err != nil {
		t.Fatal(err)
	}
	n, err = client.Result(mustSubmit(t, ctx, cl, count, ds)).Int64s()
	if err != nil || n[0] != 1 || n[1] != 1 {
		t.Fatalf("after writing the state: [scan, index] counts %v (%v), want [1 1]", n, err)
	}
	if got := mine(); len(got) != 1 || !got[0].Updated.Equal(state(3, "").Updated) {
		t.Fatalf("after writing the state, ReadGraphStates gave %+v, want exactly the written state", got)
	}
	// A second write updates the one vertex in place.
	if err := writeState(ctx, cl, state(4, StatusComplete), time.Minute); err != nil {
		t.Fatal(err)
	}
	n, err = client.Result(mustSubmit(t, ctx, cl, count, ds)).Int64s()
	if err != nil || n[0] != 1 || n[1] != 1 {
		t.Fatalf("after writing the state again: [scan, index] counts %v (%v), want [1 1]", n, err)
	}
}

func mustSubmit(t *testing.T, ctx context.Context, cl *client.Client, script, ds string) []any {
	t.Helper()
	res, err := cl.Submit(ctx, script, map[string]any{"ds": ds})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
