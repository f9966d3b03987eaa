package web_test

import (
	"context"
	"slices"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/results/web"
)

// memSource is a hand-built in-memory web.Source for the rendering,
// escaping and error-handling tests (the browser tests use the real
// results graph). err, when set, is what every method returns; panic makes
// every method panic.
type memSource struct {
	runs     []web.Run
	trend    []web.TrendPoint
	firstBad *web.Commit
	mutation []web.MutationPoint
	err      error
	panic    bool
}

func (m *memSource) check() error {
	if m.panic {
		panic("memSource: boom")
	}
	return m.err
}

func (m *memSource) Runs(_ context.Context, f web.Filter) ([]web.RunSummary, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	var out []web.RunSummary
	for _, r := range m.runs {
		s := r.RunSummary
		if (f.Kind == "" || s.Kind == f.Kind) && (f.Branch == "" || s.Branch == f.Branch) &&
			(f.Commit == "" || s.Commit.Hash == f.Commit) && (f.Dataset == "" || s.Dataset == f.Dataset) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b web.RunSummary) int { return b.Time.Compare(a.Time) })
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

func (m *memSource) Run(_ context.Context, id string) (web.Run, error) {
	if err := m.check(); err != nil {
		return web.Run{}, err
	}
	for _, r := range m.runs {
		if r.ID == id {
			return r, nil
		}
	}
	return web.Run{}, web.ErrNotFound
}

func (m *memSource) Comparable(ctx context.Context, id string) ([]web.RunSummary, error) {
	run, err := m.Run(ctx, id)
	if err != nil {
		return nil, err
	}
	all, _ := m.Runs(ctx, web.Filter{Kind: run.Kind, Dataset: run.Dataset})
	return slices.DeleteFunc(all, func(s web.RunSummary) bool { return s.ID == id }), nil
}

func (m *memSource) Trend(_ context.Context, op, branch string) ([]web.TrendPoint, error) {
	return m.trend, m.check()
}

func (m *memSource) FirstBad(_ context.Context, op, good, bad string) (web.Commit, error) {
	if err := m.check(); err != nil {
		return web.Commit{}, err
	}
	if m.firstBad == nil {
		return web.Commit{}, web.ErrNoRegression
	}
	return *m.firstBad, nil
}

func (m *memSource) MutationTrend(_ context.Context, pkg string) ([]web.MutationPoint, error) {
	return m.mutation, m.check()
}

// benchRun builds a run of one latency operation with n samples around
// median seconds.
func benchRun(id, commit string, median float64, n int) web.Run {
	b := baseline.NewRun("query-bench")
	b.Dataset, b.Commit = "ds1", commit
	samples := make([]float64, n)
	for i := range samples {
		samples[i] = median * (0.9 + 0.2*float64(i)/float64(n))
	}
	b.Operations = []baseline.Operation{{Name: "account-lookup", Unit: stats.Latency(), Samples: samples}}
	return web.Run{
		RunSummary: web.RunSummary{ID: id, Kind: "query-bench", Time: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC),
			Status: web.StatusComplete, Commit: web.Commit{Hash: commit, Message: "msg " + commit}, Branch: "main", Dataset: "ds1", Operations: 1},
		Bench: b,
	}
}
