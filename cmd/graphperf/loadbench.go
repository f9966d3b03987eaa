package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/loader"
)

func loadBenchCommand() *cli.Command {
	return &cli.Command{
		Name:  "load-bench",
		Usage: "benchmark the loader against a naive loader and the server-side limit, side by side",
		Description: "Loads the same dataset into a freshly dropped graph --rounds times and reports elements/s\n" +
			"with its spread, next to two references measured in the same rounds on the same server:\n" +
			"  naive        one request per element (addV / addE with indexed endpoint lookups),\n" +
			"               sequential, on a slice of the data (--naive-per-label vertices per label\n" +
			"               and the edges joining them);\n" +
			"  server-side  a script inside the server creating as many vertices and edges with the\n" +
			"               same properties, in transactions of --batch-size, on --server-threads\n" +
			"               threads: no network, no client serialization.\n" +
			"Targets: loader ≥ 100× naive and ≥ 0.5× server-side; --fail-on-target exits 1 when missed.\n" +
			"DESTRUCTIVE: drops the graph before every load (requires --yes). CPU and heap profiles of\n" +
			"the client go to --profile-dir.\n\n" +
			"   graphperf --hosts 127.0.0.1:8194 load-bench --scale 0.01 --rounds 3 --yes",
		Flags: []cli.Flag{
			&cli.Float64Flag{Name: "scale", Value: 0.01, Usage: "generated data size (see load --scale)"},
			&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "generator seed"},
			&cli.StringFlag{Name: "from", Usage: "benchmark with the dataset `DIR` instead of generating"},
			&cli.IntFlag{Name: "rounds", Value: 3, Usage: "measured rounds of each load"},
			&cli.IntFlag{Name: "workers", Value: loader.DefaultWorkers, Usage: "loader batches in flight"},
			&cli.IntFlag{Name: "batch-size", Value: loader.DefaultBatchSize, Usage: "elements per batch (loader and server-side transactions)"},
			&cli.IntFlag{Name: "naive-per-label", Value: 50, Usage: "vertices per label loaded by the naive reference"},
			&cli.IntFlag{Name: "server-threads", Value: 2, Usage: "concurrent server-side scripts (the server's gremlinPool)"},
			&cli.StringFlag{Name: "profile-dir", Value: "profiles", Usage: "write load-bench-cpu.pprof and load-bench-heap.pprof here (\"\" disables)"},
			&cli.BoolFlag{Name: "yes", Usage: "confirm that the graph may be dropped"},
			&cli.BoolFlag{Name: "fail-on-target", Usage: "exit 1 when a target ratio is missed"},
			&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
		},
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
	s := &loadSettings{from: c.String("from"), gen: banking.Config{Seed: c.Uint64("seed"), Scale: c.Float64("scale"),
		Patterns: banking.DefaultPatterns(), Workers: runtime.NumCPU()}}
	if s.from == "" && (!(s.gen.Scale > 0) || s.gen.Scale > 1000) {
		return usageErrorf("--scale must be > 0 and ≤ 1000, got %v", s.gen.Scale)
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
	stderr := c.App.ErrWriter
	res, err := loader.Bench(c.Context, cl, src, loader.BenchConfig{
		Rounds: c.Int("rounds"), Load: lc, NaivePerLabel: c.Int("naive-per-label"), ServerThreads: c.Int("server-threads"),
		Log: func(msg string) { fmt.Fprintf(stderr, "graphperf: load-bench: %s\n", msg) },
	})
	if err != nil {
		return err
	}
	if c.Bool("json") {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else if err := res.WriteText(c.App.Writer); err != nil {
		return err
	}
	if c.Bool("fail-on-target") && !res.MeetsTargets() {
		return cli.Exit(fmt.Sprintf("load-bench: targets missed (loader/naive %.1f×, loader/server-side %.2f×)",
			res.NaiveRatio, res.ServerRatio), exitFailure)
	}
	return nil
}
