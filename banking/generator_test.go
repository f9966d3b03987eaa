package banking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"testing"
)

// graph is a whole generated graph, collected for structural checks.
type graph struct {
	g       *Generator
	batches []*Batch
	byLabel [NumLabels][]*Batch
}

func collect(t testing.TB, cfg Config) *graph {
	t.Helper()
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := &graph{g: g}
	err = g.Run(context.Background(), func(b *Batch) error {
		out.batches = append(out.batches, b)
		out.byLabel[b.Label] = append(out.byLabel[b.Label], b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (gr *graph) count(l Label) int {
	n := 0
	for _, b := range gr.byLabel[l] {
		n += b.Len()
	}
	return n
}

func streamHash(t *testing.T, cfg Config) string {
	t.Helper()
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	var buf []byte
	err = g.Run(context.Background(), func(b *Batch) error {
		buf = b.AppendJSONL(buf[:0])
		h.Write([]byte(b.Label.String()))
		h.Write(buf)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDeterministicWhateverTheWorkers(t *testing.T) {
	base := Config{Seed: 42, Scale: 0.01, Patterns: DefaultPatterns()}
	hashes := map[int]string{}
	for _, workers := range []int{1, 2, 8} {
		cfg := base
		cfg.Workers = workers
		hashes[workers] = streamHash(t, cfg)
	}
	if hashes[1] != hashes[2] || hashes[1] != hashes[8] {
		t.Fatalf("stream differs by worker count: %v", hashes)
	}
	other := base
	other.Seed = 43
	if h := streamHash(t, other); h == hashes[1] {
		t.Fatalf("seed 43 produced the same stream as seed 42")
	}
}

func TestCountsAtScale001MatchFinBench(t *testing.T) {
	gr := collect(t, Config{Seed: 42, Scale: 0.01, Patterns: DefaultPatterns()})
	var vertices, edges int
	for l := range Label(NumLabels) {
		if n := gr.count(l); l.Kind() == VertexKind {
			vertices += n
		} else {
			edges += n
		}
	}
	tests := []struct {
		name      string
		got, want int
	}{
		{"vertices", vertices, 6400},
		{"edges", edges, 62000},
	}
	for _, tc := range tests {
		if math.Abs(float64(tc.got-tc.want)) > 0.1*float64(tc.want) {
			t.Errorf("%s = %d, want %d ±10%%", tc.name, tc.got, tc.want)
		}
	}
	if s := gr.g.Sizes(); gr.count(Account) != s.Accounts || gr.count(Person) != s.Persons {
		t.Errorf("emitted counts differ from Sizes %+v", s)
	}
}

func TestDistributions(t *testing.T) {
	gr := collect(t, Config{Seed: 7, Scale: 0.01, Patterns: DefaultPatterns()})
	g := gr.g
	// ~5% blocked accounts and media.
	var blockedAcc, blockedMed, cards int
	for _, b := range gr.byLabel[Account] {
		for _, a := range b.Accounts {
			if a.IsBlocked {
				blockedAcc++
			}
			if a.Type == "card" {
				cards++
			}
		}
	}
	for _, b := range gr.byLabel[Medium] {
		for _, m := range b.Media {
			if m.IsBlocked {
				blockedMed++
			}
		}
	}
	frac := func(n, d int) float64 { return float64(n) / float64(d) }
	if f := frac(blockedAcc, g.Sizes().Accounts); f < 0.03 || f > 0.07 {
		t.Errorf("blocked accounts = %.3f, want ≈0.05", f)
	}
	if f := frac(blockedMed, g.Sizes().Media); f < 0.03 || f > 0.07 {
		t.Errorf("blocked media = %.3f, want ≈0.05", f)
	}
	if cards == 0 {
		t.Errorf("no card accounts")
	}
	// Owners own 1–5 accounts; every account has exactly one owner.
	perOwner := map[int64]int{}
	owned := map[int64]int{}
	for _, b := range gr.byLabel[Own] {
		for _, e := range b.Times {
			perOwner[e.From]++
			owned[e.To]++
		}
	}
	for o, n := range perOwner {
		if n < 1 || n > 5 {
			t.Errorf("owner %d owns %d accounts, want 1–5", o, n)
		}
	}
	if len(owned) != g.Sizes().Accounts {
		t.Errorf("%d accounts owned, want %d", len(owned), g.Sizes().Accounts)
	}
	// The declared multiplicities hold: ONE2MANY (one incoming edge per
	// vertex) and MANY2ONE (one outgoing edge per vertex).
	for _, tc := range []struct {
		label Label
		in    bool
		want  int
	}{{Own, true, g.Sizes().Accounts}, {Apply, true, g.Sizes().Loans}, {LivesAt, false, g.Sizes().Persons}, {RegisteredAt, false, g.Sizes().Companies}} {
		if m := tc.label.Info().Multiplicity; (tc.in && m != "ONE2MANY") || (!tc.in && m != "MANY2ONE") {
			t.Errorf("%s declared %s", tc.label, m)
		}
		per := map[int64]int{}
		for _, b := range gr.byLabel[tc.label] {
			for _, e := range b.Times {
				if tc.in {
					per[e.To]++
				} else {
					per[e.From]++
				}
			}
			for _, e := range b.Notes {
				per[e.To]++
			}
		}
		if len(per) != tc.want {
			t.Errorf("%s: %d distinct endpoints, want %d", tc.label, len(per), tc.want)
		}
		for id, n := range per {
			if n != 1 {
				t.Errorf("%s: %d has %d edges, multiplicity allows 1", tc.label, id, n)
				break
			}
		}
	}
	// Ordinary transfers: 1–100 per pair, power-law out-degree.
	type pair struct{ a, b int64 }
	perPair := map[pair]int{}
	outDeg := map[int64]int{}
	for _, b := range gr.byLabel[Transfer] {
		for _, e := range b.Transfers {
			if e.From == e.To {
				t.Fatalf("self transfer on %d", e.From)
			}
			perPair[pair{e.From, e.To}]++
			outDeg[e.From]++
		}
	}
	maxPair, repeated := 0, 0
	for _, n := range perPair {
		maxPair = max(maxPair, n)
		if n > 1 {
			repeated++
		}
	}
	if maxPair > 101 || repeated == 0 {
		t.Errorf("transfers per pair: max %d, %d repeated pairs; want 1–100 with repeats", maxPair, repeated)
	}
	degs := make([]int, 0, len(outDeg))
	for _, d := range outDeg {
		degs = append(degs, d)
	}
	slices.Sort(degs)
	median, top := degs[len(degs)/2], degs[len(degs)-1]
	if top < 10*median {
		t.Errorf("out-degree not heavy-tailed: median %d, max %d", median, top)
	}
	// ≤4 distinct accounts per ordinary medium.
	perMedium := map[int64]map[int64]bool{}
	for _, b := range gr.byLabel[SignIn] {
		if b.Partition == len(gr.byLabel[SignIn])-1 {
			continue // injected sign-ins
		}
		for _, e := range b.Notes {
			if perMedium[e.From] == nil {
				perMedium[e.From] = map[int64]bool{}
			}
			perMedium[e.From][e.To] = true
		}
	}
	for m, accs := range perMedium {
		if len(accs) > 4 {
			t.Errorf("medium %d signs in to %d accounts, want ≤4", m, len(accs))
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"negative scale", Config{Scale: -1}, "Scale"},
		{"NaN scale", Config{Scale: math.NaN()}, "Scale"},
		{"unknown locale", Config{Locale: "xx"}, "Locale"},
		{"negative cycles", Config{Patterns: PatternCounts{TransferCycles: -1}}, "Patterns.TransferCycles"},
		{"negative guarantee chains", Config{Patterns: PatternCounts{GuaranteeChains: -2}}, "Patterns.GuaranteeChains"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("New(%+v) = %v, want ConfigError on %s", tc.cfg, err, tc.field)
			}
		})
	}
	if _, err := New(Config{Scale: 0.0001, Patterns: PatternCounts{MuleChains: 500}}); !errors.Is(err, ErrTooManyPatterns) {
		t.Fatalf("500 mule chains at scale 0.0001: err = %v, want ErrTooManyPatterns", err)
	}
}

func TestRunStopsOnEmitError(t *testing.T) {
	g, err := New(Config{Seed: 1, Scale: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	calls := 0
	err = g.Run(context.Background(), func(*Batch) error {
		calls++
		if calls == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls != 3 {
		t.Fatalf("Run = %v after %d calls, want boom after 3", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.Run(ctx, func(*Batch) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with cancelled ctx = %v", err)
	}
}

func TestEmissionOrderVerticesFirst(t *testing.T) {
	g, err := New(Config{Seed: 3, Scale: 0.01, Patterns: DefaultPatterns()})
	if err != nil {
		t.Fatal(err)
	}
	labels := g.BatchLabels()
	if !slices.IsSorted(labels) {
		t.Fatalf("batch labels not in label order: %v", labels)
	}
	if len(labels) != g.Batches() || labels[0] != Person || labels[len(labels)-1] != RegisteredAt {
		t.Fatalf("unexpected batch layout: %d batches, first %v last %v", len(labels), labels[0], labels[len(labels)-1])
	}
}
