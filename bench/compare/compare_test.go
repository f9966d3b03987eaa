package compare

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
)

// logNormal draws n samples exp(N(log(median), sigma)) scaled by factor.
func logNormal(r *rand.Rand, n int, median, sigma, factor float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = factor * median * math.Exp(sigma*r.NormFloat64())
	}
	return out
}

// noisy draws log-normal latencies (sigma 0.1) with 5% of them tripled, as
// GC pauses and scheduler hiccups do to real measurements.
func noisy(r *rand.Rand, n int, median, factor float64) []float64 {
	out := logNormal(r, n, median, 0.1, factor)
	for i := range out {
		if r.Float64() < 0.05 {
			out[i] *= 3
		}
	}
	return out
}

func latencyOp(name string, samples []float64) baseline.Operation {
	return baseline.Operation{Name: name, Unit: stats.Latency(), Samples: samples}
}

func runOf(dataset string, ops ...baseline.Operation) *baseline.Run {
	return &baseline.Run{FormatVersion: baseline.FormatVersion, Name: "base", Dataset: dataset, Operations: ops}
}

func mustThresholds(t *testing.T, expr string) Thresholds {
	t.Helper()
	th, err := ParseThresholds(expr)
	if err != nil {
		t.Fatalf("ParseThresholds(%q): %v", expr, err)
	}
	return th
}

func TestCompareVerdicts(t *testing.T) {
	const ms = 0.001
	rate := stats.Rate("elements/s")
	tests := []struct {
		name          string
		unit          stats.Unit
		base, cur     func(r *rand.Rand) []float64
		failOn        string
		floor         *Floor
		wantVerdict   Verdict
		wantRegressed bool
		wantThreshold bool // expected ThresholdExceeded
		wantFloor     bool // expected FloorPassed
		gatesByChance bool // threshold and floor depend on noise: not checked
	}{
		{
			name:        "identical distributions are not significant",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1) },
			failOn:      "median:10%",
			wantVerdict: Same, gatesByChance: true,
		},
		{
			name:        "25% slowdown with n=30 is slower and regresses",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1.25) },
			failOn:      "median:10%",
			wantVerdict: Slower, wantRegressed: true, wantThreshold: true, wantFloor: true,
		},
		{
			name:        "25% speed-up is faster, never a regression",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1.25) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1) },
			failOn:      "median:10%",
			wantVerdict: Faster, wantThreshold: false, wantFloor: false,
		},
		{
			name:        "significant 5% slowdown below a 10% threshold does not fail",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 2000, 20*ms, 0.05, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 2000, 20*ms, 0.05, 1.05) },
			failOn:      "median:10%,p95:25%",
			wantVerdict: Slower, wantThreshold: false, wantFloor: true,
		},
		{
			name:        "significant slowdown past the threshold but under the 1ms floor does not fail",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 50, 0.2*ms, 0.1, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 50, 0.2*ms, 0.1, 1.5) },
			failOn:      "median:10%",
			wantVerdict: Slower, wantThreshold: true, wantFloor: false,
		},
		{
			name:        "a smaller explicit floor lets the same slowdown fail",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 50, 0.2*ms, 0.1, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 50, 0.2*ms, 0.1, 1.5) },
			failOn:      "median:10%",
			floor:       &Floor{Abs: 0.05 * ms},
			wantVerdict: Slower, wantRegressed: true, wantThreshold: true, wantFloor: true,
		},
		{
			name:        "no threshold expression: significance and floor decide",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1.25) },
			wantVerdict: Slower, wantRegressed: true, wantThreshold: true, wantFloor: true,
		},
		{
			name:        "too few samples is inconclusive even for a huge shift",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 3, 10*ms, 0.01, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 3, 10*ms, 0.01, 3) },
			failOn:      "median:10%",
			wantVerdict: Inconclusive, wantThreshold: true, wantFloor: true,
		},
		{
			name:        "no current samples (all calls failed) is inconclusive",
			unit:        stats.Latency(),
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 10*ms, 0.2, 1) },
			cur:         func(r *rand.Rand) []float64 { return nil },
			failOn:      "median:10%",
			wantVerdict: Inconclusive,
		},
		{
			name:        "rate: 25% lower throughput is slower and regresses",
			unit:        rate,
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 50000, 0.1, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 30, 50000, 0.1, 0.75) },
			failOn:      "median:10%",
			wantVerdict: Slower, wantRegressed: true, wantThreshold: true, wantFloor: true,
		},
		{
			name:        "rate: 25% higher throughput is faster",
			unit:        rate,
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 50000, 0.1, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 30, 50000, 0.1, 1.25) },
			failOn:      "median:10%",
			wantVerdict: Faster, wantThreshold: false, wantFloor: false,
		},
		{
			name:        "rate: absolute threshold in the rate's unit",
			unit:        rate,
			base:        func(r *rand.Rand) []float64 { return logNormal(r, 30, 50000, 0.05, 1) },
			cur:         func(r *rand.Rand) []float64 { return logNormal(r, 30, 50000, 0.05, 0.9) },
			failOn:      "median:20000",
			wantVerdict: Slower, wantThreshold: false, wantFloor: true,
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(42, uint64(i)))
			b := baseline.Operation{Name: "q", Unit: tt.unit, Samples: tt.base(r)}
			c := baseline.Operation{Name: "q", Unit: tt.unit, Samples: tt.cur(r)}
			rep, err := Compare(runOf("ds1", b), runOf("ds1", c), Config{FailOn: mustThresholds(t, tt.failOn), MinDelta: tt.floor})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) != 1 {
				t.Fatalf("got %d results, want 1", len(rep.Results))
			}
			res := rep.Results[0]
			if res.Verdict != tt.wantVerdict {
				t.Errorf("verdict = %q, want %q (p=%.4g adj=%.4g minP=%.3g delta=%+.1f%% warnings=%v)",
					res.Verdict, tt.wantVerdict, res.P, res.AdjustedP, res.MinP, 100*res.Delta, res.Warnings)
			}
			if res.Regressed != tt.wantRegressed || rep.Failed() != tt.wantRegressed {
				t.Errorf("regressed = %v, report failed = %v, want %v (checks %+v floor %v)", res.Regressed, rep.Failed(), tt.wantRegressed, res.Checks, res.FloorPassed)
			}
			if len(c.Samples) > 0 && !tt.gatesByChance {
				if res.ThresholdExceeded != tt.wantThreshold {
					t.Errorf("threshold exceeded = %v, want %v (checks %+v)", res.ThresholdExceeded, tt.wantThreshold, res.Checks)
				}
				if res.FloorPassed != tt.wantFloor {
					t.Errorf("floor passed = %v, want %v (median %g → %g, floor %+v)", res.FloorPassed, tt.wantFloor, res.Base.Median, res.Current.Median, res.Floor)
				}
			}
			if tt.wantVerdict == Inconclusive && res.AdjustedP != 1 {
				t.Errorf("inconclusive result has adjusted p %g, want 1 (outside the Holm family)", res.AdjustedP)
			}
		})
	}
}

// separated returns n samples of value base+i*step: two such samples that
// do not overlap give the U test's smallest p-value for their sizes.
func separated(n int, start float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = start + float64(i)*0.0001
	}
	return out
}

func TestHolmAcrossSuite(t *testing.T) {
	// n=5 vs 5 completely separated: exact two-sided p = 2/252 ≈ 0.0079,
	// significant alone at 0.05, but not after Holm over 10 operations
	// (10 × 0.0079 = 0.079).
	slowBase := separated(5, 0.010)
	slowCur := separated(5, 0.020)
	same := func(i int) []float64 {
		r := rand.New(rand.NewPCG(7, uint64(i)))
		return logNormal(r, 5, 0.01, 0.2, 1)
	}
	tests := []struct {
		name       string
		others     int
		wantV      Verdict
		wantFamily int
	}{
		{name: "alone it is significant", others: 0, wantV: Slower, wantFamily: 1},
		{name: "among 10 operations Holm makes it not significant", others: 9, wantV: Same, wantFamily: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := runOf("ds", latencyOp("slow", slowBase))
			cur := runOf("ds", latencyOp("slow", slowCur))
			for i := range tt.others {
				name := string(rune('a' + i))
				base.Operations = append(base.Operations, latencyOp(name, same(2*i)))
				cur.Operations = append(cur.Operations, latencyOp(name, same(2*i+1)))
			}
			rep, err := Compare(base, cur, Config{})
			if err != nil {
				t.Fatal(err)
			}
			res := rep.Results[0]
			if res.P > 0.05 {
				t.Fatalf("raw p = %g, want significant alone", res.P)
			}
			if rep.Family != tt.wantFamily {
				t.Errorf("Holm family = %d, want %d", rep.Family, tt.wantFamily)
			}
			if res.Verdict != tt.wantV {
				t.Errorf("verdict = %q (p=%.4g adjusted %.4g), want %q", res.Verdict, res.P, res.AdjustedP, tt.wantV)
			}
			if tt.others > 0 && res.AdjustedP < float64(tt.wantFamily)*res.P*0.999 {
				t.Errorf("adjusted p %g is less than family × p = %g", res.AdjustedP, float64(tt.wantFamily)*res.P)
			}
		})
	}
}

func TestHolmAdjust(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want []float64
	}{
		{name: "empty", in: nil, want: []float64{}},
		{name: "single", in: []float64{0.03}, want: []float64{0.03}},
		{name: "monotone step-down", in: []float64{0.01, 0.04, 0.03, 0.005}, want: []float64{0.03, 0.06, 0.06, 0.02}},
		{name: "capped at 1", in: []float64{0.5, 0.6}, want: []float64{1, 1}},
		{name: "ties", in: []float64{0.01, 0.01, 0.2}, want: []float64{0.03, 0.03, 0.2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HolmAdjust(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("len = %d, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-12 {
					t.Errorf("HolmAdjust(%v) = %v, want %v", tt.in, got, tt.want)
					break
				}
			}
		})
	}
}

func TestCompareRefusesMismatches(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := logNormal(r, 10, 0.01, 0.1, 1)
	tests := []struct {
		name  string
		base  *baseline.Run
		cur   *baseline.Run
		check func(error) bool
	}{
		{
			name: "different dataset fingerprints",
			base: runOf("sf0.01-seed1", latencyOp("q", s)),
			cur:  runOf("sf0.01-seed2", latencyOp("q", s)),
			check: func(err error) bool {
				var e *DatasetMismatchError
				return errors.As(err, &e) && e.Base == "sf0.01-seed1" && e.Current == "sf0.01-seed2"
			},
		},
		{
			name: "operation changed unit",
			base: runOf("ds", latencyOp("q", s)),
			cur:  runOf("ds", baseline.Operation{Name: "q", Unit: stats.Rate("elements/s"), Samples: s}),
			check: func(err error) bool {
				var e *UnitMismatchError
				return errors.As(err, &e) && e.Operation == "q"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Compare(tt.base, tt.cur, Config{})
			if err == nil || !tt.check(err) {
				t.Fatalf("Compare = %v, %v; want the typed error", rep, err)
			}
		})
	}
}

func TestCompareMissingOperationsAndWarnings(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	b := runOf("ds", latencyOp("kept", logNormal(r, 20, 0.01, 0.1, 1)), latencyOp("dropped", logNormal(r, 20, 0.01, 0.1, 1)))
	c := runOf("ds", latencyOp("kept", logNormal(r, 20, 0.01, 0.1, 1)), latencyOp("added", logNormal(r, 20, 0.01, 0.1, 1)))
	b.Operations[0].Params = []json.RawMessage{json.RawMessage(`{"id":1}`)}
	c.Operations[0].Params = []json.RawMessage{json.RawMessage(`{"id":2}`)}
	c.Operations[0].ErrorCount = 2
	rep, err := Compare(b, c, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.OnlyInBase, []string{"dropped"}) || !slices.Equal(rep.OnlyInCurrent, []string{"added"}) {
		t.Errorf("only in base %v, only in current %v", rep.OnlyInBase, rep.OnlyInCurrent)
	}
	if len(rep.Results) != 1 || rep.Results[0].Name != "kept" {
		t.Fatalf("results %+v", rep.Results)
	}
	w := rep.Results[0].Warnings
	if !slices.ContainsFunc(w, func(s string) bool {
		return s == "parameter lists differ between the runs: the comparison mixes different work"
	}) {
		t.Errorf("warnings %q lack the parameter warning", w)
	}
	if !rep.Errored() {
		t.Error("Errored() = false with 2 failed calls in the current run")
	}
}

// TestAASimulation is the unit-level A/A experiment: comparisons of two
// samples from the same noisy distribution must almost never fail the
// suite, and an injected 25% slowdown on one operation must almost always
// fail it, with the rule the CLI uses (Holm over the suite, median:10%,
// 1ms floor).
func TestAASimulation(t *testing.T) {
	const (
		trials = 20
		n      = 30
		ops    = 4 // operations per suite; the slowdown hits only the first
	)
	medians := []float64{0.008, 0.012, 0.020, 0.035}
	cfg := Config{FailOn: mustThresholds(t, "median:10%")}
	suite := func(r *rand.Rand, slowFirst float64) *baseline.Run {
		run := runOf("ds")
		for k := range ops {
			f := 1.0
			if k == 0 {
				f = slowFirst
			}
			run.Operations = append(run.Operations, latencyOp(string(rune('a'+k)), noisy(r, n, medians[k], f)))
		}
		return run
	}
	tests := []struct {
		name     string
		slowdown float64
		check    func(flagged int) bool
		want     string
	}{
		{name: "A/A: same distribution, suite failures", slowdown: 1, check: func(f int) bool { return f <= 1 }, want: "at most 1"},
		{name: "A/B: 25% slowdown on one operation, caught", slowdown: 1.25, check: func(f int) bool { return f >= 19 }, want: "at least 19"},
	}
	for ti, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(2024, uint64(ti)))
			flagged, others := 0, 0
			for range trials {
				rep, err := Compare(suite(r, 1), suite(r, tt.slowdown), cfg)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case tt.slowdown == 1 && rep.Failed():
					flagged++
				case tt.slowdown > 1 && slices.Contains(rep.Regressions, "a"):
					flagged++ // the slowed operation itself was caught
				}
				for _, name := range rep.Regressions {
					if name != "a" {
						others++
					}
				}
			}
			t.Logf("%d of %d comparisons flagged; %d false flags on untouched operations", flagged, trials, others)
			if !tt.check(flagged) {
				t.Errorf("%d of %d comparisons flagged, want %s", flagged, trials, tt.want)
			}
		})
	}
}

func TestCompareParamsIgnoreFormatting(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	b := runOf("ds", latencyOp("q", logNormal(r, 20, 0.01, 0.1, 1)))
	c := runOf("ds", latencyOp("q", logNormal(r, 20, 0.01, 0.1, 1)))
	b.Operations[0].Params = []json.RawMessage{json.RawMessage("{\n  \"id\": 1\n}")}
	c.Operations[0].Params = []json.RawMessage{json.RawMessage(`{"id":1}`)}
	rep, err := Compare(b, c, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Results[0].Warnings {
		if strings.Contains(w, "parameter") {
			t.Errorf("re-indented but equal parameters reported as different: %q", w)
		}
	}
}
