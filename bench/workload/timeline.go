package workload

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteTimelineSVG writes a standalone SVG chart of the run's throughput
// over time: the succeeded measured operations per second of the measured
// period (Report.PerSecond), with the mean as a dashed line, so that a
// stall or a slow start shows where a table of percentiles hides it.
func (r *Report) WriteTimelineSVG(w io.Writer) error {
	const width, height, left, bottom, top, right = 720.0, 240.0, 56.0, 32.0, 24.0, 16.0
	ps := r.PerSecond
	peak := max(slices.Max(append([]int64{1}, ps...)), 1)
	pw, ph := width-left-right, height-top-bottom
	x := func(i int) float64 { return left + pw*float64(i)/float64(max(len(ps), 1)) }
	y := func(v float64) float64 { return top + ph*(1-v/float64(peak)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	title := "throughput over time (succeeded operations per second)"
	if r.Partial {
		title += " — PARTIAL RESULT"
	}
	fmt.Fprintf(&b, `<text x="%g" y="14">%s</text>`+"\n", left, title)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333"/>`+"\n", left, top+ph, left+pw, top+ph)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333"/>`+"\n", left, top, left, top+ph)
	for _, v := range []int64{0, peak / 2, peak} {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end">%d</text>`+"\n", left-4, y(float64(v))+4, v)
	}
	for _, s := range []int{0, len(ps) / 2, len(ps)} {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle">%ds</text>`+"\n", x(s), top+ph+16, s)
	}
	if len(ps) > 0 {
		var path strings.Builder
		for i, v := range ps {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f,%.1f L%.1f,%.1f ", cmd, x(i), y(float64(v)), x(i+1), y(float64(v)))
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`+"\n", strings.TrimSpace(path.String()))
		var sum int64
		for _, v := range ps {
			sum += v
		}
		mean := float64(sum) / float64(len(ps))
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#d62728" stroke-dasharray="4 3"/>`+"\n", left, y(mean), left+pw, y(mean))
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end" fill="#d62728">mean %.1f/s</text>`+"\n", left+pw, y(mean)-4, mean)
	} else {
		fmt.Fprintf(&b, `<text x="%g" y="%g">no measured operation</text>`+"\n", left+8, top+ph/2)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
