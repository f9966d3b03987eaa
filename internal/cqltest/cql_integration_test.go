package cqltest

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
)

// cqlPort is this package's private single-node CQL server (Cassandra on
// cqlPort+1000 and +2000); see internal/testserver.
const cqlPort = 8199

// TestIntegrationCQL runs, on one JanusGraph over a real single-node
// Cassandra (starting one takes minutes here, so the steps share it, in
// order, without subtests: the server's helpers fail this test):
// schema apply, a load with verify, and a load that loses Cassandra midway
// and is resumed after Cassandra's restart.
func TestIntegrationCQL(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts Cassandra and JanusGraph")
	}
	srv := testserver.Start(t, cqlPort, testserver.CQL)
	ctx := context.Background()
	cl := newClient(t, srv.Hosts())
	if c, err := net.DialTimeout("tcp", srv.CassandraAddr(), 5*time.Second); err != nil {
		t.Fatalf("Cassandra does not answer on %s: %v", srv.CassandraAddr(), err)
	} else {
		c.Close()
	}

	{
		t.Log("step: schema apply")
		res := applySchema(t, ctx, cl)
		if !res.Changed() {
			t.Fatalf("a fresh keyspace took no schema change: %+v", res)
		}
		// The indexes are usable: JanusGraph's management system reports them ENABLED.
		out, err := cl.Submit(ctx, `mgmt = graph.openManagement()
try { mgmt.getGraphIndex('byAccountId').getIndexStatus(mgmt.getPropertyKey('accountId')).toString() } finally { mgmt.rollback() }`, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out[0] != "ENABLED" {
			t.Fatalf("index byAccountId status %v, want ENABLED", out)
		}
		// A second apply is a no-op.
		if res := applySchema(t, ctx, cl); res.Changed() {
			t.Errorf("second apply changed %v", res.Changes)
		}
	}

	{
		t.Log("step: load and verify")
		src := smallSource(t, 5)
		cfg := loader.Config{StateDir: t.TempDir()}
		l, err := loader.New(cl, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := l.Load(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("loaded %d vertices, %d edges in %v (%.0f el/s)", rep.Vertices, rep.Edges, rep.Elapsed, rep.ElementsPerSec)
		if rep.Vertices+rep.Edges != src.Total() {
			t.Fatalf("loaded %d elements, source has %d", rep.Vertices+rep.Edges, src.Total())
		}
		verifyExact(t, ctx, cl, src, rep.Sample)
		resumeNoop(t, ctx, cl, cfg, src)
	}

	// Cassandra stops (SIGTERM, all nodes) while edges load: the load fails
	// with an error, and a resume once Cassandra is back loads exactly what
	// is missing.
	{
		t.Log("step: Cassandra stopped mid-load, then --resume")
		if _, err := loader.Drop(ctx, cl, 5000); err != nil {
			t.Fatal(err)
		}
		src := smallSource(t, 13)
		var once sync.Once
		cfg := loader.Config{StateDir: t.TempDir(), BatchSize: 100, MaxAttempts: 3,
			BaseDelay: 200 * time.Millisecond, MaxDelay: time.Second, BatchTimeout: 2 * time.Minute}
		cfg.Progress = func(p loader.Progress) {
			// Blocks this batch's report until Cassandra is down: the
			// batches after it meet a stopped storage backend.
			if p.Phase == "edges" && p.Done > src.Total()/3 {
				once.Do(srv.StopCassandra)
			}
		}
		l, err := loader.New(cl, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := l.Load(ctx, src)
		if err == nil {
			t.Fatalf("the load survived Cassandra's stop without an error: %+v", rep)
		}
		t.Logf("load stopped as expected: %v", err)
		if msg := err.Error(); strings.Contains(msg, "\n") || msg == "" {
			t.Errorf("the error is not one clear line: %q", msg)
		}

		srv.StartCassandra()
		waitStorage(t, ctx, cl)
		cfg.Resume, cfg.Progress = true, nil
		l, err = loader.New(cl, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rep, err = l.Load(ctx, src)
		if err != nil {
			t.Fatalf("resume after Cassandra's restart: %v", err)
		}
		if rep.SkippedVertices == 0 || rep.Edges == 0 {
			t.Errorf("resume skipped %d vertices and loaded %d edges: it should continue, not restart", rep.SkippedVertices, rep.Edges)
		}
		verifyExact(t, ctx, cl, src, rep.Sample)
		resumeNoop(t, ctx, cl, cfg, src)
	}
}
