package txn

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

// Restorer returns a Config.Reset that empties the graph (loader.Drop),
// declares the schema (loader.Schema: a new server has none) and loads d's
// bulk part again with cfg (its StateDir holds the journal; each
// call starts a new one), so that every run starts from the same graph.
func Restorer(sub loader.Submitter, d *dataset.Data, cfg loader.Config) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if _, err := loader.Drop(ctx, sub, 0); err != nil {
			return fmt.Errorf("emptying the graph: %w", err)
		}
		if _, err := schema.Apply(ctx, sub, loader.Schema(), schema.Options{}); err != nil {
			return fmt.Errorf("declaring the schema: %w", err)
		}
		src, err := loader.FromData(ctx, d)
		if err != nil {
			return err
		}
		c := cfg
		c.Reset = true
		l, err := loader.New(sub, c)
		if err != nil {
			return err
		}
		if _, err := l.Load(ctx, src); err != nil {
			return fmt.Errorf("loading the bulk part: %w", err)
		}
		return nil
	}
}
