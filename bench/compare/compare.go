// Package compare decides, operation by operation, whether a benchmark run
// is faster or slower than a baseline, and whether the suite regressed.
//
// The rule is deliberately stricter and quieter than comparing means. For
// each operation present in both runs:
//
//   - The Mann–Whitney U test (golang.org/x/perf/benchmath.AssumeNothing,
//     two-sided) gives a p-value. If even maximally separated samples of
//     these sizes could not reach alpha, the verdict is "inconclusive".
//   - The p-values of the testable operations are Holm-adjusted across the
//     suite (family-wise error rate alpha). Not significant → "~";
//     significant → "faster" or "slower" by the direction of the medians
//     (for rates such as elements/s, "slower" means a lower rate).
//   - An operation regresses only when it is "slower" AND its threshold
//     expression (pytest-benchmark syntax, see [ParseThresholds]) is
//     exceeded AND its median got worse by at least the absolute floor
//     (--min-delta, see [Floor]).
//
// Runs over different datasets are refused with a *DatasetMismatchError.
package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"golang.org/x/perf/benchmath"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
)

// Verdict is the outcome of comparing one operation.
type Verdict string

// Verdicts.
const (
	// Faster: significantly better after Holm correction.
	Faster Verdict = "faster"
	// Slower: significantly worse after Holm correction.
	Slower Verdict = "slower"
	// Same ("~"): no significant difference.
	Same Verdict = "~"
	// Inconclusive: too few samples for the U test ever to be significant
	// at alpha, or no samples at all.
	Inconclusive Verdict = "inconclusive"
)

// Config controls a comparison. The zero value uses alpha 0.05, no
// threshold expression and the unit's default floor.
type Config struct {
	// Alpha is the family-wise significance level. 0 means
	// benchmath.DefaultThresholds.CompareAlpha (0.05).
	Alpha float64
	// FailOn is the threshold expression (--fail-on). Empty means no
	// threshold: a significant slowdown past the floor regresses.
	FailOn Thresholds
	// MinDelta is the floor (--min-delta). nil means [DefaultFloor] of
	// each operation's unit.
	MinDelta *Floor
}

// DatasetMismatchError refuses a comparison of runs over different
// datasets.
type DatasetMismatchError struct {
	BaseName string
	Base     string
	Current  string
}

// Error implements error.
func (e *DatasetMismatchError) Error() string {
	return fmt.Sprintf("refusing to compare: baseline %q was measured on dataset %q, the current run on dataset %q (re-create the baseline on the current data)", e.BaseName, e.Base, e.Current)
}

// NothingComparedError reports two runs without a single operation in
// common: a comparison of nothing cannot pass a gate.
type NothingComparedError struct {
	BaseName      string
	Base, Current []string // the operations of each run
}

// Error implements the error interface.
func (e *NothingComparedError) Error() string {
	return fmt.Sprintf("compare: the baseline %s and this run have no operation in common (baseline: %s; this run: %s): nothing to compare",
		e.BaseName, listOrNone(e.Base), listOrNone(e.Current))
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// CanBeSignificant reports whether a suite of family operations with n1
// and n2 samples each can ever call a change significant at alpha after
// Holm correction: the smallest two-sided Mann–Whitney p (completely
// separated samples, 2/C(n1+n2, n1)) times the family size must reach
// alpha (0: the default 0.05).
func CanBeSignificant(n1, n2, family int, alpha float64) bool {
	if n1 < 1 || n2 < 1 {
		return false
	}
	if alpha <= 0 {
		alpha = benchmath.DefaultThresholds.CompareAlpha
	}
	minP := 2 / math.Exp(lchoose(n1+n2, n1))
	return minP*float64(max(family, 1)) <= alpha
}

// UnitMismatchError reports an operation measured in different units by
// the two runs.
type UnitMismatchError struct {
	Operation     string
	Base, Current stats.Unit
}

// Error implements error.
func (e *UnitMismatchError) Error() string {
	return fmt.Sprintf("operation %q is measured in %s in the baseline but %s in the current run", e.Operation, e.Base.Name, e.Current.Name)
}

// DeltaCI is a confidence interval for the relative change of the median,
// current/base - 1.
type DeltaCI struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// Confidence is the lower bound of the interval's coverage.
	Confidence float64 `json:"confidence"`
	// Finite is false when either sample is too small for an interval.
	Finite bool `json:"finite"`
}

// Result is the comparison of one operation.
type Result struct {
	Name    string        `json:"name"`
	Unit    stats.Unit    `json:"unit"`
	Base    stats.Summary `json:"base"`
	Current stats.Summary `json:"current"`
	// P is the raw two-sided Mann–Whitney U p-value (benchmath).
	P float64 `json:"p"`
	// AdjustedP is P after Holm correction across the suite; 1 for an
	// inconclusive operation (not part of the family).
	AdjustedP float64 `json:"adjusted_p"`
	// MinP is the smallest p-value the U test can give for these sample
	// sizes.
	MinP float64 `json:"min_p"`
	// Alpha is the significance level.
	Alpha   float64 `json:"alpha"`
	Verdict Verdict `json:"verdict"`
	// Delta is current median / base median - 1 (+0.25 = 25% larger).
	Delta float64 `json:"delta"`
	// DeltaCI is a conservative 95% interval of Delta.
	DeltaCI DeltaCI `json:"delta_ci"`
	// Checks are the threshold checks' outcomes.
	Checks []CheckResult `json:"checks,omitempty"`
	// ThresholdExceeded is true when any check is exceeded, or when there
	// are no checks.
	ThresholdExceeded bool `json:"threshold_exceeded"`
	// Floor is the floor applied.
	Floor Floor `json:"floor"`
	// FloorPassed is true when the median worsened by at least Floor.
	FloorPassed bool `json:"floor_passed"`
	// Regressed is Slower && ThresholdExceeded && FloorPassed.
	Regressed bool `json:"regressed"`
	// BaseErrors and CurrentErrors count failed calls.
	BaseErrors    int `json:"base_errors,omitempty"`
	CurrentErrors int `json:"current_errors,omitempty"`
	// Warnings explain caveats (benchmath warnings, parameter changes).
	Warnings []string `json:"warnings,omitempty"`
}

// RunInfo identifies a compared run.
type RunInfo struct {
	Name    string           `json:"name,omitempty"`
	Command string           `json:"command,omitempty"`
	Commit  string           `json:"commit,omitempty"`
	Started string           `json:"started,omitempty"`
	Dataset string           `json:"dataset"`
	Driver  string           `json:"driver,omitempty"`
	Machine baseline.Machine `json:"machine"`
	Server  baseline.Server  `json:"server"`
}

func infoOf(r *baseline.Run) RunInfo {
	info := RunInfo{Name: r.Name, Command: r.Command, Commit: r.Commit, Dataset: r.Dataset,
		Driver: r.Driver, Machine: r.Machine, Server: r.Server}
	if !r.Started.IsZero() {
		info.Started = r.Started.Format("2006-01-02T15:04:05Z07:00")
	}
	return info
}

// Report is the comparison of a whole suite.
type Report struct {
	Base    RunInfo `json:"base"`
	Current RunInfo `json:"current"`
	Alpha   float64 `json:"alpha"`
	FailOn  string  `json:"fail_on,omitempty"`
	// MinDelta is the configured floor, "" for the per-unit default.
	MinDelta string `json:"min_delta,omitempty"`
	// Family is the number of operations in the Holm family.
	Family  int      `json:"holm_family"`
	Results []Result `json:"results"`
	// OnlyInBase and OnlyInCurrent list operations that cannot be
	// compared.
	OnlyInBase    []string `json:"only_in_base,omitempty"`
	OnlyInCurrent []string `json:"only_in_current,omitempty"`
	// Regressions names the regressed operations.
	Regressions []string `json:"regressions"`

	// BaseRun and CurrentRun are the compared runs (raw samples), for
	// reports.
	BaseRun    *baseline.Run `json:"-"`
	CurrentRun *baseline.Run `json:"-"`
}

// Failed reports whether any operation regressed: the CLI exits 1.
func (r *Report) Failed() bool { return len(r.Regressions) > 0 }

// Errored reports whether any operation of the current run had failed
// calls.
func (r *Report) Errored() bool {
	for _, res := range r.Results {
		if res.CurrentErrors > 0 {
			return true
		}
	}
	return false
}

// Compare compares cur against base. It returns a *DatasetMismatchError
// when the runs' dataset fingerprints differ and a *UnitMismatchError when
// an operation changed unit.
func Compare(base, cur *baseline.Run, cfg Config) (*Report, error) {
	if base.Dataset != cur.Dataset {
		return nil, &DatasetMismatchError{BaseName: base.Name, Base: base.Dataset, Current: cur.Dataset}
	}
	alpha := cfg.Alpha
	if alpha <= 0 {
		alpha = benchmath.DefaultThresholds.CompareAlpha
	}
	rep := &Report{
		Base: infoOf(base), Current: infoOf(cur), Alpha: alpha, FailOn: cfg.FailOn.String(),
		BaseRun: base, CurrentRun: cur, Regressions: []string{},
	}
	if cfg.MinDelta != nil {
		rep.MinDelta = cfg.MinDelta.String()
	}
	th := benchmath.Thresholds{CompareAlpha: alpha}
	minP := minPCache{th: th, cache: map[[2]int]float64{}}

	for i := range base.Operations {
		bop := &base.Operations[i]
		cop := cur.Operation(bop.Name)
		if cop == nil {
			rep.OnlyInBase = append(rep.OnlyInBase, bop.Name)
			continue
		}
		if bop.Unit != cop.Unit {
			return nil, &UnitMismatchError{Operation: bop.Name, Base: bop.Unit, Current: cop.Unit}
		}
		res, err := compareOp(bop, cop, cfg, alpha, th, &minP)
		if err != nil {
			return nil, fmt.Errorf("compare %q: %w", bop.Name, err)
		}
		rep.Results = append(rep.Results, res)
	}
	for _, cop := range cur.Operations {
		if base.Operation(cop.Name) == nil {
			rep.OnlyInCurrent = append(rep.OnlyInCurrent, cop.Name)
		}
	}
	if len(rep.Results) == 0 {
		return nil, &NothingComparedError{BaseName: base.Name, Base: rep.OnlyInBase, Current: rep.OnlyInCurrent}
	}

	// Holm correction over the testable operations. Which operations are
	// testable depends only on sample sizes, never on the values, so
	// leaving the untestable ones out keeps the family-wise error rate.
	var idx []int
	var ps []float64
	for i, r := range rep.Results {
		if r.Verdict != Inconclusive {
			idx = append(idx, i)
			ps = append(ps, r.P)
		}
	}
	rep.Family = len(idx)
	adj := HolmAdjust(ps)
	for k, i := range idx {
		r := &rep.Results[i]
		r.AdjustedP = adj[k]
		switch {
		case r.AdjustedP > alpha:
			r.Verdict = Same
		case worse(r.Base, r.Current, r.Unit):
			r.Verdict = Slower
		default:
			r.Verdict = Faster
		}
		r.Regressed = r.Verdict == Slower && r.ThresholdExceeded && r.FloorPassed
		if r.Regressed {
			rep.Regressions = append(rep.Regressions, r.Name)
		}
	}
	return rep, nil
}

// worse reports whether the current summary is worse than the base one:
// by the medians, or by the means when the medians tie.
func worse(b, c stats.Summary, u stats.Unit) bool {
	bv, cv := b.Median, c.Median
	if bv == cv {
		bv, cv = b.Mean, c.Mean
	}
	if u.HigherIsBetter {
		return cv < bv
	}
	return cv > bv
}

func compareOp(bop, cop *baseline.Operation, cfg Config, alpha float64, th benchmath.Thresholds, minP *minPCache) (Result, error) {
	res := Result{
		Name: bop.Name, Unit: bop.Unit, Alpha: alpha, AdjustedP: 1, P: 1, MinP: 1,
		Base: bop.Summary(), Current: cop.Summary(),
		BaseErrors: bop.ErrorCount, CurrentErrors: cop.ErrorCount,
		Verdict: Inconclusive,
	}
	if !paramsEqual(bop, cop) {
		res.Warnings = append(res.Warnings, "parameter lists differ between the runs: the comparison mixes different work")
	}
	if cop.ErrorCount > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d failed calls in the current run", cop.ErrorCount))
	}
	n1, n2 := len(bop.Samples), len(cop.Samples)
	if n1 == 0 || n2 == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("no samples to compare (baseline %d, current %d)", n1, n2))
		return res, nil
	}

	if res.Base.Median != 0 {
		res.Delta = res.Current.Median/res.Base.Median - 1
	}
	res.DeltaCI = deltaCI(bop.Samples, cop.Samples)

	floor := DefaultFloor(bop.Unit)
	if cfg.MinDelta != nil {
		floor = *cfg.MinDelta
	}
	res.Floor = floor
	res.FloorPassed = floor.Passed(res.Base.Median, res.Current.Median, bop.Unit)

	checks, err := cfg.FailOn.Evaluate(bop.Samples, cop.Samples, bop.Unit)
	if err != nil {
		return res, err
	}
	res.Checks = checks
	res.ThresholdExceeded = len(checks) == 0
	for _, c := range checks {
		if c.Exceeded {
			res.ThresholdExceeded = true
		}
	}

	s1 := benchmath.NewSample(slices.Clone(bop.Samples), &th)
	s2 := benchmath.NewSample(slices.Clone(cop.Samples), &th)
	cmp := benchmath.AssumeNothing.Compare(s1, s2)
	res.P = cmp.P
	for _, w := range cmp.Warnings {
		res.Warnings = append(res.Warnings, w.Error())
	}
	res.MinP = minP.get(n1, n2)
	if res.MinP > alpha {
		res.Warnings = append(res.Warnings, fmt.Sprintf("with n=%d+%d the U test can never reach alpha=%g (smallest possible p=%.3g): take more samples", n1, n2, alpha, res.MinP))
		return res, nil
	}
	res.Verdict = Same // refined after Holm correction
	return res, nil
}

func paramsEqual(a, b *baseline.Operation) bool {
	if len(a.Params) != len(b.Params) {
		return false
	}
	for i := range a.Params {
		var x, y bytes.Buffer
		if json.Compact(&x, a.Params[i]) != nil || json.Compact(&y, b.Params[i]) != nil {
			if !bytes.Equal(a.Params[i], b.Params[i]) {
				return false
			}
			continue
		}
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			return false
		}
	}
	return true
}

// deltaCI bounds current median / base median - 1 with a conservative 95%
// interval: each median's 97.5% order-statistic interval (benchmath), the
// ratio of their extremes; by Bonferroni both hold together with
// probability at least 95%.
func deltaCI(base, cur []float64) DeltaCI {
	b := stats.MedianCI(base, 0.975)
	c := stats.MedianCI(cur, 0.975)
	if !b.Finite || !c.Finite || b.Lo <= 0 || b.Hi <= 0 {
		return DeltaCI{Confidence: 0.95}
	}
	return DeltaCI{Lo: c.Lo/b.Hi - 1, Hi: c.Hi/b.Lo - 1, Confidence: 0.95, Finite: true}
}

// minPCache memoizes the smallest achievable U-test p-value per pair of
// sample sizes.
type minPCache struct {
	th    benchmath.Thresholds
	cache map[[2]int]float64
}

// get returns the smallest p-value benchmath's U test can give for sample
// sizes n1 and n2: the p-value of two completely separated samples.
func (m *minPCache) get(n1, n2 int) float64 {
	key := [2]int{n1, n2}
	if p, ok := m.cache[key]; ok {
		return p
	}
	// Without ties, completely separated samples have the exact two-sided
	// p-value 2/C(n1+n2, n1). When that is far below any usable alpha,
	// the exact value does not matter and the (costly for large n) U test
	// on synthetic samples is skipped.
	if lc := lchoose(n1+n2, n1); lc > math.Log(2e6) {
		p := 2 * math.Exp(-lc)
		m.cache[key] = p
		return p
	}
	a := make([]float64, n1)
	b := make([]float64, n2)
	for i := range a {
		a[i] = float64(i)
	}
	for i := range b {
		b[i] = float64(n1 + i)
	}
	p := benchmath.AssumeNothing.Compare(benchmath.NewSample(a, &m.th), benchmath.NewSample(b, &m.th)).P
	m.cache[key] = p
	return p
}

// lchoose returns log C(n, k).
func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// HolmAdjust returns Holm–Bonferroni adjusted p-values, in the order of ps:
// with p(1) ≤ … ≤ p(m), adj(i) = max over j ≤ i of min(1, (m-j+1)·p(j)).
// Rejecting where adj ≤ alpha controls the family-wise error rate at alpha.
func HolmAdjust(ps []float64) []float64 {
	m := len(ps)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ps[order[a]] < ps[order[b]] })
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range order {
		v := math.Min(1, float64(m-rank)*ps[i])
		running = math.Max(running, v)
		adj[i] = running
	}
	return adj
}
