package compare

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
)

// Grammar describes the accepted --fail-on syntax; it is part of every
// [ThresholdSyntaxError].
const Grammar = `EXPR    := CHECK { "," CHECK }
CHECK   := FIELD ":" NUMBER "%"    relative: fails when FIELD got worse by more than NUMBER percent
         | FIELD ":" NUMBER        absolute: fails when FIELD got worse by more than NUMBER
                                   (seconds for latencies, the rate's unit for rates, ops/s for ops)
FIELD   := min | max | mean | median | stddev | iqr | mad | ops | pNN   (pNN: p1 … p99, e.g. p95, p99.9)
NUMBER  := non-negative decimal, e.g. 10, 2.5, 0.002, 1e-3
examples: median:10%   p95:25%,median:10%   mean:0.002`

// ThresholdSyntaxError reports a malformed threshold expression. Its message
// shows the accepted grammar; the CLI turns it into exit code 2.
type ThresholdSyntaxError struct {
	// Expr is the whole expression.
	Expr string
	// Term is the offending comma-separated term.
	Term string
	// Reason says what is wrong with Term.
	Reason string
}

// Error implements error.
func (e *ThresholdSyntaxError) Error() string {
	return fmt.Sprintf("invalid threshold expression %q: term %q: %s\naccepted grammar:\n%s", e.Expr, e.Term, e.Reason, Grammar)
}

// Check is one term of a threshold expression, in pytest-benchmark's
// --benchmark-compare-fail syntax.
type Check struct {
	// Field is the statistic compared, e.g. "median" or "p95".
	Field string `json:"field"`
	// Limit is the allowed worsening: a percentage when Relative, else an
	// absolute amount (seconds for latencies, the unit for rates).
	Limit float64 `json:"limit"`
	// Relative is true for "FIELD:N%".
	Relative bool `json:"relative"`
}

// String renders the check in expression syntax.
func (c Check) String() string {
	s := c.Field + ":" + strconv.FormatFloat(c.Limit, 'g', -1, 64)
	if c.Relative {
		s += "%"
	}
	return s
}

// Thresholds is a parsed threshold expression: the operation fails the
// threshold when ANY check is exceeded (as pytest-benchmark does). An empty
// Thresholds imposes no threshold: significance and the floor decide alone.
type Thresholds []Check

// String renders the expression.
func (t Thresholds) String() string {
	parts := make([]string, len(t))
	for i, c := range t {
		parts[i] = c.String()
	}
	return strings.Join(parts, ",")
}

// ParseThresholds parses a comma-separated list of checks such as
// "median:10%,p95:25%,mean:0.002". Whitespace around terms is ignored; an
// empty expression gives empty Thresholds. Errors are *ThresholdSyntaxError.
func ParseThresholds(expr string) (Thresholds, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	var out Thresholds
	for term := range strings.SplitSeq(expr, ",") {
		term = strings.TrimSpace(term)
		fail := func(reason string) error {
			return &ThresholdSyntaxError{Expr: expr, Term: term, Reason: reason}
		}
		if term == "" {
			return nil, fail("empty term (stray comma?)")
		}
		field, num, ok := strings.Cut(term, ":")
		if !ok {
			return nil, fail(`missing ":" between field and limit`)
		}
		field = strings.ToLower(strings.TrimSpace(field))
		num = strings.TrimSpace(num)
		if !stats.ValidField(field) {
			return nil, fail(fmt.Sprintf("unknown field %q", field))
		}
		c := Check{Field: field}
		if n, ok := strings.CutSuffix(num, "%"); ok {
			c.Relative = true
			num = strings.TrimSpace(n)
		}
		if num == "" {
			return nil, fail("missing limit after \":\"")
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fail(fmt.Sprintf("limit %q is not a number", num))
		}
		if v < 0 {
			return nil, fail("limit must not be negative")
		}
		c.Limit = v
		out = append(out, c)
	}
	return out, nil
}

// CheckResult is the outcome of one [Check] on one operation.
type CheckResult struct {
	Check Check `json:"check"`
	// Base and Current are the field's values.
	Base    float64 `json:"base"`
	Current float64 `json:"current"`
	// Worse is how much worse Current is than Base: in percent for a
	// relative check, in the field's unit otherwise. Negative means
	// better.
	Worse float64 `json:"worse"`
	// Exceeded is true when Worse > Limit.
	Exceeded bool `json:"exceeded"`
}

// MarshalJSON encodes non-finite values (an infinitely worse field after a
// zero baseline) as null, which JSON can represent.
func (r CheckResult) MarshalJSON() ([]byte, error) {
	finite := func(v float64) *float64 {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		Check    Check    `json:"check"`
		Base     *float64 `json:"base"`
		Current  *float64 `json:"current"`
		Worse    *float64 `json:"worse"`
		Exceeded bool     `json:"exceeded"`
	}{r.Check, finite(r.Base), finite(r.Current), finite(r.Worse), r.Exceeded})
}

// Evaluate applies every check to the base and current samples of one
// operation in unit u.
func (t Thresholds) Evaluate(base, cur []float64, u stats.Unit) ([]CheckResult, error) {
	out := make([]CheckResult, 0, len(t))
	for _, c := range t {
		b, err := stats.Field(c.Field, base, u)
		if err != nil {
			return nil, err
		}
		k, err := stats.Field(c.Field, cur, u)
		if err != nil {
			return nil, err
		}
		// gap > 0 means the current run is worse.
		gap := k - b
		if stats.HigherIsBetterField(c.Field, u) {
			gap = b - k
		}
		r := CheckResult{Check: c, Base: b, Current: k, Worse: gap}
		if c.Relative {
			switch {
			case b != 0:
				r.Worse = gap / math.Abs(b) * 100
			case gap > 0:
				r.Worse = math.Inf(1)
			default:
				r.Worse = 0
			}
		}
		r.Exceeded = r.Worse > c.Limit
		out = append(out, r)
	}
	return out, nil
}

// Floor is the minimum worsening of the median that can count as a
// regression, whatever the statistics say: an absolute amount in the
// operation's unit (seconds for latencies) and/or a relative fraction. A
// median gap must reach both parts that are set.
type Floor struct {
	// Abs is the absolute floor in the unit (seconds for latencies).
	Abs float64 `json:"abs,omitempty"`
	// Rel is the relative floor as a fraction of the baseline median
	// (0.01 = 1%).
	Rel float64 `json:"rel,omitempty"`
}

// DefaultLatencyFloor is the --min-delta default for latencies: 1ms.
const DefaultLatencyFloor = 0.001

// DefaultRateFloor is the relative floor used for rates when none is
// given: 1% of the baseline median.
const DefaultRateFloor = 0.01

// DefaultFloor returns the floor used for unit u when none is configured:
// 1ms for latencies, 1% of the baseline median for rates.
func DefaultFloor(u stats.Unit) Floor {
	if u.HigherIsBetter {
		return Floor{Rel: DefaultRateFloor}
	}
	return Floor{Abs: DefaultLatencyFloor}
}

// String renders the floor in ParseFloor syntax.
func (f Floor) String() string {
	var parts []string
	if f.Abs != 0 {
		parts = append(parts, strconv.FormatFloat(f.Abs, 'g', -1, 64))
	}
	if f.Rel != 0 {
		parts = append(parts, strconv.FormatFloat(f.Rel*100, 'g', -1, 64)+"%")
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "+")
}

// Passed reports whether the median moved from base to cur by at least the
// floor in the worse direction for unit u.
func (f Floor) Passed(base, cur float64, u stats.Unit) bool {
	gap := cur - base
	if u.HigherIsBetter {
		gap = base - cur
	}
	if gap <= 0 {
		return false
	}
	if gap < f.Abs {
		return false
	}
	if f.Rel > 0 && base != 0 && gap/math.Abs(base) < f.Rel {
		return false
	}
	return true
}

// FloorSyntaxError reports a malformed --min-delta value.
type FloorSyntaxError struct {
	Value  string
	Reason string
}

// Error implements error.
func (e *FloorSyntaxError) Error() string {
	return fmt.Sprintf("invalid --min-delta %q: %s (want a duration such as 1ms or 500us, a plain number in the unit such as 250, a percentage such as 2%%, or both joined by '+', e.g. 1ms+2%%)", e.Value, e.Reason)
}

// ParseFloor parses a --min-delta value: a Go duration ("1ms", "250us")
// for latencies, a plain number in the unit, a percentage of the baseline
// median ("2%"), or an absolute and a relative part joined by "+"
// ("1ms+2%"). Errors are *FloorSyntaxError.
func ParseFloor(s string) (Floor, error) {
	var f Floor
	if strings.TrimSpace(s) == "" {
		return f, &FloorSyntaxError{Value: s, Reason: "empty"}
	}
	for part := range strings.SplitSeq(s, "+") {
		part = strings.TrimSpace(part)
		if p, ok := strings.CutSuffix(part, "%"); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return Floor{}, &FloorSyntaxError{Value: s, Reason: fmt.Sprintf("%q is not a non-negative percentage", part)}
			}
			f.Rel = v / 100
			continue
		}
		if v, err := strconv.ParseFloat(part, 64); err == nil {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return Floor{}, &FloorSyntaxError{Value: s, Reason: fmt.Sprintf("%q must be a non-negative number", part)}
			}
			f.Abs = v
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil || d < 0 {
			return Floor{}, &FloorSyntaxError{Value: s, Reason: fmt.Sprintf("%q is neither a duration, a number nor a percentage", part)}
		}
		f.Abs = d.Seconds()
	}
	return f, nil
}
