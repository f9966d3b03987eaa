package report

import (
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
)

// htmlPage is the data of the HTML report template.
type htmlPage struct {
	Title    string
	Runs     []htmlRun
	Compared bool
	Rule     string
	Outcome  string
	Failed   bool
	Rows     []htmlRow
	Ops      []htmlOp
}

type htmlRun struct {
	Label, Name, Commit, Started, Dataset, Driver, Machine, Go, JanusGraph, Server string
}

type htmlRow struct {
	Name, Base, Current, Change, P, N, Verdict string
	Class                                      string
}

type htmlOp struct {
	Name     string
	Verdict  string
	Class    string
	Plot     plot
	Stats    []statRow
	Warnings []string
	Errors   []string
}

type statRow struct{ Name, Base, Current string }

// WriteHTML writes a standalone HTML report (no external resources) for
// run; when rep is not nil, the baseline of the comparison is shown next to
// the run in every plot and table. Each operation gets an inline SVG with
// the empirical CDF and a box plot of its samples.
func WriteHTML(w io.Writer, run *baseline.Run, rep *compare.Report) error {
	page := htmlPage{Title: "graphperf " + orDash(run.Command) + " report", Compared: rep != nil}
	var base *baseline.Run
	if rep != nil {
		base = rep.BaseRun
	}
	if base != nil {
		page.Runs = append(page.Runs, runInfo("baseline", base))
	}
	page.Runs = append(page.Runs, runInfo("current", run))

	verdicts := map[string]compare.Result{}
	if rep != nil {
		for _, r := range rep.Results {
			verdicts[r.Name] = r
		}
		failOn := rep.FailOn
		if failOn == "" {
			failOn = "(none)"
		}
		minDelta := rep.MinDelta
		if minDelta == "" {
			minDelta = "1ms for latencies, 1% for rates"
		}
		page.Rule = fmt.Sprintf("Mann–Whitney U (benchmath), Holm over %d operations at alpha=%g; regression = slower AND fail-on %s AND min-delta %s",
			rep.Family, rep.Alpha, failOn, minDelta)
		page.Failed = rep.Failed()
		if rep.Failed() {
			page.Outcome = fmt.Sprintf("FAIL: %d regression(s): %s", len(rep.Regressions), strings.Join(rep.Regressions, ", "))
		} else {
			page.Outcome = "ok: no regression"
		}
	}

	for i := range run.Operations {
		op := &run.Operations[i]
		var bop *baseline.Operation
		if base != nil {
			bop = base.Operation(op.Name)
		}
		cs := op.Summary()
		f := func(v float64) string { return FormatValue(v, op.Unit) }
		row := htmlRow{Name: op.Name, Current: f(cs.Median) + " " + ciPct(cs.MedianCI), N: fmt.Sprint(cs.N)}
		hop := htmlOp{Name: op.Name, Errors: op.Errors}
		var bvals []float64
		var bs stats.Summary
		if bop != nil {
			bvals = bop.Samples
			if bvals == nil {
				bvals = []float64{}
			}
			bs = bop.Summary()
			row.Base = f(bs.Median) + " " + ciPct(bs.MedianCI)
			row.N = fmt.Sprintf("%d+%d", bs.N, cs.N)
		}
		if r, ok := verdicts[op.Name]; ok {
			row.Verdict = string(r.Verdict)
			row.Class = verdictClass(r)
			if r.Regressed {
				row.Verdict += " REGRESSION"
			}
			if r.Base.N > 0 && r.Current.N > 0 {
				row.Change = pct(r.Delta) + " " + deltaCI(r.DeltaCI)
			}
			if r.Verdict != compare.Inconclusive {
				row.P = fmt.Sprintf("%.3f", r.AdjustedP)
			}
			hop.Verdict, hop.Class, hop.Warnings = row.Verdict, row.Class, r.Warnings
		}
		if op.ErrorCount > 0 {
			row.Verdict += fmt.Sprintf(" %d errors", op.ErrorCount)
			row.Class = "bad"
		}
		page.Rows = append(page.Rows, row)

		hop.Plot = newPlot(bvals, op.Samples, op.Unit)
		hop.Stats = statRows(bs, cs, op, bop)
		page.Ops = append(page.Ops, hop)
	}
	funcs := template.FuncMap{
		"f":   func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
		"add": func(a, b float64) float64 { return a + b },
	}
	tmpl, err := template.New("report").Funcs(funcs).Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("html report template: %w", err)
	}
	if err := tmpl.Execute(w, page); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

func verdictClass(r compare.Result) string {
	switch {
	case r.Regressed:
		return "bad"
	case r.Verdict == compare.Slower:
		return "warn"
	case r.Verdict == compare.Faster:
		return "good"
	}
	return ""
}

func runInfo(label string, r *baseline.Run) htmlRun {
	h := htmlRun{
		Label: label, Name: orDash(r.Name), Commit: orDash(r.Commit), Dataset: orDash(r.Dataset),
		Driver: orDash(r.Driver), Go: orDash(r.GoVersion), JanusGraph: orDash(r.Server.JanusGraphVersion),
		Machine: fmt.Sprintf("%s/%s, %d cores, %s, %s", r.Machine.GOOS, r.Machine.GOARCH, r.Machine.Cores,
			orDash(r.Machine.CPUModel), orDash(r.Machine.Hostname)),
	}
	if !r.Started.IsZero() {
		h.Started = r.Started.Format("2006-01-02 15:04:05 MST")
	}
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(r.Server.Config)) {
		kv = append(kv, k+"="+r.Server.Config[k])
	}
	if len(r.Server.Hosts) > 0 {
		kv = append([]string{"hosts=" + strings.Join(r.Server.Hosts, ",")}, kv...)
	}
	h.Server = orDash(strings.Join(kv, " "))
	return h
}

func statRows(b, c stats.Summary, op, bop *baseline.Operation) []statRow {
	f := func(s stats.Summary, v float64) string {
		if s.N == 0 {
			return "-"
		}
		return FormatValue(v, op.Unit)
	}
	row := func(name string, get func(s stats.Summary) float64) statRow {
		r := statRow{Name: name, Current: f(c, get(c))}
		if bop != nil {
			r.Base = f(b, get(b))
		}
		return r
	}
	rows := []statRow{
		{Name: "n", Current: fmt.Sprint(c.N)},
		row("min", func(s stats.Summary) float64 { return s.Min }),
		row("p25", func(s stats.Summary) float64 { return s.P25 }),
		row("median", func(s stats.Summary) float64 { return s.Median }),
		row("p75", func(s stats.Summary) float64 { return s.P75 }),
		row("p90", func(s stats.Summary) float64 { return s.P90 }),
		row("p95", func(s stats.Summary) float64 { return s.P95 }),
		row("p99", func(s stats.Summary) float64 { return s.P99 }),
		row("max", func(s stats.Summary) float64 { return s.Max }),
		row("mean", func(s stats.Summary) float64 { return s.Mean }),
		row("stddev", func(s stats.Summary) float64 { return s.Stddev }),
		row("IQR", func(s stats.Summary) float64 { return s.IQR }),
		row("MAD", func(s stats.Summary) float64 { return s.MAD }),
		{Name: "median 95% CI", Current: ciText(c.MedianCI, op.Unit)},
	}
	if !op.Unit.HigherIsBetter {
		rows = append(rows, statRow{Name: "ops/s (1/mean)", Current: opsText(c)})
	}
	rows = append(rows, statRow{Name: "failed calls", Current: fmt.Sprint(op.ErrorCount)})
	if bop != nil {
		rows[0].Base = fmt.Sprint(b.N)
		rows[13].Base = ciText(b.MedianCI, op.Unit)
		if !op.Unit.HigherIsBetter {
			rows[14].Base = opsText(b)
		}
		rows[len(rows)-1].Base = fmt.Sprint(bop.ErrorCount)
	}
	return rows
}

func ciText(ci stats.CI, u stats.Unit) string {
	if !ci.Finite {
		return "±∞ (" + ci.Warning + ")"
	}
	return "[" + FormatValue(ci.Lo, u) + ", " + FormatValue(ci.Hi, u) + "]"
}

func opsText(s stats.Summary) string {
	if s.Ops <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", s.Ops)
}

const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
.meta td { text-align: left; }
.bad { background: #fde0dd; }
.warn { background: #fff3cd; }
.good { background: #e5f5e0; }
.outcome { font-weight: bold; padding: 0.5em; }
.outcome.bad { color: #a50f15; }
.op { margin-top: 2em; border-top: 2px solid #888; }
.verdict { font-size: 0.8em; padding: 0.1em 0.5em; border-radius: 0.3em; margin-left: 0.5em; }
.legend span { display: inline-block; width: 1em; height: 0.7em; margin: 0 0.3em 0 1em; }
svg text { font: 11px sans-serif; fill: #333; }
.warning { color: #8a6d3b; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<table class="meta">
<tr><th></th>{{range .Runs}}<th>{{.Label}}</th>{{end}}</tr>
<tr><td>name</td>{{range .Runs}}<td>{{.Name}}</td>{{end}}</tr>
<tr><td>commit</td>{{range .Runs}}<td>{{.Commit}}</td>{{end}}</tr>
<tr><td>started</td>{{range .Runs}}<td>{{.Started}}</td>{{end}}</tr>
<tr><td>dataset</td>{{range .Runs}}<td>{{.Dataset}}</td>{{end}}</tr>
<tr><td>driver</td>{{range .Runs}}<td>{{.Driver}}</td>{{end}}</tr>
<tr><td>machine</td>{{range .Runs}}<td>{{.Machine}}</td>{{end}}</tr>
<tr><td>Go</td>{{range .Runs}}<td>{{.Go}}</td>{{end}}</tr>
<tr><td>JanusGraph</td>{{range .Runs}}<td>{{.JanusGraph}}</td>{{end}}</tr>
<tr><td>server</td>{{range .Runs}}<td>{{.Server}}</td>{{end}}</tr>
</table>
{{if .Compared}}<p class="outcome{{if .Failed}} bad{{end}}">{{.Outcome}}</p>
<p>{{.Rule}}</p>{{end}}
<table>
<tr><th>operation</th>{{if .Compared}}<th>baseline median</th>{{end}}<th>current median</th>{{if .Compared}}<th>change [95% CI]</th><th>p (Holm)</th>{{end}}<th>n</th>{{if .Compared}}<th>verdict</th>{{end}}</tr>
{{range .Rows}}<tr class="{{.Class}}"><td><a href="#op-{{.Name}}">{{.Name}}</a></td>{{if $.Compared}}<td>{{.Base}}</td>{{end}}<td>{{.Current}}</td>{{if $.Compared}}<td>{{.Change}}</td><td>{{.P}}</td>{{end}}<td>{{.N}}</td>{{if $.Compared}}<td>{{.Verdict}}</td>{{end}}</tr>
{{end}}</table>
<p class="legend">{{if .Compared}}<span style="background:#4c78a8"></span>baseline{{end}}<span style="background:#f58518"></span>current
— top: empirical CDF of the samples; bottom: box (p25–p75, median line), whiskers to 1.5 IQR, dots beyond.</p>
{{range .Ops}}<section class="op" id="op-{{.Name}}">
<h2>{{.Name}}{{if .Verdict}}<span class="verdict {{.Class}}">{{.Verdict}}</span>{{end}}</h2>
{{with .Plot}}<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
<rect x="{{f .Left}}" y="{{f .ECDFTop}}" width="{{f .PlotW}}" height="{{f .ECDFH}}" fill="none" stroke="#ccc"/>
{{range .YTicks}}<line x1="{{f .X}}" x2="{{f (add .X -4)}}" y1="{{f .Y}}" y2="{{f .Y}}" stroke="#888"/><text x="{{f (add .X -6)}}" y="{{f (add .Y 4)}}" text-anchor="end">{{.Label}}</text>
{{end}}{{$axis := .AxisY}}{{$top := .ECDFTop}}{{range .Ticks}}<line x1="{{f .X}}" x2="{{f .X}}" y1="{{f $top}}" y2="{{f $axis}}" stroke="#eee"/><text x="{{f .X}}" y="{{f (add .Y 16)}}" text-anchor="middle">{{.Label}}</text>
{{end}}<text x="4" y="{{f (add .ECDFTop 10)}}">ECDF</text>{{if .Log}}<text x="{{f .Right}}" y="{{f (add .AxisY 28)}}" text-anchor="end">log scale</text>{{end}}
{{range .Series}}{{$c := .Color}}{{$name := .Name}}<path d="{{.Path}}" fill="none" stroke="{{$c}}" stroke-width="1.5"/>
{{with .Box}}<text x="4" y="{{f .LabelY}}">{{$name}} {{.CountLabel}}</text>{{if .HasData}}<line x1="{{f .WLo}}" x2="{{f .WHi}}" y1="{{f .MidY}}" y2="{{f .MidY}}" stroke="{{$c}}"/><rect x="{{f .Q1}}" y="{{f .Y}}" width="{{f .BoxW}}" height="{{f .H}}" fill="{{$c}}" fill-opacity="0.35" stroke="{{$c}}"><title>{{$name}} median {{.MedianLabel}}</title></rect><line x1="{{f .Med}}" x2="{{f .Med}}" y1="{{f .Y}}" y2="{{f .Bottom}}" stroke="{{$c}}" stroke-width="2.5"/>{{$mid := .MidY}}{{range .Outliers}}<circle cx="{{f .}}" cy="{{f $mid}}" r="2" fill="none" stroke="{{$c}}"/>{{end}}{{end}}{{end}}
{{end}}<line x1="{{f .Left}}" x2="{{f .Right}}" y1="{{f .AxisY}}" y2="{{f .AxisY}}" stroke="#888"/>
</svg>{{end}}
<table>
<tr><th>statistic</th>{{if $.Compared}}<th>baseline</th>{{end}}<th>current</th></tr>
{{range .Stats}}<tr><td>{{.Name}}</td>{{if $.Compared}}<td>{{.Base}}</td>{{end}}<td>{{.Current}}</td></tr>
{{end}}</table>
{{range .Warnings}}<p class="warning">warning: {{.}}</p>{{end}}
{{range .Errors}}<p class="warning">error: {{.}}</p>{{end}}
</section>
{{end}}
<p><small>Generated by graphperf. Statistics: golang.org/x/perf/benchmath. Check any claim with <code>graphperf … --format gobench</code> and <code>benchstat</code>.</small></p>
</body>
</html>
`
