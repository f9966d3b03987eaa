// Package stats summarizes the raw samples of one benchmark operation:
// order statistics, moments, robust spread and a confidence interval of the
// median.
//
// Samples are float64 values in the operation's [Unit]: seconds per
// operation for latencies (lower is better), or a rate such as elements/s
// for throughput (higher is better). The confidence interval of the median
// comes from golang.org/x/perf/benchmath (AssumeNothing, a distribution-free
// order-statistic interval), the same code benchstat uses.
package stats

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchmath"
)

// Unit describes what the sample values of an operation measure.
type Unit struct {
	// Name is the unit in Go benchmark style: "sec/op" for latencies, or a
	// rate such as "elements/s".
	Name string `json:"name"`
	// HigherIsBetter is true for rates (throughput) and false for
	// latencies.
	HigherIsBetter bool `json:"higher_is_better"`
}

// LatencyUnitName is the [Unit.Name] of latency samples, in seconds.
const LatencyUnitName = "sec/op"

// Latency returns the unit of latency samples: seconds per operation, lower
// is better.
func Latency() Unit { return Unit{Name: LatencyUnitName} }

// Rate returns a higher-is-better rate unit such as "elements/s".
func Rate(name string) Unit { return Unit{Name: name, HigherIsBetter: true} }

// IsLatency reports whether u measures seconds per operation.
func (u Unit) IsLatency() bool { return u.Name == LatencyUnitName && !u.HigherIsBetter }

// Valid reports whether the unit is usable: it has a name, and a latency
// unit is lower-is-better.
func (u Unit) Valid() bool {
	if u.Name == "" {
		return false
	}
	if u.Name == LatencyUnitName {
		return !u.HigherIsBetter
	}
	return true
}

// CI is a confidence interval around a center value.
type CI struct {
	// Center is the estimate (the sample median for [Summary.MedianCI]).
	Center float64 `json:"center"`
	// Lo and Hi bound the interval. They are meaningful only when Finite.
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// Confidence is the actual coverage of the interval (at least the
	// requested level; order statistics make it discrete).
	Confidence float64 `json:"confidence"`
	// Finite is false when there are too few samples for an interval at
	// the requested level; Lo and Hi are then zero.
	Finite bool `json:"finite"`
	// Warning explains a non-finite interval.
	Warning string `json:"warning,omitempty"`
}

// Summary is the statistical summary of one operation's samples, in the
// samples' unit. Percentiles interpolate linearly between order statistics
// (see [Quantile]); Median is the p50.
type Summary struct {
	// N is the number of samples.
	N      int     `json:"n"`
	Min    float64 `json:"min"`
	P25    float64 `json:"p25"`
	Median float64 `json:"p50"`
	P75    float64 `json:"p75"`
	P90    float64 `json:"p90"`
	P95    float64 `json:"p95"`
	P99    float64 `json:"p99"`
	Max    float64 `json:"max"`
	Mean   float64 `json:"mean"`
	// Stddev is the sample standard deviation (n-1 denominator).
	Stddev float64 `json:"stddev"`
	// IQR is P75 - P25.
	IQR float64 `json:"iqr"`
	// MAD is the median absolute deviation from the median, unscaled.
	MAD float64 `json:"mad"`
	// Ops is operations per second per client, 1/Mean, for latency
	// samples; zero for rate units.
	Ops float64 `json:"ops,omitempty"`
	// MedianCI is the 95% confidence interval of the median
	// (benchmath.AssumeNothing).
	MedianCI CI `json:"median_ci"`
}

// Confidence is the confidence level of [Summary.MedianCI].
const Confidence = 0.95

// Summarize computes the summary of values in unit u. It does not modify
// values. An empty slice gives a zero Summary.
func Summarize(values []float64, u Unit) Summary {
	if len(values) == 0 {
		return Summary{}
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	s := Summary{
		N:      len(sorted),
		Min:    sorted[0],
		P25:    Quantile(sorted, 0.25),
		Median: Quantile(sorted, 0.50),
		P75:    Quantile(sorted, 0.75),
		P90:    Quantile(sorted, 0.90),
		P95:    Quantile(sorted, 0.95),
		P99:    Quantile(sorted, 0.99),
		Max:    sorted[len(sorted)-1],
		Mean:   mean(sorted),
	}
	s.Stddev = stddev(sorted, s.Mean)
	s.IQR = s.P75 - s.P25
	s.MAD = mad(sorted, s.Median)
	if !u.HigherIsBetter && s.Mean > 0 {
		s.Ops = 1 / s.Mean
	}
	s.MedianCI = MedianCI(sorted, Confidence)
	return s
}

// MedianCI returns the distribution-free confidence interval of the median
// of values at the given confidence level (e.g. 0.95), computed by
// benchmath.AssumeNothing. It does not modify values.
func MedianCI(values []float64, confidence float64) CI {
	if len(values) == 0 {
		return CI{Warning: "no samples"}
	}
	th := benchmath.DefaultThresholds
	sample := benchmath.NewSample(slices.Clone(values), &th)
	sum := benchmath.AssumeNothing.Summary(sample, confidence)
	ci := CI{Center: sum.Center, Confidence: sum.Confidence}
	if math.IsInf(sum.Lo, 0) || math.IsInf(sum.Hi, 0) || math.IsNaN(sum.Lo) || math.IsNaN(sum.Hi) {
		var msgs []string
		for _, w := range sum.Warnings {
			msgs = append(msgs, w.Error())
		}
		ci.Warning = strings.Join(msgs, "; ")
		if ci.Warning == "" {
			ci.Warning = "too few samples for a confidence interval"
		}
		return ci
	}
	ci.Lo, ci.Hi, ci.Finite = sum.Lo, sum.Hi, true
	return ci
}

// Quantile returns the q-quantile (0 <= q <= 1) of sorted, which must be in
// ascending order, by linear interpolation between order statistics (the
// R-7 / NumPy default definition). It returns NaN for an empty slice.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if q <= 0 {
		return sorted[0]
	}
	if q >= 1 {
		return sorted[n-1]
	}
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	if lo+1 >= n {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

func stddev(xs []float64, m float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	var ss float64
	for _, x := range xs {
		d := x - m
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func mad(sorted []float64, median float64) float64 {
	dev := make([]float64, len(sorted))
	for i, x := range sorted {
		dev[i] = math.Abs(x - median)
	}
	slices.Sort(dev)
	return Quantile(dev, 0.5)
}

// namedFields lists the statistic names accepted by [Field], in addition to
// percentiles "pNN".
func namedFields() []string {
	return []string{"min", "max", "mean", "median", "stddev", "iqr", "mad", "ops"}
}

// FieldNames returns the statistic names [Field] accepts: min, max, mean,
// median, stddev, iqr, mad, ops, and pNN for a percentile (p1 … p99,
// decimals allowed, e.g. p99.9).
func FieldNames() []string { return append(namedFields(), "pNN") }

// ValidField reports whether name is a statistic [Field] can compute.
func ValidField(name string) bool {
	if slices.Contains(namedFields(), name) {
		return true
	}
	_, ok := percentile(name)
	return ok
}

// percentile parses "pNN" into a quantile in (0, 1).
func percentile(name string) (float64, bool) {
	rest, ok := strings.CutPrefix(name, "p")
	if !ok || rest == "" || rest[0] < '0' || rest[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseFloat(rest, 64)
	if err != nil || v <= 0 || v >= 100 {
		return 0, false
	}
	return v / 100, true
}

// Field computes the named statistic (see [FieldNames]) of values in unit u.
// It does not modify values.
func Field(name string, values []float64, u Unit) (float64, error) {
	if len(values) == 0 {
		return 0, fmt.Errorf("stats: field %q of an empty sample", name)
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	switch name {
	case "min":
		return sorted[0], nil
	case "max":
		return sorted[len(sorted)-1], nil
	case "mean":
		return mean(sorted), nil
	case "median":
		return Quantile(sorted, 0.5), nil
	case "stddev":
		return stddev(sorted, mean(sorted)), nil
	case "iqr":
		return Quantile(sorted, 0.75) - Quantile(sorted, 0.25), nil
	case "mad":
		return mad(sorted, Quantile(sorted, 0.5)), nil
	case "ops":
		if u.HigherIsBetter {
			return 0, fmt.Errorf("stats: field \"ops\" applies to latency samples, not to the rate unit %q (use mean or median)", u.Name)
		}
		m := mean(sorted)
		if m <= 0 {
			return math.Inf(1), nil
		}
		return 1 / m, nil
	}
	if q, ok := percentile(name); ok {
		return Quantile(sorted, q), nil
	}
	return 0, fmt.Errorf("stats: unknown field %q (want one of %s, or pNN)", name, strings.Join(namedFields(), ", "))
}

// HigherIsBetterField reports whether a larger value of the named statistic
// is an improvement for unit u: location statistics follow the unit, "ops"
// is always higher-is-better, and spread statistics (stddev, iqr, mad) are
// always lower-is-better.
func HigherIsBetterField(name string, u Unit) bool {
	switch name {
	case "stddev", "iqr", "mad":
		return false
	case "ops":
		return true
	}
	return u.HigherIsBetter
}
