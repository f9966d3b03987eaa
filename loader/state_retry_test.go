package loader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The last request of a load records the load state in the graph once
// every batch is committed. It is an upsert, so it is retried like a batch;
// when it still fails the load reports that everything was committed (a
// *StateError with the report), and a resumed load sends no batch and
// records the state.
func TestFinalStateRecordRetried(t *testing.T) {
	src := testSource(t)
	tests := []struct {
		name      string
		fault     fault
		failures  int // failed attempts of the final record
		wantError bool
	}{
		{"timeout once", commitThenHang, 1, false},
		{"connection lost twice", failAfterSend, 2, false},
		{"lost after commit", failAfterCommit, 1, false},
		{"every attempt times out", commitThenHang, 100, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGraph()
			var elements int
			failed := 0
			f.fault = func(_ int, s string) fault {
				if s == vertexScript || s == edgeScript || s == writeStateScript {
					// f.mu is held: count what is stored.
					elements = len(f.vertices)
					for _, es := range f.edges {
						elements += len(es)
					}
				}
				if s == writeStateScript && int64(elements) == src.Total() && failed < tt.failures {
					failed++
					return tt.fault
				}
				return noFault
			}
			dir := t.TempDir()
			cfg := testConfig(dir)
			cfg.MaxAttempts = 3
			cfg.BatchTimeout = 200 * time.Millisecond
			l, err := New(f, cfg)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := l.Load(context.Background(), src)
			wantCounts(t, f, src)
			if !tt.wantError {
				if err != nil {
					t.Fatalf("final record failing %d times: %v, want success after retries", tt.failures, err)
				}
				wantState(t, f, StatusComplete)
				return
			}
			var se *StateError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want *StateError", err, err)
			}
			if se.Committed != src.Total() || rep == nil || rep.Vertices+rep.Edges != src.Total() {
				t.Fatalf("committed %d of %d, report %+v: the report must stand", se.Committed, src.Total(), rep)
			}
			want := fmt.Sprintf("all %d elements committed; recording the load state failed: ", src.Total())
			if !strings.HasPrefix(err.Error(), want) || strings.Count(err.Error(), "recording the load state") != 1 {
				t.Errorf("message %q, want it to start with %q and say it once", err, want)
			}
			if failed != cfg.MaxAttempts {
				t.Errorf("%d attempts of the final record, want %d", failed, cfg.MaxAttempts)
			}
			// Resume: no batch is sent, the state is recorded.
			f.fault = nil
			before := f.calls[vertexScript] + f.calls[edgeScript]
			cfg.Resume = true
			l, _ = New(f, cfg)
			if _, err := l.Load(context.Background(), src); err != nil {
				t.Fatalf("resume: %v", err)
			}
			if after := f.calls[vertexScript] + f.calls[edgeScript]; after != before {
				t.Errorf("resume sent %d batches, want none", after-before)
			}
			wantCounts(t, f, src)
			wantState(t, f, StatusComplete)
		})
	}
}

func wantState(t *testing.T, f *fakeGraph, status string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.states) != 1 {
		t.Fatalf("%d load states in the graph, want 1", len(f.states))
	}
	for _, js := range f.states {
		var st GraphState
		if err := json.Unmarshal([]byte(js), &st); err != nil {
			t.Fatal(err)
		}
		if st.Status != status {
			t.Errorf("load state %q, want %q", st.Status, status)
		}
	}
}
