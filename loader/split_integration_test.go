package loader_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/loader"
)

// TestIntegrationLoadSplitBulkVerify loads a split dataset directory
// (FinBench's 97/3 split) and checks that exactly its bulk part is in the
// graph: Verify passes (counts, pattern edges, samples) and no edge of the
// update stream's time range was loaded.
func TestIntegrationLoadSplitBulkVerify(t *testing.T) {
	srv := sharedMem(t)
	ctx := context.Background()
	cl := newClient(t, srv.Hosts())
	prepareGraph(t, ctx, cl)
	dir := filepath.Join(t.TempDir(), "split")
	cfg := banking.Config{Seed: 9, Scale: 0.005, Patterns: banking.DefaultPatterns(), UpdateShare: banking.FinBenchUpdateShare}
	g, err := banking.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := dataset.Write(ctx, dir, g, dataset.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Source{Dir: dir}.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src, err := loader.FromData(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	var nUpd int64
	for _, n := range m.UpdateCounts {
		nUpd += n
	}
	if nUpd == 0 || src.Total() != m.Vertices+m.Edges {
		t.Fatalf("source has %d elements, manifest bulk %d (updates %d)", src.Total(), m.Vertices+m.Edges, nUpd)
	}
	l, err := loader.New(cl, loader.Config{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := l.Load(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Vertices+rep.Edges != src.Total() {
		t.Fatalf("loaded %d elements, bulk part has %d", rep.Vertices+rep.Edges, src.Total())
	}
	vr, err := loader.Verify(ctx, cl, src, rep.Sample)
	if err != nil {
		t.Fatal(err)
	}
	if vr.Patterns == 0 || vr.Sampled == 0 {
		t.Fatalf("verify checked %d pattern edges and %d samples", vr.Patterns, vr.Sampled)
	}
	res, err := cl.Submit(ctx, `g.E().has('timestamp', gte(t0)).count()`, map[string]any{"t0": m.UpdateStart})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := client.Result(res).Int64(); n != 0 {
		t.Errorf("%d edges at or after the split time %d: the update stream was loaded", n, m.UpdateStart)
	}
}
