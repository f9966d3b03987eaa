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
	return &cli.Command{
		Name:        "query-bench",
		Usage:       "benchmark FinBench-style traversals with checked answers; compare with a stored baseline",
		Description: strings.Replace(help("query-bench"), "{queries}", strings.Join(queries.Names(), ", "), 1),
		Flags: benchFlags(queryBenchSpec,
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
		),
		Action: runQueryBench,
	}
}

// queryBenchSpec: query-bench measures latencies; --ab compares its own runs.
var queryBenchSpec = benchSpec{command: querybench.Command, selfFlag: "ab"}

// qbOptions are query-bench's validated flags.
type qbOptions struct {
	*baselineOptions
	cfg   querybench.Config
	quiet bool
	abA   string // with --ab, the A run's name (B is gate.Save)
}

func queryBenchOptions(c *cli.Context) (*qbOptions, error) {
	o := &qbOptions{quiet: c.Bool("quiet")}
	if s := c.String("queries"); s != "" {
		o.cfg.Queries = strings.Split(s, ",")
	}
	if _, err := queries.Select(o.cfg.Queries); err != nil {
		return nil, usageErrorf("--queries: %v", err)
	}
	o.cfg.Params = queries.Config{Params: c.Int("params"), Truncation: c.Int("truncation")}
	rounds, warmup, clients, minTime := c.Int("rounds"), c.Int("warmup"), c.Int("clients"), c.Duration("min-time")
	if err := firstError(atLeast(c, 1, "params", "truncation", "rounds"), atLeast(c, 0, "warmup"), atLeast(c, 1, "clients")); err != nil {
		return nil, err
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
	if err := o.abFlag(c); err != nil {
		return nil, err
	}
	var err error
	o.baselineOptions, err = parseBenchOptions(c, queryBenchSpec, dataset.EstimateIndex, 0)
	return o, err
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
	cctx, cancel := context.WithTimeout(c.Context, ccfg.RequestTimeout)
	drv, err := driver.Open(cctx, o.cfg.Driver, ccfg)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer drv.Close()
	logf("regenerating the dataset in memory to curate parameters and check answers")
	ds, err := querybench.NewDataset(c.Context, o.data, o.desc)
	if err != nil {
		return sourceError(o.data.Source, err)
	}
	o.cfg.Hosts, o.cfg.Log = ccfg.Hosts, func(s string) { logf("%s", s) }
	res, err := querybench.Run(c.Context, drv, ds, o.cfg)
	var failed *querybench.FailedCallsError
	if err != nil && !errors.As(err, &failed) {
		return queryBenchError(err, o.desc, func() (*loader.GraphState, []string) {
			return loader.DatasetStates(c.Context, drv, o.data.Fingerprint)
		})
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
	return errors.New("query-bench failed: " + strings.Join(failed.Failures, "; "))
}

// queryBenchError maps querybench's typed errors to exit codes and advice.
// The advice on a graph that does not hold the dataset depends on what the
// graph records (loaded reads it): --resume only for a partial load of this
// very dataset, else a reload with --drop --yes or other dataset flags.
func queryBenchError(err error, describe string, loaded func() (*loader.GraphState, []string)) error {
	var nl *querybench.NotLoadedError
	if errors.As(err, new(*queries.EmptyGraphError)) {
		return fmt.Errorf("the graph is empty: run `graphperf load %s` first", describe)
	} else if !errors.As(err, &nl) {
		return err
	}
	reload := fmt.Sprintf("reload it with `graphperf load %s --drop --yes`", describe)
	if nl.State != nil {
		return fmt.Errorf("%v: finish the load with `graphperf load %s --resume`, or %s", nl, describe, reload)
	}
	if _, others := loaded(); len(others) > 0 {
		return fmt.Errorf("%v: the graph holds another dataset (%s): %s, or give query-bench the dataset flags that one was loaded with",
			nl, strings.Join(others, "; "), reload)
	}
	return fmt.Errorf("%v: load it with `graphperf load %s --drop --yes` (the graph holds data of unknown origin)", nl, describe)
}
