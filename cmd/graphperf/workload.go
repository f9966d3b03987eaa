package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
	"github.com/graphperf/graphperf/bench/workload/finbench/txn"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/internal/outfile"
	"github.com/graphperf/graphperf/loader"
)

// workloadSpec: workload runs store latencies, compared with workload runs.
var workloadSpec = benchSpec{command: txn.Command}

func workloadCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.Float64Flag{Name: "tcr", Value: 0.001, Usage: "time compression ratio `R`: an update d after the first runs at d×R (lower is more load)"},
		&cli.IntFlag{Name: "clients", Value: workload.DefaultClients, Usage: "concurrent workers"},
		&cli.DurationFlag{Name: "duration", Usage: "run only the operations scheduled within `D` (0: the whole update stream)"},
		&cli.DurationFlag{Name: "warmup", Usage: "exclude the operations scheduled in the first `D` from the measurements"},
		&cli.StringFlag{Name: "freq", Usage: "override frequencies, updates per operation: `TYPE=N,...` (N=-1 leaves a type out), e.g. TCR1=6,TSR1=-1"},
		&cli.IntFlag{Name: "params", Value: paramgen.DefaultPerType, Usage: "parameter sets curated per operation type"},
		&cli.Uint64Flag{Name: "params-seed", Usage: "seed of the parameter order"},
		&cli.BoolFlag{Name: "load", Usage: "empty the graph and load the bulk part before the run (before every probe with --find-max)"},
		&cli.BoolFlag{Name: "validate", Usage: "run every operation type once, serially, and check each answer exactly (FinBench validation; --freq TYPE=-1 leaves a type out)"},
		&cli.BoolFlag{Name: "find-max", Usage: "bisect the lowest passing TCR between --tcr-low and --tcr-high (needs --load)"},
		&cli.Float64Flag{Name: "tcr-low", Value: 0.0001, Usage: "with --find-max, the heaviest load tried"},
		&cli.Float64Flag{Name: "tcr-high", Value: 0.01, Usage: "with --find-max, the lightest load tried (must pass)"},
		&cli.StringFlag{Name: "timeline", Usage: "write the throughput over time (ops/s per second) as an SVG chart to `FILE.svg`"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress on stderr"},
	}
	flags = append(flags, baselineFlags(workloadSpec)...)
	flags = append(flags, sourceFlags(true)...)
	return &cli.Command{
		Name:        "workload",
		Usage:       "run the FinBench transaction workload (open loop, on schedule, checked answers)",
		Description: help("workload"),
		Flags:       flags,
		Action:      runWorkload,
	}
}

// wlOptions are workload's validated flags.
type wlOptions struct {
	*baselineOptions
	src      dataset.Source
	sched    txn.ScheduleConfig
	driver   workload.Config
	params   paramgen.Config
	fm       workload.FindMaxConfig
	timeline string
	load     bool
	validate bool
	findMax  bool
	quiet    bool
}

func workloadOptions(c *cli.Context) (*wlOptions, error) {
	o := &wlOptions{load: c.Bool("load"), validate: c.Bool("validate"), findMax: c.Bool("find-max"), quiet: c.Bool("quiet")}
	if err := atLeast(c, 1, "clients", "params"); err != nil {
		return nil, err
	}
	o.sched = txn.ScheduleConfig{TCR: c.Float64("tcr"), Duration: c.Duration("duration")}
	o.driver = workload.Config{Clients: c.Int("clients"), Warmup: c.Duration("warmup"), KeepSamples: true}
	if err := (txn.Config{Schedule: o.sched, Driver: o.driver}).Validate(); err != nil {
		return nil, err
	}
	o.params = paramgen.Config{PerType: c.Int("params"), Seed: c.Uint64("params-seed")}
	var err error
	if o.sched.Frequencies, err = txn.ParseFrequencies(c.String("freq")); err != nil {
		return nil, err
	}
	if o.findMax {
		lo, hi := c.Float64("tcr-low"), c.Float64("tcr-high")
		if !(lo > 0) || !(hi > lo) {
			return nil, usageErrorf("--tcr-low and --tcr-high must satisfy 0 < low < high, got %v and %v", lo, hi)
		}
		if !o.load {
			return nil, usageErrorf("--find-max runs the workload several times: it needs --load to restore the graph before each run")
		}
		if o.validate {
			return nil, usageErrorf("--validate and --find-max are exclusive")
		}
		o.fm = workload.FindMaxConfig{Low: lo, High: hi}
	}
	if o.validate {
		for _, f := range []string{"save", "compare", "report", "fail-on"} {
			if c.IsSet(f) {
				return nil, usageErrorf("--validate checks answers and measures nothing: it excludes --%s", f)
			}
		}
	}
	if o.src, err = readSource(c); err != nil {
		return nil, err
	}
	if o.src.Dir == "" && !c.IsSet("update-share") {
		o.src.Config.UpdateShare = banking.FinBenchUpdateShare
	}
	if o.timeline = c.String("timeline"); c.IsSet("timeline") {
		if o.validate {
			return nil, usageErrorf("--validate measures nothing: it excludes --timeline")
		}
		if err := checkFileFlag("timeline", o.timeline); err != nil {
			return nil, err
		}
	}
	if o.baselineOptions, err = parseBaselineOptions(c, workloadSpec); err != nil {
		return nil, err
	}
	return o, nil
}

func runWorkload(c *cli.Context) error {
	o, err := workloadOptions(c)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) {
		if !o.quiet {
			fmt.Fprintf(c.App.ErrWriter, "workload: "+format+"\n", args...)
		}
	}
	w, data, err := o.prepare(c, logf)
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	defer cl.Close()
	ex := workload.ClientExecutor{Client: cl}
	cfg := txn.Config{Schedule: o.sched, Driver: o.driver}
	var notLoaded *txn.NotLoadedError
	if o.load {
		dir, err := os.MkdirTemp("", "graphperf-workload-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		restore := txn.Restorer(cl, data, loader.Config{StateDir: dir})
		cfg.Reset = func(ctx context.Context) error {
			logf("emptying the graph and loading the bulk part (%d batches)", len(w.Bulk))
			return restore(ctx)
		}
	} else if err := txn.CheckLoaded(c.Context, cl, data.Fingerprint); errors.As(err, &notLoaded) {
		return fmt.Errorf("the graph does not hold the bulk part of %s (found %d other or partial loads): "+
			"run again with --load (it empties the graph), or `graphperf load %s` first", describeSource(o.src), notLoaded.Found, describeSource(o.src))
	} else if err != nil {
		return err
	} else {
		logf("the graph holds the bulk part; if an earlier run changed it, restore it with --load")
	}
	if o.validate {
		if cfg.Reset != nil {
			if err := cfg.Reset(c.Context); err != nil {
				return err
			}
		}
		return runValidation(c, w, ex, o.sched.Frequencies)
	}
	if !o.quiet {
		cfg.Driver.Progress = func(p workload.Progress) { fmt.Fprintf(c.App.ErrWriter, "workload: %s\n", p) }
	}
	return o.measure(c, w, ex, cfg, logf)
}

// prepare opens the data and prepares the workload (replaying the
// parameters of the --compare run).
func (o *wlOptions) prepare(c *cli.Context, logf func(string, ...any)) (*txn.Workload, *dataset.Data, error) {
	data, err := openData(c, o.src, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := o.checkDataset(data.Fingerprint); err != nil {
		return nil, nil, err
	}
	pc := txn.PrepareConfig{Params: o.params}
	if base := o.gate.Base; base != nil {
		if pc.Replay, err = txn.ParamsFromRun(base); err != nil {
			return nil, nil, usageErrorf("--compare %s: %v", base.Name, err)
		}
		logf("replaying the %d parameter sets per type of run %s", pc.Replay.PerType, base.Name)
	}
	logf("preparing %s: bulk part, update stream, parameters", describeSource(o.src))
	w, err := txn.Prepare(c.Context, data, pc)
	if errors.Is(err, txn.ErrNotSplit) {
		return nil, nil, usageErrorf("%s has no update stream: generate it with --update-share (FinBench: 0.03)", describeSource(o.src))
	}
	if err != nil {
		return nil, nil, sourceError(data.Source, err)
	}
	return w, data, nil
}

// measure runs the workload (or --find-max), prints and saves the run.
func (o *wlOptions) measure(c *cli.Context, w *txn.Workload, ex workload.Executor, cfg txn.Config, logf func(string, ...any)) error {
	var fm *workload.FindMaxConfig
	if o.findMax {
		fm = &o.fm
	}
	res, err := w.Measure(c.Context, ex, cfg, fm, logf)
	if err != nil { // interrupted: print what ran, save nothing
		if res != nil {
			return firstError(res.WriteText(c.App.Writer), err)
		}
		return err
	}
	if o.timeline != "" {
		if err := outfile.WriteAtomic(o.timeline, res.Report.WriteTimelineSVG); err != nil {
			return fmt.Errorf("--timeline: %w", err)
		}
		logf("timeline written to %s", o.timeline)
	}
	run, err := w.Baseline(res, o.driver.Clients)
	if err != nil {
		return err
	}
	rep, err := o.compareRun(run)
	if err != nil {
		return err
	}
	doc := func(d report.Document) any {
		return struct {
			report.Document
			*txn.Summary
		}{d, res.Summary()}
	}
	if err := o.finish(c.App.Writer, run, rep, res.Passed(), logf, res.WriteText, doc); err != nil {
		return err
	}
	if !res.Passed() {
		return cli.Exit("workload: "+res.Failure(), exitFailure)
	}
	return nil
}

// runValidation runs --validate and prints one line per operation.
func runValidation(c *cli.Context, w *txn.Workload, ex workload.Executor, leaveOut map[string]int) error {
	v, err := w.Validate(c.Context, ex, leaveOut)
	if v != nil {
		if werr := v.WriteText(c.App.Writer); werr != nil {
			return werr
		}
	}
	if errors.Is(err, txn.ErrValidation) {
		return cli.Exit("workload: "+err.Error(), exitFailure)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "VALIDATION PASSED: %d operations checked\n", len(v.Outcomes))
	return nil
}
