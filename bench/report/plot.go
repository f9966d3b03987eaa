package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/graphperf/graphperf/bench/stats"
)

// Plot geometry, in SVG user units.
const (
	plotWidth   = 760
	plotLeft    = 80
	plotRight   = 20
	plotTop     = 12
	ecdfHeight  = 150
	boxRow      = 26
	axisHeight  = 30
	maxECDFStep = 400
	maxOutliers = 200
)

// Series colours: baseline blue, current orange (colour-blind safe pair).
const (
	baseColor    = "#4c78a8"
	currentColor = "#f58518"
)

// plot is the data of one operation's inline SVG: an ECDF of each run's
// samples above a Tukey box plot per run, sharing one x axis. All
// coordinates are precomputed; the template only prints them.
type plot struct {
	Width, Height int
	Left, Right   float64
	PlotW         float64
	ECDFTop       float64
	ECDFBottom    float64
	ECDFH         float64
	AxisY         float64
	Log           bool
	Series        []series
	Ticks         []tick
	YTicks        []tick
}

type series struct {
	Name  string
	Color string
	// Path is the ECDF step line (SVG path data).
	Path string
	Box  box
}

type box struct {
	HasData bool
	// Y is the top of the box, H its height, MidY its middle, Bottom Y+H.
	Y, H, MidY, Bottom float64
	// WLo and WHi are the whisker ends; Q1, Med, Q3 the box and median.
	WLo, Q1, Med, Q3, WHi, BoxW float64
	Outliers                    []float64
	LabelY                      float64
	MedianLabel, CountLabel     string
}

type tick struct {
	X, Y  float64
	Label string
}

// newPlot lays out the plot of base (may be nil) and cur samples in unit u.
func newPlot(base, cur []float64, u stats.Unit) plot {
	type in struct {
		name, color string
		vals        []float64
	}
	var ins []in
	if base != nil {
		ins = append(ins, in{"baseline", baseColor, base})
	}
	ins = append(ins, in{"current", currentColor, cur})

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ins {
		for _, v := range s.vals {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	p := plot{
		Width: plotWidth, Left: plotLeft, Right: plotWidth - plotRight, PlotW: plotWidth - plotRight - plotLeft,
		ECDFTop: plotTop, ECDFBottom: plotTop + ecdfHeight, ECDFH: ecdfHeight,
	}
	p.AxisY = p.ECDFBottom + 8 + float64(len(ins))*boxRow
	p.Height = int(p.AxisY) + axisHeight
	if math.IsInf(lo, 0) { // no samples at all
		lo, hi = 0, 1
	}
	if hi == lo {
		lo, hi = lo*0.9, hi*1.1
		if hi == lo {
			hi = lo + 1
		}
	}
	p.Log = lo > 0 && hi/lo > 20
	x := p.scale(lo, hi)
	p.Ticks = p.xTicks(lo, hi, x, u)
	for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		p.YTicks = append(p.YTicks, tick{X: p.Left, Y: p.ECDFBottom - q*(p.ECDFBottom-p.ECDFTop), Label: fmt.Sprintf("%.2g", q)})
	}
	for i, s := range ins {
		sorted := slices.Clone(s.vals)
		slices.Sort(sorted)
		se := series{Name: s.name, Color: s.color}
		se.Path = p.ecdfPath(sorted, x)
		se.Box = p.box(sorted, x, p.ECDFBottom+8+float64(i)*boxRow, u)
		p.Series = append(p.Series, se)
	}
	return p
}

// scale returns the data → x mapping over [lo, hi].
func (p plot) scale(lo, hi float64) func(float64) float64 {
	w := p.Right - p.Left
	if p.Log {
		l, h := math.Log10(lo), math.Log10(hi)
		return func(v float64) float64 {
			if v <= 0 {
				return p.Left
			}
			return p.Left + (math.Log10(v)-l)/(h-l)*w
		}
	}
	return func(v float64) float64 { return p.Left + (v-lo)/(hi-lo)*w }
}

// xTicks chooses about six readable tick values in [lo, hi].
func (p plot) xTicks(lo, hi float64, x func(float64) float64, u stats.Unit) []tick {
	var vals []float64
	if p.Log {
		for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
			for _, m := range []float64{1, 2, 5} {
				v := m * math.Pow(10, e)
				if v >= lo && v <= hi {
					vals = append(vals, v)
				}
			}
		}
	} else {
		step := niceStep((hi - lo) / 6)
		for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
			vals = append(vals, v)
		}
	}
	ticks := make([]tick, 0, len(vals))
	for _, v := range vals {
		ticks = append(ticks, tick{X: x(v), Y: p.AxisY, Label: trimZeros(FormatValue(v, u))})
	}
	return ticks
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= raw {
			return m * e
		}
	}
	return 10 * e
}

// ecdfPath draws the empirical CDF of sorted as a step line, thinned to at
// most maxECDFStep steps (evenly spaced quantiles) for large samples.
func (p plot) ecdfPath(sorted []float64, x func(float64) float64) string {
	n := len(sorted)
	if n == 0 {
		return ""
	}
	y := func(f float64) float64 { return p.ECDFBottom - f*(p.ECDFBottom-p.ECDFTop) }
	var b strings.Builder
	fmt.Fprintf(&b, "M%.1f %.1f", x(sorted[0]), y(0))
	steps := min(n, maxECDFStep)
	for k := 1; k <= steps; k++ {
		idx := k*n/steps - 1 // last sample of this step
		fmt.Fprintf(&b, " H%.1f V%.1f", x(sorted[idx]), y(float64(idx+1)/float64(n)))
	}
	return b.String()
}

// box computes a Tukey box plot: box from P25 to P75, median line,
// whiskers to the most extreme samples within 1.5 IQR, outliers beyond.
func (p plot) box(sorted []float64, x func(float64) float64, top float64, u stats.Unit) box {
	b := box{Y: top + 4, H: boxRow - 8, MidY: top + boxRow/2, Bottom: top + boxRow - 4, LabelY: top + boxRow/2 + 4}
	if len(sorted) == 0 {
		b.CountLabel = "n=0"
		return b
	}
	q1, med, q3 := stats.Quantile(sorted, 0.25), stats.Quantile(sorted, 0.5), stats.Quantile(sorted, 0.75)
	iqr := q3 - q1
	loFence, hiFence := q1-1.5*iqr, q3+1.5*iqr
	wlo, whi := med, med
	for _, v := range sorted {
		if v >= loFence {
			wlo = v
			break
		}
	}
	for i := len(sorted) - 1; i >= 0; i-- {
		if sorted[i] <= hiFence {
			whi = sorted[i]
			break
		}
	}
	for _, v := range sorted {
		if (v < loFence || v > hiFence) && len(b.Outliers) < maxOutliers {
			b.Outliers = append(b.Outliers, x(v))
		}
	}
	b.WLo, b.Q1, b.Med, b.Q3, b.WHi = x(wlo), x(q1), x(med), x(q3), x(whi)
	b.BoxW = math.Max(b.Q3-b.Q1, 1)
	b.HasData = true
	b.MedianLabel = FormatValue(med, u)
	b.CountLabel = fmt.Sprintf("n=%d", len(sorted))
	return b
}

// trimZeros drops trailing zeros of the number in a formatted value, for
// round tick labels: "8.000ms" → "8ms", "12.50k elements/s" → "12.5k
// elements/s".
func trimZeros(s string) string {
	end := 0
	for end < len(s) && (s[end] == '.' || s[end] == '-' || (s[end] >= '0' && s[end] <= '9')) {
		end++
	}
	num, rest := s[:end], s[end:]
	if strings.Contains(num, ".") {
		num = strings.TrimRight(strings.TrimRight(num, "0"), ".")
	}
	return num + rest
}
