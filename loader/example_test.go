package loader_test

import (
	"context"
	"fmt"
	"log"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

// Load a generated banking graph into the JanusGraph at 127.0.0.1:8182,
// resumably: the journal in StateDir records every committed batch, so
// that running the same load again with Config.Resume finishes an
// interrupted one with nothing lost or duplicated. A dataset directory
// loads the same way with dataset.Source{Dir: "data/sf001"}.
func ExampleLoader_Load() {
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		log.Fatal(err)
	}
	defer cl.Close()
	if _, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{}); err != nil {
		log.Fatal(err)
	}
	data, err := dataset.Source{Config: banking.Config{Seed: 42, Scale: 0.001}}.Open(ctx)
	if err != nil {
		log.Fatal(err)
	}
	src, err := loader.FromData(ctx, data)
	if err != nil {
		log.Fatal(err)
	}
	l, err := loader.New(cl, loader.Config{StateDir: ".graphperf/example-load", Workers: 4})
	if err != nil {
		log.Fatal(err)
	}
	rep, err := l.Load(ctx, src)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("loaded %d vertices and %d edges of %s\n", rep.Vertices, rep.Edges, src.Name)
}
