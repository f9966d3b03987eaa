package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/results"
)

// RunsPage is the runs list (/runs, /api/runs).
type RunsPage struct {
	Title  string               `json:"-"`
	Filter results.Filter       `json:"filter"`
	Runs   []results.RunSummary `json:"runs"`
	// Empty is true when the results graph holds no run at all (no
	// filter set and nothing found).
	Empty bool   `json:"empty"`
	Hint  string `json:"-"`
}

// maxLimit caps ?limit=; defaultLimit is the runs list's length without it.
const (
	maxLimit     = 10000
	defaultLimit = 100
)

func (h *handler) runs(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	f := results.Filter{Kind: results.Kind(q.Get("kind")), Branch: q.Get("branch"), Commit: q.Get("commit"),
		Dataset: q.Get("dataset"), Status: results.Status(q.Get("status")), Operation: q.Get("op")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return nil, badRequest("limit: expected a number of runs from 1 to %d, got %q", maxLimit, s)
		}
		f.Limit = n
	} else {
		f.Limit = defaultLimit
	}
	runs, err := h.src.Runs(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	if runs == nil {
		runs = []results.RunSummary{}
	}
	return RunsPage{Title: "Runs", Filter: f, Runs: runs, Empty: len(runs) == 0 && f == (results.Filter{Limit: f.Limit}), Hint: h.cfg.EmptyHint}, nil
}

// RunPage is one run (/runs/{id}, /api/runs/{id}).
type RunPage struct {
	Title string `json:"-"`
	// Run is the run without its samples (they are in /runs/{id}/report).
	Run results.Run `json:"run"`
	// Bench is the run's statistics per operation (bench/report's JSON).
	Bench *report.RunSummary `json:"bench,omitempty"`
	// Comparable are the runs this one can be compared with.
	Comparable []results.RunSummary `json:"comparable"`
	// ComparableError says why Comparable is missing.
	ComparableError string `json:"comparable_error,omitempty"`
}

func (h *handler) run(ctx context.Context, r *http.Request) (any, error) {
	id := r.PathValue("id")
	run, err := h.src.Run(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("run %q: %w", id, err)
	}
	p := RunPage{Title: "Run " + run.ID, Comparable: []results.RunSummary{}}
	if len(run.Operations) > 0 {
		s := report.Summarize(run.Baseline())
		p.Bench = &s
	}
	run.Operations = nil
	p.Run = run
	cmp, err := h.src.Comparable(ctx, id)
	switch {
	case err != nil:
		p.ComparableError = oneLine(err.Error())
	case cmp != nil:
		p.Comparable = cmp
	}
	return p, nil
}

// loadRun loads run id and requires its samples.
func (h *handler) loadRun(ctx context.Context, id string) (results.Run, error) {
	if id == "" {
		return results.Run{}, badRequest("missing run id")
	}
	run, err := h.src.Run(ctx, id)
	if err != nil {
		return results.Run{}, fmt.Errorf("run %q: %w", id, err)
	}
	if len(run.Operations) == 0 {
		return results.Run{}, &statusError{http.StatusUnprocessableEntity, fmt.Sprintf("run %q has no operation samples stored (status %s)", id, run.Status)}
	}
	return run, nil
}

func (h *handler) runReport(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	run, err := h.loadRun(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeReport(w, r, run.Baseline(), nil)
}

func (h *handler) writeReport(w http.ResponseWriter, r *http.Request, run *baseline.Run, rep *compare.Report) {
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, run, rep); err != nil {
		h.fail(w, r, &statusError{http.StatusInternalServerError, "internal error writing the report (logged by the server)"})
		h.cfg.Log.Printf("web: %s: %v", r.URL.Path, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// ComparePage is two runs compared (/compare, /api/compare).
type ComparePage struct {
	Title   string          `json:"-"`
	Base    results.Run     `json:"base"`
	Current results.Run     `json:"current"`
	Report  *compare.Report `json:"report"`
}

// comparison compares the runs ?base= and ?cur= by bench/compare's rule.
func (h *handler) comparison(ctx context.Context, r *http.Request) (results.Run, results.Run, *compare.Report, error) {
	q := r.URL.Query()
	var none results.Run
	if q.Get("base") == "" || q.Get("cur") == "" {
		return none, none, nil, badRequest("compare needs two runs: ?base=RUN&cur=RUN")
	}
	base, err := h.loadRun(ctx, q.Get("base"))
	if err != nil {
		return none, none, nil, err
	}
	cur, err := h.loadRun(ctx, q.Get("cur"))
	if err != nil {
		return none, none, nil, err
	}
	rep, err := compare.Compare(base.Baseline(), cur.Baseline(), h.cfg.Compare)
	if err != nil {
		return none, none, nil, err
	}
	base.Operations, cur.Operations = nil, nil
	return base, cur, rep, nil
}

func (h *handler) compare(ctx context.Context, r *http.Request) (any, error) {
	base, cur, rep, err := h.comparison(ctx, r)
	if err != nil {
		return nil, err
	}
	return ComparePage{Title: "Compare " + base.ID + " → " + cur.ID, Base: base, Current: cur, Report: rep}, nil
}

func (h *handler) compareReport(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	_, _, rep, err := h.comparison(ctx, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeReport(w, r, rep.CurrentRun, rep)
}

// TrendPage is an operation's trend along a branch (/trend, /api/trend).
type TrendPage struct {
	Title     string               `json:"-"`
	Operation string               `json:"operation"`
	Branch    string               `json:"branch"`
	Points    []results.TrendPoint `json:"points"`
	// Good and Bad are the commits FirstBad searched between.
	Good string `json:"good,omitempty"`
	Bad  string `json:"bad,omitempty"`
	// Suspect is the first commit on which the operation regressed, nil
	// when none did (or fewer than two points).
	Suspect *results.Commit `json:"suspect,omitempty"`
	// SuspectError says why no suspect could be found, when the search
	// failed.
	SuspectError string `json:"suspect_error,omitempty"`
	Chart        *chart `json:"-"`
}

func (h *handler) trend(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	p := TrendPage{Title: "Trend", Operation: q.Get("op"), Branch: q.Get("branch"), Points: []results.TrendPoint{}}
	if p.Operation == "" {
		return p, nil
	}
	p.Title = "Trend of " + p.Operation
	if p.Branch == "" { // the branch of the latest run of op
		latest, err := h.src.Runs(ctx, results.Filter{Operation: p.Operation, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("trend of %q: %w", p.Operation, err)
		}
		if len(latest) == 0 || latest[0].Branch == "" {
			return p, nil
		}
		p.Branch = latest[0].Branch
	}
	pts, err := h.src.Trend(ctx, p.Operation, p.Branch)
	if err != nil {
		return nil, fmt.Errorf("trend of %q: %w", p.Operation, err)
	}
	if pts != nil {
		p.Points = pts
	}
	p.Good, p.Bad = q.Get("good"), q.Get("bad")
	if len(pts) >= 2 {
		if p.Good == "" {
			p.Good = pts[0].Commit.Hash
		}
		if p.Bad == "" {
			p.Bad = pts[len(pts)-1].Commit.Hash
		}
	}
	if p.Good != "" && p.Bad != "" {
		c, err := h.src.FirstBad(ctx, p.Operation, p.Good, p.Bad)
		switch {
		case err == nil:
			p.Suspect = &c
		case errors.Is(err, results.ErrNoRegression):
		default:
			p.SuspectError = oneLine(err.Error())
		}
	}
	p.Chart = trendChart(p.Points, p.Suspect)
	return p, nil
}

// CommitPage is one commit and its runs (/commits/{hash}, /api/commits/{hash}).
type CommitPage struct {
	Title  string               `json:"-"`
	Commit results.Commit       `json:"commit"`
	Runs   []results.RunSummary `json:"runs"`
}

func (h *handler) commit(ctx context.Context, r *http.Request) (any, error) {
	hash := r.PathValue("hash")
	runs, err := h.src.Runs(ctx, results.Filter{Commit: hash})
	if err != nil {
		return nil, fmt.Errorf("runs of commit %q: %w", hash, err)
	}
	p := CommitPage{Commit: results.Commit{Hash: hash}, Runs: []results.RunSummary{}}
	if len(runs) > 0 {
		p.Runs = runs
		// The commit's message, author and parents come with a run.
		run, err := h.src.Run(ctx, runs[0].ID)
		if err != nil {
			return nil, fmt.Errorf("commit %q: %w", hash, err)
		}
		p.Commit = run.Commit
	}
	p.Title = "Commit " + short(p.Commit.Hash)
	return p, nil
}

// MutationPage is a package's mutation score trend (/mutation, /api/mutation).
type MutationPage struct {
	Title   string                  `json:"-"`
	Package string                  `json:"package"`
	Points  []results.MutationPoint `json:"points"`
	// Files are the per-file counts of the latest run.
	Files []results.FileCounts `json:"files"`
	// Tests ranks the latest run's tests by mutants killed.
	Tests []results.TestKills `json:"tests"`
	// MinCommits is ?commits= (default 2); Survivors are the mutants left
	// undetected by the runs of at least that many commits.
	MinCommits int                `json:"min_commits"`
	Survivors  []results.Survivor `json:"survivors"`
	Chart      *chart             `json:"-"`
}

func (h *handler) mutation(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	p := MutationPage{Title: "Mutation score", Package: q.Get("pkg"), Points: []results.MutationPoint{},
		Files: []results.FileCounts{}, Tests: []results.TestKills{}, Survivors: []results.Survivor{}, MinCommits: 2}
	if s := q.Get("commits"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return nil, badRequest("commits: expected a number of commits from 1 to %d, got %q", maxLimit, s)
		}
		p.MinCommits = n
	}
	pts, err := h.src.MutationTrend(ctx, p.Package)
	if err != nil {
		return nil, fmt.Errorf("mutation trend: %w", err)
	}
	if len(pts) == 0 {
		return p, nil
	}
	latest := pts[len(pts)-1]
	p.Points, p.Files = pts, latest.Files
	p.Chart = scoreChart(p.Points)
	tests, err := h.src.TestsByKills(ctx, latest.RunID)
	if err != nil {
		return nil, fmt.Errorf("tests by kills: %w", err)
	}
	surv, err := h.src.PersistentSurvivors(ctx, p.MinCommits)
	if err != nil {
		return nil, fmt.Errorf("persistent survivors: %w", err)
	}
	if tests != nil {
		p.Tests = tests
	}
	if surv != nil {
		p.Survivors = surv
	}
	return p, nil
}

// short is a commit hash abbreviated to 12 characters.
func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
