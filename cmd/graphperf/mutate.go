package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/mutation"
	"github.com/graphperf/graphperf/mutation/graphstore"
	"github.com/graphperf/graphperf/mutation/report"
	"github.com/graphperf/graphperf/results"
)

func mutateReportFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Float64Flag{Name: "threshold", Usage: "exit 1 when the mutation score (percent) is under `PCT`"},
		&cli.StringFlag{Name: "json-report", Usage: "write the mutation-testing-elements JSON report (schemaVersion 2) to `FILE`"},
		&cli.StringFlag{Name: "html-report", Usage: "write a single-file offline HTML report to `FILE`"},
		&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON on stdout instead of text"},
	}
}

func mutateCommand() *cli.Command {
	return &cli.Command{
		Name:        "mutate",
		Usage:       "mutation-test Go packages: how good are their tests?",
		ArgsUsage:   "[PACKAGES] (default ./...)",
		Description: help("mutate"),
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "workers", Usage: "mutants tested at once (default: number of CPUs)"},
			&cli.StringFlag{Name: "diff", Usage: "mutate only lines changed since git revision `REF`"},
			&cli.StringFlag{Name: "shard", Usage: "test only shard `K/N` of the mutants (combine with `mutate merge`)"},
			&cli.BoolFlag{Name: "full-matrix", Usage: "run every covering test of every mutant to record every killer"},
			&cli.StringFlag{Name: "skip", Usage: "leave out the top-level tests matching `REGEXP` (e.g. a slow server-restart test)"},
			&cli.StringFlag{Name: "operators", Usage: "comma-separated operator `NAMES` (default all: " + operatorNames() + ")"},
			&cli.IntFlag{Name: "memory-limit", Value: 4096, Usage: "cap each test process's heap (RLIMIT_DATA) at `MIB`; 0 disables"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
			&cli.BoolFlag{Name: "store-graph", Usage: "store the results in JanusGraph (--hosts etc.): MutationRun, Mutant, Test, SourceFile vertices; prints the runId"},
		}, mutateReportFlags()...),
		Action: runMutate,
		Subcommands: []*cli.Command{{
			Name:      "merge",
			Usage:     "merge the JSON reports of `mutate --shard` runs into one report",
			ArgsUsage: "FILES...",
			Flags:     mutateReportFlags(),
			Action:    runMutateMerge,
		}},
	}
}

func operatorNames() string {
	var s []string
	for _, o := range mutation.Operators() {
		s = append(s, string(o))
	}
	return strings.Join(s, ",")
}

// mutateConfig builds the mutation configuration from the flags, checks it
// (mutation.Config.Validate) and checks every report path before the run
// starts. Library errors name their field; hint maps it to the flag.
func mutateConfig(c *cli.Context) (mutation.Config, error) {
	cfg := mutation.Config{Patterns: c.Args().Slice(), Workers: c.Int("workers"), DiffRef: c.String("diff"), FullMatrix: c.Bool("full-matrix")}
	workersErr := usageErrorf("--workers: expected 1 to %d, got %d", mutation.MaxWorkers, cfg.Workers)
	diffErr := usageErrorf("--diff %q: expected a git revision such as origin/main (revisions never start with '-')", cfg.DiffRef)
	switch {
	case c.IsSet("workers") && cfg.Workers == 0:
		return cfg, workersErr
	case c.IsSet("diff") && cfg.DiffRef == "":
		return cfg, diffErr
	}
	var err error
	if v := c.String("shard"); v != "" {
		if cfg.Shard, cfg.Shards, err = mutation.ParseShard(v); err != nil {
			return cfg, err
		}
	}
	if v := c.String("skip"); v != "" {
		if cfg.SkipTests, err = regexp.Compile(v); err != nil {
			return cfg, usageErrorf("--skip: invalid regular expression %q: %v", v, err)
		}
	}
	if cfg.Operators, err = mutation.ParseOperators(c.String("operators")); err != nil {
		return cfg, err
	}
	switch mib := c.Int("memory-limit"); {
	case mib < 0 || mib > 1<<30:
		return cfg, usageErrorf("--memory-limit: expected MiB from 0 to %d, got %d", 1<<30, mib)
	case mib == 0:
		cfg.MemoryLimit = -1
	default:
		cfg.MemoryLimit = int64(mib) << 20
	}
	var ce *mutation.ConfigError
	switch err := cfg.Validate(); {
	case errors.As(err, new(*mutation.RefError)):
		return cfg, diffErr
	case errors.As(err, &ce) && ce.Field == "Workers":
		return cfg, workersErr
	case err != nil:
		return cfg, err
	}
	return cfg, reportOptions(c).Validate()
}

// reportOptions maps the report flags to report.Options.
func reportOptions(c *cli.Context) report.Options {
	return report.Options{
		JSONFile: c.String("json-report"), HTMLFile: c.String("html-report"), Title: "graphperf mutate",
		Summary: c.App.Writer, SummaryJSON: c.Bool("json"),
		CheckThreshold: c.IsSet("threshold"), Threshold: c.Float64("threshold"),
	}
}

func runMutate(c *cli.Context) error {
	cfg, err := mutateConfig(c)
	if err != nil {
		return err
	}
	var cl *client.Client
	if c.Bool("store-graph") {
		// Connected before the run, so that a wrong --hosts fails now
		// rather than after every mutant was tested.
		if cl, err = newClient(c); err != nil {
			return fmt.Errorf("--store-graph: %w", err)
		}
		defer cl.Close()
	}
	finish := watchMutation(c, &cfg)
	run, err := mutation.Execute(c.Context, cfg)
	finish()
	if err != nil {
		return err
	}
	repErr := report.FromRun(run).WriteAll(reportOptions(c)) // a score under --threshold fails
	if c.Bool("store-graph") {
		// Stored even when the score is under --threshold: that run is the
		// one worth inspecting.
		if err := storeMutationGraph(c, cl, run); err != nil {
			return err
		}
	}
	return repErr
}

// watchMutation sets cfg's warnings, log and progress bar (unless --quiet)
// to go to stderr, and returns the function that ends the progress bar.
func watchMutation(c *cli.Context, cfg *mutation.Config) func() {
	stderr := c.App.ErrWriter
	cfg.Warn = func(s string) { fmt.Fprintf(stderr, "graphperf: warning: %s\n", s) }
	end := func() {}
	if c.Bool("quiet") {
		return end
	}
	cfg.Log = func(s string) { fmt.Fprintf(stderr, "graphperf: %s\n", s) }
	var progress func(int64, string)
	cfg.Progress = func(p mutation.Progress) {
		if progress == nil {
			progress, end = progressBar(c, "mutants", int64(p.Total))
		}
		progress(int64(p.Done), fmt.Sprintf("%d killed, %d survived, %d no coverage", p.Killed, p.Survived, p.NoCoverage))
	}
	return func() { end() } // end is set by the first Progress call
}

// storeMutationGraph writes run to the graph through cl and prints its
// runId and counts on stderr (stdout holds the summary).
func storeMutationGraph(c *cli.Context, cl *client.Client, run *mutation.Run) error {
	commit, _ := baseline.GitCommit(c.Context, run.ModuleRoot) // "" outside a git work tree
	res, err := graphstore.Store(c.Context, cl, run, graphstore.Options{Commit: commit})
	if err != nil {
		return fmt.Errorf("--store-graph: %w", err)
	}
	// The run in the results graph: a Run of kind mutate linked to its
	// MutationRun, its commit (with ancestry) and branch.
	r := results.Run{ID: res.RunID, Kind: results.KindMutate, Started: run.Started,
		Finished: run.Started.Add(run.Setup + run.Baseline + run.Mutation), Status: results.Complete}
	r.Commit.Hash, r.Dirty = strings.CutSuffix(commit, "-dirty")
	g := results.New(cl)
	if err := g.StoreGit(c.Context, run.ModuleRoot, &r); err != nil {
		return fmt.Errorf("--store-graph: mutation run %s stored, but not its commit: %w", res.RunID, err)
	}
	if err := g.Store(c.Context, r); err != nil {
		return fmt.Errorf("--store-graph: mutation run %s stored, but not its Run in the results graph: %w", res.RunID, err)
	}
	fmt.Fprintf(c.App.ErrWriter, "graphperf: %s\n", res)
	return nil
}

func runMutateMerge(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageErrorf("mutate merge: expected one or more JSON report FILES")
	}
	if err := reportOptions(c).Validate(); err != nil {
		return err
	}
	merged, err := report.MergeFiles(c.Args().Slice()...)
	if err != nil {
		return err
	}
	return merged.WriteAll(reportOptions(c))
}
