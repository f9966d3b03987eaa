package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/driver"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/loader"
)

// loadBenchSpec: load-bench measures rates (elements/s, higher is better).
var loadBenchSpec = benchSpec{command: "load-bench", rate: true}

// Operation names of a load-bench run: one per load.
const (
	opLoader     = "loader"
	opNaive      = "naive"
	opServerSide = "server-side"
)

func loadBenchCommand() *cli.Command {
	def := banking.DefaultPatterns()
	flags := []cli.Flag{
		&cli.Float64Flag{Name: "scale", Value: 0.01, Usage: "generated data size (see load --scale)"},
		&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "generator seed"},
		&cli.StringFlag{Name: "from", Usage: "benchmark with the dataset `DIR` instead of generating"},
		&cli.IntFlag{Name: "rounds", Value: 3, Usage: "measured rounds of each load (use 5 or more with --compare)"},
		&cli.IntFlag{Name: "workers", Value: loader.DefaultWorkers, Usage: "loader batches in flight"},
		&cli.IntFlag{Name: "batch-size", Value: loader.DefaultBatchSize, Usage: "elements per batch (loader and server-side transactions)"},
		&cli.IntFlag{Name: "naive-per-label", Value: 50, Usage: "vertices per label loaded by the naive reference"},
		&cli.IntFlag{Name: "server-threads", Value: 2, Usage: "concurrent server-side scripts (the server's gremlinPool)"},
		&cli.StringFlag{Name: "profile-dir", Value: "profiles", Usage: "write load-bench-cpu.pprof and load-bench-heap.pprof here (\"\" disables)"},
		&cli.BoolFlag{Name: "yes", Usage: "confirm that the graph may be dropped"},
		&cli.BoolFlag{Name: "fail-on-target", Usage: "exit 1 when a target ratio is missed"},
	}
	flags = append(flags, baselineFlags(loadBenchSpec)...)
	for _, pf := range patternFlags(&def) {
		flags = append(flags, &cli.IntFlag{Name: pf.name, Value: *pf.field, Usage: "number of injected " + pf.usage + " (with --scale)"})
	}
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
			"Targets: loader ≥ 100× naive and ≥ 0.5× server-side; --fail-on-target exits 1 when missed.\n" +
			"Baselines as in query-bench: each load (loader, naive, server-side) is an operation whose\n" +
			"samples are its per-round elements/s (higher is better). With --compare, a load regresses only\n" +
			"when the Mann-Whitney U test is significant after Holm correction over the three loads AND\n" +
			"--fail-on is exceeded AND the median rate dropped by at least --min-delta (default 1%): exit 1.\n" +
			"With 3 loads, at least 5 rounds per run are needed for any change to be significant.\n" +
			"DESTRUCTIVE: drops the graph before every load (requires --yes). CPU and heap profiles of\n" +
			"the client go to --profile-dir.\n\n" +
			"   graphperf --hosts 127.0.0.1:8194 load-bench --scale 0.01 --rounds 5 --yes --save main\n" +
			"   graphperf --hosts 127.0.0.1:8194 load-bench --scale 0.01 --rounds 5 --yes --compare main --fail-on 'median:10%'\n" +
			"   graphperf --hosts 127.0.0.1:8194 load-bench --rounds 5 --yes --format gobench > new.txt",
		Flags:  flags,
		Action: runLoadBench,
	}
}

func runLoadBench(c *cli.Context) (err error) {
	if c.NArg() > 0 {
		return usageErrorf("load-bench takes no arguments, got %q", c.Args().Slice())
	}
	if !c.Bool("yes") {
		return usageErrorf("load-bench drops the graph before every round: add --yes to confirm")
	}
	for _, name := range []string{"rounds", "workers", "batch-size", "naive-per-label", "server-threads"} {
		if c.Int(name) < 1 {
			return usageErrorf("--%s must be ≥ 1, got %d", name, c.Int(name))
		}
	}
	if c.IsSet("from") && (c.IsSet("scale") || c.IsSet("seed")) {
		return usageErrorf("--from and --scale/--seed are exclusive: the dataset directory says its own scale and seed")
	}
	s := &loadSettings{from: c.String("from")}
	if s.from == "" {
		if s.gen, err = genConfigFlags(c); err != nil {
			return err
		}
		s.gen.Workers = runtime.NumCPU()
	}
	bo, err := parseBaselineOptions(c, loadBenchSpec)
	if err != nil {
		return err
	}
	cc, err := clientConfig(c)
	if err != nil {
		return err
	}
	lc := loader.Config{Workers: c.Int("workers"), BatchSize: c.Int("batch-size"), MaxRequestBytes: cc.MaxRequestBytes, StateDir: "unused"}
	if err := lc.Validate(); err != nil {
		var be *loader.BatchSizeError
		if errors.As(err, &be) {
			return usageErrorf("--batch-size %d cannot fit under the request limit: at most %d elements per batch", be.BatchSize, be.Max)
		}
		return err
	}
	// The dataset's identity, as query-bench computes it: a baseline of
	// other data is refused before anything is dropped or measured.
	fp, describe, err := datasetFingerprint(s.from, s.gen)
	if err != nil {
		return err
	}
	if err := bo.checkDataset(fp); err != nil {
		return err
	}
	stderr := c.App.ErrWriter
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "graphperf: load-bench: "+format+"\n", args...) }
	rounds := c.Int("rounds")
	if bo.base != nil || bo.save != "" {
		n1 := rounds
		if bo.base != nil {
			for i, op := range bo.base.Operations {
				if i == 0 || len(op.Samples) < n1 {
					n1 = len(op.Samples)
				}
			}
		}
		if !holmCanFail(n1, rounds, 3) {
			logf("note: with %d and %d rounds no change of the 3 loads can be significant after Holm correction, so a comparison cannot fail: use --rounds 5 or more", n1, rounds)
		}
	}
	var src *loader.Source
	if s.from != "" {
		if src, err = loadSource(c.Context, s); err != nil {
			return err
		}
	}
	cl, err := newClientFromConfig(c, cc)
	if err != nil {
		return err
	}
	defer cl.Close()
	if src == nil {
		if src, err = loadSource(c.Context, s); err != nil {
			return err
		}
	}
	if err := applySchema(c.Context, cl); err != nil {
		return err
	}
	var cpu, mem string
	if dir := c.String("profile-dir"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("--profile-dir: %w", err)
		}
		cpu, mem = filepath.Join(dir, "load-bench-cpu.pprof"), filepath.Join(dir, "load-bench-heap.pprof")
	}
	stop, err := startProfiles(cpu, mem)
	if err != nil {
		return err
	}
	defer func() {
		if perr := stop(); err == nil {
			err = perr
		}
	}()
	bc := loader.BenchConfig{
		Rounds: rounds, Load: lc, NaivePerLabel: c.Int("naive-per-label"), ServerThreads: c.Int("server-threads"),
		Log: func(msg string) { logf("%s", msg) },
	}
	res, err := loader.Bench(c.Context, cl, src, bc)
	if err != nil {
		return err
	}
	run := loadBenchRun(res, bc, fp, describe)
	if commit, err := baseline.GitCommit(c.Context, ""); err == nil {
		run.Commit = commit
	}
	run.Server = serverInfo(c.Context, cl, cc.Hosts)

	rep, err := bo.compareRun(run)
	if err != nil {
		return err
	}
	err = bo.writeOutput(c.App.Writer, run, rep, res.WriteText, func(d report.Document) any {
		return loadBenchDocument{BenchResult: res, Document: d}
	})
	if err != nil {
		return err
	}
	if err := bo.writeHTML(run, rep, logf); err != nil {
		return err
	}
	if err := bo.saveRun(run, logf); err != nil {
		return err
	}
	if err := bo.regression(rep); err != nil {
		return err
	}
	if c.Bool("fail-on-target") && !res.MeetsTargets() {
		return cli.Exit(fmt.Sprintf("load-bench: targets missed (loader/naive %.1f×, loader/server-side %.2f×)",
			res.NaiveRatio, res.ServerRatio), exitFailure)
	}
	return nil
}

// loadBenchDocument is load-bench's --json output: the loader's result
// (rounds, summaries, ratios: the fields load-bench always printed) and
// the shared document (run summary, comparison, failed).
type loadBenchDocument struct {
	*loader.BenchResult
	report.Document
}

// loadBenchRun turns a load-bench result into a run: one operation per
// load (loader, naive, server-side) whose samples are its per-round
// elements/s (unit elements/s, higher is better), and whose parameter says
// what was loaded and how, so that a comparison of different work is
// flagged. fp and describe identify the dataset.
func loadBenchRun(res *loader.BenchResult, bc loader.BenchConfig, fp, describe string) *baseline.Run {
	run := baseline.NewRun(loadBenchSpec.command)
	run.Dataset = fp
	run.Driver = driver.Graphperf
	run.Settings = map[string]string{
		"dataset": describe, "source": res.Source, "rounds": strconv.Itoa(bc.Rounds),
		"workers": strconv.Itoa(bc.Load.Workers), "batch-size": strconv.Itoa(bc.Load.BatchSize),
		"naive-per-label": strconv.Itoa(bc.NaivePerLabel), "server-threads": strconv.Itoa(bc.ServerThreads),
	}
	unit := stats.Rate("elements/s")
	add := func(name string, rates []loader.Rate, param map[string]any) {
		op := baseline.Operation{Name: name, Unit: unit, Samples: make([]float64, 0, len(rates))}
		for _, r := range rates {
			op.Samples = append(op.Samples, r.PerSec)
		}
		if len(rates) > 0 {
			param["elements"] = rates[0].Elements
		}
		if p, err := json.Marshal(param); err == nil {
			op.Params = []json.RawMessage{p}
		}
		run.Operations = append(run.Operations, op)
	}
	add(opLoader, res.Loader, map[string]any{"workers": bc.Load.Workers, "batch_size": bc.Load.BatchSize})
	add(opNaive, res.Naive, map[string]any{"per_label": bc.NaivePerLabel})
	add(opServerSide, res.ServerSide, map[string]any{"threads": bc.ServerThreads, "batch_size": bc.Load.BatchSize})
	return run
}
