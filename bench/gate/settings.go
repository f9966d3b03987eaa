package gate

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/report"
)

// Samples says what a command's samples are, for the settings that depend
// on it.
type Samples int

const (
	// Latencies are seconds per call: lower is better (query-bench).
	Latencies Samples = iota
	// Rates are per second, e.g. elements/s: higher is better
	// (load-bench).
	Rates
)

// SettingError reports a comparison setting that cannot be used: Setting
// is "fail-on" (the regression thresholds) or "min-delta" (the smallest
// change that can fail), Value as given.
type SettingError struct {
	Setting string
	Value   string
	// Err is the parse error, when the value does not parse.
	Err error
	// Problem says why a value that parses does not apply, when Err is nil.
	Problem string
}

// Error implements the error interface.
func (e *SettingError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("%q: %s", e.Value, e.Problem)
}

// Unwrap returns the parse error.
func (e *SettingError) Unwrap() error { return e.Err }

// ParseCompare reads the regression thresholds failOn (compare.ParseThresholds
// syntax) and the floor minDelta (compare.ParseFloor syntax; "" for none
// of either) of a command whose samples are s. For rates it refuses the
// ops field (a latency statistic) and a duration floor. Errors are
// *SettingError.
func ParseCompare(failOn, minDelta string, s Samples) (compare.Config, error) {
	var cfg compare.Config
	if failOn != "" {
		th, err := compare.ParseThresholds(failOn)
		if err != nil {
			return cfg, &SettingError{Setting: "fail-on", Value: failOn, Err: err}
		}
		for _, ch := range th {
			if s == Rates && ch.Field == "ops" {
				return cfg, &SettingError{Setting: "fail-on", Value: failOn, Problem: "ops (calls/s, 1/mean latency) applies to latencies; " +
					"rates are compared by median, mean, min or pNN\naccepted grammar:\n" + compare.Grammar}
			}
		}
		cfg.FailOn = th
	}
	if minDelta != "" {
		f, err := compare.ParseFloor(minDelta)
		if err != nil {
			return cfg, &SettingError{Setting: "min-delta", Value: minDelta, Err: err}
		}
		if part, ok := durationPart(minDelta); ok && s == Rates {
			return cfg, &SettingError{Setting: "min-delta", Value: minDelta, Problem: fmt.Sprintf("%q is a duration, but the samples are rates: "+
				"give a number in the rate's unit (e.g. 500), a percentage (2%%) or both (500+2%%)", part)}
		}
		cfg.MinDelta = &f
	}
	return cfg, nil
}

// durationPart returns the first "+"-separated part of a floor that is
// neither a percentage nor a plain number (ParseFloor reads it as a
// duration).
func durationPart(s string) (string, bool) {
	for part := range strings.SplitSeq(s, "+") {
		part = strings.TrimSpace(part)
		if strings.HasSuffix(part, "%") {
			continue
		}
		if _, err := strconv.ParseFloat(part, 64); err == nil {
			continue
		}
		return part, true
	}
	return "", false
}

// Format is how [Write] prints a run.
type Format int

const (
	// Table prints the run's table, then the comparison's.
	Table Format = iota
	// JSON prints one JSON document (report.Document by default).
	JSON
	// GoBench prints Go benchmark format, for benchstat.
	GoBench
)

// Write prints run and its comparison rep (nil: none) in format f. table
// replaces report.WriteRunTable for Table, doc wraps the report.Document
// for JSON (nil: the document itself).
func Write(w io.Writer, f Format, run *baseline.Run, rep *compare.Report,
	table func(io.Writer) error, doc func(report.Document) any) error {
	switch {
	case f == JSON && doc == nil:
		return report.WriteJSON(w, run, rep)
	case f == JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc(report.Document{Run: report.Summarize(run), Comparison: rep, Failed: rep != nil && rep.Failed()})); err != nil {
			return fmt.Errorf("write JSON report: %w", err)
		}
		return nil
	case f == GoBench:
		return report.WriteGoBench(w, run)
	}
	if table == nil {
		table = func(w io.Writer) error { return report.WriteRunTable(w, run) }
	}
	if err := table(w); err != nil || rep == nil {
		return err
	}
	fmt.Fprintln(w)
	return report.WriteCompareTable(w, rep)
}
