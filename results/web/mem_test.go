package web_test

import (
	"context"
	"slices"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/results"
)

// memSource is a hand-built in-memory web.Source for the rendering,
// escaping and error-handling tests (the browser tests use the real
// results graph). err, when set, is what every method returns; panic makes
// every method panic.
type memSource struct {
	runs     []results.Run
	trend    []results.TrendPoint
	firstBad *results.Commit
	mutation []results.MutationPoint
	tests    []results.TestKills
	survive  []results.Survivor
	err      error
	panic    bool
}

func (m *memSource) check() error {
	if m.panic {
		panic("memSource: boom")
	}
	return m.err
}

func (m *memSource) Runs(_ context.Context, f results.Filter) ([]results.RunSummary, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	var out []results.RunSummary
	for _, r := range m.runs {
		s := results.RunSummary{ID: r.ID, Kind: r.Kind, Started: r.Started, Status: r.Status, Commit: r.Commit.Hash,
			Branch: r.Branch, Dataset: r.Dataset, Operations: len(r.Operations)}
		if (f.Kind == "" || s.Kind == f.Kind) && (f.Branch == "" || s.Branch == f.Branch) &&
			(f.Commit == "" || s.Commit == f.Commit) && (f.Dataset == "" || s.Dataset == f.Dataset) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b results.RunSummary) int { return b.Started.Compare(a.Started) })
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

func (m *memSource) Run(_ context.Context, id string) (results.Run, error) {
	if err := m.check(); err != nil {
		return results.Run{}, err
	}
	for _, r := range m.runs {
		if r.ID == id {
			return r, nil
		}
	}
	return results.Run{}, &results.NotFoundError{What: "run", Key: id}
}

func (m *memSource) Comparable(ctx context.Context, id string) ([]results.RunSummary, error) {
	run, err := m.Run(ctx, id)
	if err != nil {
		return nil, err
	}
	all, _ := m.Runs(ctx, results.Filter{Kind: run.Kind, Dataset: run.Dataset})
	return slices.DeleteFunc(all, func(s results.RunSummary) bool { return s.ID == id }), nil
}

func (m *memSource) Trend(_ context.Context, op, branch string) ([]results.TrendPoint, error) {
	return m.trend, m.check()
}

func (m *memSource) FirstBad(_ context.Context, op, good, bad string) (results.Commit, error) {
	if err := m.check(); err != nil {
		return results.Commit{}, err
	}
	if m.firstBad == nil {
		return results.Commit{}, results.ErrNoRegression
	}
	return *m.firstBad, nil
}

func (m *memSource) MutationTrend(_ context.Context, pkg string) ([]results.MutationPoint, error) {
	return m.mutation, m.check()
}

// benchRun builds a run of one latency operation with n samples around
// median seconds.
func benchRun(id, commit string, median float64, n int) results.Run {
	samples := make([]float64, n)
	for i := range samples {
		samples[i] = median * (0.9 + 0.2*float64(i)/float64(n))
	}
	return results.Run{
		ID: id, Kind: results.KindQueryBench, Started: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Status: results.Complete,
		Commit: results.Commit{Hash: commit, Message: "msg " + commit}, Branch: "main", Dataset: "ds1",
		Operations: []results.OperationResult{{Operation: "account-lookup", Unit: stats.Latency(), Samples: samples}},
	}
}

func (m *memSource) TestsByKills(_ context.Context, runID string) ([]results.TestKills, error) {
	return m.tests, m.check()
}

func (m *memSource) PersistentSurvivors(_ context.Context, n int) ([]results.Survivor, error) {
	return m.survive, m.check()
}
