package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/loadbench"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

// loadBenchSpec: load-bench measures rates (elements/s, higher is better).
var loadBenchSpec = benchSpec{command: loadbench.Command, rate: true}

func loadBenchCommand() *cli.Command {
	return &cli.Command{
		Name:        "load-bench",
		Usage:       "benchmark the loader against a naive loader and the server-side limit; compare with a stored baseline",
		Description: help("load-bench"),
		Flags: benchFlags(loadBenchSpec,
			&cli.IntFlag{Name: "rounds", Value: 3, Usage: "measured rounds of each load (use 5 or more with --compare)"},
			&cli.IntFlag{Name: "workers", Value: loader.DefaultWorkers, Usage: "loader batches in flight"},
			&cli.IntFlag{Name: "batch-size", Value: loader.DefaultBatchSize, Usage: "elements per batch (loader and server-side transactions)"},
			&cli.IntFlag{Name: "naive-per-label", Value: 50, Usage: "vertices per label loaded by the naive reference"},
			&cli.IntFlag{Name: "server-threads", Value: 2, Usage: "concurrent server-side scripts (the server's gremlinPool)"},
			&cli.StringFlag{Name: "profile-dir", Usage: "write load-bench-cpu.pprof and load-bench-heap.pprof of the client into `DIR`"},
			&cli.BoolFlag{Name: "yes", Usage: "confirm that the graph may be dropped"},
			&cli.Float64Flag{Name: "min-naive-ratio", Usage: "exit 1 when the loader's median rate is under `X` times the naive one's"},
			&cli.Float64Flag{Name: "min-server-ratio", Usage: "exit 1 when the loader's median rate is under `X` times the server-side one's"},
		),
		Action: runLoadBench,
	}
}

// lbOptions are load-bench's validated flags.
type lbOptions struct {
	*baselineOptions
	cfg       loadbench.Config
	cpu, heap string
}

func loadBenchOptions(c *cli.Context) (*lbOptions, error) {
	if !c.Bool("yes") {
		return nil, usageErrorf("load-bench drops the graph before every round: add --yes to confirm")
	}
	if err := atLeast(c, 1, "rounds", "workers", "batch-size", "naive-per-label", "server-threads"); err != nil {
		return nil, err
	}
	o := &lbOptions{cfg: loadbench.Config{Rounds: c.Int("rounds"), Workers: c.Int("workers"), BatchSize: c.Int("batch-size"),
		NaivePerLabel: c.Int("naive-per-label"), ServerThreads: c.Int("server-threads")}}
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
	o.baselineOptions, err = parseBenchOptions(c, loadBenchSpec, dataset.EstimateStream, runtime.NumCPU())
	return o, err
}

func runLoadBench(c *cli.Context) (err error) {
	o, err := loadBenchOptions(c)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(c.App.ErrWriter, "graphperf: load-bench: "+format+"\n", args...)
	}
	if n1, ok := o.gate.CanFail(o.cfg.Rounds, 3); !ok {
		logf("note: with %d and %d rounds no change of the 3 loads can be significant after Holm correction, so a comparison cannot fail: use --rounds 5 or more", n1, o.cfg.Rounds)
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
	src, err := loader.FromData(c.Context, o.data)
	if err != nil {
		return sourceError(o.data.Source, err)
	}
	if _, err := schema.Apply(c.Context, cl, loader.Schema(), schema.Options{}); err != nil {
		return err
	}
	o.cfg.Log = func(msg string) { logf("%s", msg) }
	res, err := loadbench.Run(c.Context, cl, src, o.cfg)
	if err != nil {
		return err
	}
	run := res.BaselineRun(o.cfg, o.data.Fingerprint, o.desc)
	run.Commit, _ = baseline.GitCommit(c.Context, "")
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
		return fmt.Errorf("load-bench: loader/naive %.1f× is under --min-naive-ratio %g", res.NaiveRatio, r)
	}
	if r := c.Float64("min-server-ratio"); res.ServerRatio < r {
		return fmt.Errorf("load-bench: loader/server-side %.2f× is under --min-server-ratio %g", res.ServerRatio, r)
	}
	return nil
}

// loadBenchDocument is load-bench's --json output: the measured result
// (rounds, summaries, ratios: the fields load-bench always printed) and
// the shared document (run summary, comparison, failed).
type loadBenchDocument struct {
	*loadbench.Result
	report.Document
}
