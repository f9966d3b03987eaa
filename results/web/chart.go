package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/results"
)

// Chart geometry, in SVG user units.
const (
	chartW, chartH             = 760, 260
	chartLeft, chartRight      = 80, 20
	chartTop, chartBottom      = 14, 30
	medianColor, p99Color      = "#4c78a8", "#f58518"
	regressColor, suspectColor = "#d62728", "#d62728"
	scoreColor                 = "#54a24b"
	chartTicks                 = 4
)

// chart is a line chart over a sequence of points (runs in history
// order), laid out in Go; the template only prints coordinates.
type chart struct {
	Width, Height int
	Left, Right   float64
	Top, Bottom   float64
	Lines         []chartLine
	Marks         []chartMark
	YTicks        []chartTick
	// Suspect is the x of the suspected commit's line, or -1.
	Suspect float64
}

type chartLine struct{ Name, Color, Points string }

type chartMark struct {
	X, Y   float64
	Href   string
	Title  string
	Color  string
	Radius float64
}

type chartTick struct {
	Y     float64
	Label string
}

func newChart(n int, hi float64, label func(float64) string) (*chart, func(i int) float64, func(v float64) float64) {
	c := &chart{Width: chartW, Height: chartH, Left: chartLeft, Right: chartW - chartRight, Top: chartTop, Bottom: chartH - chartBottom, Suspect: -1}
	if hi <= 0 || math.IsNaN(hi) || math.IsInf(hi, 0) {
		hi = 1
	}
	x := func(i int) float64 {
		if n <= 1 {
			return (c.Left + c.Right) / 2
		}
		return c.Left + float64(i)*(c.Right-c.Left)/float64(n-1)
	}
	y := func(v float64) float64 { return c.Bottom - v/hi*(c.Bottom-c.Top) }
	for i := 0; i <= chartTicks; i++ {
		v := hi * float64(i) / chartTicks
		c.YTicks = append(c.YTicks, chartTick{Y: y(v), Label: label(v)})
	}
	return c, x, y
}

func polyline(n int, x func(int) float64, y func(int) float64) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%.1f,%.1f ", x(i), y(i))
	}
	return strings.TrimSpace(b.String())
}

// trendChart plots median and p99 of pts; regressed points and the
// suspected commit are marked in red.
func trendChart(pts []results.TrendPoint, suspect *results.Commit) *chart {
	if len(pts) == 0 {
		return nil
	}
	hi := 0.0
	for _, p := range pts {
		hi = math.Max(hi, math.Max(p.P99, p.Median))
	}
	u := pts[0].Unit
	c, x, y := newChart(len(pts), hi*1.05, func(v float64) string { return report.FormatValue(v, u) })
	c.Lines = []chartLine{
		{Name: "p99", Color: p99Color, Points: polyline(len(pts), x, func(i int) float64 { return y(pts[i].P99) })},
		{Name: "median", Color: medianColor, Points: polyline(len(pts), x, func(i int) float64 { return y(pts[i].Median) })},
	}
	for i, p := range pts {
		m := chartMark{X: x(i), Y: y(p.Median), Href: "/runs/" + p.RunID, Color: medianColor, Radius: 3,
			Title: fmt.Sprintf("%s %s: median %s, p99 %s", short(p.Commit.Hash), p.RunID, report.FormatValue(p.Median, p.Unit), report.FormatValue(p.P99, p.Unit))}
		if p.Regressed {
			m.Color, m.Radius, m.Title = regressColor, 5, m.Title+" (regressed)"
		}
		if suspect != nil && p.Commit.Hash == suspect.Hash {
			c.Suspect = x(i)
		}
		c.Marks = append(c.Marks, m)
	}
	return c
}

// scoreChart plots mutation scores (0..100%).
func scoreChart(pts []results.MutationPoint) *chart {
	if len(pts) == 0 {
		return nil
	}
	score := func(i int) float64 { s, _ := pts[i].Counts.Score(); return s }
	c, x, y := newChart(len(pts), 100, func(v float64) string { return fmt.Sprintf("%.0f%%", v) })
	c.Lines = []chartLine{{Name: "score", Color: scoreColor, Points: polyline(len(pts), x, func(i int) float64 { return y(score(i)) })}}
	for i, p := range pts {
		c.Marks = append(c.Marks, chartMark{X: x(i), Y: y(score(i)), Color: scoreColor, Radius: 3,
			Title: fmt.Sprintf("%s %s: %.1f%% (%d killed, %d survived)", short(p.Commit), p.RunID, score(i), p.Counts.Killed, p.Counts.Survived)})
	}
	return c
}
