package cqltest

import (
	"context"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

func newClient(t *testing.T, hosts []string) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 3 * time.Minute,
		Retry: client.RetryPolicy{MaxAttempts: 2, BaseDelay: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// smallSource is a banking graph of a few thousand elements with every
// pattern kind, so that Verify has ground truth to check.
func smallSource(t *testing.T, seed uint64) *loader.Source {
	t.Helper()
	src, err := loader.GeneratorSource(context.Background(), banking.Config{Seed: seed, Scale: 0.004,
		Patterns: banking.PatternCounts{TransferCycles: 3, MuleChains: 3, FanInWithdraws: 2, GuaranteeChains: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func applySchema(t *testing.T, ctx context.Context, cl *client.Client) *schema.Result {
	t.Helper()
	res, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// verifyExact checks the graph against src: exact counts per label, every
// ground-truth pattern edge, and the sampled properties.
func verifyExact(t *testing.T, ctx context.Context, cl *client.Client, src *loader.Source, sample *loader.Sample) {
	t.Helper()
	vr, err := loader.Verify(ctx, cl, src, sample)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	t.Logf("verified %d labels, %d pattern edges, %d sampled elements", len(vr.Counts), vr.Patterns, vr.Sampled)
}

// resumeNoop resumes a finished load: it must load nothing and skip everything.
func resumeNoop(t *testing.T, ctx context.Context, cl *client.Client, cfg loader.Config, src *loader.Source) {
	t.Helper()
	cfg.Resume, cfg.Progress = true, nil
	l, err := loader.New(cl, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := l.Load(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Vertices+rep.Edges != 0 || rep.SkippedVertices+rep.SkippedEdges != src.Total() {
		t.Errorf("a second resume loaded %d elements and skipped %d, want 0 and %d", rep.Vertices+rep.Edges,
			rep.SkippedVertices+rep.SkippedEdges, src.Total())
	}
}

// waitStorage waits until the Gremlin servers behind cl read from Cassandra
// again: after Cassandra restarts, JanusGraph's CQL driver reconnects on its
// own schedule (exponential, up to a minute between attempts), and until
// then every query fails with NoNodeAvailableException.
func waitStorage(t *testing.T, ctx context.Context, cl *client.Client) {
	t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for {
		_, err := cl.Submit(ctx, `g.V().limit(1).count()`, nil)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("JanusGraph does not read from Cassandra 4 minutes after its restart: %v", err)
		}
		time.Sleep(time.Second)
	}
}
