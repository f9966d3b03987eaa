// Package ping checks that a Gremlin Server answers, and times round trips
// of the smallest traversal, g.inject(1).
package ping

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/graphperf/graphperf/graph/client"
)

// Script is the traversal every round trip evaluates.
const Script = "g.inject(1)"

// Result is the outcome of [Run].
type Result struct {
	// Hosts are the client's server URLs.
	Hosts []string
	// Count is the number of round trips timed.
	Count int
	// Min, Median and Max are the fastest, median and slowest round trips.
	Min, Median, Max time.Duration
}

// MarshalJSON writes hosts, count and min_ms, median_ms, max_ms in
// milliseconds.
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"hosts":     r.Hosts,
		"count":     r.Count,
		"min_ms":    float64(r.Min) / 1e6,
		"median_ms": float64(r.Median) / 1e6,
		"max_ms":    float64(r.Max) / 1e6,
	})
}

// AnswerError reports a server that answered [Script] with something
// other than [1].
type AnswerError struct {
	// Got is the answer.
	Got []any
}

// Error implements the error interface.
func (e *AnswerError) Error() string {
	return fmt.Sprintf("ping: %s answered %v, want [1]", Script, e.Got)
}

// Run evaluates [Script] n times in a row through cl (at least once) and
// returns the round-trip times. It stops at the first failed request, or
// at an *AnswerError.
func Run(ctx context.Context, cl *client.Client, n int) (Result, error) {
	n = max(n, 1)
	rtts := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		res, err := cl.Submit(ctx, Script, nil)
		if err != nil {
			return Result{}, fmt.Errorf("ping: %w", err)
		}
		if v, err := client.Result(res).Int64(); err != nil || v != 1 {
			return Result{}, &AnswerError{Got: res}
		}
		rtts = append(rtts, time.Since(start))
	}
	slices.Sort(rtts)
	return Result{Hosts: cl.Hosts(), Count: n, Min: rtts[0], Median: rtts[len(rtts)/2], Max: rtts[len(rtts)-1]}, nil
}

// WriteText prints r on one line for people: the hosts, the count and the
// fastest, median and slowest round trips to the microsecond.
func (r Result) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%v reachable: %d round trips, min %v, median %v, max %v\n",
		r.Hosts, r.Count, r.Min.Round(time.Microsecond), r.Median.Round(time.Microsecond), r.Max.Round(time.Microsecond))
	return err
}
