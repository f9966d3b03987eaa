package main

import (
	"context"
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
		Name:      "mutate",
		Usage:     "mutation-test Go packages: how good are their tests?",
		ArgsUsage: "[PACKAGES] (default ./...)",
		Description: "Mutates the packages' code (arithmetic, comparisons, logical operators, ++/--, op-assignments,\n" +
			"return values, err → nil, removed calls, constants) and runs the covering tests against each mutant.\n" +
			"All mutants of a package are compiled into ONE test binary (mutant schemata, applied with\n" +
			"`go test -overlay`): the source tree is never written. Statuses and score follow\n" +
			"mutation-testing-elements: score = (Killed+Timeout)/(Killed+Timeout+Survived+NoCoverage).\n" +
			"A mutant's deadline is its covering tests' baseline time ×3 + 2s, confirmed by a second run.\n" +
			"Mark code with `//graphperf:nomutate <reason>` to exclude it (reported as Ignored).\n\n" +
			"Examples:\n" +
			"  graphperf mutate ./banking --threshold 85 --html-report out/mutation.html\n" +
			"  graphperf mutate --diff origin/main ./...\n" +
			"  graphperf mutate --shard 1/2 --json-report s1.json ./... && graphperf mutate merge s1.json s2.json",
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

// configProblem is the problem of a *mutation.ConfigError, without the
// package and field names the flag replaces.
func configProblem(err error) string {
	var ce *mutation.ConfigError
	if errors.As(err, &ce) {
		return ce.Problem
	}
	return err.Error()
}

// mutateConfig builds the mutation configuration from the flags, checks it
// (mutation.Config.Validate) and checks every report path before the run
// starts.
func mutateConfig(c *cli.Context) (mutation.Config, error) {
	cfg := mutation.Config{Patterns: c.Args().Slice(), Workers: c.Int("workers"), DiffRef: c.String("diff"), FullMatrix: c.Bool("full-matrix")}
	if c.IsSet("workers") && cfg.Workers == 0 {
		return cfg, workersError(cfg.Workers)
	}
	if c.IsSet("diff") && cfg.DiffRef == "" {
		return cfg, diffError(cfg.DiffRef)
	}
	var err error
	if v := c.String("shard"); v != "" {
		if cfg.Shard, cfg.Shards, err = mutation.ParseShard(v); err != nil {
			return cfg, usageErrorf("--shard: %s", configProblem(err))
		}
	}
	if v := c.String("skip"); v != "" {
		if cfg.SkipTests, err = regexp.Compile(v); err != nil {
			return cfg, usageErrorf("--skip: invalid regular expression %q: %v", v, err)
		}
	}
	if cfg.Operators, err = mutation.ParseOperators(c.String("operators")); err != nil {
		return cfg, usageErrorf("--operators: %s", configProblem(err))
	}
	switch mib := c.Int("memory-limit"); {
	case mib < 0 || mib > 1<<30:
		return cfg, usageErrorf("--memory-limit: expected MiB from 0 to %d, got %d", 1<<30, mib)
	case mib == 0:
		cfg.MemoryLimit = -1
	default:
		cfg.MemoryLimit = int64(mib) << 20
	}
	if err := cfg.Validate(); err != nil {
		var ce *mutation.ConfigError
		switch {
		case errors.As(err, new(*mutation.RefError)):
			return cfg, diffError(cfg.DiffRef)
		case errors.As(err, &ce) && ce.Field == "Workers":
			return cfg, workersError(cfg.Workers)
		}
		return cfg, err
	}
	return cfg, checkReportFlags(c)
}

func workersError(n int) error {
	return usageErrorf("--workers: expected 1 to %d, got %d", mutation.MaxWorkers, n)
}

func diffError(ref string) error {
	return usageErrorf("--diff %q: expected a git revision such as origin/main (revisions never start with '-')", ref)
}

// reportOptions maps the report flags to report.Options.
func reportOptions(c *cli.Context) report.Options {
	return report.Options{
		JSONFile: c.String("json-report"), HTMLFile: c.String("html-report"), Title: "graphperf mutate",
		Summary: c.App.Writer, SummaryJSON: c.Bool("json"),
		CheckThreshold: c.IsSet("threshold"), Threshold: c.Float64("threshold"),
	}
}

// reportFlagFields names the flag of each report.Options field.
var reportFlagFields = map[string]string{"Threshold": "threshold", "JSONFile": "json-report", "HTMLFile": "html-report"}

// checkReportFlags checks --threshold and the report paths.
func checkReportFlags(c *cli.Context) error {
	err := reportOptions(c).Validate()
	var oe *report.OptionError
	if !errors.As(err, &oe) {
		return err
	}
	if oe.Err != nil {
		return pathFlagError(reportFlagFields[oe.Field], oe.Err)
	}
	return usageErrorf("--%s: %s", reportFlagFields[oe.Field], oe.Problem)
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
	var re *mutation.RefError
	if errors.As(err, &re) {
		return usageErrorf("--diff %s: %s", re.Ref, re.Problem)
	}
	if me := (*mutation.MemoryLimitError)(nil); errors.As(err, &me) {
		return fmt.Errorf("%w (--memory-limit MIB; 0 disables the cap)", err)
	}
	if err != nil {
		return err
	}
	repErr := writeMutationReports(c, report.FromRun(run))
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

// storeMutationGraph writes run to the graph through the global connection
// flags and prints its runId and counts on stderr (stdout holds the summary).
func storeMutationGraph(c *cli.Context, cl *client.Client, run *mutation.Run) error {
	commit := gitHead(c.Context, run.ModuleRoot)
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
	if err := storeGit(c.Context, g, run.ModuleRoot, &r); err != nil {
		return fmt.Errorf("--store-graph: mutation run %s stored, but not its commit: %w", res.RunID, err)
	}
	if err := g.Store(c.Context, r); err != nil {
		return fmt.Errorf("--store-graph: mutation run %s stored, but not its Run in the results graph: %w", res.RunID, err)
	}
	fmt.Fprintf(c.App.ErrWriter, "graphperf: stored mutation run %s: %d mutants (%d new), %d tests (%d new), %d source files (%d new), %d coveredBy and %d killedBy edges\n",
		res.RunID, res.Mutants, res.NewMutants, res.Tests, res.NewTests, res.SourceFiles, res.NewSourceFiles, res.CoveredBy, res.KilledBy)
	return nil
}

// gitHead returns the commit checked out in dir (see baseline.GitCommit),
// or "" outside a git work tree.
func gitHead(ctx context.Context, dir string) string {
	commit, _ := baseline.GitCommit(ctx, dir)
	return commit
}

func runMutateMerge(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageErrorf("mutate merge: expected one or more JSON report FILES")
	}
	if err := checkReportFlags(c); err != nil {
		return err
	}
	var reps []*report.Report
	for _, name := range c.Args().Slice() {
		r, err := report.ReadFile(name)
		if err != nil {
			// An input file that cannot be used is a usage error, as
			// --from and --compare are.
			return usageErrorf("mutate merge: %v", err)
		}
		reps = append(reps, r)
	}
	merged, err := report.Merge(reps...)
	if err != nil {
		return err
	}
	return writeMutationReports(c, merged)
}

// writeMutationReports writes the reports and summary the flags ask for;
// a score under --threshold exits 1.
func writeMutationReports(c *cli.Context, r *report.Report) error {
	err := r.WriteAll(reportOptions(c))
	if te := (*report.ThresholdError)(nil); errors.As(err, &te) {
		return cli.Exit(te.Error(), exitFailure)
	}
	return err
}
