package main

// The baseline machinery shared by query-bench and load-bench: --save,
// --compare, --baseline-dir, --fail-on, --min-delta, --json, --format
// gobench and --report, on top of bench/baseline, bench/compare and
// bench/report. A command builds a *baseline.Run of its own operations; the
// rest (refusing another dataset, comparing, printing, saving, exit codes)
// is the same for both.

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/gate"
	"github.com/graphperf/graphperf/bench/report"
)

// benchSpec says which command a run belongs to and what its samples are.
type benchSpec struct {
	// command is the run's Command ("query-bench", "load-bench"): a
	// baseline saved by another command is refused.
	command string
	// rate is true when the samples are rates (higher is better, e.g.
	// elements/s), false for latencies in seconds.
	rate bool
	// selfFlag names the command's flag that compares runs of its own
	// (query-bench --ab), so that --fail-on and --min-delta need no
	// --compare; "" for none.
	selfFlag string
}

// baselineFlags returns the flags of the shared machinery.
func baselineFlags(spec benchSpec) []cli.Flag {
	minDelta := "with --compare, the smallest median worsening that can fail (`D`, e.g. 1ms, 2%, 1ms+2%; default 1ms)"
	plots := "latency plots"
	if spec.rate {
		minDelta = "with --compare, the smallest drop of the median rate that can fail (`D` in the rate's unit or percent, e.g. 500, 2%, 500+2%; default 1%)"
		plots = "plots of the per-round rates"
	}
	return append([]cli.Flag{
		&cli.StringFlag{Name: "save", Usage: "store this run as `NAME` (JSON with raw samples) under --baseline-dir"},
		&cli.StringFlag{Name: "compare", Usage: "compare with the stored run `NAME`; exit 1 on a regression"},
		&cli.StringFlag{Name: "baseline-dir", Value: baseline.DefaultDir, Usage: "`DIR` of stored runs"},
		&cli.StringFlag{Name: "fail-on", Usage: "with --compare, the regression threshold `EXPR` (pytest-benchmark syntax), e.g. 'median:10%,p95:25%'"},
		&cli.StringFlag{Name: "min-delta", Usage: minDelta},
		&cli.BoolFlag{Name: "json", Usage: "print the summary (and comparison) as JSON"},
		&cli.StringFlag{Name: "format", Value: "table", Usage: "output `FORMAT`: table or gobench (Go benchmark format, for benchstat)"},
		&cli.StringFlag{Name: "report", Usage: "write a standalone HTML report with " + plots + " to `FILE.html`"},
	}, resultsFlags()...)
}

// baselineOptions are the validated flags of the shared machinery.
type baselineOptions struct {
	spec   benchSpec
	gate   gate.Config
	format gate.Format
	// results stores the run in the results graph (--store-graph); c is
	// the command's context it needs.
	results *resultsOptions
	c       *cli.Context
}

// parseBaselineOptions validates the shared flags and loads the --compare
// run. Every mistake is a usage error (exit 2): a malformed --fail-on
// prints the grammar, a missing baseline names the file looked for.
func parseBaselineOptions(c *cli.Context, spec benchSpec) (*baselineOptions, error) {
	o := &baselineOptions{spec: spec, c: c,
		gate: gate.Config{Command: spec.command, Dir: c.String("baseline-dir"), Save: c.String("save"), HTML: c.String("report")}}
	// An empty value is a mistake (e.g. an unset CI variable), never a way
	// to switch a gate off.
	for _, f := range []string{"save", "compare", "report", "baseline-dir", "fail-on", "min-delta"} {
		if c.IsSet(f) && strings.TrimSpace(c.String(f)) == "" {
			return nil, usageErrorf("--%s is empty: give a value or leave the flag out", f)
		}
	}
	switch c.String("format") {
	case "table", "":
	case "gobench":
		o.format = gate.GoBench
	default:
		return nil, usageErrorf("--format must be table or gobench, got %q", c.String("format"))
	}
	if c.Bool("json") && o.format == gate.GoBench {
		return nil, usageErrorf("--json and --format gobench are exclusive")
	} else if c.Bool("json") {
		o.format = gate.JSON
	}
	var err error
	if o.results, err = parseResultsOptions(c); err != nil {
		return nil, err
	}
	samples := gate.Latencies
	if spec.rate {
		samples = gate.Rates
	}
	var se *gate.SettingError
	if o.gate.Compare, err = gate.ParseCompare(c.String("fail-on"), c.String("min-delta"), samples); errors.As(err, &se) {
		return nil, usageErrorf("--%s: %v", se.Setting, err)
	}
	if o.gate.Base, err = loadBaseline(c, o.gate.Dir); err != nil {
		return nil, err
	}
	if o.gate.Base == nil && (c.IsSet("fail-on") || c.IsSet("min-delta")) {
		if spec.selfFlag == "" {
			return nil, usageErrorf("--fail-on and --min-delta need --compare NAME")
		}
		if !c.IsSet(spec.selfFlag) {
			return nil, usageErrorf("--fail-on and --min-delta need --compare NAME (or --%s)", spec.selfFlag)
		}
	}
	return o, checkOutputs(o.gate)
}

// loadBaseline loads the --compare run from dir (nil without the flag).
func loadBaseline(c *cli.Context, dir string) (*baseline.Run, error) {
	name := c.String("compare")
	if name == "" {
		return nil, nil
	}
	base, err := baseline.Load(dir, name)
	var nf *baseline.NotFoundError
	var in *baseline.InvalidNameError
	switch {
	case errors.As(err, &nf):
		return nil, usageErrorf("--compare %s: no stored run at %s (create it with --save %s)", name, nf.Path, name)
	case errors.As(err, &in):
		return nil, usageErrorf("--compare: %v", err)
	case err != nil:
		return nil, fmt.Errorf("--compare %s: %w", name, err)
	}
	return base, nil
}

// checkOutputs runs gate.Check with errors naming the flags (exit 2).
func checkOutputs(g gate.Config) error {
	err := g.Check()
	var oe *gate.OutputError
	var cm *gate.CommandMismatchError
	switch {
	case errors.As(err, &oe) && oe.Kind == "report":
		return usageErrorf("--report: cannot write %s: %v", oe.Path, oe.Err)
	case errors.As(err, &oe):
		return usageErrorf("--save/--baseline-dir: cannot write %s: %v", oe.Path, oe.Err)
	case errors.As(err, &cm):
		return usageErrorf("--compare %s: that run was saved by %s, not %s: compare %s runs only with %s runs",
			cm.BaseName, cm.Base, cm.Current, cm.Current, cm.Current)
	case err != nil:
		return usageErrorf("--save: %v", err)
	}
	return nil
}

// checkDataset refuses (exit 2), before anything is measured, a baseline
// measured on another dataset than the one with fingerprint fp.
func (o *baselineOptions) checkDataset(fp string) error {
	if err := o.gate.CheckDataset(fp); err != nil {
		return usageErrorf("--compare %s: %v", o.gate.Base.Name, err)
	}
	return nil
}

// compareRun compares run with the --compare baseline; the report is nil
// without one. A comparison that compares nothing fails (exit 1).
func (o *baselineOptions) compareRun(run *baseline.Run) (*compare.Report, error) {
	rep, err := o.gate.CompareRun(run)
	var dm *compare.DatasetMismatchError
	var nc *compare.NothingComparedError
	switch {
	case errors.As(err, &dm):
		return nil, usageErrorf("--compare: %v", err)
	case errors.As(err, &nc):
		return nil, cli.Exit(fmt.Sprintf("%s: --compare %s: %v; the gate cannot decide", o.spec.command, o.gate.Base.Name, err), exitFailure)
	}
	return rep, err
}

// finish prints the run, writes --report and --save (save only when ok),
// and returns the regression verdict (exit 1). Every output that can be
// written is written; one that fails is named.
func (o *baselineOptions) finish(w io.Writer, run *baseline.Run, rep *compare.Report, ok bool, logf func(string, ...any),
	table func(io.Writer) error, jsonDoc func(report.Document) any) error {
	werr := gate.Write(w, o.format, run, rep, table, jsonDoc)
	out, ferr := o.gate.Finish(run, rep, ok)
	if out.HTML != "" {
		logf("report written to %s", out.HTML)
	}
	if out.Saved != "" {
		logf("run saved as %s (%s)", o.gate.Save, out.Saved)
	}
	// Stored whatever the verdict: a regressed run is the one to inspect.
	serr := o.results.storeRun(o.c, run, logf)
	if err := errors.Join(werr, ferr, serr); err != nil {
		return err
	}
	var re *gate.RegressionError
	if err := o.gate.Verdict(rep); errors.As(err, &re) {
		return cli.Exit(err.Error(), exitFailure)
	}
	return nil
}
