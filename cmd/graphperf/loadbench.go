package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/loadbench"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

// loadBenchSpec: load-bench measures rates (elements/s, higher is better).
var loadBenchSpec = benchSpec{command: loadbench.Command, rate: true}

func loadBenchCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.IntFlag{Name: "rounds", Value: 3, Usage: "measured rounds of each load (use 5 or more with --compare)"},
		&cli.IntFlag{Name: "workers", Value: loader.DefaultWorkers, Usage: "loader batches in flight"},
		&cli.IntFlag{Name: "batch-size", Value: loader.DefaultBatchSize, Usage: "elements per batch (loader and server-side transactions)"},
		&cli.IntFlag{Name: "naive-per-label", Value: 50, Usage: "vertices per label loaded by the naive reference"},
		&cli.IntFlag{Name: "server-threads", Value: 2, Usage: "concurrent server-side scripts (the server's gremlinPool)"},
		&cli.StringFlag{Name: "profile-dir", Usage: "write load-bench-cpu.pprof and load-bench-heap.pprof of the client into `DIR`"},
		&cli.BoolFlag{Name: "yes", Usage: "confirm that the graph may be dropped"},
		&cli.Float64Flag{Name: "min-naive-ratio", Usage: "exit 1 when the loader's median rate is under `X` times the naive one's"},
		&cli.Float64Flag{Name: "min-server-ratio", Usage: "exit 1 when the loader's median rate is under `X` times the server-side one's"},
	}
	flags = append(flags, baselineFlags(loadBenchSpec)...)
	flags = append(flags, sourceFlags(true)...)
	flags = append(flags, noSpaceCheckFlag())
	return &cli.Command{
		Name:  "load-bench",
		Usage: "benchmark the loader against a naive loader and the server-side limit; compare with a stored baseline",
		Description: "Loads the same dataset into a freshly dropped graph --rounds times and reports elements/s\n" +
			"with its spread, next to two references measured in the same rounds on the same server:\n" +
			"  naive        one request per element (addV / addE with indexed endpoint lookups),\n" +
			"               sequential, on a slice of the data (--naive-per-label vertices per label\n" +
			"               and the edges joining them);\n" +
			"  server-side  a script inside the server creating as many vertices and edges with the\n" +
			"               same properties, in transactions of --batch-size, on --server-threads\n" +
			"               threads: no network, no client serialization.\n" +
			"--min-naive-ratio and --min-server-ratio exit 1 when the loader's median is under your ratio.\n" +
			"Baselines as in query-bench: each load (loader, naive, server-side) is an operation whose\n" +
			"samples are its per-round elements/s (higher is better). With --compare, a load regresses only\n" +
			"when the Mann-Whitney U test is significant after Holm correction over the three loads AND\n" +
			"--fail-on is exceeded AND the median rate dropped by at least --min-delta (default 1%): exit 1.\n" +
			"With 3 loads, at least 5 rounds per run are needed for any change to be significant.\n" +
			"DESTRUCTIVE: drops the graph before every load (requires --yes). --profile-dir writes CPU and\n" +
			"heap profiles of the client. Outputs are checked before anything is dropped.\n\n" +
			"   graphperf --hosts 127.0.0.1:8194 load-bench --scale 0.01 --rounds 5 --yes --save main\n" +
			"   graphperf --hosts 127.0.0.1:8194 load-bench --scale 0.01 --rounds 5 --yes --compare main --fail-on 'median:10%'\n" +
			"   graphperf --hosts 127.0.0.1:8194 load-bench --rounds 5 --yes --format gobench > new.txt",
		Flags:  flags,
		Action: runLoadBench,
	}
}

// lbOptions are load-bench's validated flags.
type lbOptions struct {
	*baselineOptions
	cfg       loadbench.Config
	data      *dataset.Data
	desc      string
	cpu, heap string
}

func loadBenchOptions(c *cli.Context) (*lbOptions, error) {
	if c.NArg() > 0 {
		return nil, usageErrorf("load-bench takes no arguments, got %q", c.Args().Slice())
	}
	if !c.Bool("yes") {
		return nil, usageErrorf("load-bench drops the graph before every round: add --yes to confirm")
	}
	for _, name := range []string{"rounds", "workers", "batch-size", "naive-per-label", "server-threads"} {
		if c.Int(name) < 1 {
			return nil, usageErrorf("--%s must be ≥ 1, got %d", name, c.Int(name))
		}
	}
	o := &lbOptions{cfg: loadbench.Config{Rounds: c.Int("rounds"), Workers: c.Int("workers"), BatchSize: c.Int("batch-size"),
		NaivePerLabel: c.Int("naive-per-label"), ServerThreads: c.Int("server-threads")}}
	src, err := readSource(c)
	if err != nil {
		return nil, err
	}
	src.Config.Workers = runtime.NumCPU()
	if o.baselineOptions, err = parseBaselineOptions(c, loadBenchSpec); err != nil {
		return nil, err
	}
	cc, err := clientConfig(c)
	if err != nil {
		return nil, err
	}
	o.cfg.MaxRequestBytes = cc.MaxRequestBytes
	var be *loader.BatchSizeError
	if err := o.cfg.Validate(); errors.As(err, &be) {
		return nil, usageErrorf("--batch-size %d cannot fit under the request limit: at most %d elements per batch", be.BatchSize, be.Max)
	}
	if dir := c.String("profile-dir"); c.IsSet("profile-dir") {
		if dir == "" {
			return nil, usageErrorf("--profile-dir is empty: give a directory or leave the flag out")
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, usageErrorf("--profile-dir: %v", err)
		}
		o.cpu, o.heap = filepath.Join(dir, "load-bench-cpu.pprof"), filepath.Join(dir, "load-bench-heap.pprof")
	}
	// The dataset's identity, as query-bench computes it: a baseline of
	// other data is refused before anything is dropped or measured.
	if o.data, err = openSource(c.Context, src); err != nil {
		return nil, err
	}
	if err := o.data.Verify(c.Context); err != nil {
		return nil, fromError(src.Dir, err)
	}
	if err := checkMemory(c, o.data, dataset.EstimateStream(o.data.Config)); err != nil {
		return nil, err
	}
	o.desc = describeSource(src)
	return o, o.checkDataset(o.data.Fingerprint)
}

func runLoadBench(c *cli.Context) (err error) {
	o, err := loadBenchOptions(c)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(c.App.ErrWriter, "graphperf: load-bench: "+format+"\n", args...)
	}
	if note := o.powerNote(); note != "" {
		logf("%s", note)
	}
	stop, err := startProfiles(o.cpu, o.heap)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stop()) }()
	cc, err := clientConfig(c)
	if err != nil {
		return err
	}
	cl, err := newClientFromConfig(c, cc)
	if err != nil {
		return err
	}
	defer cl.Close()
	src, err := o.loaderSource(c, cl)
	if err != nil {
		return err
	}
	o.cfg.Log = func(msg string) { logf("%s", msg) }
	res, err := loadbench.Run(c.Context, cl, src, o.cfg)
	if err != nil {
		return err
	}
	run := res.BaselineRun(o.cfg, o.data.Fingerprint, o.desc)
	if commit, err := baseline.GitCommit(c.Context, ""); err == nil {
		run.Commit = commit
	}
	run.Server = baseline.DescribeServer(c.Context, cl, cc.Hosts)
	rep, err := o.compareRun(run)
	if err != nil {
		return err
	}
	doc := func(d report.Document) any { return loadBenchDocument{Result: res, Document: d} }
	hosts := hostsOf(cl)
	if err := o.finish(c.App.Writer, run, rep, true, logf, hosts.table(res.WriteText), hosts.doc(doc)); err != nil {
		return err
	}
	return checkRatios(c, res)
}

// checkRatios applies --min-naive-ratio and --min-server-ratio (exit 1).
func checkRatios(c *cli.Context, res *loadbench.Result) error {
	if r := c.Float64("min-naive-ratio"); res.NaiveRatio < r {
		return cli.Exit(fmt.Sprintf("load-bench: loader/naive %.1f× is under --min-naive-ratio %g", res.NaiveRatio, r), exitFailure)
	}
	if r := c.Float64("min-server-ratio"); res.ServerRatio < r {
		return cli.Exit(fmt.Sprintf("load-bench: loader/server-side %.2f× is under --min-server-ratio %g", res.ServerRatio, r), exitFailure)
	}
	return nil
}

// loaderSource opens the data (verified by loadBenchOptions) for the
// loader and applies the schema.
func (o *lbOptions) loaderSource(c *cli.Context, cl *client.Client) (*loader.Source, error) {
	src, err := loader.FromData(c.Context, o.data)
	if err != nil {
		return nil, sourceError(o.data.Source, err)
	}
	_, err = schema.Apply(c.Context, cl, loader.Schema(), schema.Options{})
	return src, err
}

// powerNote warns, with --save or --compare, when no comparison of the
// three loads with these rounds can be significant.
func (o *lbOptions) powerNote() string {
	if o.gate.Base == nil && o.gate.Save == "" {
		return ""
	}
	n1 := o.cfg.Rounds
	if o.gate.Base != nil {
		for i, op := range o.gate.Base.Operations {
			if i == 0 || len(op.Samples) < n1 {
				n1 = len(op.Samples)
			}
		}
	}
	if compare.CanBeSignificant(n1, o.cfg.Rounds, 3, 0) {
		return ""
	}
	return fmt.Sprintf("note: with %d and %d rounds no change of the 3 loads can be significant after Holm correction, so a comparison cannot fail: use --rounds 5 or more", n1, o.cfg.Rounds)
}

// loadBenchDocument is load-bench's --json output: the measured result
// (rounds, summaries, ratios: the fields load-bench always printed) and
// the shared document (run summary, comparison, failed).
type loadBenchDocument struct {
	*loadbench.Result
	report.Document
}
