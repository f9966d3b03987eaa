package loadbench_test

import (
	"context"
	"fmt"
	"os"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/loadbench"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

// Measure the loader against its references on a scratch server (the
// graph is dropped before every load) and print the table.
func Example() {
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	if _, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	src, err := loader.GeneratorSource(ctx, banking.Config{Seed: 1, Scale: 0.002})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := loadbench.Run(ctx, cl, src, loadbench.Config{Rounds: 5, NaivePerLabel: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = res.WriteText(os.Stdout)
	run := res.BaselineRun(loadbench.Config{Rounds: 5, NaivePerLabel: 10}, src.Fingerprint, src.Name)
	fmt.Println(len(run.Operations), "operations")
}
