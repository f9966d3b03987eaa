package workload

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestWriteTimelineSVG checks that the chart is well-formed SVG with one
// step per second of the series, the mean, and the PARTIAL marker.
func TestWriteTimelineSVG(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Report
		want []string
	}{
		{"series", Report{PerSecond: []int64{10, 20, 30}}, []string{"mean 20.0/s", "<path", ">30<"}},
		{"partial", Report{PerSecond: []int64{5}, Partial: true}, []string{"PARTIAL RESULT"}},
		{"empty", Report{}, []string{"no measured operation"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := tc.r.WriteTimelineSVG(&b); err != nil {
				t.Fatal(err)
			}
			svg := b.String()
			d := xml.NewDecoder(strings.NewReader(svg))
			for {
				_, err := d.Token()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						t.Fatalf("not well-formed: %v\n%s", err, svg)
					}
					break
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(svg, w) {
					t.Errorf("SVG lacks %q:\n%s", w, svg)
				}
			}
			if n := strings.Count(svg, " L"); tc.name == "series" && n < 5 {
				t.Errorf("%d line segments for 3 seconds", n)
			}
		})
	}
}
