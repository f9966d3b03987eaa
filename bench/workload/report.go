package workload

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram range: 0 to 1 h in nanoseconds at 3 significant digits; longer
// values are recorded as 1 h.
const (
	histMin     = 1
	histMax     = int64(time.Hour)
	histSigFigs = 3
)

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(histMin, histMax, histSigFigs) }

func record(h *hdrhistogram.Histogram, d time.Duration) {
	v := min(max(int64(d), 0), histMax)
	_ = h.RecordValue(v) // v is within the histogram's range
}

// Stats are the measurements of one operation type (or of all, Type "ALL").
// Latencies are measured from the scheduled start to the end of the
// operation, over the operations that succeeded.
type Stats struct {
	// Type is the operation type ("ALL" for the total).
	Type string
	// Kind is the operation kind (of the first operation seen for a type;
	// Read for the total).
	Kind Kind
	// Count is the number of measured operations that succeeded.
	Count int64
	// Errors is the number of measured operations that failed (Do returned
	// an error other than the run's cancellation).
	Errors int64
	// FirstError is the first of those errors (nil without errors), so
	// that a report can say what failed.
	FirstError error
	// Mismatches is the number of succeeded operations whose result the
	// oracle rejected (they are also in Count).
	Mismatches int64
	// FirstMismatch is the oracle's first rejection (nil without).
	FirstMismatch error
	// Late is the number of measured operations that started later than
	// the audit tolerance after their schedule.
	Late int64
	// Throughput is Count per second of the measured period.
	Throughput float64
	// Latency distribution from the HDR histogram (zero when Count is 0).
	Min, Mean, P50, P90, P95, P99, P999, Max, StdDev time.Duration
	// Samples are the raw latencies of the succeeded operations, in
	// completion order, when Config.KeepSamples is set (nil for the
	// total): the input of rank statistics such as a baseline comparison.
	Samples []time.Duration
}

func fillStats(st *Stats, h *hdrhistogram.Histogram, elapsed time.Duration) {
	st.Count = h.TotalCount()
	if elapsed > 0 {
		st.Throughput = float64(st.Count) / elapsed.Seconds()
	}
	if st.Count == 0 {
		return
	}
	q := func(p float64) time.Duration { return time.Duration(h.ValueAtQuantile(p)) }
	st.Min, st.Max = time.Duration(h.Min()), time.Duration(h.Max())
	st.Mean, st.StdDev = time.Duration(math.Round(h.Mean())), time.Duration(math.Round(h.StdDev()))
	st.P50, st.P90, st.P95, st.P99, st.P999 = q(50), q(90), q(95), q(99), q(99.9)
}

// Audit is the schedule audit: a run passes only if at least MinOnTime of
// its measured operations started within Tolerance of their scheduled
// time.
type Audit struct {
	// Operations is the number of measured operations started.
	Operations int64
	// OnTime is how many of them started within Tolerance.
	OnTime int64
	// Tolerance is the allowed lateness.
	Tolerance time.Duration
	// MinOnTime is the required on-time fraction, in (0, 1].
	MinOnTime float64
	// P99Lateness and MaxLateness describe how late operations started.
	P99Lateness, MaxLateness time.Duration
}

// OnTimeRatio is OnTime / Operations (0 without operations).
func (a Audit) OnTimeRatio() float64 {
	if a.Operations == 0 {
		return 0
	}
	return float64(a.OnTime) / float64(a.Operations)
}

// Passed reports whether the audit passed. A run without measured
// operations fails: nothing shows it kept its schedule.
func (a Audit) Passed() bool {
	return a.Operations > 0 && a.OnTimeRatio() >= a.MinOnTime
}

// String returns "PASSED SCHEDULE AUDIT" or "FAILED SCHEDULE AUDIT" with
// the figures it was decided on.
func (a Audit) String() string {
	verdict := "FAILED SCHEDULE AUDIT"
	if a.Passed() {
		verdict = "PASSED SCHEDULE AUDIT"
	}
	if a.Operations == 0 {
		return verdict + ": no measured operation started"
	}
	return fmt.Sprintf("%s: %s of %d operations started within %v of schedule (required %s; p99 lateness %v, max %v)",
		verdict, percent(a.OnTimeRatio()), a.Operations, a.Tolerance, percent(a.MinOnTime),
		a.P99Lateness.Round(time.Millisecond), a.MaxLateness.Round(time.Millisecond))
}

// percent formats a ratio without rounding 99.96% up to 100%.
func percent(r float64) string {
	return fmt.Sprintf("%.2f%%", math.Floor(r*10000)/100)
}

// Report is the outcome of [Run].
type Report struct {
	// Partial is set when the run was cancelled before its schedule ended:
	// the figures cover only what ran.
	Partial bool
	// Scheduled is the number of operations in the schedule.
	Scheduled int
	// Started is the number of operations started, warm-up included.
	Started int64
	// Warmup is the number of warm-up operations run (not measured).
	Warmup int64
	// Interrupted is the number of operations the cancellation cut short
	// (not measured).
	Interrupted int64
	// Elapsed is the measured period: from the end of the warm-up to the
	// last measured completion.
	Elapsed time.Duration
	// Total is the measurement over all types (Type "ALL").
	Total Stats
	// Types are the measurements per operation type, by type name.
	Types []Stats
	// Audit is the schedule audit of the measured operations.
	Audit Audit
	// PerSecond[i] is the number of measured operations that succeeded in
	// the i-th second of the measured period.
	PerSecond []int64
}

// WriteText writes the report as text: a table of the types and the total,
// the audit verdict, and a PARTIAL marker when the run was cancelled.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	if r.Partial {
		fmt.Fprintf(&b, "PARTIAL RESULT: cancelled after %d of %d scheduled operations\n", r.Started, r.Scheduled)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "type\tkind\tcount\terrors\tops/s\tmin\tmean\tp50\tp90\tp95\tp99\tp99.9\tmax\tstddev\t")
	d := func(v time.Duration) string {
		if v >= time.Second {
			return v.Round(time.Millisecond).String()
		}
		return v.Round(time.Microsecond).String()
	}
	for _, st := range append(slices.Clone(r.Types), r.Total) {
		kind := st.Kind.String()
		if st.Type == "ALL" {
			kind = ""
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", st.Type, kind, st.Count, st.Errors,
			st.Throughput, d(st.Min), d(st.Mean), d(st.P50), d(st.P90), d(st.P95), d(st.P99), d(st.P999), d(st.Max), d(st.StdDev))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, st := range r.Types {
		if st.FirstError != nil {
			fmt.Fprintf(&b, "%s: %d errors, the first: %v\n", st.Type, st.Errors, st.FirstError)
		}
		if st.FirstMismatch != nil {
			fmt.Fprintf(&b, "%s: %d wrong results, the first: %v\n", st.Type, st.Mismatches, st.FirstMismatch)
		}
	}
	if r.Total.Mismatches > 0 {
		fmt.Fprintf(&b, "oracle mismatches: %d (succeeded operations whose result the oracle rejected)\n", r.Total.Mismatches)
	}
	fmt.Fprintln(&b, r.Audit.String())
	_, err := io.WriteString(w, b.String())
	return err
}

// typeAcc accumulates one operation type.
type typeAcc struct {
	kind                     Kind
	hist                     *hdrhistogram.Histogram
	errors, mismatches, late int64
	firstErr, firstMismatch  error
	samples                  []time.Duration
}

// collector accumulates measurements from the workers.
type collector struct {
	mu           sync.Mutex
	tolerance    time.Duration
	keepSamples  bool
	measureStart time.Time
	types        map[string]*typeAcc
	total        *typeAcc
	lateness     *hdrhistogram.Histogram
	perSecond    []int64
	started      int64
	warmup       int64
	interrupted  int64
	done         int64 // operations finished (any outcome), warm-up included
	audited      int64
	onTime       int64
	lastEnd      time.Time
}

func newCollector(measureStart time.Time, tolerance time.Duration, keepSamples bool) *collector {
	return &collector{
		tolerance: tolerance, measureStart: measureStart, keepSamples: keepSamples,
		types: map[string]*typeAcc{}, total: &typeAcc{hist: newHist()}, lateness: newHist(),
		lastEnd: measureStart,
	}
}

func (c *collector) start() {
	c.mu.Lock()
	c.started++
	c.mu.Unlock()
}

// outcome is one finished operation.
type outcome struct {
	op                *Operation
	sched, begin, end time.Time
	err, mismatch     error
	warm, failed      bool
	interrupted       bool
}

func (c *collector) add(o outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done++
	switch {
	case o.interrupted:
		c.interrupted++
		return
	case o.warm:
		c.warmup++
		return
	}
	acc := c.types[o.op.Type]
	if acc == nil {
		acc = &typeAcc{kind: o.op.Kind, hist: newHist()}
		c.types[o.op.Type] = acc
	}
	late := o.begin.Sub(o.sched)
	c.audited++
	record(c.lateness, late)
	if late <= c.tolerance {
		c.onTime++
	} else {
		acc.late++
		c.total.late++
	}
	if o.end.After(c.lastEnd) {
		c.lastEnd = o.end
	}
	if o.failed {
		acc.errors++
		c.total.errors++
		if acc.firstErr == nil {
			acc.firstErr = o.err
		}
		if c.total.firstErr == nil {
			c.total.firstErr = o.err
		}
		return
	}
	if o.mismatch != nil {
		acc.mismatches++
		c.total.mismatches++
		if acc.firstMismatch == nil {
			acc.firstMismatch = o.mismatch
		}
		if c.total.firstMismatch == nil {
			c.total.firstMismatch = o.mismatch
		}
	}
	lat := o.end.Sub(o.sched) // from the scheduled start: no coordinated omission
	record(acc.hist, lat)
	if c.keepSamples {
		acc.samples = append(acc.samples, lat)
	}
	record(c.total.hist, lat)
	sec := int(o.end.Sub(c.measureStart) / time.Second)
	if sec >= 0 {
		for len(c.perSecond) <= sec {
			c.perSecond = append(c.perSecond, 0)
		}
		c.perSecond[sec]++
	}
}

func (c *collector) audit(minOnTime float64) Audit {
	return Audit{
		Operations: c.audited, OnTime: c.onTime, Tolerance: c.tolerance, MinOnTime: minOnTime,
		P99Lateness: time.Duration(c.lateness.ValueAtQuantile(99)), MaxLateness: time.Duration(c.lateness.Max()),
	}
}

func (c *collector) report(scheduled int, partial bool, minOnTime float64) *Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	elapsed := c.lastEnd.Sub(c.measureStart)
	r := &Report{
		Partial: partial, Scheduled: scheduled, Started: c.started, Warmup: c.warmup,
		Interrupted: c.interrupted, Elapsed: elapsed, Audit: c.audit(minOnTime),
		PerSecond: slices.Clone(c.perSecond),
	}
	for _, t := range slices.Sorted(maps.Keys(c.types)) {
		acc := c.types[t]
		st := Stats{Type: t, Kind: acc.kind, Errors: acc.errors, FirstError: acc.firstErr, Mismatches: acc.mismatches, FirstMismatch: acc.firstMismatch, Late: acc.late,
			Samples: slices.Clone(acc.samples)}
		fillStats(&st, acc.hist, elapsed)
		r.Types = append(r.Types, st)
	}
	r.Total = Stats{Type: "ALL", Errors: c.total.errors, FirstError: c.total.firstErr, Mismatches: c.total.mismatches, FirstMismatch: c.total.firstMismatch, Late: c.total.late}
	fillStats(&r.Total, c.total.hist, elapsed)
	return r
}
