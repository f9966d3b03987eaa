package queries

import (
	"context"
	"testing"

	"github.com/graphperf/graphperf/banking"
)

// BenchmarkCollect measures what query-bench does before it talks to the
// server: regenerating the scale-0.01 dataset and indexing it.
func BenchmarkCollect(b *testing.B) {
	for b.Loop() {
		g, err := banking.New(banking.Config{Seed: 42, Scale: 0.01, Patterns: banking.DefaultPatterns()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Collect(context.Background(), g.GroundTruth(), g.Run); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCases measures curating every query's parameters and computing
// the expected answers at scale 0.01.
func BenchmarkCases(b *testing.B) {
	g, err := banking.New(banking.Config{Seed: 42, Scale: 0.01, Patterns: banking.DefaultPatterns()})
	if err != nil {
		b.Fatal(err)
	}
	d, err := Collect(context.Background(), g.GroundTruth(), g.Run)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, q := range Catalogue() {
			if _, err := q.Cases(d, Config{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCheck measures one answer check (it runs inside every timed
// call, so it must stay in the microseconds).
func BenchmarkCheck(b *testing.B) {
	d := handData()
	c := findCaseB(b, loanFundTrace(), d)
	res := []any{[]any{int64(4), int64(2), int64(6), int64(3)}}
	for b.Loop() {
		if err := c.Check(res); err != nil {
			b.Fatal(err)
		}
	}
}

func findCaseB(b *testing.B, q Query, d *Data) Case {
	cs, err := q.Cases(d, Config{})
	if err != nil {
		b.Fatal(err)
	}
	return cs[0]
}
