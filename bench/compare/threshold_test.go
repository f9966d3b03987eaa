package compare

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/bench/stats"
)

func TestParseThresholds(t *testing.T) {
	tests := []struct {
		expr       string
		want       Thresholds
		wantReason string // non-empty: a *ThresholdSyntaxError containing this
	}{
		{expr: "", want: nil},
		{expr: "   ", want: nil},
		{expr: "median:10%", want: Thresholds{{Field: "median", Limit: 10, Relative: true}}},
		{expr: "median:10%,p95:25%", want: Thresholds{{Field: "median", Limit: 10, Relative: true}, {Field: "p95", Limit: 25, Relative: true}}},
		{expr: "mean:0.002", want: Thresholds{{Field: "mean", Limit: 0.002}}},
		{expr: " min:5% , max:1e-3 ", want: Thresholds{{Field: "min", Limit: 5, Relative: true}, {Field: "max", Limit: 0.001}}},
		{expr: "MEDIAN:12.5%", want: Thresholds{{Field: "median", Limit: 12.5, Relative: true}}},
		{expr: "stddev:1%,iqr:2%,mad:3%,ops:4%", want: Thresholds{{Field: "stddev", Limit: 1, Relative: true}, {Field: "iqr", Limit: 2, Relative: true}, {Field: "mad", Limit: 3, Relative: true}, {Field: "ops", Limit: 4, Relative: true}}},
		{expr: "p50:0,p99.9:150%", want: Thresholds{{Field: "p50", Limit: 0}, {Field: "p99.9", Limit: 150, Relative: true}}},
		{expr: "median", wantReason: `missing ":"`},
		{expr: "median:", wantReason: "missing limit"},
		{expr: "median:%", wantReason: "missing limit"},
		{expr: "avg:10%", wantReason: `unknown field "avg"`},
		{expr: "p100:10%", wantReason: `unknown field "p100"`},
		{expr: "p0:10%", wantReason: `unknown field "p0"`},
		{expr: "px:10%", wantReason: `unknown field "px"`},
		{expr: "median:ten%", wantReason: "not a number"},
		{expr: "median:-5%", wantReason: "must not be negative"},
		{expr: "median:10%,", wantReason: "empty term"},
		{expr: "median:10%%", wantReason: "not a number"},
		{expr: "median:NaN", wantReason: "not a number"},
		{expr: "median:10ms", wantReason: "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := ParseThresholds(tt.expr)
			if tt.wantReason != "" {
				var se *ThresholdSyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("ParseThresholds(%q) = %v, %v; want *ThresholdSyntaxError", tt.expr, got, err)
				}
				if !strings.Contains(se.Reason, tt.wantReason) {
					t.Errorf("reason %q does not contain %q", se.Reason, tt.wantReason)
				}
				if !strings.Contains(err.Error(), "accepted grammar") || !strings.Contains(err.Error(), "FIELD") {
					t.Errorf("error message does not show the grammar:\n%s", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseThresholds(%q): %v", tt.expr, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("check %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
			if tt.want != nil {
				again, err := ParseThresholds(got.String())
				if err != nil || len(again) != len(got) {
					t.Errorf("String() %q does not parse back: %v", got.String(), err)
				}
			}
		})
	}
}

func TestThresholdsEvaluate(t *testing.T) {
	lat := stats.Latency()
	rate := stats.Rate("elements/s")
	tests := []struct {
		name      string
		expr      string
		unit      stats.Unit
		base, cur []float64
		wantWorse []float64
		wantExc   []bool
	}{
		{name: "relative median worse by 20%", expr: "median:10%", unit: lat,
			base: []float64{0.010, 0.010, 0.010}, cur: []float64{0.012, 0.012, 0.012},
			wantWorse: []float64{20}, wantExc: []bool{true}},
		{name: "relative median worse by exactly the limit is not exceeded", expr: "median:20%", unit: lat,
			base: []float64{0.010}, cur: []float64{0.012},
			wantWorse: []float64{20}, wantExc: []bool{false}},
		{name: "latency improvement is negative worsening", expr: "median:10%", unit: lat,
			base: []float64{0.010}, cur: []float64{0.008},
			wantWorse: []float64{-20}, wantExc: []bool{false}},
		{name: "absolute mean in seconds", expr: "mean:0.002", unit: lat,
			base: []float64{0.010, 0.012}, cur: []float64{0.013, 0.012},
			wantWorse: []float64{0.0015}, wantExc: []bool{false}},
		{name: "absolute mean past seconds limit", expr: "mean:0.002", unit: lat,
			base: []float64{0.010, 0.012}, cur: []float64{0.016, 0.012},
			wantWorse: []float64{0.003}, wantExc: []bool{true}},
		{name: "ops is higher-is-better for latencies", expr: "ops:10%", unit: lat,
			base: []float64{0.010}, cur: []float64{0.0125},
			wantWorse: []float64{20}, wantExc: []bool{true}},
		{name: "rate drop is worse", expr: "median:10%,p25:1000", unit: rate,
			base: []float64{1000, 1000, 1000}, cur: []float64{800, 800, 800},
			wantWorse: []float64{20, 200}, wantExc: []bool{true, false}},
		{name: "rate rise is better", expr: "median:10%", unit: rate,
			base: []float64{1000}, cur: []float64{1500},
			wantWorse: []float64{-50}, wantExc: []bool{false}},
		{name: "spread grows: worse in either direction of unit", expr: "stddev:50%", unit: rate,
			base: []float64{990, 1000, 1010}, cur: []float64{900, 1000, 1100},
			wantWorse: []float64{900}, wantExc: []bool{true}},
		{name: "zero baseline with growth is infinitely worse", expr: "min:10%", unit: lat,
			base: []float64{0}, cur: []float64{0.001},
			wantWorse: []float64{math.Inf(1)}, wantExc: []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := mustThresholds(t, tt.expr)
			got, err := th.Evaluate(tt.base, tt.cur, tt.unit)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range got {
				if !(math.IsInf(tt.wantWorse[i], 1) && math.IsInf(r.Worse, 1)) && math.Abs(r.Worse-tt.wantWorse[i]) > 1e-9*math.Max(1, math.Abs(tt.wantWorse[i])) {
					t.Errorf("%s worse = %v, want %v", r.Check, r.Worse, tt.wantWorse[i])
				}
				if r.Exceeded != tt.wantExc[i] {
					t.Errorf("%s exceeded = %v, want %v", r.Check, r.Exceeded, tt.wantExc[i])
				}
			}
		})
	}
}

func TestThresholdsEvaluateOpsOnRateIsAnError(t *testing.T) {
	th := mustThresholds(t, "ops:10%")
	if _, err := th.Evaluate([]float64{1}, []float64{2}, stats.Rate("elements/s")); err == nil {
		t.Fatal("ops threshold on a rate unit: want an error")
	}
}

func TestParseFloor(t *testing.T) {
	tests := []struct {
		in      string
		want    Floor
		wantErr bool
	}{
		{in: "1ms", want: Floor{Abs: 0.001}},
		{in: "250us", want: Floor{Abs: 0.00025}},
		{in: "0", want: Floor{}},
		{in: "500", want: Floor{Abs: 500}},
		{in: "2%", want: Floor{Rel: 0.02}},
		{in: "1ms+2%", want: Floor{Abs: 0.001, Rel: 0.02}},
		{in: "", wantErr: true},
		{in: "-1ms", wantErr: true},
		{in: "fast", wantErr: true},
		{in: "-3%", wantErr: true},
		{in: "1ms+", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFloor(tt.in)
			if tt.wantErr {
				var fe *FloorSyntaxError
				if !errors.As(err, &fe) {
					t.Fatalf("ParseFloor(%q) = %+v, %v; want *FloorSyntaxError", tt.in, got, err)
				}
				return
			}
			if err != nil || math.Abs(got.Abs-tt.want.Abs) > 1e-15 || math.Abs(got.Rel-tt.want.Rel) > 1e-15 {
				t.Errorf("ParseFloor(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFloorPassed(t *testing.T) {
	lat := stats.Latency()
	rate := stats.Rate("elements/s")
	tests := []struct {
		name      string
		floor     Floor
		unit      stats.Unit
		base, cur float64
		want      bool
	}{
		{name: "latency gap above 1ms", floor: DefaultFloor(lat), unit: lat, base: 0.010, cur: 0.0115, want: true},
		{name: "latency gap below 1ms", floor: DefaultFloor(lat), unit: lat, base: 0.0002, cur: 0.0009, want: false},
		{name: "latency faster never passes", floor: Floor{}, unit: lat, base: 0.010, cur: 0.009, want: false},
		{name: "zero floor passes any slowdown", floor: Floor{}, unit: lat, base: 0.010, cur: 0.0100001, want: true},
		{name: "rate default 1% drop", floor: DefaultFloor(rate), unit: rate, base: 1000, cur: 985, want: true},
		{name: "rate drop under 1%", floor: DefaultFloor(rate), unit: rate, base: 1000, cur: 995, want: false},
		{name: "rate rise never passes", floor: DefaultFloor(rate), unit: rate, base: 1000, cur: 1500, want: false},
		{name: "both parts must hold", floor: Floor{Abs: 100, Rel: 0.05}, unit: rate, base: 10000, cur: 9800, want: false},
		{name: "both parts hold", floor: Floor{Abs: 100, Rel: 0.05}, unit: rate, base: 10000, cur: 9400, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.floor.Passed(tt.base, tt.cur, tt.unit); got != tt.want {
				t.Errorf("Floor%+v.Passed(%v, %v) = %v, want %v", tt.floor, tt.base, tt.cur, got, tt.want)
			}
		})
	}
}
