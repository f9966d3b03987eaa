package web_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/querybench"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
	"github.com/graphperf/graphperf/results"
	"github.com/graphperf/graphperf/results/web"
)

// graphPort is this package's private server (plus
// GRAPHPERF_TEST_PORT_OFFSET): a results graph no other test writes to.
const graphPort = 8188

// smallSpec is the banking graph the runs measure.
var smallSpec = dataset.Source{Config: banking.Config{Seed: 7, Scale: 0.002, Patterns: banking.PatternCounts{
	TransferCycles: 2, MuleChains: 2, Structuring: 2, FraudRings: 2, BlockedMediumChains: 2, FanInWithdraws: 2, GuaranteeChains: 2}}}

// slowWait is the server-side wait that makes account-lookup regress from
// the third commit on: every slowed call takes at least this long, far
// above the unslowed calls and the 1 ms floor.
const slowWait = time.Second

// history is a results graph filled by real runs: a git repository of four
// commits on main; query-bench (the library) measured account-lookup and
// transfer-cycle on the real server at commits 1, 3 and 4 (commit 2 was
// not measured), with account-lookup slowed from commit 3 on by the
// existing Slowdown decorator.
type history struct {
	graph   *results.Graph
	commits []results.Commit // oldest first
	runs    []results.Run    // at commits[0], [2], [3]
}

func gitRepo(t *testing.T, messages ...string) []results.Commit {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(cmd.Environ(), "GIT_AUTHOR_NAME=Ada Lovelace", "GIT_AUTHOR_EMAIL=ada@example.com",
			"GIT_COMMITTER_NAME=Ada Lovelace", "GIT_COMMITTER_EMAIL=ada@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	for i, m := range messages {
		git("commit", "-q", "--allow-empty", "-m", m, "--date", fmt.Sprintf("2026-11-%02dT10:00:00Z", i+1))
	}
	commits, err := results.GitCommits(context.Background(), dir, 0, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(commits)-1; i < j; i, j = i+1, j-1 { // oldest first
		commits[i], commits[j] = commits[j], commits[i]
	}
	return commits
}

func newHistory(t *testing.T) *history {
	t.Helper()
	srv := testserver.Start(t, graphPort, testserver.InMemory)
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: srv.Hosts(), RequestTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	h := &history{graph: results.New(cl)}

	// The empty results graph first: no run, and a clear page, not an error.
	if runs, err := h.graph.Runs(ctx, results.Filter{}); err != nil || len(runs) != 0 {
		t.Fatalf("Runs on a never-stored results graph = %v, %v; want no run, no error", runs, err)
	}
	hd, err := web.New(h.graph, web.Config{Timeout: 2 * time.Minute, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	empty := httptest.NewServer(hd)
	for path, want := range map[string]int{"/runs": 200, "/runs/x": 404, "/trend?op=a": 200, "/mutation": 200,
		"/api/trend?op=a&branch=main": 404, "/compare?base=x&cur=y": 404} {
		status, body, _ := get(t, empty.URL+path, "")
		if status != want || (path == "/runs" && !strings.Contains(body, "No runs are stored in the results graph yet")) {
			t.Errorf("never-stored results graph: %s: status %d, want %d:\n%s", path, status, want, body)
		}
	}
	empty.Close()

	if _, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	data, err := smallSpec.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src, err := loader.FromData(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	l, err := loader.New(cl, loader.Config{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	ds, err := querybench.NewDataset(ctx, data, "seed 7 scale 0.002")
	if err != nil {
		t.Fatal(err)
	}

	h.commits = gitRepo(t, "Add account index", "Tidy the README", "Look accounts up through the new cache", "Bump the client")
	if err := h.graph.StoreCommits(ctx, h.commits); err != nil {
		t.Fatal(err)
	}
	if err := h.graph.SetBranchHead(ctx, "main", h.commits[3].Hash); err != nil {
		t.Fatal(err)
	}
	ref, slow := querybench.NewSlowdown(cl, map[string]querybench.Wait{"account-lookup": {Fixed: slowWait}})
	for _, i := range []int{0, 2, 3} {
		drv := ref
		if i >= 2 {
			drv = slow
		}
		res, err := querybench.Run(ctx, drv, ds, querybench.Config{
			Queries:  []string{"account-lookup", "transfer-cycle"},
			Sampling: sampler.Config{MinRounds: 12, MaxRounds: 12, Warmup: 1, MinTime: -1},
			Driver:   "graphperf", Hosts: srv.Hosts(),
		})
		if err != nil {
			t.Fatal(err)
		}
		res.Run.Commit = h.commits[i].Hash
		r := results.FromBaseline(res.Run)
		r.Commit, r.Branch = h.commits[i], "main"
		if err := h.graph.Store(ctx, r); err != nil {
			t.Fatal(err)
		}
		h.runs = append(h.runs, r)
	}
	return h
}

// TestBrowserResultsGraph drives Debian's Chromium through the pages of a
// real results graph filled by real runs: runs list → the latest run →
// compare with the first run → the regressed operation's trend → the
// suspected commit. It saves the screenshots of docs/serve.md
// (GRAPHPERF_SCREENSHOTS=1 writes them to docs/img).
func TestBrowserResultsGraph(t *testing.T) {
	h := newHistory(t)
	hd, err := web.New(h.graph, web.Config{Graph: "test server", Timeout: 2 * time.Minute, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hd)
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	first, bad, latest := h.runs[0], h.runs[1], h.runs[2]

	do("runs page", chromedp.Navigate(srv.URL+"/runs"), chromedp.WaitVisible(`table.runs`))
	if got := text(`main p`); got != "3 run(s), newest first." {
		t.Errorf("runs page says %q", got)
	}
	screenshot(t, ctx, "serve-runs")

	do("open the latest run", chromedp.Click(`a.run[href="/runs/`+latest.ID+`"]`), chromedp.WaitVisible(`table.ops`))
	if got := text(`h1`); got != "Run "+latest.ID {
		t.Errorf("run page h1 %q", got)
	}
	if ops := text(`table.ops`); !strings.Contains(ops, "account-lookup") || !strings.Contains(ops, "transfer-cycle") {
		t.Errorf("run page operations:\n%s", ops)
	}
	if msg := text(`table.meta`); !strings.Contains(msg, "Bump the client") {
		t.Errorf("run page lacks the commit message:\n%s", msg)
	}
	screenshot(t, ctx, "serve-run")

	do("compare with the first run", chromedp.Click(`a.compare[href="/compare?base=`+first.ID+`&cur=`+latest.ID+`"]`), chromedp.WaitVisible(`table.compare`))
	if got := text(`#outcome`); got != "1 regression(s): account-lookup" {
		_, js, _ := get(t, srv.URL+"/api/compare?base="+first.ID+"&cur="+latest.ID, "")
		t.Fatalf("compare outcome %q; the comparison:\n%s", got, js)
	}
	if row := text(`table.compare tr.bad`); !strings.Contains(row, "account-lookup") || !strings.Contains(row, "REGRESSION") {
		t.Errorf("regressed row %q", row)
	}
	screenshot(t, ctx, "serve-compare")

	do("trend of the regressed operation", chromedp.Click(`table.compare tr.bad a.trend`), chromedp.WaitVisible(`svg.chart`))
	if got := text(`h1`); got != "Trend of account-lookup" {
		t.Errorf("trend h1 %q", got)
	}
	suspect := text(`#suspect`)
	if want := bad.Commit.Hash[:12]; !strings.Contains(suspect, want) || !strings.Contains(suspect, "Look accounts up through the new cache") {
		t.Errorf("suspected commit %q, want %s (the first slowed commit)", suspect, want)
	}
	if rows := text(`table.trend`); strings.Count(rows, "\n") < 3 {
		t.Errorf("trend rows:\n%s", rows)
	}
	screenshot(t, ctx, "serve-trend")

	do("open the suspected commit", chromedp.Click(`#suspect a`), chromedp.WaitVisible(`#hash`))
	if got := text(`#hash`); got != bad.Commit.Hash {
		t.Errorf("commit page hash %q, want %s", got, bad.Commit.Hash)
	}
	if got := text(`#message`); got != "Look accounts up through the new cache" {
		t.Errorf("commit message %q", got)
	}
	if runs := text(`table.runs`); !strings.Contains(runs, bad.ID) {
		t.Errorf("commit page runs:\n%s", runs)
	}
	screenshot(t, ctx, "serve-commit")

	do("mutation page", chromedp.Navigate(srv.URL+"/mutation"), chromedp.WaitVisible(`#none`))
	if got := text(`#none`); got != "No mutation run is stored." {
		t.Errorf("mutation page %q", got)
	}
}

// TestUnreachableGraph: serve started while its results graph is down
// answers every page with a clear 503 naming the graph, no stack.
func TestUnreachableGraph(t *testing.T) {
	down := "127.0.0.1:1" // nothing listens on port 1
	src := &web.Lazy{Open: func(ctx context.Context) (web.Source, error) {
		cl, err := client.New(ctx, client.Config{Hosts: []string{down}, DialTimeout: 2 * time.Second})
		if err != nil {
			return nil, err
		}
		return results.New(cl), nil
	}}
	srv := newServer(t, src, web.Config{Graph: down})
	for _, path := range []string{"/runs", "/runs/x", "/trend?op=account-lookup", "/api/runs"} {
		status, body, _ := get(t, srv.URL+path, "")
		if status != 503 || !strings.Contains(body, down) || strings.Contains(body, "goroutine") {
			t.Errorf("%s: status %d:\n%s", path, status, body)
		}
	}
}

// BenchmarkPagesGraph times each page on the real results graph holding a
// synthetic history of 1,000 query-bench runs × 40 operations (20 samples
// each), one per commit of a 1,000-commit first-parent chain on main: the
// page load of issue #13 (< 200 ms each). It stores the history first
// (minutes) in the server of GRAPHPERF_HOSTS, unless a complete one is
// there already.
func BenchmarkPagesGraph(b *testing.B) {
	const runs, ops, samples = 1000, 40, 20
	hosts := testenv.RequireServer(b)
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 5 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	g := results.New(cl)
	mem := syntheticSource(runs, ops, samples)
	commits := make([]results.Commit, runs)
	for i, r := range mem.runs {
		commits[i] = r.Commit
		if i > 0 {
			commits[i].Parents = []string{commits[i-1].Hash}
		}
	}
	// A history stored before (its last run complete) is reused: storing
	// again changes nothing but takes minutes.
	if r, err := g.Run(ctx, mem.runs[runs-1].ID); err != nil || r.Status != results.Complete || len(r.Operations) != ops {
		storeHistory(ctx, b, g, mem, commits)
	}
	h, err := web.New(g, web.Config{Timeout: 5 * time.Minute, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	benchPages(b, h, "run-0999", "run-0998", "op-07")
}

// storeHistory stores the commits and runs of mem, 4 runs at a time.
func storeHistory(ctx context.Context, b *testing.B, g *results.Graph, mem *memSource, commits []results.Commit) {
	runs := len(mem.runs)
	start := time.Now()
	if err := g.StoreCommits(ctx, commits); err != nil {
		b.Fatal(err)
	}
	if err := g.SetBranchHead(ctx, "main", commits[runs-1].Hash); err != nil {
		b.Fatal(err)
	}
	work := make(chan results.Run)
	errc := make(chan error, 4)
	for range 4 {
		go func() {
			var first error
			for r := range work {
				if first == nil {
					first = g.Store(ctx, r)
				}
			}
			errc <- first
		}()
	}
	for i, r := range mem.runs[:runs-1] {
		r.Commit = commits[i]
		work <- r
	}
	close(work)
	for range 4 {
		if err := <-errc; err != nil {
			b.Fatal(err)
		}
	}
	// The last run last: its completeness marks the whole history.
	last := mem.runs[runs-1]
	last.Commit = commits[runs-1]
	if err := g.Store(ctx, last); err != nil {
		b.Fatal(err)
	}
	b.Logf("stored %d runs × %d operations in %v", runs, len(mem.runs[0].Operations), time.Since(start).Round(time.Second))
}
