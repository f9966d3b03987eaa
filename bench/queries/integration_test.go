package queries_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/queries"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
)

// privatePort is this package's own server (fresh, in-memory): the test
// loads a small graph into it.
const privatePort = 8198

// smallConfig is the graph the integration test loads: small enough to load
// in seconds, with a few instances of every pattern.
func smallConfig() banking.Config {
	return banking.Config{Seed: 5, Scale: 0.002, Patterns: banking.PatternCounts{
		TransferCycles: 3, MuleChains: 3, Structuring: 3, FraudRings: 3,
		BlockedMediumChains: 3, FanInWithdraws: 3, GuaranteeChains: 3}}
}

// loadedGraph returns a client to a server holding cfg's data and the data
// index. With GRAPHPERF_QUERIES_LOADED=1 it uses the server at
// GRAPHPERF_HOSTS, which must already hold the default scale-0.01 seed-42
// graph (`graphperf load`); otherwise it starts a private server and loads a
// small graph into it.
func loadedGraph(t *testing.T) (*client.Client, *queries.Data) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test")
	}
	ctx := context.Background()
	cfg := smallConfig()
	var hosts []string
	preloaded := os.Getenv("GRAPHPERF_QUERIES_LOADED") == "1"
	if preloaded {
		hosts = testenv.RequireServer(t)
		cfg = banking.Config{Seed: 42, Scale: 0.01, Patterns: banking.DefaultPatterns()}
	} else {
		hosts = testserver.Start(t, privatePort, testserver.InMemory).Hosts()
	}
	cl, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	g, err := banking.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := queries.Collect(ctx, g.GroundTruth(), g.Run)
	if err != nil {
		t.Fatal(err)
	}
	if !preloaded {
		if err := queries.CheckLoaded(ctx, cl, d.ElementCounts()); !errors.As(err, new(*queries.EmptyGraphError)) {
			t.Fatalf("CheckLoaded on a fresh server = %v, want *EmptyGraphError", err)
		}
		if _, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{}); err != nil {
			t.Fatal(err)
		}
		src, err := loader.GeneratorSource(ctx, cfg)
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
	}
	if err := queries.CheckLoaded(ctx, cl, d.ElementCounts()); err != nil {
		t.Fatal(err)
	}
	return cl, d
}

// Every query returns the correct answer for every curated parameter, and a
// deliberately wrong expectation (another parameter's answer) is rejected.
func TestIntegrationCatalogueAnswers(t *testing.T) {
	cl, d := loadedGraph(t)
	ctx := context.Background()
	for _, q := range queries.Catalogue() {
		t.Run(q.Name, func(t *testing.T) {
			cases, err := q.Cases(d, queries.Config{Params: 5})
			if err != nil {
				t.Fatal(err)
			}
			answers := make([][]any, len(cases))
			for i, c := range cases {
				start := time.Now()
				res, err := cl.Submit(ctx, q.Script, c.Bindings)
				if err != nil {
					t.Fatalf("param %d %s: %v", i, c.Param(), err)
				}
				if err := queries.Verify(q, c, res); err != nil {
					t.Errorf("param %d: %v", i, err)
				}
				answers[i] = res
				t.Logf("param %d %s: %d items in %v", i, c.Param(), len(res), time.Since(start).Round(time.Microsecond))
			}
			// The check is not vacuous: an empty answer fails it, and so
			// does another parameter's answer (when answers differ).
			if err := queries.Verify(q, cases[0], nil); err == nil {
				t.Errorf("an empty answer passed the check of %s", cases[0].Param())
			}
			for i := 1; i < len(cases); i++ {
				if !sameAnswer(answers[0], answers[i]) && cases[0].Check(answers[i]) == nil {
					t.Errorf("param 0's check accepted param %d's different answer", i)
				}
			}
		})
	}
}

// sameAnswer is a coarse equality of two answers (their printed form).
func sameAnswer(a, b []any) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}
