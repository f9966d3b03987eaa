package main

// The results graph (package results) from the command line: --store-graph
// and --results-hosts of query-bench and load-bench (resultsFlags,
// resultsOptions), and the `results` command: import, runs, trend,
// first-bad.

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/results"
)

// resultsTimeout is the least request timeout of a results-graph client:
// the first store applies the schema, which waits for its indexes.
const resultsTimeout = 3 * time.Minute

// resultsFlags are the flags that store a benchmark run in the results
// graph.
func resultsFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "store-graph", Usage: "store the run in the results graph (JanusGraph at --results-hosts, else --hosts) with its git commit, branch and ancestry"},
		&cli.StringSliceFlag{Name: "results-hosts", EnvVars: []string{"GRAPHPERF_RESULTS_HOSTS"}, Usage: "with --store-graph, the results graph's Gremlin Server `HOST:PORT`s (default: --hosts)"},
	}
}

// resultsOptions are the validated results flags.
type resultsOptions struct {
	store bool
	hosts []string
}

// parseResultsOptions validates --store-graph and --results-hosts.
func parseResultsOptions(c *cli.Context) (*resultsOptions, error) {
	o := &resultsOptions{store: c.Bool("store-graph"), hosts: client.SplitHosts(c.StringSlice("results-hosts"))}
	if c.IsSet("results-hosts") && len(o.hosts) == 0 {
		return nil, usageErrorf("--results-hosts is empty: give HOST:PORT or leave the flag out")
	}
	if len(o.hosts) > 0 && !o.store {
		return nil, usageErrorf("--results-hosts needs --store-graph")
	}
	return o, nil
}

// resultsClient connects to the results graph: hosts, else the global
// --hosts, with the other global connection flags.
func resultsClient(c *cli.Context, hosts []string) (*client.Client, error) {
	cfg, err := clientConfig(c)
	if err != nil {
		return nil, err
	}
	if len(hosts) > 0 {
		cfg.Hosts = hosts
		var he *client.HostError
		if err := cfg.Validate(); errors.As(err, &he) {
			return nil, usageErrorf("--results-hosts %s: %s", he.Host, he.Problem)
		}
	}
	cfg.RequestTimeout = max(cfg.RequestTimeout, resultsTimeout)
	return newClientFromConfig(c, cfg)
}

// storeRun stores a benchmark run (no-op without --store-graph), with the
// git history of its commit and the current branch.
func (o *resultsOptions) storeRun(c *cli.Context, b *baseline.Run, logf func(string, ...any)) error {
	if o == nil || !o.store {
		return nil
	}
	fail := func(err error) error {
		hint := ""
		if b.Name != "" {
			hint = " (it is saved as " + b.Name + ": store it later with `graphperf results import DIR`)"
		}
		return fmt.Errorf("--store-graph: the run is not stored in the results graph%s: %w", hint, err)
	}
	cl, err := resultsClient(c, o.hosts)
	if err != nil {
		return fail(err)
	}
	defer cl.Close()
	r, err := results.New(cl).StoreWithGit(c.Context, "", results.FromBaseline(b))
	if err != nil {
		return fail(err)
	}
	logf("run stored in the results graph as %s (commit %s, branch %s)", r.ID, orNone(r.Commit.Hash), orNone(r.Branch))
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// resultsCommand is `graphperf results`.
func resultsCommand() *cli.Command {
	jsonFlag := &cli.BoolFlag{Name: "json", Usage: "print JSON"}
	return &cli.Command{
		Name:        "results",
		Usage:       "the results graph: import stored runs, list runs, trends, first bad commits",
		Description: help("results"),
		Subcommands: []*cli.Command{
			{
				Name:      "import",
				Usage:     "store the run files (bench/baseline JSON) of DIR in the results graph",
				ArgsUsage: "DIR",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "branch", Usage: "the `BRANCH` the runs belong to (its head is set from git)"},
					&cli.StringFlag{Name: "git-dir", Value: ".", Usage: "git work tree `DIR` whose history holds the runs' commits (\"\" for none)"},
					&cli.IntFlag{Name: "max-commits", Value: 10_000, Usage: "at most `N` commits of history to store"},
					jsonFlag,
				},
				Action: runResultsImport,
			},
			{
				Name:  "runs",
				Usage: "list stored runs, latest first",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "kind", Usage: "only runs of `KIND` (query-bench, load-bench, workload, mutate)"},
					&cli.StringFlag{Name: "branch", Usage: "only runs on `BRANCH`"},
					&cli.StringFlag{Name: "commit", Usage: "only runs at commit `HASH` (full)"},
					&cli.StringFlag{Name: "dataset", Usage: "only runs on dataset `FINGERPRINT`"},
					&cli.StringFlag{Name: "op", Usage: "only runs with operation `NAME`"},
					&cli.IntFlag{Name: "limit", Value: 50, Usage: "at most `N` runs"},
					jsonFlag,
				},
				Action: runResultsRuns,
			},
			{
				Name:  "trend",
				Usage: "an operation's median and p99 along a branch's first-parent history, regressions marked",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "op", Usage: "operation `NAME`"},
					&cli.StringFlag{Name: "branch", Usage: "`BRANCH`"},
					jsonFlag,
				},
				Action: runResultsTrend,
			},
			{
				Name:      "first-bad",
				Usage:     "the first commit between GOOD and BAD whose run of --op regresses against GOOD's",
				ArgsUsage: "GOOD BAD",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "op", Usage: "operation `NAME`"},
					jsonFlag,
				},
				Action: runResultsFirstBad,
			},
		},
	}
}

// withResults connects to --hosts and runs f with the results graph.
func withResults(c *cli.Context, f func(*results.Graph) error) error {
	cl, err := resultsClient(c, nil)
	if err != nil {
		return err
	}
	defer cl.Close()
	return f(results.New(cl))
}

func runResultsImport(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageErrorf("results import: expected one DIR of run files, got %d arguments", c.NArg())
	}
	if c.Int("max-commits") < 1 {
		return usageErrorf("--max-commits must be at least 1, got %d", c.Int("max-commits"))
	}
	dir := c.Args().First()
	opts := results.ImportOptions{GitDir: c.String("git-dir"), MaxCommits: c.Int("max-commits"), Branch: c.String("branch")}
	if opts.GitDir != "" {
		if _, err := baseline.GitCommit(c.Context, opts.GitDir); err != nil {
			return usageErrorf("--git-dir %s: not a git work tree with a commit (use --git-dir '' to import without history): %v", opts.GitDir, err)
		}
	}
	return withResults(c, func(g *results.Graph) error {
		res, err := results.Import(c.Context, g, dir, opts)
		if res != nil {
			if c.Bool("json") {
				if jerr := writeJSON(c, res); jerr != nil {
					return errors.Join(jerr, err)
				}
			} else if werr := res.WriteText(c.App.Writer); werr != nil {
				return errors.Join(werr, err)
			} else {
				fmt.Fprintf(c.App.ErrWriter, "graphperf: results import: %s\n", res.Summary())
			}
		}
		if err != nil {
			return fmt.Errorf("results import %s: %w", dir, err)
		}
		return nil
	})
}

func runResultsRuns(c *cli.Context) error {
	kind := results.Kind(c.String("kind"))
	if kind != "" && !kind.Valid() {
		return usageErrorf("--kind must be query-bench, load-bench, workload or mutate, got %q", kind)
	}
	if c.Int("limit") < 1 {
		return usageErrorf("--limit must be at least 1, got %d", c.Int("limit"))
	}
	f := results.Filter{Kind: kind, Branch: c.String("branch"), Commit: c.String("commit"), Dataset: c.String("dataset"),
		Operation: c.String("op"), Limit: c.Int("limit")}
	return withResults(c, func(g *results.Graph) error {
		runs, err := g.Runs(c.Context, f)
		if err != nil {
			return err
		}
		if c.Bool("json") {
			return writeJSON(c, runs)
		}
		return results.WriteRunsText(c.App.Writer, runs)
	})
}

func runResultsTrend(c *cli.Context) error {
	if c.String("op") == "" || c.String("branch") == "" {
		return usageErrorf("results trend needs --op NAME and --branch BRANCH")
	}
	return withResults(c, func(g *results.Graph) error {
		pts, err := g.Trend(c.Context, c.String("op"), c.String("branch"))
		if errors.Is(err, results.ErrNotFound) {
			return usageErrorf("--branch: %v", err)
		}
		if err != nil {
			return err
		}
		if c.Bool("json") {
			return writeJSON(c, pts)
		}
		return results.WriteTrendText(c.App.Writer, pts)
	})
}

func runResultsFirstBad(c *cli.Context) error {
	if c.NArg() != 2 {
		return usageErrorf("results first-bad: expected GOOD and BAD commit hashes, got %d arguments", c.NArg())
	}
	if c.String("op") == "" {
		return usageErrorf("results first-bad needs --op NAME")
	}
	good, bad := c.Args().Get(0), c.Args().Get(1)
	return withResults(c, func(g *results.Graph) error {
		commit, err := g.FirstBad(c.Context, c.String("op"), good, bad)
		var nf *results.NotFoundError
		switch {
		case errors.As(err, &nf):
			return usageErrorf("results first-bad: %v", err)
		case errors.Is(err, results.ErrNoRegression):
			return cli.Exit(fmt.Sprintf("results first-bad: no commit in %s..%s regresses %s against %s", results.ShortHash(good), results.ShortHash(bad), c.String("op"), results.ShortHash(good)), exitFailure)
		case err != nil:
			return err
		}
		if c.Bool("json") {
			return writeJSON(c, commit)
		}
		_, err = fmt.Fprintln(c.App.Writer, commit.Line())
		return err
	})
}
