package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/driver"
	"github.com/graphperf/graphperf/bench/queries"
	"github.com/graphperf/graphperf/bench/querybench"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/loader"
)

func queryBenchCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "queries", Usage: "comma-separated query `NAMES` to run (default: all): " + strings.Join(queries.Names(), ", ")},
		&cli.IntFlag{Name: "params", Value: queries.DefaultParams, Usage: "parameters curated per query"},
		&cli.IntFlag{Name: "rounds", Value: sampler.DefaultMinRounds, Usage: "minimum measured calls per query"},
		&cli.DurationFlag{Name: "min-time", Value: sampler.DefaultMinTime, Usage: "minimum measuring time per query (0: none)"},
		&cli.IntFlag{Name: "warmup", Value: sampler.DefaultWarmup, Usage: "unmeasured calls per query first (0: none)"},
		&cli.IntFlag{Name: "clients", Value: 1, Usage: "concurrent callers per query (throughput runs)"},
		&cli.StringFlag{Name: "driver", Value: driver.Graphperf, Usage: "Go Gremlin driver: " + strings.Join(driver.Names(), " or ")},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile (pprof) of the client to `FILE`"},
		&cli.IntFlag{Name: "truncation", Value: queries.DefaultTruncation, Usage: "edges followed per vertex and expansion step (FinBench truncation)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress on stderr"},
		&cli.StringFlag{Name: "ab", Usage: "experiment mode `A,B`: measure this build twice, alternating call by call (so machine drift hits both), " +
			"save the halves as runs A and B, and compare B with A (an A/A experiment: scripts/aa-experiment.sh)"},
	}
	flags = append(flags, baselineFlags(queryBenchSpec)...)
	flags = append(flags, sourceFlags(true)...)
	flags = append(flags, noSpaceCheckFlag())
	return &cli.Command{
		Name:  "query-bench",
		Usage: "benchmark FinBench-style traversals with checked answers; compare with a stored baseline",
		Description: "Runs the query catalogue (" + strings.Join(queries.Names(), ", ") + ")\n" +
			"against the loaded graph. The dataset flags must be those of `graphperf load`: after connecting,\n" +
			"the data is regenerated in memory to curate parameters, check every answer and fingerprint the run;\n" +
			"a graph missing vertices or edges of it is refused.\n" +
			"Each query: --warmup calls, then calls until both --rounds and --min-time are reached.\n" +
			"A wrong answer fails the bench (exit 1) whatever its speed. With --compare, a query regresses\n" +
			"only when the Mann-Whitney U test is significant after Holm correction across the suite AND\n" +
			"--fail-on is exceeded AND the median worsened by at least --min-delta (exit 1).\n\n" +
			"   graphperf load --scale 0.01 && graphperf query-bench --save main\n" +
			"   graphperf query-bench --compare main --fail-on 'median:10%,p95:25%' --min-delta 1ms\n" +
			"   graphperf query-bench --queries account-lookup,mule-chain --format gobench > new.txt\n" +
			"   graphperf query-bench --driver grammes --report grammes.html",
		Flags:  flags,
		Action: runQueryBench,
	}
}

// queryBenchSpec: query-bench measures latencies; --ab compares its own runs.
var queryBenchSpec = benchSpec{command: querybench.Command, selfFlag: "ab"}

// qbOptions are query-bench's validated flags.
type qbOptions struct {
	*baselineOptions
	cfg      querybench.Config
	data     *dataset.Data
	describe string // the dataset flags
	quiet    bool
	abA      string // with --ab, the A run's name (B is gate.Save)
}

func queryBenchOptions(c *cli.Context) (*qbOptions, error) {
	if c.NArg() > 0 {
		return nil, usageErrorf("query-bench takes no arguments, got %q", c.Args().Slice())
	}
	o := &qbOptions{quiet: c.Bool("quiet")}
	if s := c.String("queries"); s != "" {
		o.cfg.Queries = strings.Split(s, ",")
	}
	if _, err := queries.Select(o.cfg.Queries); err != nil {
		return nil, usageErrorf("--queries: %v", err)
	}
	o.cfg.Params = queries.Config{Params: c.Int("params"), Truncation: c.Int("truncation")}
	rounds, warmup, clients, minTime := c.Int("rounds"), c.Int("warmup"), c.Int("clients"), c.Duration("min-time")
	for _, f := range []struct {
		name   string
		v, min int
	}{{"params", o.cfg.Params.Params, 1}, {"truncation", o.cfg.Params.Truncation, 1}, {"rounds", rounds, 1}, {"warmup", warmup, 0}, {"clients", clients, 1}} {
		if f.v < f.min {
			return nil, usageErrorf("--%s must be ≥ %d, got %d", f.name, f.min, f.v)
		}
	}
	if minTime < 0 {
		return nil, usageErrorf("--min-time must be ≥ 0, got %v", minTime)
	}
	o.cfg.Sampling = sampler.Config{MinRounds: rounds, Warmup: warmup, MinTime: minTime, Clients: clients}
	if warmup == 0 {
		o.cfg.Sampling.Warmup = -1
	}
	if minTime == 0 {
		o.cfg.Sampling.MinTime = -1
	}
	o.cfg.Driver = c.String("driver")
	if !slices.Contains(driver.Names(), o.cfg.Driver) {
		return nil, usageErrorf("--driver: %v", &driver.UnknownDriverError{Name: o.cfg.Driver})
	}
	src, err := readSource(c)
	if err != nil {
		return nil, err
	}
	if err := o.abFlag(c); err != nil {
		return nil, err
	}
	if o.baselineOptions, err = parseBaselineOptions(c, queryBenchSpec); err != nil {
		return nil, err
	}
	if o.data, err = openSource(c.Context, src); err != nil {
		return nil, err
	}
	if err := o.data.Verify(c.Context); err != nil {
		return nil, fromError(src.Dir, err)
	}
	if err := checkMemory(c, o.data, dataset.EstimateIndex(o.data.Config)); err != nil {
		return nil, err
	}
	o.describe = describeSource(src)
	return o, o.checkDataset(o.data.Fingerprint)
}

// abFlag reads --ab A,B: B becomes the saved run, compared with A.
func (o *qbOptions) abFlag(c *cli.Context) error {
	if !c.IsSet("ab") {
		return nil
	}
	a, b, ok := strings.Cut(c.String("ab"), ",")
	if !ok || a == "" || b == "" || a == b {
		return usageErrorf("--ab wants two different run names A,B, got %q", c.String("ab"))
	}
	if c.IsSet("compare") || c.IsSet("save") {
		return usageErrorf("--ab saves and compares its own two runs: it excludes --compare and --save")
	}
	for _, n := range []string{a, b} {
		if _, err := baseline.Path(c.String("baseline-dir"), n); err != nil {
			return usageErrorf("--ab: %v", err)
		}
	}
	o.abA, o.cfg.AB, o.cfg.ABNames = a, true, [2]string{a, b}
	return c.Set("save", b)
}

func runQueryBench(c *cli.Context) error {
	o, err := queryBenchOptions(c)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) {
		if !o.quiet {
			fmt.Fprintf(c.App.ErrWriter, "query-bench: "+format+"\n", args...)
		}
	}
	stop, err := startProfiles(c.String("cpuprofile"), "")
	if err != nil {
		return err
	}
	defer stop()
	ccfg, err := clientConfig(c)
	if err != nil {
		return err
	}
	cctx, cancel := contextWithTimeout(c, ccfg.RequestTimeout)
	drv, err := driver.Open(cctx, o.cfg.Driver, ccfg)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer drv.Close()
	logf("regenerating the dataset in memory to curate parameters and check answers")
	ds, err := querybench.NewDataset(c.Context, o.data, o.describe)
	if err != nil {
		return sourceError(o.data.Source, err)
	}
	o.cfg.Hosts, o.cfg.Log = ccfg.Hosts, func(s string) { logf("%s", s) }
	res, err := querybench.Run(c.Context, drv, ds, o.cfg)
	var failed *querybench.FailedCallsError
	if err != nil && !errors.As(err, &failed) {
		return queryBenchError(err, o.describe, o.loadedAs(c.Context, drv))
	}
	if res.A != nil {
		if _, err := baseline.Save(o.gate.Dir, o.abA, res.A); err != nil {
			return fmt.Errorf("--ab: %w", err)
		}
		o.gate.Base = res.A
	}
	rep, err := o.compareRun(res.Run)
	if err != nil {
		return err
	}
	hosts := hostsOf(drv)
	if ferr := o.finish(c.App.Writer, res.Run, rep, failed == nil, logf, hosts.runTable(res.Run), hosts.doc(nil)); failed == nil {
		return ferr
	}
	return cli.Exit("query-bench failed: "+strings.Join(failed.Failures, "; "), exitFailure)
}

// loadedAs returns what the graph records about the loads in it: the state
// of this dataset's load (nil when the graph records none) and the
// descriptions of the other datasets it holds. A graph that cannot be
// asked gives nothing.
func (o *qbOptions) loadedAs(ctx context.Context, sub loader.Submitter) func() (*loader.GraphState, []string) {
	return func() (*loader.GraphState, []string) {
		states, err := loader.ReadGraphStates(ctx, sub)
		if err != nil {
			return nil, nil
		}
		var mine *loader.GraphState
		var others []string
		for i, st := range states {
			if st.Dataset == o.data.Fingerprint {
				mine = &states[i]
			} else {
				others = append(others, st.String())
			}
		}
		return mine, others
	}
}

// queryBenchError maps querybench's typed errors to exit codes and advice.
// The advice on a graph that does not hold the dataset depends on what the
// graph records (loaded reads it): --resume only for a partial load of this
// very dataset, else a reload with --drop --yes or other dataset flags.
func queryBenchError(err error, describe string, loaded func() (*loader.GraphState, []string)) error {
	var empty *queries.EmptyGraphError
	var mm *queries.CountMismatchError
	var wrong *queries.WrongAnswerError
	var none *querybench.NoQueriesError
	var lost *querybench.ConnectionLostError
	switch {
	case errors.As(err, &empty):
		return cli.Exit(fmt.Sprintf("the graph is empty: run `graphperf load %s` first", describe), exitFailure)
	case errors.As(err, &mm):
		reload := fmt.Sprintf("reload it with `graphperf load %s --drop --yes`", describe)
		mine, others := loaded()
		switch {
		case mine != nil && !mine.Complete() && len(others) == 0:
			return cli.Exit(fmt.Sprintf("%v: finish the load with `graphperf load %s --resume`, or %s", mm, describe, reload), exitFailure)
		case len(others) > 0:
			return cli.Exit(fmt.Sprintf("%v: the graph holds another dataset (%s): %s, or give query-bench the dataset flags that one was loaded with",
				mm, strings.Join(others, "; "), reload), exitFailure)
		}
		return cli.Exit(fmt.Sprintf("%v: %s", mm, reload), exitFailure)
	case errors.As(err, &wrong), errors.As(err, &none), errors.As(err, &lost):
		return cli.Exit(err.Error(), exitFailure)
	}
	return err
}
