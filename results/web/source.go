package web

import (
	"context"
	"errors"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
)

// ErrNotFound is what a [Source] returns (possibly wrapped) when the run,
// commit or operation asked for is not in the results graph. The handler
// answers it with 404.
var ErrNotFound = errors.New("not found")

// ErrNoRegression is what [Source.FirstBad] returns (possibly wrapped) when
// no commit between good and bad regressed.
var ErrNoRegression = errors.New("no regression")

// Source is what the pages read: the results graph's analyses. Every
// method is one or a few constant Gremlin scripts with bindings in the
// results package; the handler never builds a query.
type Source interface {
	// Runs lists the stored runs that match f, newest first.
	Runs(ctx context.Context, f Filter) ([]RunSummary, error)
	// Run returns one run with its samples, or ErrNotFound.
	Run(ctx context.Context, id string) (Run, error)
	// Comparable lists the runs comparable to run id (same kind, dataset,
	// server and settings), newest first.
	Comparable(ctx context.Context, id string) ([]RunSummary, error)
	// Trend returns op's median and p99 along branch's first-parent
	// history, oldest first.
	Trend(ctx context.Context, op, branch string) ([]TrendPoint, error)
	// FirstBad walks the commit DAG from good to bad and returns the first
	// commit on which op regressed by bench/compare's rule, or
	// ErrNoRegression.
	FirstBad(ctx context.Context, op, good, bad string) (Commit, error)
	// MutationTrend returns pkg's mutation score along the stored mutation
	// runs, oldest first ("" = every package together).
	MutationTrend(ctx context.Context, pkg string) ([]MutationPoint, error)
}

// Filter selects runs; an empty field matches every run.
type Filter struct {
	Kind    string `json:"kind,omitempty"`
	Branch  string `json:"branch,omitempty"`
	Commit  string `json:"commit,omitempty"`
	Dataset string `json:"dataset,omitempty"`
	// Limit caps the number of runs (0: the source's default).
	Limit int `json:"limit,omitempty"`
}

// Commit is a commit of the measured repository.
type Commit struct {
	Hash    string    `json:"hash"`
	Time    time.Time `json:"time"`
	Message string    `json:"message,omitempty"`
	Author  string    `json:"author,omitempty"`
	Parents []string  `json:"parents,omitempty"`
}

// Short is the commit's abbreviated hash (12 characters).
func (c Commit) Short() string {
	if len(c.Hash) > 12 {
		return c.Hash[:12]
	}
	return c.Hash
}

// Run statuses.
const (
	StatusComplete = "complete"
	StatusPartial  = "partial"
)

// RunSummary is one stored run without its samples.
type RunSummary struct {
	ID   string    `json:"id"`
	Kind string    `json:"kind"`
	Time time.Time `json:"time"`
	// Status is StatusComplete or StatusPartial (a store that did not
	// finish).
	Status  string `json:"status"`
	Commit  Commit `json:"commit"`
	Branch  string `json:"branch,omitempty"`
	Dataset string `json:"dataset,omitempty"`
	Server  string `json:"server,omitempty"`
	// Operations is the number of operations measured.
	Operations int `json:"operations"`
}

// Run is one stored run with its operations' samples, in the bench
// baseline format so that bench/compare and bench/report apply as they do
// to run files.
type Run struct {
	RunSummary
	Bench *baseline.Run `json:"-"`
}

// TrendPoint is one run of an operation on a commit of the branch.
type TrendPoint struct {
	Commit Commit     `json:"commit"`
	RunID  string     `json:"run_id"`
	Time   time.Time  `json:"time"`
	Unit   stats.Unit `json:"unit"`
	Median float64    `json:"median"`
	P99    float64    `json:"p99"`
	N      int        `json:"n"`
	// Regressed marks a point that regressed against the previous one by
	// bench/compare's rule, when the source knows.
	Regressed bool `json:"regressed,omitempty"`
}

// MutationPoint is one mutation run's score for a package.
type MutationPoint struct {
	RunID    string    `json:"run_id"`
	Time     time.Time `json:"time"`
	Commit   Commit    `json:"commit"`
	Package  string    `json:"package,omitempty"`
	Killed   int       `json:"killed"`
	Survived int       `json:"survived"`
	Total    int       `json:"total"`
	// Score is killed / (killed + survived), 0..1.
	Score float64 `json:"score"`
}
