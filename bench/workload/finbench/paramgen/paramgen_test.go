package paramgen

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
)

// bulk returns the batches of a small split dataset's bulk part.
func bulk(t *testing.T) []*banking.Batch {
	t.Helper()
	g, err := banking.New(banking.Config{Seed: 4, Scale: 0.005, Patterns: banking.PatternCounts{TransferCycles: 3, MuleChains: 3, Structuring: 3, FraudRings: 3, BlockedMediumChains: 3, FanInWithdraws: 3, GuaranteeChains: 3}, UpdateShare: 0.03})
	if err != nil {
		t.Fatal(err)
	}
	var bs []*banking.Batch
	if err := g.Run(context.Background(), func(b *banking.Batch) error { bs = append(bs, b); return nil }); err != nil {
		t.Fatal(err)
	}
	return bs
}

func graphOf(bs []*banking.Batch) *oracle.Graph {
	g := oracle.New()
	for _, b := range bs {
		g.Add(b)
	}
	return g
}

// TestCurateDeterministic checks that the parameters are a pure function
// of the data and the seed (not of the order the graph was built in), that
// they survive a JSON round trip (they are stored with runs), and that
// another seed reorders them.
func TestCurateDeterministic(t *testing.T) {
	bs := bulk(t)
	p1, err := Curate(graphOf(bs), Config{Seed: 1, PerType: 20})
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(bs)
	slices.Reverse(rev)
	p2, err := Curate(graphOf(rev), Config{Seed: 1, PerType: 20})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p1, p2) {
		t.Error("the same data built in another order gave other parameters")
	}
	raw, err := json.Marshal(p1)
	if err != nil {
		t.Fatal(err)
	}
	var back Params
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, p1) {
		t.Error("parameters changed in a JSON round trip")
	}
	p3, err := Curate(graphOf(bs), Config{Seed: 2, PerType: 20})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(p1.TSR1, p3.TSR1) {
		t.Error("seeds 1 and 2 gave the same TSR1 order")
	}
	if !reflect.DeepEqual(sortedIDs(p1.TSR1), sortedIDs(p3.TSR1)) {
		t.Error("seeds 1 and 2 curated different accounts: the seed must only reorder")
	}
}

func sortedIDs(ps []finbench.TSR1Params) []int64 {
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestCurateComparableNeighbourhoods checks that curated accounts have
// neighbourhood sizes from the middle of the distribution (no hub, no
// isolated account), the default truncation, and writes that create fresh
// ids and remove no curated start vertex.
func TestCurateComparableNeighbourhoods(t *testing.T) {
	g := graphOf(bulk(t))
	const n = 20
	p, err := Curate(g, Config{PerType: n})
	if err != nil {
		t.Fatal(err)
	}
	var all []int
	for _, id := range g.IDs(banking.Account) {
		if d := transferDegree(g, id); d > 0 {
			all = append(all, d)
		}
	}
	slices.Sort(all)
	q1, q3 := all[len(all)/4], all[3*len(all)/4]
	if len(p.TSR1) != n || len(p.TCR1) != n || len(p.TCR2) != n {
		t.Fatalf("%d TSR1, %d TCR1, %d TCR2, want %d each", len(p.TSR1), len(p.TCR1), len(p.TCR2), n)
	}
	for _, x := range p.TCR1 {
		if d := transferDegree(g, x.ID); d < q1 || d > q3 {
			t.Errorf("TCR1 account %d has %d transfers, outside the quartiles [%d, %d]", x.ID, d, q1, q3)
		}
		if x.EffectiveLimit() != 500 || x.Order != finbench.TimestampDescending {
			t.Errorf("TCR1 truncation %+v, want 500 newest", x.Truncation)
		}
		if !x.Window.In(banking.SpanStart) || !x.Window.In(banking.SpanEnd-1) {
			t.Errorf("window %+v does not cover the span", x.Window)
		}
	}
	for _, x := range p.TCR4 {
		found := false
		for _, e := range g.Out(banking.Transfer, acc(x.ID1)) {
			found = found || e.To.ID == x.ID2
		}
		if !found {
			t.Errorf("TCR4 %d -> %d is not a transfer of the data", x.ID1, x.ID2)
		}
	}
	for name, n := range map[string]int{"TCR6": len(p.TCR6), "TCR8": len(p.TCR8), "TCR10": len(p.TCR10), "TCR11": len(p.TCR11),
		"TW5": len(p.TW5), "TW17": len(p.TW17), "TRW3": len(p.TRW3)} {
		if n == 0 {
			t.Errorf("no %s parameters", name)
		}
	}
	for _, x := range p.TW1 {
		if g.Person(x.ID) != nil {
			t.Errorf("TW1 person %d exists already", x.ID)
		}
	}
	for _, x := range p.TW4 {
		if g.Account(x.Account.ID) != nil {
			t.Errorf("TW4 account %d exists already", x.Account.ID)
		}
	}
	curated := map[int64]bool{}
	for _, x := range p.TSR1 {
		curated[x.ID] = true
	}
	for _, x := range p.TW17 {
		if curated[x.AccountID] || g.Account(x.AccountID) == nil {
			t.Errorf("TW17 removes account %d: curated for reads or missing", x.AccountID)
		}
	}
}

func TestCurateErrors(t *testing.T) {
	if _, err := Curate(oracle.New(), Config{}); !errors.Is(err, ErrNoCandidates) {
		t.Errorf("empty graph: %v, want ErrNoCandidates", err)
	}
	if _, err := Curate(oracle.New(), Config{PerType: -1}); err == nil {
		t.Error("negative PerType accepted")
	}
}
