package txn

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/loader"
)

// Restorer returns a Config.Reset that empties the graph, applies the
// schema and loads d's bulk part again (a [loader.Job]) with cfg (its StateDir holds the journal; each
// call starts a new one), so that every run starts from the same graph.
func Restorer(sub loader.Submitter, d *dataset.Data, cfg loader.Config) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		src, err := loader.FromData(ctx, d)
		if err != nil {
			return err
		}
		c := cfg
		c.Reset = true
		// The one load sequence: empty the graph, apply the schema (a
		// brand-new server has none), load.
		job := loader.Job{Config: c, Drop: true}
		if _, err := job.Run(ctx, sub, src); err != nil {
			return fmt.Errorf("restoring the bulk part: %w", err)
		}
		return nil
	}
}
