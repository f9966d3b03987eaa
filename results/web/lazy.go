package web

import (
	"context"
	"sync"

	"github.com/graphperf/graphperf/results"
)

// Lazy is a [Source] opened on first use: a server started while the
// results graph is down serves "unreachable" pages and works as soon as the
// graph answers, without a restart. Each call while closed tries Open
// again.
type Lazy struct {
	// Open connects to the results graph.
	Open func(ctx context.Context) (Source, error)

	mu  sync.Mutex
	src Source
}

func (l *Lazy) get(ctx context.Context) (Source, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.src != nil {
		return l.src, nil
	}
	src, err := l.Open(ctx)
	if err != nil {
		return nil, err
	}
	l.src = src
	return src, nil
}

// Runs implements Source.
func (l *Lazy) Runs(ctx context.Context, f results.Filter) ([]results.RunSummary, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.Runs(ctx, f)
}

// Run implements Source.
func (l *Lazy) Run(ctx context.Context, id string) (results.Run, error) {
	s, err := l.get(ctx)
	if err != nil {
		return results.Run{}, err
	}
	return s.Run(ctx, id)
}

// Comparable implements Source.
func (l *Lazy) Comparable(ctx context.Context, id string) ([]results.RunSummary, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.Comparable(ctx, id)
}

// Trend implements Source.
func (l *Lazy) Trend(ctx context.Context, op, branch string) ([]results.TrendPoint, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.Trend(ctx, op, branch)
}

// FirstBad implements Source.
func (l *Lazy) FirstBad(ctx context.Context, op, good, bad string) (results.Commit, error) {
	s, err := l.get(ctx)
	if err != nil {
		return results.Commit{}, err
	}
	return s.FirstBad(ctx, op, good, bad)
}

// MutationTrend implements Source.
func (l *Lazy) MutationTrend(ctx context.Context, pkg string) ([]results.MutationPoint, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.MutationTrend(ctx, pkg)
}

// TestsByKills implements Source.
func (l *Lazy) TestsByKills(ctx context.Context, runID string) ([]results.TestKills, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.TestsByKills(ctx, runID)
}

// PersistentSurvivors implements Source.
func (l *Lazy) PersistentSurvivors(ctx context.Context, n int) ([]results.Survivor, error) {
	s, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.PersistentSurvivors(ctx, n)
}
