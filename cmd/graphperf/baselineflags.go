package main

// The baseline machinery shared by query-bench and load-bench: --save,
// --compare, --baseline-dir, --fail-on, --min-delta, --json, --format
// gobench and --report, on top of bench/baseline, bench/compare and
// bench/report. A command builds a *baseline.Run of its own operations; the
// rest (refusing another dataset, comparing, printing, saving, exit codes)
// is the same for both.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/loader"
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
	return []cli.Flag{
		&cli.StringFlag{Name: "save", Usage: "store this run as `NAME` (JSON with raw samples) under --baseline-dir"},
		&cli.StringFlag{Name: "compare", Usage: "compare with the stored run `NAME`; exit 1 on a regression"},
		&cli.StringFlag{Name: "baseline-dir", Value: baseline.DefaultDir, Usage: "`DIR` of stored runs"},
		&cli.StringFlag{Name: "fail-on", Usage: "with --compare, the regression threshold `EXPR` (pytest-benchmark syntax), e.g. 'median:10%,p95:25%'"},
		&cli.StringFlag{Name: "min-delta", Usage: minDelta},
		&cli.BoolFlag{Name: "json", Usage: "print the summary (and comparison) as JSON"},
		&cli.StringFlag{Name: "format", Value: "table", Usage: "output `FORMAT`: table or gobench (Go benchmark format, for benchstat)"},
		&cli.StringFlag{Name: "report", Usage: "write a standalone HTML report with " + plots + " to `FILE.html`"},
	}
}

// baselineOptions are the validated flags of the shared machinery.
type baselineOptions struct {
	spec    benchSpec
	cmp     compare.Config
	base    *baseline.Run // the --compare run, nil without it
	baseDir string
	save    string
	json    bool
	gobench bool
	report  string
}

// parseBaselineOptions validates the shared flags and loads the --compare
// run. Every mistake is a usage error (exit 2): a malformed --fail-on
// prints the grammar, a missing baseline names the file looked for.
func parseBaselineOptions(c *cli.Context, spec benchSpec) (*baselineOptions, error) {
	o := &baselineOptions{spec: spec, baseDir: c.String("baseline-dir"), save: c.String("save"),
		json: c.Bool("json"), report: c.String("report")}
	switch c.String("format") {
	case "table", "":
	case "gobench":
		o.gobench = true
	default:
		return nil, usageErrorf("--format must be table or gobench, got %q", c.String("format"))
	}
	if o.json && o.gobench {
		return nil, usageErrorf("--json and --format gobench are exclusive")
	}
	if s := c.String("fail-on"); s != "" {
		th, err := compare.ParseThresholds(s)
		if err != nil {
			return nil, usageErrorf("--fail-on: %v", err)
		}
		if spec.rate {
			for _, ch := range th {
				if ch.Field == "ops" {
					return nil, usageErrorf("--fail-on %q: ops (calls/s, 1/mean latency) applies to latencies; %s measures rates: use median, mean, min or pNN\naccepted grammar:\n%s",
						s, spec.command, compare.Grammar)
				}
			}
		}
		o.cmp.FailOn = th
	}
	if s := c.String("min-delta"); s != "" {
		f, err := compare.ParseFloor(s)
		if err != nil {
			return nil, usageErrorf("--min-delta: %v", err)
		}
		if spec.rate {
			if part, ok := durationPart(s); ok {
				return nil, usageErrorf("--min-delta %q: %q is a duration, but %s measures rates: give a number in the rate's unit (e.g. 500), a percentage (2%%) or both (500+2%%)",
					s, part, spec.command)
			}
		}
		o.cmp.MinDelta = &f
	}
	if name := c.String("compare"); name != "" {
		base, err := baseline.Load(o.baseDir, name)
		if err != nil {
			var nf *baseline.NotFoundError
			var in *baseline.InvalidNameError
			switch {
			case errors.As(err, &nf):
				return nil, usageErrorf("--compare %s: no stored run at %s (create it with --save %s)", name, nf.Path, name)
			case errors.As(err, &in):
				return nil, usageErrorf("--compare: %v", err)
			}
			return nil, fmt.Errorf("--compare %s: %w", name, err)
		}
		if base.Command != spec.command {
			return nil, usageErrorf("--compare %s: that run was saved by %s, not %s: compare %s runs only with %s runs",
				name, base.Command, spec.command, spec.command, spec.command)
		}
		o.base = base
	} else if c.IsSet("fail-on") || c.IsSet("min-delta") {
		if spec.selfFlag == "" {
			return nil, usageErrorf("--fail-on and --min-delta need --compare NAME")
		}
		if !c.IsSet(spec.selfFlag) {
			return nil, usageErrorf("--fail-on and --min-delta need --compare NAME (or --%s)", spec.selfFlag)
		}
	}
	if o.save != "" {
		if _, err := baseline.Path(o.baseDir, o.save); err != nil {
			return nil, usageErrorf("--save: %v", err)
		}
	}
	return o, nil
}

// durationPart returns the first "+"-separated part of a --min-delta value
// that is neither a percentage nor a plain number (ParseFloor reads it as a
// duration).
func durationPart(s string) (string, bool) {
	for part := range strings.SplitSeq(s, "+") {
		part = strings.TrimSpace(part)
		if strings.HasSuffix(part, "%") {
			continue
		}
		if _, err := strconv.ParseFloat(part, 64); err == nil {
			continue
		}
		return part, true
	}
	return "", false
}

// checkDataset refuses (exit 2), before anything is measured, a baseline
// measured on another dataset than the one with fingerprint fp.
func (o *baselineOptions) checkDataset(fp string) error {
	if o.base != nil && o.base.Dataset != fp {
		return usageErrorf("--compare %s: %v", o.base.Name, &compare.DatasetMismatchError{BaseName: o.base.Name, Base: o.base.Dataset, Current: fp})
	}
	return nil
}

// compareRun compares run with the --compare baseline; the report is nil
// without one.
func (o *baselineOptions) compareRun(run *baseline.Run) (*compare.Report, error) {
	if o.base == nil {
		return nil, nil
	}
	rep, err := compare.Compare(o.base, run, o.cmp)
	if err != nil {
		var dm *compare.DatasetMismatchError
		if errors.As(err, &dm) {
			return nil, usageErrorf("--compare: %v", err)
		}
		return nil, err
	}
	return rep, nil
}

// writeOutput prints the run and its comparison: --json (the document
// jsonDoc returns, report.Document when jsonDoc is nil), --format gobench,
// or the table (table, report.WriteRunTable when nil) followed by the
// comparison table.
func (o *baselineOptions) writeOutput(w io.Writer, run *baseline.Run, rep *compare.Report,
	table func(io.Writer) error, jsonDoc func(report.Document) any) error {
	switch {
	case o.json && jsonDoc == nil:
		return report.WriteJSON(w, run, rep)
	case o.json:
		doc := report.Document{Run: report.Summarize(run), Comparison: rep, Failed: rep != nil && rep.Failed()}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jsonDoc(doc)); err != nil {
			return fmt.Errorf("write JSON report: %w", err)
		}
		return nil
	case o.gobench:
		return report.WriteGoBench(w, run)
	}
	if table == nil {
		table = func(w io.Writer) error { return report.WriteRunTable(w, run) }
	}
	if err := table(w); err != nil {
		return err
	}
	if rep != nil {
		fmt.Fprintln(w)
		return report.WriteCompareTable(w, rep)
	}
	return nil
}

// writeHTML writes the --report page, if asked for.
func (o *baselineOptions) writeHTML(run *baseline.Run, rep *compare.Report, logf func(string, ...any)) error {
	if o.report == "" {
		return nil
	}
	if err := writeHTMLReport(o.report, run, rep); err != nil {
		return err
	}
	logf("report written to %s", o.report)
	return nil
}

// saveRun stores run as --save NAME, if asked for.
func (o *baselineOptions) saveRun(run *baseline.Run, logf func(string, ...any)) error {
	if o.save == "" {
		return nil
	}
	path, err := baseline.Save(o.baseDir, o.save, run)
	if err != nil {
		return fmt.Errorf("--save: %w", err)
	}
	logf("run saved as %s (%s)", o.save, path)
	return nil
}

// regression returns the exit-1 error of a comparison that found a
// regression, else nil.
func (o *baselineOptions) regression(rep *compare.Report) error {
	if rep == nil || !rep.Failed() {
		return nil
	}
	return cli.Exit(fmt.Sprintf("%s: regression against %s: %s", o.spec.command, o.base.Name, strings.Join(rep.Regressions, ", ")), exitFailure)
}

func writeHTMLReport(path string, run *baseline.Run, rep *compare.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	if err := report.WriteHTML(f, run, rep); err != nil {
		f.Close()
		return fmt.Errorf("--report: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	return nil
}

// genConfigFlags reads the generator flags --scale, --seed and the
// pattern counts (query-bench, load-bench).
func genConfigFlags(c *cli.Context) (banking.Config, error) {
	cfg := banking.Config{Seed: c.Uint64("seed"), Scale: c.Float64("scale"), Patterns: banking.DefaultPatterns()}
	if !(cfg.Scale > 0) || cfg.Scale > 1000 {
		return cfg, usageErrorf("--scale must be > 0 and ≤ 1000, got %v", cfg.Scale)
	}
	for _, pf := range patternFlags(&cfg.Patterns) {
		v := c.Int(pf.name)
		if v < 0 {
			return cfg, usageErrorf("--%s must be ≥ 0, got %d", pf.name, v)
		}
		*pf.field = v
	}
	return cfg, nil
}

// newGenerator is banking.New with configuration mistakes as usage errors.
func newGenerator(cfg banking.Config) (*banking.Generator, error) {
	g, err := banking.New(cfg)
	if err != nil {
		var ce *banking.ConfigError
		if errors.As(err, &ce) || errors.Is(err, banking.ErrTooManyPatterns) {
			return nil, usageErrorf("%v", err)
		}
		return nil, err
	}
	return g, nil
}

// datasetFingerprint returns the fingerprint of the dataset a bench runs
// on, as query-bench computes it (see fingerprint): from the manifest's
// generator configuration with from (a `graphperf generate` directory),
// else from gen; and the flags that name it.
func datasetFingerprint(from string, gen banking.Config) (fp, describe string, err error) {
	if from != "" {
		d, err := dataset.Open(from)
		if err != nil {
			return "", "", fmt.Errorf("--from %s: %w", from, err)
		}
		g, err := banking.New(d.Manifest.Config)
		if err != nil {
			return "", "", fmt.Errorf("--from %s: manifest config: %w", from, err)
		}
		return fingerprint(g.Config()), "--from " + from, nil
	}
	g, err := newGenerator(gen)
	if err != nil {
		return "", "", err
	}
	return fingerprint(g.Config()), describeGen(g.Config()), nil
}

// describeGen returns the flags that generate cfg's data: "--scale 0.01
// --seed 42", plus the pattern counts that differ from the defaults.
func describeGen(cfg banking.Config) string {
	s := fmt.Sprintf("--scale %g --seed %d", cfg.Scale, cfg.Seed)
	def := banking.DefaultPatterns()
	defFlags := patternFlags(&def)
	for i, pf := range patternFlags(&cfg.Patterns) {
		if *pf.field != *defFlags[i].field {
			s += fmt.Sprintf(" --%s %d", pf.name, *pf.field)
		}
	}
	return s
}

// serverInfo asks the server for its JanusGraph version and the settings
// that matter to performance; failures leave fields empty.
func serverInfo(ctx context.Context, sub loader.Submitter, hosts []string) baseline.Server {
	s := baseline.Server{Hosts: hosts, Config: map[string]string{}}
	if res, err := sub.Submit(ctx, `org.janusgraph.graphdb.configuration.JanusGraphConstants.VERSION`, nil); err == nil && len(res) == 1 {
		s.JanusGraphVersion = fmt.Sprint(res[0])
	}
	res, err := sub.Submit(ctx, `def c = graph.configuration(); ['storage.backend','storage.batch-loading','cache.db-cache','ids.block-size','query.batch']`+
		`.collectEntries{ [(it): String.valueOf(c.getProperty(it))] }`, nil)
	if err == nil {
		for _, r := range res {
			if m, ok := r.(map[any]any); ok {
				for k, v := range m {
					s.Config[fmt.Sprint(k)] = fmt.Sprint(v)
				}
			}
		}
	}
	return s
}

// holmCanFail reports whether a suite of family operations with n1 and n2
// samples each can ever call a change significant at alpha 0.05 after Holm
// correction: the smallest two-sided Mann–Whitney p (completely separated
// samples, 2/C(n1+n2, n1)) times the family size must reach alpha.
func holmCanFail(n1, n2, family int) bool {
	if n1 < 1 || n2 < 1 {
		return false
	}
	lc, _ := math.Lgamma(float64(n1 + n2 + 1))
	l1, _ := math.Lgamma(float64(n1 + 1))
	l2, _ := math.Lgamma(float64(n2 + 1))
	minP := 2 / math.Exp(lc-l1-l2)
	return minP*float64(max(family, 1)) <= 0.05
}
