package querybench_test

import (
	"context"
	"fmt"
	"os"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/querybench"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
)

// Run two queries against a server holding `graphperf load --scale 0.01
// --seed 42`, as an A/A experiment, and print the comparison of the halves.
func Example() {
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	data, err := dataset.Source{Config: banking.Config{Seed: 42, Scale: 0.01, Patterns: banking.DefaultPatterns()}}.Open(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, err := querybench.NewDataset(ctx, data, "--scale 0.01 --seed 42")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := querybench.Run(ctx, cl, ds, querybench.Config{
		Queries:  []string{"account-lookup", "mule-chain"},
		Sampling: sampler.Config{MinRounds: 20},
		AB:       true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := compare.Compare(res.A, res.Run, compare.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = report.WriteCompareTable(os.Stdout, rep)
}

// NewSlowdown proves that a regression is caught: the B half of an A/B
// run spins on the server for 25% of account-lookup's own cost.
func ExampleNewSlowdown() {
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	waits, _ := querybench.ParseWaits("account-lookup=25%")
	ref, slow := querybench.NewSlowdown(cl, waits)
	data, err := dataset.Source{Config: banking.Config{Seed: 42, Scale: 0.01, Patterns: banking.DefaultPatterns()}}.Open(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, err := querybench.NewDataset(ctx, data, "--scale 0.01 --seed 42")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := querybench.Run(ctx, ref, ds,
		querybench.Config{Queries: []string{"account-lookup"}, AB: true, B: slow})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, _ := compare.Compare(res.A, res.Run, compare.Config{})
	fmt.Println(rep.Results[0].Verdict)
}
