package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/report"
)

// RunsPage is the runs list (/runs, /api/runs).
type RunsPage struct {
	Title  string       `json:"-"`
	Filter Filter       `json:"filter"`
	Runs   []RunSummary `json:"runs"`
	// Empty is true when the results graph holds no run at all (no
	// filter set and nothing found).
	Empty bool   `json:"empty"`
	Hint  string `json:"-"`
}

// maxLimit caps ?limit=.
const maxLimit = 10000

func (h *handler) runs(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	f := Filter{Kind: q.Get("kind"), Branch: q.Get("branch"), Commit: q.Get("commit"), Dataset: q.Get("dataset")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return nil, badRequest("limit: expected a number of runs from 1 to %d, got %q", maxLimit, s)
		}
		f.Limit = n
	}
	runs, err := h.src.Runs(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	if runs == nil {
		runs = []RunSummary{}
	}
	return RunsPage{Title: "Runs", Filter: f, Runs: runs, Empty: len(runs) == 0 && f == (Filter{Limit: f.Limit}), Hint: h.cfg.EmptyHint}, nil
}

// RunPage is one run (/runs/{id}, /api/runs/{id}).
type RunPage struct {
	Title string     `json:"-"`
	Run   RunSummary `json:"run"`
	// Bench is the run's statistics per operation (bench/report's JSON).
	Bench *report.RunSummary `json:"bench,omitempty"`
	// Comparable are the runs this one can be compared with.
	Comparable []RunSummary `json:"comparable"`
	// ComparableError says why Comparable is missing.
	ComparableError string `json:"comparable_error,omitempty"`
}

func (h *handler) run(ctx context.Context, r *http.Request) (any, error) {
	id := r.PathValue("id")
	run, err := h.src.Run(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("run %q: %w", id, err)
	}
	p := RunPage{Title: "Run " + run.ID, Run: run.RunSummary, Comparable: []RunSummary{}}
	if run.Bench != nil {
		s := report.Summarize(run.Bench)
		p.Bench = &s
	}
	cmp, err := h.src.Comparable(ctx, id)
	switch {
	case err != nil:
		p.ComparableError = oneLine(err.Error())
	case cmp != nil:
		p.Comparable = cmp
	}
	return p, nil
}

// benchRun loads run id and requires its samples.
func (h *handler) benchRun(ctx context.Context, id string) (Run, error) {
	if id == "" {
		return Run{}, badRequest("missing run id")
	}
	run, err := h.src.Run(ctx, id)
	if err != nil {
		return Run{}, fmt.Errorf("run %q: %w", id, err)
	}
	if run.Bench == nil || len(run.Bench.Operations) == 0 {
		return Run{}, &statusError{http.StatusUnprocessableEntity, fmt.Sprintf("run %q has no operation samples stored (status %s)", id, run.Status)}
	}
	return run, nil
}

func (h *handler) runReport(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	run, err := h.benchRun(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeReport(w, r, run, nil)
}

func (h *handler) writeReport(w http.ResponseWriter, r *http.Request, run Run, rep *compare.Report) {
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, run.Bench, rep); err != nil {
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
	Base    RunSummary      `json:"base"`
	Current RunSummary      `json:"current"`
	Report  *compare.Report `json:"report"`
}

func (h *handler) comparison(ctx context.Context, r *http.Request) (Run, Run, *compare.Report, error) {
	q := r.URL.Query()
	if q.Get("base") == "" || q.Get("cur") == "" {
		return Run{}, Run{}, nil, badRequest("compare needs two runs: ?base=RUN&cur=RUN")
	}
	base, err := h.benchRun(ctx, q.Get("base"))
	if err != nil {
		return Run{}, Run{}, nil, err
	}
	cur, err := h.benchRun(ctx, q.Get("cur"))
	if err != nil {
		return Run{}, Run{}, nil, err
	}
	rep, err := compare.Compare(base.Bench, cur.Bench, h.cfg.Compare)
	if err != nil {
		return Run{}, Run{}, nil, err
	}
	return base, cur, rep, nil
}

func (h *handler) compare(ctx context.Context, r *http.Request) (any, error) {
	base, cur, rep, err := h.comparison(ctx, r)
	if err != nil {
		return nil, err
	}
	return ComparePage{Title: "Compare " + base.ID + " → " + cur.ID, Base: base.RunSummary, Current: cur.RunSummary, Report: rep}, nil
}

func (h *handler) compareReport(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	_, cur, rep, err := h.comparison(ctx, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeReport(w, r, cur, rep)
}

// TrendPage is an operation's trend along a branch (/trend, /api/trend).
type TrendPage struct {
	Title     string       `json:"-"`
	Operation string       `json:"operation"`
	Branch    string       `json:"branch"`
	Points    []TrendPoint `json:"points"`
	// Good and Bad are the commits FirstBad searched between.
	Good string `json:"good,omitempty"`
	Bad  string `json:"bad,omitempty"`
	// Suspect is the first commit on which the operation regressed, nil
	// when none did (or fewer than two points).
	Suspect *Commit `json:"suspect,omitempty"`
	// SuspectError says why no suspect could be found, when the search
	// failed.
	SuspectError string `json:"suspect_error,omitempty"`
	Chart        *chart `json:"-"`
}

func (h *handler) trend(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	p := TrendPage{Title: "Trend", Operation: q.Get("op"), Branch: q.Get("branch"), Points: []TrendPoint{}}
	if p.Operation == "" {
		return p, nil
	}
	p.Title = "Trend of " + p.Operation
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
		case errors.Is(err, ErrNoRegression):
		default:
			p.SuspectError = oneLine(err.Error())
		}
	}
	p.Chart = trendChart(p.Points, p.Suspect)
	return p, nil
}

// CommitPage is one commit and its runs (/commits/{hash}, /api/commits/{hash}).
type CommitPage struct {
	Title  string       `json:"-"`
	Commit Commit       `json:"commit"`
	Runs   []RunSummary `json:"runs"`
}

func (h *handler) commit(ctx context.Context, r *http.Request) (any, error) {
	hash := r.PathValue("hash")
	runs, err := h.src.Runs(ctx, Filter{Commit: hash})
	if err != nil {
		return nil, fmt.Errorf("runs of commit %q: %w", hash, err)
	}
	p := CommitPage{Commit: Commit{Hash: hash}, Runs: []RunSummary{}}
	if len(runs) > 0 {
		p.Runs = runs
		p.Commit = runs[0].Commit
	}
	p.Title = "Commit " + p.Commit.Short()
	return p, nil
}

// MutationPage is a package's mutation score trend (/mutation, /api/mutation).
type MutationPage struct {
	Title   string          `json:"-"`
	Package string          `json:"package"`
	Points  []MutationPoint `json:"points"`
	Chart   *chart          `json:"-"`
}

func (h *handler) mutation(ctx context.Context, r *http.Request) (any, error) {
	pkg := r.URL.Query().Get("pkg")
	pts, err := h.src.MutationTrend(ctx, pkg)
	if err != nil {
		return nil, fmt.Errorf("mutation trend: %w", err)
	}
	if pts == nil {
		pts = []MutationPoint{}
	}
	return MutationPage{Title: "Mutation score", Package: pkg, Points: pts, Chart: scoreChart(pts)}, nil
}
