package main

import (
	"context"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

// This file keeps load-bench (loadbench.go) building on the old helpers
// until it reads its data through sourceFlags/readSource, dataset.Source
// and loader.FromData. Delete it then.

// loadSettings is load-bench's data selection: a directory or the
// generator.
type loadSettings struct {
	from string
	gen  banking.Config
}

// loadSource opens s's data, verified, as a loader source.
func loadSource(ctx context.Context, s *loadSettings) (*loader.Source, error) {
	d, err := openSource(ctx, dataset.Source{Dir: s.from, Config: s.gen})
	if err != nil {
		return nil, err
	}
	if err := d.Verify(ctx); err != nil {
		return nil, err
	}
	return loader.FromData(ctx, d)
}

// applySchema creates what the live schema lacks.
func applySchema(ctx context.Context, cl *client.Client) error {
	_, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{})
	return err
}
