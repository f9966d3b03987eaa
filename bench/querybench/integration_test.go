package querybench_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/querybench"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
)

// privatePort is this package's own server: the test kills it.
const privatePort = 8204

// smallSpec is the graph the test loads: a few instances of every pattern.
var smallSpec = dataset.Source{Config: banking.Config{Seed: 5, Scale: 0.002, Patterns: banking.PatternCounts{
	TransferCycles: 3, MuleChains: 3, Structuring: 3, FraudRings: 3,
	BlockedMediumChains: 3, FanInWithdraws: 3, GuaranteeChains: 3}}}

// On the real server: an A/B run whose B half is slowed by the Slowdown
// decorator measures the slowed calls; then a server killed during a run
// ends it with the lost connection as the cause.
func TestIntegrationRun(t *testing.T) {
	srv := testserver.Start(t, privatePort, testserver.InMemory)
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: srv.Hosts(), RequestTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	data, err := smallSpec.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := querybench.NewDataset(ctx, data, "small")
	if err != nil {
		t.Fatal(err)
	}

	// An empty graph is refused before anything runs.
	_, err = querybench.Run(ctx, cl, ds, querybench.Config{})
	var ig *querybench.IncompleteGraphError
	if !errors.As(err, &ig) || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty graph: %v", err)
	}
	src, err := loader.FromData(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	l, err := loader.New(cl, loader.Config{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(ctx, src); err != nil {
		t.Fatal(err)
	}

	ref, slow := querybench.NewSlowdown(cl, map[string]querybench.Wait{"account-lookup": {Fixed: 20 * time.Millisecond}})
	cfg := querybench.Config{
		Queries:  []string{"account-lookup", "guarantee-chain"},
		Sampling: sampler.Config{MinRounds: 10, Warmup: 1, MinTime: -1},
		AB:       true, ABNames: [2]string{"A", "B"}, B: slow, Driver: "graphperf", Hosts: srv.Hosts(),
	}
	res, err := querybench.Run(ctx, ref, ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.A == nil || res.A.Name != "A" || res.Run.Name != "B" || len(res.Run.Operations) != 2 {
		t.Fatalf("A/B result: %+v", res)
	}
	// The spin ends only when the server's clock passed the wait, so every
	// slowed call takes at least that long, whatever the machine's load;
	// whether a comparison flags it is compare's business (and the A/A
	// experiment's).
	for _, op := range res.Run.Operations {
		if op.Name != "account-lookup" {
			continue
		}
		if m := slices.Min(op.Samples); m < 0.020 {
			t.Errorf("a slowed account-lookup call took %.1fms, less than the 20ms wait", m*1000)
		}
		if len(op.Samples) < 10 || len(res.A.Operation("account-lookup").Samples) < 10 {
			t.Errorf("samples: B %d, A %d; want at least 10 each", len(op.Samples), len(res.A.Operation("account-lookup").Samples))
		}
	}
	if _, err := compare.Compare(res.A, res.Run, compare.Config{}); err != nil {
		t.Fatal(err)
	}

	// kill -9 during the run (as the query starts: Log is called on the
	// test's goroutine): the run ends with the cause, not after every
	// remaining call failed.
	var once sync.Once
	cfg = querybench.Config{
		Queries:  []string{"account-lookup"},
		Sampling: sampler.Config{MinRounds: 1_000_000, Warmup: -1, MinTime: -1, MaxRounds: 1_000_000},
		Log: func(s string) {
			if strings.Contains(s, "[1/1]") {
				once.Do(srv.Kill)
			}
		},
	}
	start := time.Now()
	_, err = querybench.Run(ctx, cl, ds, cfg)
	t.Logf("the run ended %v after the kill: %v", time.Since(start), err)
	var lost *querybench.ConnectionLostError
	if !errors.As(err, &lost) || lost.Query != "account-lookup" {
		t.Fatalf("server killed during the run: %v, want a *ConnectionLostError", err)
	}
}
