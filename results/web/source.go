package web

import (
	"context"

	"github.com/graphperf/graphperf/results"
)

// Source is what the pages read: the results graph's analyses. A
// *results.Graph is one; each of its methods sends constant Gremlin
// scripts with bindings, so the handler never builds a query. Errors
// matching results.ErrNotFound answer 404; results.ErrNoRegression from
// FirstBad means "no suspect".
type Source interface {
	Runs(ctx context.Context, f results.Filter) ([]results.RunSummary, error)
	Run(ctx context.Context, id string) (results.Run, error)
	Comparable(ctx context.Context, id string) ([]results.RunSummary, error)
	Trend(ctx context.Context, op, branch string) ([]results.TrendPoint, error)
	FirstBad(ctx context.Context, op, good, bad string) (results.Commit, error)
	MutationTrend(ctx context.Context, pkg string) ([]results.MutationPoint, error)
	TestsByKills(ctx context.Context, runID string) ([]results.TestKills, error)
	PersistentSurvivors(ctx context.Context, n int) ([]results.Survivor, error)
}

var _ Source = (*results.Graph)(nil)
