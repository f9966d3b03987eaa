package results

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/mutation/graphstore"
)

// history is a small commit DAG with runs of operation "lookup" at every
// commit:
//
//	c0 ── c1 ── c2 ── c3 ── c4 ── c5     main (first parents)
//	        \         /
//	         s1 ─────┘                   side branch, merged by c3
//
// c0, c1, c2 take ~10 ms; s1 takes ~20 ms (the regression, on the side
// branch), and so do c3 (the merge brings it), c4, c5. c1 also has a later
// slow run on another dataset, which no analysis may mix in.
type history struct {
	main, side, dataset string
	c                   [6]Commit
	s1                  Commit
	runs                map[string]string // commit hash → run id
}

func storeHistory(t *testing.T, g *Graph) *history {
	t.Helper()
	ctx := context.Background()
	h := &history{main: unique("main"), side: unique("side"), dataset: unique("ds"), runs: map[string]string{}}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	at := func(k int) time.Time { return t0.Add(time.Duration(k) * time.Hour) }
	for i := range h.c {
		h.c[i].Hash = hash()
		h.c[i].Message = fmt.Sprintf("commit %d", i)
		h.c[i].Author = "Grace Hopper"
	}
	h.s1 = Commit{Hash: hash(), Time: at(2), Message: "side work", Author: "Linus", Parents: []string{h.c[1].Hash}}
	times := []int{0, 1, 3, 4, 5, 6}
	for i := range h.c {
		h.c[i].Time = at(times[i])
		if i > 0 {
			h.c[i].Parents = []string{h.c[i-1].Hash}
		}
	}
	h.c[3].Parents = append(h.c[3].Parents, h.s1.Hash)
	// Stored children first, as git log gives them.
	var commits []Commit
	for i := len(h.c) - 1; i >= 0; i-- {
		commits = append(commits, h.c[i])
		if i == 2 {
			commits = append(commits, h.s1)
		}
	}
	must(t, g.StoreCommits(ctx, commits))
	store := func(c Commit, branch, dataset string, center float64, started time.Time) string {
		id := unique("run")
		must(t, g.Store(ctx, sampleRun(id, branch, dataset, c, started, opResult("lookup", center), opResult("other", 0.005))))
		return id
	}
	for i, c := range h.c {
		center := 0.010
		if i >= 3 {
			center = 0.020
		}
		h.runs[c.Hash] = store(c, h.main, h.dataset, center, at(10+i))
	}
	h.runs[h.s1.Hash] = store(h.s1, h.side, h.dataset, 0.020, at(20))
	store(h.c[1], h.main, unique("other-ds"), 0.050, at(30))
	return h
}

func TestTrendAndFirstBad(t *testing.T) {
	g, cl := newGraph(t)
	ctx := context.Background()
	h := storeHistory(t, g)

	t.Run("Trend", func(t *testing.T) {
		pts, err := g.Trend(ctx, "lookup", h.main)
		must(t, err)
		var got []string
		for _, p := range pts {
			got = append(got, fmt.Sprintf("%s %.4f %v %v", p.Commit.Message, p.Median, p.Verdict, p.Regressed))
			if p.RunID != h.runs[p.Commit.Hash] || p.N != 20 || !p.MedianCI.Finite || p.P99 <= p.Median {
				t.Errorf("point %s: run %s n %d CI %+v p99 %v; want run %s, n 20, a finite CI, p99 > median",
					p.Commit.Message, p.RunID, p.N, p.MedianCI, p.P99, h.runs[p.Commit.Hash])
			}
		}
		want := []string{
			"commit 0 0.0101  false",
			"commit 1 0.0101 ~ false",
			"commit 2 0.0101 ~ false",
			"commit 3 0.0202 slower true",
			"commit 4 0.0202 ~ false",
			"commit 5 0.0202 ~ false",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("Trend =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(pts) > 0 && (pts[0].Commit.Author != "Grace Hopper" || !pts[0].Commit.Time.Equal(h.c[0].Time)) {
			t.Errorf("first point's commit %+v, want c0 %+v", pts[0].Commit, h.c[0])
		}
		// The branch head moved with the stored runs to the newest commit.
		side, err := g.Trend(ctx, "lookup", h.side)
		must(t, err)
		if len(side) != 3 || side[2].Commit.Hash != h.s1.Hash || !side[2].Regressed {
			t.Errorf("Trend(side) = %+v, want c0, c1, s1 with s1 regressed", side)
		}
	})

	t.Run("FirstBad", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			good, bad string
			want      string
			err       error
		}{
			{"side branch found through the merge", h.c[0].Hash, h.c[5].Hash, h.s1.Hash, nil},
			{"good after the fork", h.c[2].Hash, h.c[5].Hash, h.s1.Hash, nil},
			{"bad is the regression", h.c[1].Hash, h.s1.Hash, h.s1.Hash, nil},
			{"no regression", h.c[0].Hash, h.c[2].Hash, "", ErrNoRegression},
			{"all slow", h.c[3].Hash, h.c[5].Hash, "", ErrNoRegression},
			{"unknown good", hash(), h.c[5].Hash, "", ErrNotFound},
			{"unknown bad", h.c[0].Hash, hash(), "", ErrNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := g.FirstBad(ctx, "lookup", tc.good, tc.bad)
				if !errors.Is(err, tc.err) || c.Hash != tc.want {
					t.Errorf("FirstBad = %s, %v; want %s, %v", c.Hash, err, tc.want, tc.err)
				}
			})
		}
		c, err := g.FirstBad(ctx, "lookup", h.c[0].Hash, h.c[5].Hash)
		must(t, err)
		if c.Message != "side work" || c.Author != "Linus" || len(c.Parents) != 1 || c.Parents[0] != h.c[1].Hash {
			t.Errorf("FirstBad commit %+v, want s1 with its message, author and parent", c)
		}
		_, err = g.FirstBad(ctx, "no-such-op", h.c[0].Hash, h.c[5].Hash)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("FirstBad(op without runs) = %v, want ErrNotFound", err)
		}
		// A threshold the change does not exceed: no regression.
		strict := New(cl)
		strict.Compare = compare.Config{FailOn: compare.Thresholds{{Field: "median", Limit: 150, Relative: true}}}
		if _, err := strict.FirstBad(ctx, "lookup", h.c[0].Hash, h.c[5].Hash); !errors.Is(err, ErrNoRegression) {
			t.Errorf("FirstBad with median:150%% = %v, want ErrNoRegression", err)
		}
	})

	t.Run("Trend unknown branch", func(t *testing.T) {
		if _, err := g.Trend(ctx, "lookup", unique("nobranch")); !errors.Is(err, ErrNotFound) {
			t.Errorf("Trend(unknown branch) = %v, want ErrNotFound", err)
		}
	})

	t.Run("Runs", func(t *testing.T) {
		runs, err := g.Runs(ctx, Filter{Branch: h.main})
		must(t, err)
		if len(runs) != 7 {
			t.Fatalf("Runs(branch) = %d runs, want 7", len(runs))
		}
		for i := 1; i < len(runs); i++ {
			if runs[i].Started.After(runs[i-1].Started) {
				t.Errorf("runs not latest first: %v after %v", runs[i].Started, runs[i-1].Started)
			}
		}
		r := runs[1] // the c5 run
		if r.ID != h.runs[h.c[5].Hash] || r.Commit != h.c[5].Hash || r.Branch != h.main || r.Dataset != h.dataset ||
			r.Kind != KindQueryBench || r.Status != Complete || r.Operations != 2 || r.ServerID == "" || r.Name != "main" {
			t.Errorf("Runs(branch)[1] = %+v, want the complete c5 run", r)
		}
		for _, tc := range []struct {
			name string
			f    Filter
			want []string
		}{
			{"commit", Filter{Commit: h.s1.Hash}, []string{h.runs[h.s1.Hash]}},
			{"dataset+limit", Filter{Dataset: h.dataset, Limit: 2}, []string{h.runs[h.s1.Hash], h.runs[h.c[5].Hash]}},
			{"branch+since+until", Filter{Branch: h.main, Since: h.c[0].Time.Add(13 * time.Hour), Until: h.c[0].Time.Add(15 * time.Hour)},
				[]string{h.runs[h.c[4].Hash], h.runs[h.c[3].Hash]}},
			{"branch+kind", Filter{Branch: h.side, Kind: KindQueryBench, Status: Complete, Operation: "lookup"}, []string{h.runs[h.s1.Hash]}},
			{"other kind", Filter{Branch: h.side, Kind: KindLoadBench}, nil},
			{"other operation", Filter{Branch: h.side, Operation: "nope"}, nil},
			{"partial", Filter{Branch: h.side, Status: Partial}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				runs, err := g.Runs(ctx, tc.f)
				must(t, err)
				var ids []string
				for _, r := range runs {
					ids = append(ids, r.ID)
				}
				if !slices.Equal(ids, tc.want) {
					t.Errorf("Runs(%+v) = %v, want %v", tc.f, ids, tc.want)
				}
			})
		}
	})
}

// Comparable runs share dataset, kind, driver, settings and server, and
// are complete.
func TestComparable(t *testing.T) {
	g, _ := newGraph(t)
	ctx := context.Background()
	ds := unique("ds")
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	mk := func(k int, edit func(*Run)) string {
		r := sampleRun(unique("run"), "", ds, Commit{Hash: hash()}, t0.Add(time.Duration(k)*time.Minute), opResult("a", 0.001))
		if edit != nil {
			edit(&r)
		}
		must(t, g.Store(ctx, r))
		return r.ID
	}
	base := mk(0, nil)
	same1 := mk(1, nil)
	same2 := mk(2, func(r *Run) { r.Commit = Commit{}; r.Name = "other name" })
	mk(3, func(r *Run) { r.Dataset = unique("ds") })
	mk(4, func(r *Run) { r.Settings = map[string]string{"rounds": "40", "clients": "1"} })
	mk(5, func(r *Run) { r.Server.JanusGraphVersion = "1.0.1" })
	mk(6, func(r *Run) { r.Driver = "gremlin-go" })
	mk(7, func(r *Run) { r.Kind = KindLoadBench })
	mk(8, func(r *Run) { r.Status = Partial })
	got, err := g.Comparable(ctx, base)
	must(t, err)
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if want := []string{same2, same1}; !slices.Equal(ids, want) {
		t.Errorf("Comparable = %v, want %v", ids, want)
	}
}

// The mutation analyses over runs stored by mutation/graphstore, linked to
// their commits by Store (kind mutate).
func TestMutationAnalyses(t *testing.T) {
	g, cl := newGraph(t)
	ctx := context.Background()
	pkg := "example.com/" + unique("shop")
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	commits := []string{hash(), hash(), hash()}
	var ids []string
	for i, survived := range [][]string{{"m2", "m4"}, {"m2", "m4"}, {"m2"}} {
		mr := mutationRun(pkg, t0.Add(time.Duration(i)*time.Hour), survived...)
		res, err := graphstore.Store(ctx, cl, mr, graphstore.Options{Commit: commits[i], RunID: unique("mut")})
		must(t, err)
		must(t, g.Store(ctx, Run{ID: res.RunID, Kind: KindMutate, Started: mr.Started, Commit: Commit{Hash: commits[i]}}))
		ids = append(ids, res.RunID)
	}

	t.Run("LinkMutationRuns", func(t *testing.T) {
		// A run stored by graphstore alone (before the results graph).
		mr := mutationRun(pkg+"-old", t0.Add(-time.Hour))
		old := hash()
		res, err := graphstore.Store(ctx, cl, mr, graphstore.Options{Commit: old + "-dirty", RunID: unique("mutold")})
		must(t, err)
		linked, err := g.LinkMutationRuns(ctx, "")
		must(t, err)
		if !slices.Contains(linked, res.RunID) || slices.Contains(linked, ids[0]) {
			t.Errorf("LinkMutationRuns = %v, want %s and not the linked %s", linked, res.RunID, ids[0])
		}
		r, err := g.Run(ctx, res.RunID)
		must(t, err)
		if r.Kind != KindMutate || r.Status != Complete || r.Commit.Hash != old || !r.Dirty || !r.Started.Equal(mr.Started) ||
			r.Mutation == nil || r.Mutation.Total != 6 {
			t.Errorf("linked run %+v, mutation %+v", r, r.Mutation)
		}
		again, err := g.LinkMutationRuns(ctx, "")
		must(t, err)
		if slices.Contains(again, res.RunID) {
			t.Errorf("linked twice: %v", again)
		}
	})

	t.Run("Run", func(t *testing.T) {
		r, err := g.Run(ctx, ids[2])
		must(t, err)
		want := MutationSummary{Score: 400.0 / 6, HasScore: true, Total: 6, Killed: 3, Survived: 1, NoCoverage: 1, Timeout: 1, Complete: true}
		if r.Kind != KindMutate || r.Commit.Hash != commits[2] || r.Mutation == nil || *r.Mutation != want {
			t.Errorf("Run(mutate) = %+v, mutation %+v; want %+v", r, r.Mutation, want)
		}
		runs, err := g.Runs(ctx, Filter{Commit: commits[0]})
		must(t, err)
		if len(runs) != 1 || !runs[0].HasScore || runs[0].Score != 50 || runs[0].Kind != KindMutate {
			t.Errorf("Runs(commit of first mutate run) = %+v, want one mutate run scoring 50", runs)
		}
	})

	t.Run("MutationTrend", func(t *testing.T) {
		pts, err := g.MutationTrend(ctx, pkg)
		must(t, err)
		var got []string
		for _, p := range pts {
			sc, _ := p.Counts.Score()
			line := fmt.Sprintf("%s %.0f", p.Commit, sc)
			for _, f := range p.Files {
				fs, _ := f.Counts.Score()
				line += fmt.Sprintf(" %s=%.0f", f.File, fs)
			}
			got = append(got, line)
		}
		cart, price := pkg+"/cart.go", pkg+"/price.go"
		want := []string{
			fmt.Sprintf("%s 50 %s=33 %s=67", commits[0], cart, price),
			fmt.Sprintf("%s 50 %s=33 %s=67", commits[1], cart, price),
			fmt.Sprintf("%s 67 %s=33 %s=100", commits[2], cart, price),
		}
		if !slices.Equal(got, want) {
			t.Errorf("MutationTrend =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("TestsByKills", func(t *testing.T) {
		for _, tc := range []struct {
			run  string
			want []string
		}{
			{ids[0], []string{"TestCart 2/2", "TestPrice 1/3", "TestWeak 0/2"}},
			{ids[2], []string{"TestCart 2/2", "TestPrice 2/3", "TestWeak 0/2"}},
		} {
			ts, err := g.TestsByKills(ctx, tc.run)
			must(t, err)
			var got []string
			for _, x := range ts {
				got = append(got, fmt.Sprintf("%s %d/%d", x.Name, x.Kills, x.Covers))
				if x.Package != pkg || x.TestID != pkg+"."+x.Name {
					t.Errorf("test %+v: want package %s", x, pkg)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("TestsByKills(%s) = %v, want %v", tc.run, got, tc.want)
			}
		}
		if _, err := g.TestsByKills(ctx, unique("nomut")); !errors.Is(err, ErrNotFound) {
			t.Errorf("TestsByKills(unknown) = %v, want ErrNotFound", err)
		}
	})

	t.Run("PersistentSurvivors", func(t *testing.T) {
		for _, tc := range []struct {
			n    int
			want []string
		}{
			// m3 has no coverage in all three; m2 survives in all three;
			// m4 in the first two.
			{3, []string{"m2:12 3", "m3:20 3"}},
			{2, []string{"m2:12 3", "m3:20 3", "m4:3 2"}},
		} {
			ss, err := g.PersistentSurvivors(ctx, tc.n)
			must(t, err)
			var got []string
			for _, s := range ss {
				if s.Package != pkg {
					continue // another test's runs on the shared server
				}
				id := strings.TrimPrefix(s.MutantID, pkg+":")
				got = append(got, fmt.Sprintf("%s:%d %d", id, s.Line, len(s.Commits)))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("PersistentSurvivors(%d) = %v, want %v", tc.n, got, tc.want)
			}
		}
		if _, err := g.PersistentSurvivors(ctx, 0); err == nil {
			t.Error("PersistentSurvivors(0) succeeded, want an error")
		}
	})
}
