package results_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/results"
)

// A saved benchmark run becomes a results Run with a stable id: storing it
// with --store-graph and importing its file later give one run.
func ExampleFromBaseline() {
	b := &baseline.Run{FormatVersion: baseline.FormatVersion, Command: "query-bench",
		Started: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), Commit: "4bd6945c0ffee-dirty", Dataset: "banking-s0.01",
		Operations: []baseline.Operation{{Name: "account-lookup", Unit: stats.Latency(), Samples: []float64{0.0021, 0.0019, 0.0020}}}}
	r := results.FromBaseline(b)
	fmt.Println(r.ID, r.Kind, r.Status)
	fmt.Println(r.Commit.Hash, r.Dirty)
	fmt.Printf("%s: n=%d median=%.4f\n", r.Operations[0].Operation, r.Operations[0].Summary.N, r.Operations[0].Summary.Median)
	// Output:
	// 20261201T093000Z-e3c52c03 query-bench complete
	// 4bd6945c0ffee true
	// account-lookup: n=3 median=0.0020
}

// Store runs with their commits, then ask the graph which commit
// regressed an operation. (It needs a JanusGraph server on
// 127.0.0.1:8182.)
func ExampleGraph_FirstBad() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	g := results.New(c)
	// The commit DAG, e.g. from git: results.GitCommits(ctx, ".", 1000, "main").
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	commits := []results.Commit{
		{Hash: "c2", Time: day(3), Message: "cache off", Parents: []string{"c1"}},
		{Hash: "c1", Time: day(2), Message: "docs", Parents: []string{"c0"}},
		{Hash: "c0", Time: day(1), Message: "start"},
	}
	if err := g.StoreCommits(ctx, commits); err != nil {
		log.Fatal(err)
	}
	for i, median := range []float64{0.010, 0.010, 0.030} {
		samples := make([]float64, 20)
		for k := range samples {
			samples[k] = median * (1 + float64(k)/1000)
		}
		r := results.Run{ID: fmt.Sprintf("example-%d", i), Kind: results.KindQueryBench, Started: day(10 + i),
			Commit: commits[2-i], Branch: "main", Dataset: "example",
			Operations: []results.OperationResult{{Operation: "lookup", Unit: stats.Latency(), Samples: samples}}}
		if err := g.Store(ctx, r); err != nil {
			log.Fatal(err)
		}
	}
	bad, err := g.FirstBad(ctx, "lookup", "c0", "c2")
	if errors.Is(err, results.ErrNoRegression) {
		fmt.Println("no regression")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bad.Hash, bad.Message)
}

// Two stored runs compare with bench/compare's rule through Baseline.
func ExampleRun_Baseline() {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	run := func(id string, median float64) results.Run {
		samples := make([]float64, 20)
		for k := range samples {
			samples[k] = median * (1 + float64(k)/1000)
		}
		return results.Run{ID: id, Kind: results.KindQueryBench, Started: day, Dataset: "d",
			Operations: []results.OperationResult{{Operation: "lookup", Unit: stats.Latency(), Samples: samples}}}
	}
	a, b := run("a", 0.010), run("b", 0.020)
	rep, err := compare.Compare(a.Baseline(), b.Baseline(), compare.Config{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Results[0].Verdict, rep.Regressions)
	// Output:
	// slower [lookup]
}
