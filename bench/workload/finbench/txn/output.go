package txn

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WriteText prints the run: its TCR, the driver's report and, per read
// type, the reads the oracle checked.
func (r *Result) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "TCR %g\n", r.TCR)
	if err := r.Report.WriteText(w); err != nil {
		return err
	}
	for t, ch := range r.Checks {
		fmt.Fprintf(w, "%s: %d reads checked, %d unchecked (a write overlapped them)\n", t, ch.Checked, ch.Unchecked)
	}
	return nil
}

// TypeSummary is one operation type's figures in a [Summary]
// (latencies in milliseconds).
type TypeSummary struct {
	Type       string  `json:"type"`
	Kind       string  `json:"kind,omitempty"`
	Count      int64   `json:"count"`
	Errors     int64   `json:"errors"`
	Mismatches int64   `json:"wrong_answers"`
	Throughput float64 `json:"ops_per_sec"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	P999ms     float64 `json:"p999_ms"`
	Maxms      float64 `json:"max_ms"`
}

// Summary is a run's figures as a JSON document: embed it (with other
// documents) to add its members.
type Summary struct {
	TCR       float64           `json:"tcr"`
	Passed    bool              `json:"passed"`
	Audit     string            `json:"audit"`
	OnTime    float64           `json:"on_time_ratio"`
	Partial   bool              `json:"partial"`
	Types     []TypeSummary     `json:"types"`
	Checks    map[string]Checks `json:"checks"`
	PerSecond []int64           `json:"ops_per_second_series"`
}

// Summary returns the run's figures for JSON output: one entry per
// operation type, then the total ("ALL").
func (r *Result) Summary() *Summary {
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	var types []TypeSummary
	for _, st := range append(slices.Clone(r.Report.Types), r.Report.Total) {
		kind := st.Kind.String()
		if st.Type == "ALL" {
			kind = ""
		}
		types = append(types, TypeSummary{Type: st.Type, Kind: kind, Count: st.Count, Errors: st.Errors, Mismatches: st.Mismatches,
			Throughput: st.Throughput, P50ms: ms(st.P50), P99ms: ms(st.P99), P999ms: ms(st.P999), Maxms: ms(st.Max)})
	}
	return &Summary{TCR: r.TCR, Passed: r.Passed(), Audit: r.Report.Audit.String(), OnTime: r.Report.Audit.OnTimeRatio(),
		Partial: r.Report.Partial, Types: types, Checks: r.Checks, PerSecond: r.Report.PerSecond}
}

// Failure is the one-line verdict of a run that did not pass.
func (r *Result) Failure() string {
	return fmt.Sprintf("failed at TCR %g: %s; %d errors, %d wrong answers", r.TCR, r.Report.Audit,
		r.Report.Total.Errors, r.Report.Total.Mismatches)
}

// WriteText prints one line per validated operation: type, latency,
// verdict ("ok" or "FAILED: " and the error).
func (v *Validation) WriteText(w io.Writer) error {
	for _, o := range v.Outcomes {
		verdict := "ok"
		if o.Err != nil {
			verdict = "FAILED: " + o.Err.Error()
		}
		if _, err := fmt.Fprintf(w, "%-5s %8s  %s\n", o.Type, o.Latency.Round(time.Millisecond), verdict); err != nil {
			return err
		}
	}
	return nil
}

// FrequencyError is the error of [ParseFrequencies] for an entry it
// refuses.
type FrequencyError struct {
	// Entry is the refused TYPE=N entry.
	Entry string
	// Unknown is true when TYPE is not an operation type of
	// [Frequencies]; otherwise the entry is not TYPE=N with N ≥ 1 or -1.
	Unknown bool
}

// Error implements error.
func (e *FrequencyError) Error() string {
	if e.Unknown {
		k, _, _ := strings.Cut(e.Entry, "=")
		return fmt.Sprintf("unknown operation type %q (the update stream's writes follow their timestamps)", k)
	}
	return fmt.Sprintf("%q is not TYPE=N with N ≥ 1 (or -1 to leave TYPE out)", e.Entry)
}

// ParseFrequencies reads frequency overrides "TYPE=N,..." (N updates
// per operation of TYPE, -1 to leave TYPE out) for
// ScheduleConfig.Frequencies; "" is none. Its error is a
// *[FrequencyError].
func ParseFrequencies(s string) (map[string]int, error) {
	if s == "" {
		return nil, nil
	}
	out := map[string]int{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || k == "" || err != nil || n == 0 || n < -1 {
			return nil, &FrequencyError{Entry: kv}
		}
		if _, known := Frequencies()[k]; !known {
			return nil, &FrequencyError{Entry: kv, Unknown: true}
		}
		out[k] = n
	}
	return out, nil
}

// ConfigError is the error of [Config.Validate]: Field (e.g.
// "Schedule.TCR", "Driver.Warmup") has a value the run cannot use.
type ConfigError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *ConfigError) Error() string { return e.Field + " " + e.Problem }

// Validate checks the settings [Workload.Run] reads before any work: a
// positive TCR (at most 1e6), no negative duration, warm-up or client
// count. Its error is a *[ConfigError].
func (c Config) Validate() error {
	switch tcr := c.Schedule.TCR; {
	case !(tcr > 0) || tcr > 1e6:
		return &ConfigError{"Schedule.TCR", fmt.Sprintf("must be a positive number, got %v", tcr)}
	case c.Schedule.Duration < 0:
		return &ConfigError{"Schedule.Duration", fmt.Sprintf("must not be negative, got %v", c.Schedule.Duration)}
	case c.Driver.Warmup < 0:
		return &ConfigError{"Driver.Warmup", fmt.Sprintf("must not be negative, got %v", c.Driver.Warmup)}
	case c.Driver.Clients < 0:
		return &ConfigError{"Driver.Clients", fmt.Sprintf("must be ≥ 1, got %d", c.Driver.Clients)}
	}
	return nil
}
