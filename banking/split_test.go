package banking

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// rows returns every element of batches as its JSONL row, per label.
func rows(batches []*Batch) map[Label][]string {
	out := map[Label][]string{}
	for _, b := range batches {
		for i := range b.Len() {
			out[b.Label] = append(out[b.Label], string(b.Element(i).AppendJSONL(nil)))
		}
	}
	return out
}

func updates(t *testing.T, cfg Config) []*Batch {
	t.Helper()
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	us, err := g.Updates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return us
}

// TestSplitPartitionsTheDataByTime checks FinBench's split: the bulk part
// holds exactly the elements before UpdateStart, the update stream exactly
// those at or after it, in time order; together they are the unsplit data,
// nothing lost or duplicated.
func TestSplitPartitionsTheDataByTime(t *testing.T) {
	full := collect(t, Config{Seed: 7, Scale: 0.005})
	cfg := Config{Seed: 7, Scale: 0.005, UpdateShare: FinBenchUpdateShare}
	bulk := collect(t, cfg) // Run validates: no dangling edge in the bulk
	us := updates(t, cfg)

	start := bulk.g.UpdateStart()
	span := float64(SpanEnd - SpanStart)
	if got := float64(start-SpanStart) / span; got < 0.9699999 || got > 0.9700001 {
		t.Fatalf("UpdateStart at %.7f of the span, want 0.97", got)
	}
	if !bulk.g.Split() || full.g.Split() || full.g.UpdateStart() != SpanEnd {
		t.Fatalf("Split: %v with a share, %v without (start %d)", bulk.g.Split(), full.g.Split(), full.g.UpdateStart())
	}
	if len(us) == 0 {
		t.Fatal("empty update stream")
	}
	for _, b := range bulk.batches {
		for i := range b.Len() {
			if ts, ok := b.Time(i); ok && ts >= start {
				t.Fatalf("bulk %s element %d at %d, after the split %d", b.Label, i, ts, start)
			}
		}
	}
	prev := int64(0)
	for k, u := range us {
		if u.Len() != 1 {
			t.Fatalf("update %d has %d elements, want 1", k, u.Len())
		}
		ts, ok := u.Time(0)
		if !ok || ts < start || ts >= SpanEnd {
			t.Fatalf("update %d (%s) at %d, want in [%d, %d)", k, u.Label, ts, start, SpanEnd)
		}
		if ts < prev {
			t.Fatalf("update %d at %d before its predecessor at %d", k, ts, prev)
		}
		prev = ts
		if u.Label.Kind() != EdgeKind {
			t.Fatalf("update %d is a %s vertex: vertices are created in the first year", k, u.Label)
		}
	}
	want, got := rows(full.batches), rows(append(slices.Clone(bulk.batches), us...))
	for _, l := range slices.Sorted(maps.Keys(want)) {
		w, g := slices.Sorted(slices.Values(want[l])), slices.Sorted(slices.Values(got[l]))
		if !slices.Equal(w, g) {
			t.Errorf("%s: bulk + updates have %d elements, unsplit data %d (or different ones)", l, len(g), len(w))
		}
	}
	// About 3% of the timed edges (uniform in time after the first year
	// for most labels): a loose bound, the exact share depends on labels.
	edges := 0
	for _, l := range slices.Collect(maps.Keys(want)) {
		if l.Kind() == EdgeKind {
			edges += len(want[l])
		}
	}
	if share := float64(len(us)) / float64(edges); share < 0.01 || share > 0.06 {
		t.Errorf("update stream is %.2f%% of the edges, want about 3%%", 100*share)
	}
}

// TestSplitDeterministicWhateverTheWorkers checks that the bulk part and
// the update stream are pure functions of the configuration.
func TestSplitDeterministicWhateverTheWorkers(t *testing.T) {
	cfg := Config{Seed: 3, Scale: 0.003, UpdateShare: 0.05}
	var first []string
	for _, w := range []int{1, 3, 8} {
		cfg.Workers = w
		b := collect(t, cfg)
		var all []string
		for _, x := range append(b.batches, updates(t, cfg)...) {
			all = append(all, x.Label.String()+string(x.AppendJSONL(nil)))
		}
		if first == nil {
			first = all
			continue
		}
		if !slices.Equal(all, first) {
			t.Errorf("workers %d: a different bulk part or update stream", w)
		}
	}
}

// TestSplitKeepsPatternsInTheBulk checks that every injected pattern edge
// lies before the split at the largest share, so that the ground truth
// describes the bulk part.
func TestSplitKeepsPatternsInTheBulk(t *testing.T) {
	g, err := New(Config{Seed: 11, Scale: 0.01, Patterns: PatternCounts{20, 20, 20, 20, 20, 20, 20}})
	if err != nil {
		t.Fatal(err)
	}
	start := updateStart(MaxUpdateShare)
	n := 0
	for _, j := range g.jobs {
		if !j.plan {
			continue
		}
		b := g.generate(j)
		for i := range b.Len() {
			n++
			if ts, _ := b.Time(i); ts >= start {
				t.Errorf("pattern %s edge at %d, after the split %d", b.Label, ts, start)
			}
		}
	}
	if n == 0 {
		t.Fatal("no pattern edge")
	}
}

// TestUpdateShareValidation checks the bounds of Config.UpdateShare and
// that the default configuration does not record it (datasets and
// fingerprints without a split are unchanged).
func TestUpdateShareValidation(t *testing.T) {
	for _, tc := range []struct {
		share float64
		ok    bool
	}{{0, true}, {0.03, true}, {MaxUpdateShare, true}, {-0.01, false}, {0.3, false}} {
		err := Config{UpdateShare: tc.share}.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("UpdateShare %v: %v, want ok=%v", tc.share, err, tc.ok)
		}
	}
	g, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if us, err := g.Updates(context.Background()); err != nil || us != nil {
		t.Errorf("Updates without a split: %d, %v", len(us), err)
	}
	j, err := json.Marshal(g.Config())
	if err != nil || strings.Contains(string(j), "updateShare") {
		t.Errorf("default configuration %s (%v) records updateShare", j, err)
	}
}
