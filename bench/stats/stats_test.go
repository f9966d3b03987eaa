package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func TestSummarize(t *testing.T) {
	// 1..10 in a shuffled order: every statistic has a textbook value.
	values := []float64{7, 3, 10, 1, 5, 9, 2, 8, 6, 4}
	orig := slices.Clone(values)
	s := Summarize(values, Latency())
	if !slices.Equal(values, orig) {
		t.Error("Summarize modified its input")
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"n", float64(s.N), 10},
		{"min", s.Min, 1},
		{"p25", s.P25, 3.25},
		{"median", s.Median, 5.5},
		{"p75", s.P75, 7.75},
		{"p90", s.P90, 9.1},
		{"p95", s.P95, 9.55},
		{"p99", s.P99, 9.91},
		{"max", s.Max, 10},
		{"mean", s.Mean, 5.5},
		{"stddev", s.Stddev, math.Sqrt(82.5 / 9)},
		{"iqr", s.IQR, 4.5},
		{"mad", s.MAD, 2.5},
		{"ops", s.Ops, 1 / 5.5},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !s.MedianCI.Finite || s.MedianCI.Lo > s.Median || s.MedianCI.Hi < s.Median || s.MedianCI.Confidence < 0.95 {
		t.Errorf("median CI %+v does not bracket the median at >= 95%%", s.MedianCI)
	}
}

func TestSummarizeRateHasNoOps(t *testing.T) {
	s := Summarize([]float64{100, 200, 300}, Rate("elements/s"))
	if s.Ops != 0 || s.Median != 200 {
		t.Errorf("rate summary: ops=%v median=%v", s.Ops, s.Median)
	}
}

func TestSummarizeEdgeCases(t *testing.T) {
	tests := []struct {
		name       string
		values     []float64
		wantN      int
		wantMedian float64
		wantFinite bool
	}{
		{name: "empty", values: nil, wantN: 0},
		{name: "one sample: no CI", values: []float64{0.5}, wantN: 1, wantMedian: 0.5},
		{name: "five samples: no 95% CI of the median", values: []float64{1, 2, 3, 4, 5}, wantN: 5, wantMedian: 3},
		{name: "six samples: finite CI", values: []float64{1, 2, 3, 4, 5, 6}, wantN: 6, wantMedian: 3.5, wantFinite: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.values, Latency())
			if s.N != tt.wantN || s.Median != tt.wantMedian {
				t.Errorf("n=%d median=%v, want %d %v", s.N, s.Median, tt.wantN, tt.wantMedian)
			}
			if s.MedianCI.Finite != tt.wantFinite {
				t.Errorf("CI finite = %v, want %v (%+v)", s.MedianCI.Finite, tt.wantFinite, s.MedianCI)
			}
			if tt.wantN > 0 && !tt.wantFinite && s.MedianCI.Warning == "" {
				t.Error("a non-finite CI must explain itself")
			}
		})
	}
}

// TestMedianCICoverage checks the benchmath interval's coverage on
// synthetic data: over 400 samples of n=30 from a log-normal distribution
// with a known median, the 95% interval must contain it about 95% of the
// time (binomial 99.9% band: 91%–99%).
func TestMedianCICoverage(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const trials, n, trueMedian = 400, 30, 0.01
	hits := 0
	for range trials {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = trueMedian * math.Exp(0.3*r.NormFloat64())
		}
		ci := MedianCI(xs, 0.95)
		if ci.Finite && ci.Lo <= trueMedian && trueMedian <= ci.Hi {
			hits++
		}
	}
	if cov := float64(hits) / trials; cov < 0.91 || cov > 0.99 {
		t.Errorf("coverage %.3f, want about 0.95", cov)
	}
}

func TestQuantile(t *testing.T) {
	sorted := []float64{10, 20, 30, 40}
	tests := []struct{ q, want float64 }{
		{0, 10}, {1, 40}, {0.5, 25}, {1.0 / 3, 20}, {0.25, 17.5}, {-1, 10}, {2, 40},
	}
	for _, tt := range tests {
		if got := Quantile(sorted, tt.q); !near(got, tt.want) {
			t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("Quantile of empty should be NaN")
	}
}

func TestField(t *testing.T) {
	values := []float64{4, 1, 3, 2}
	tests := []struct {
		name    string
		unit    Unit
		want    float64
		wantErr bool
	}{
		{name: "min", want: 1},
		{name: "max", want: 4},
		{name: "mean", want: 2.5},
		{name: "median", want: 2.5},
		{name: "p50", want: 2.5},
		{name: "p75", want: 3.25},
		{name: "p99.9", want: 3.997},
		{name: "iqr", want: 1.5},
		{name: "mad", want: 1},
		{name: "stddev", want: math.Sqrt(5.0 / 3)},
		{name: "ops", want: 0.4},
		{name: "ops", unit: Rate("elements/s"), wantErr: true},
		{name: "p0", wantErr: true},
		{name: "p100", wantErr: true},
		{name: "average", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.unit
			if u.Name == "" {
				u = Latency()
			}
			got, err := Field(tt.name, values, u)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Field(%q) = %v, want an error", tt.name, got)
				}
				return
			}
			if err != nil || !near(got, tt.want) {
				t.Errorf("Field(%q) = %v, %v; want %v", tt.name, got, err, tt.want)
			}
			if ValidField(tt.name) != true {
				t.Errorf("ValidField(%q) = false", tt.name)
			}
		})
	}
}

func TestHigherIsBetterField(t *testing.T) {
	tests := []struct {
		field string
		unit  Unit
		want  bool
	}{
		{"median", Latency(), false},
		{"median", Rate("elements/s"), true},
		{"ops", Latency(), true},
		{"stddev", Rate("elements/s"), false},
		{"iqr", Latency(), false},
		{"p95", Rate("elements/s"), true},
	}
	for _, tt := range tests {
		if got := HigherIsBetterField(tt.field, tt.unit); got != tt.want {
			t.Errorf("HigherIsBetterField(%q, %s) = %v, want %v", tt.field, tt.unit.Name, got, tt.want)
		}
	}
}

func TestUnitValid(t *testing.T) {
	tests := []struct {
		u    Unit
		want bool
	}{
		{Latency(), true},
		{Rate("elements/s"), true},
		{Unit{}, false},
		{Unit{Name: LatencyUnitName, HigherIsBetter: true}, false},
	}
	for _, tt := range tests {
		if got := tt.u.Valid(); got != tt.want {
			t.Errorf("%+v.Valid() = %v, want %v", tt.u, got, tt.want)
		}
	}
}
