package main

// The dataset flags, declared once: a command that reads data adds
// sourceFlags(true) to its flags, reads them with readSource and opens the
// data with openData; describeSource prints them back for advice.

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/internal/usage"
)

// maxScale bounds --scale (banking.Config.Validate's limit).
const maxScale = 1000

// sourceFlags returns the flags that select data: --scale, --seed and one
// count flag per injected pattern, plus --from DIR when from is true.
func sourceFlags(from bool) []cli.Flag {
	flags := []cli.Flag{
		&cli.Float64Flag{Name: "scale", Value: 0.01, Usage: "generate this size: 0.01 ≈ 6.4k vertices / 62k edges, 1 ≈ 640k / 6.1M (FinBench-like); at most 1000"},
		&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "generator seed: the same seed and flags give the same data"},
		&cli.Float64Flag{Name: "update-share", Usage: "split the data by time: the last `SHARE` of the span (FinBench: 0.03) is the update stream of `graphperf workload`, the rest the bulk part that is loaded; 0 is no split"},
	}
	if from {
		flags = append(flags, &cli.StringFlag{Name: "from", Usage: "read the dataset `DIR` written by `graphperf generate` (checked against its manifest) instead of generating; exclusive with --scale, --seed and the pattern counts"})
	}
	def := banking.DefaultPatterns()
	for _, f := range def.Fields() {
		flags = append(flags, &cli.IntFlag{Name: f.Name, Value: *f.Count, Usage: "number of injected " + f.Description})
	}
	return flags
}

// readSource returns the data the flags of sourceFlags select, checked:
// --from excludes the generator flags, counts are bounded.
func readSource(c *cli.Context) (dataset.Source, error) {
	var src dataset.Source
	if dir := c.String("from"); dir != "" {
		var p banking.PatternCounts
		for _, f := range append([]banking.PatternField{{Name: "scale"}, {Name: "seed"}, {Name: "update-share"}}, p.Fields()...) {
			if c.IsSet(f.Name) {
				return src, usageErrorf("--from and --%s are exclusive: read a directory or generate, not both", f.Name)
			}
		}
		return dataset.Source{Dir: dir}, nil
	}
	src.Config = banking.Config{Seed: c.Uint64("seed"), Scale: c.Float64("scale"), UpdateShare: c.Float64("update-share")}
	if s := src.Config.UpdateShare; !(s >= 0 && s <= banking.MaxUpdateShare) {
		return src, usageErrorf("--update-share must be between 0 and %g, got %v", banking.MaxUpdateShare, s)
	}
	if s := src.Config.Scale; !(s > 0) || s > maxScale {
		return src, usageErrorf("--scale must be > 0 and ≤ %d, got %v", maxScale, s)
	}
	for _, f := range src.Config.Patterns.Fields() {
		if *f.Count = c.Int(f.Name); *f.Count < 0 || *f.Count > banking.MaxPatternCount {
			return src, usageErrorf("--%s must be between 0 and %d, got %d", f.Name, banking.MaxPatternCount, *f.Count)
		}
	}
	return src, nil
}

// describeSource returns the flags that select src again: "--from DIR",
// or "--scale 0.01 --seed 42" plus the pattern counts that differ from the
// defaults.
func describeSource(src dataset.Source) string {
	if src.Dir != "" {
		return "--from " + usage.Quote(src.Dir)
	}
	s := fmt.Sprintf("--scale %g --seed %d", src.Config.Scale, src.Config.Seed)
	if src.Config.UpdateShare > 0 {
		s += fmt.Sprintf(" --update-share %g", src.Config.UpdateShare)
	}
	def := banking.DefaultPatterns()
	defs := def.Fields()
	for i, f := range src.Config.Patterns.Fields() {
		if *f.Count != *defs[i].Count {
			s += fmt.Sprintf(" --%s %d", f.Name, *f.Count)
		}
	}
	return s
}

// openData opens src and checks a directory against its manifest; with
// est, it also refuses data whose estimated memory exceeds the available
// memory, unless --no-space-check.
func openData(c *cli.Context, src dataset.Source, est func(banking.Config) dataset.Estimate) (*dataset.Data, error) {
	d, err := src.Open(c.Context)
	if err == nil {
		err = d.Verify(c.Context)
	}
	// A --from directory that cannot be used (missing, not a dataset,
	// damaged) is a usage error found before any work, like a missing
	// --compare baseline; cancellation stays what it is.
	if err != nil && src.Dir != "" && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return nil, usageErrorf("--from %s: %v", src.Dir, err)
	} else if err != nil {
		return nil, sourceError(src, err)
	}
	if est == nil || c.Bool("no-space-check") {
		return d, nil
	}
	if err := est(d.Config).CheckMemory(); errors.As(err, new(*dataset.ResourceError)) {
		what := fmt.Sprintf("--scale %g", d.Config.Scale)
		if src.Dir != "" {
			what = fmt.Sprintf("--from %s (scale %g)", src.Dir, d.Config.Scale)
		}
		return nil, usageErrorf("%s: %v (pass --no-space-check to try anyway)", what, err)
	}
	return d, nil
}

// noSpaceCheckFlag is generate's flag, shared by the commands that check
// the memory the data needs before starting.
func noSpaceCheckFlag() cli.Flag {
	return &cli.BoolFlag{Name: "no-space-check", Usage: "run even when the estimated memory for the data exceeds what is available"}
}

// sourceError names the --from directory in an error reading src's data.
func sourceError(src dataset.Source, err error) error {
	if src.Dir != "" {
		return fmt.Errorf("--from %s: %w", src.Dir, err)
	}
	return err
}
