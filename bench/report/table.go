// Package report renders benchmark runs and comparisons: a readable table,
// JSON for machines, the Go benchmark format (so that benchstat can check
// any claim independently), and a standalone HTML report with a latency
// distribution plot per operation.
package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchunit"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
)

// FormatValue renders v in unit u with three significant digits and an SI
// prefix: "1.23ms" for latencies, "12.3k elements/s" for rates.
func FormatValue(v float64, u stats.Unit) string {
	if math.IsNaN(v) {
		return "-"
	}
	if math.IsInf(v, 0) {
		return "∞"
	}
	if u.IsLatency() {
		return benchunit.Scale(v, benchunit.Decimal) + "s"
	}
	return benchunit.Scale(v, benchunit.Decimal) + " " + u.Name
}

// ciPct renders a median CI as "±N%" (its larger half-width relative to the
// median), or "±∞" when too few samples give no interval.
func ciPct(ci stats.CI) string {
	if !ci.Finite {
		return "±∞"
	}
	if ci.Center == 0 {
		return "±0%"
	}
	v := math.Max(ci.Hi/ci.Center-1, 1-ci.Lo/ci.Center)
	return fmt.Sprintf("±%.0f%%", 100*v)
}

func pct(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return "?"
	}
	return fmt.Sprintf("%+.1f%%", 100*v)
}

func deltaCI(d compare.DeltaCI) string {
	if !d.Finite {
		return "[?]"
	}
	return "[" + pct(d.Lo) + ", " + pct(d.Hi) + "]"
}

// WriteRunTable writes a one-run summary: one row per operation with n,
// min, median (±95% CI), p90, p95, p99, max, mean, stddev, MAD, ops/s and
// failed calls.
func WriteRunTable(w io.Writer, run *baseline.Run) error {
	fmt.Fprintf(w, "%s  commit %s  dataset %s  driver %s  %s/%s %d cores  %s\n",
		orDash(run.Command), orDash(run.Commit), orDash(run.Dataset), orDash(run.Driver),
		run.Machine.GOOS, run.Machine.GOARCH, run.Machine.Cores, orDash(run.GoVersion))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tn\tmin\tmedian\t±CI\tp90\tp95\tp99\tmax\tmean\tstddev\tMAD\tops/s\terrors\t")
	for i := range run.Operations {
		op := &run.Operations[i]
		s := op.Summary()
		f := func(v float64) string { return FormatValue(v, op.Unit) }
		ops := "-"
		if t := op.Throughput(); t > 0 {
			ops = benchunit.Scale(t, benchunit.Decimal)
		} else if s.Ops > 0 {
			ops = benchunit.Scale(s.Ops, benchunit.Decimal)
		}
		if s.N == 0 {
			fmt.Fprintf(tw, "%s\t0\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t%d\t\n", op.Name, op.ErrorCount)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n",
			op.Name, s.N, f(s.Min), f(s.Median), ciPct(s.MedianCI), f(s.P90), f(s.P95), f(s.P99),
			f(s.Max), f(s.Mean), f(s.Stddev), f(s.MAD), ops, op.ErrorCount)
	}
	return tw.Flush()
}

// WriteCompareTable writes a benchstat-like comparison: per operation the
// baseline and current medians with their CIs, the change of the median
// with its CI, the Holm-adjusted p-value, the verdict and whether it
// regressed; then the decision rule and the outcome.
func WriteCompareTable(w io.Writer, rep *compare.Report) error {
	fmt.Fprintf(w, "baseline: %s  commit %s  %s\n", orDash(rep.Base.Name), orDash(rep.Base.Commit), orDash(rep.Base.Started))
	fmt.Fprintf(w, "current:  commit %s  %s\n", orDash(rep.Current.Commit), orDash(rep.Current.Started))
	fmt.Fprintf(w, "dataset:  %s\n", orDash(rep.Current.Dataset))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "operation\tbaseline\t\tcurrent\t\tchange of median [95% CI]\tp (Holm)\tn\tverdict\t")
	for _, r := range rep.Results {
		f := func(v float64) string { return FormatValue(v, r.Unit) }
		p := "-"
		if r.Verdict != compare.Inconclusive {
			p = fmt.Sprintf("%.3f", r.AdjustedP)
		}
		verdict := string(r.Verdict)
		if r.Regressed {
			verdict += "  REGRESSION"
		} else if r.Verdict == compare.Slower {
			var why []string
			if !r.ThresholdExceeded {
				why = append(why, "under threshold")
			}
			if !r.FloorPassed {
				why = append(why, "under min-delta")
			}
			verdict += " (" + strings.Join(why, ", ") + ")"
		}
		if r.CurrentErrors > 0 {
			verdict += fmt.Sprintf("  %d ERRORS", r.CurrentErrors)
		}
		change := "-"
		if r.Base.N > 0 && r.Current.N > 0 {
			change = pct(r.Delta) + " " + deltaCI(r.DeltaCI)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d+%d\t%s\t\n",
			r.Name, f(r.Base.Median), ciPct(r.Base.MedianCI), f(r.Current.Median), ciPct(r.Current.MedianCI),
			change, p, r.Base.N, r.Current.N, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range rep.OnlyInBase {
		fmt.Fprintf(w, "%s: only in the baseline, not compared\n", n)
	}
	for _, n := range rep.OnlyInCurrent {
		fmt.Fprintf(w, "%s: only in the current run, not compared\n", n)
	}
	for _, r := range rep.Results {
		for _, warn := range r.Warnings {
			fmt.Fprintf(w, "%s: warning: %s\n", r.Name, warn)
		}
	}
	minDelta := rep.MinDelta
	if minDelta == "" {
		minDelta = "1ms for latencies, 1% for rates"
	}
	failOn := rep.FailOn
	if failOn == "" {
		failOn = "(none)"
	}
	fmt.Fprintf(w, "rule: Mann-Whitney U, Holm over %d operations at alpha=%g; regression = slower AND fail-on %s AND min-delta %s\n",
		rep.Family, rep.Alpha, failOn, minDelta)
	if rep.Failed() {
		_, err := fmt.Fprintf(w, "FAIL: %d regression(s): %s\n", len(rep.Regressions), strings.Join(rep.Regressions, ", "))
		return err
	}
	_, err := fmt.Fprintln(w, "ok: no regression")
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
