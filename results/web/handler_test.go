package web_test

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/results"
	"github.com/graphperf/graphperf/results/web"
)

func newServer(t *testing.T, src web.Source, cfg web.Config) *httptest.Server {
	t.Helper()
	cfg.Log = log.New(io.Discard, "", 0)
	h, err := web.New(src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url, token string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// fullSource has two comparable runs (the second 50% slower), a trend with
// a suspected commit and a mutation trend.
func fullSource() *memSource {
	a, b := benchRun("run-a", "aaaaaaaaaaaaaaaa", 0.010, 40), benchRun("run-b", "bbbbbbbbbbbbbbbb", 0.015, 40)
	b.Started = a.Started.Add(time.Hour)
	bad := b.Commit
	return &memSource{
		runs: []results.Run{a, b},
		trend: []results.TrendPoint{
			{Commit: a.Commit, RunID: "run-a", Start: a.Started, Unit: stats.Latency(), Median: 0.010, P99: 0.011, N: 40},
			{Commit: b.Commit, RunID: "run-b", Start: b.Started, Unit: stats.Latency(), Median: 0.015, P99: 0.0165, N: 40,
				Verdict: compare.Slower, Delta: 0.5, Regressed: true},
		},
		firstBad: &bad,
		tests:    []results.TestKills{{TestID: "shop.TestCart", Name: "TestCart", Package: "shop", Kills: 3, Covers: 4}},
		survive: []results.Survivor{{MutantID: "m2", Package: "shop", File: "shop/cart.go", Line: 12, Operator: "conditionals-boundary",
			Original: "<", Replacement: "<=", Commits: []string{"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"}}},
		mutation: []results.MutationPoint{{RunID: "m1", Commit: "aaaaaaaaaaaaaaaa", Counts: results.Counts{Total: 4, Killed: 3, Survived: 1},
			Files: []results.FileCounts{{File: "shop/cart.go", Counts: results.Counts{Total: 4, Killed: 3, Survived: 1}}}}},
	}
}

func TestPages(t *testing.T) {
	srv := newServer(t, fullSource(), web.Config{})
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/runs", 200, []string{"2 run(s)", `href="/runs/run-a"`, `href="/commits/bbbbbbbbbbbbbbbb"`}},
		{"/runs?kind=load-bench", 200, []string{"No run matches these filters"}},
		{"/runs/run-b", 200, []string{"account-lookup", "/runs/run-b/report", `href="/compare?base=run-a&amp;cur=run-b"`, "msg bbbbbbbbbbbbbbbb"}},
		{"/runs/run-b/report", 200, []string{"<svg", "account-lookup"}},
		{"/compare?base=run-a&cur=run-b", 200, []string{"1 regression(s): account-lookup", "REGRESSION", "50.0%"}},
		{"/compare/report?base=run-a&cur=run-b", 200, []string{"<svg", "baseline", "REGRESSION"}},
		{"/trend?op=account-lookup&branch=main", 200, []string{"Suspected commit", `href="/commits/bbbbbbbbbbbbbbbb"`, "<polyline", `class="suspect"`}},
		{"/trend", 200, []string{"Enter an operation name"}},
		{"/commits/bbbbbbbbbbbbbbbb", 200, []string{"msg bbbbbbbbbbbbbbbb", `href="/runs/run-b"`}},
		{"/commits/cccc", 200, []string{"No run is stored for this commit"}},
		{"/mutation?pkg=shop", 200, []string{"75.0%", "<polyline", "shop/cart.go", "TestCart", "&lt;=", `href="/commits/bbbbbbbbbbbbbbbb"`}},
		{"/mutation?commits=x", 400, []string{"commits: expected a number"}},
		{"/", 200, []string{"2 run(s)"}}, // redirect to /runs
		{"/runs/nope", 404, []string{`run &#34;nope&#34; not found`}},
		{"/runs/nope/report", 404, []string{"not found"}},
		{"/compare?base=run-a", 400, []string{"compare needs two runs"}},
		{"/runs?limit=x", 400, []string{"limit: expected a number"}},
		{"/no/such/page", 404, []string{"no page at /no/such/page"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			status, body, hdr := get(t, srv.URL+tc.path, "")
			if status != tc.status {
				t.Fatalf("status %d, want %d; body:\n%s", status, tc.status, body)
			}
			if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			if hdr.Get("Content-Security-Policy") == "" || hdr.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("security headers missing: %v", hdr)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
		})
	}
}

func TestAPI(t *testing.T) {
	srv := newServer(t, fullSource(), web.Config{})
	for _, tc := range []struct {
		path   string
		status int
		check  func(map[string]any) bool
	}{
		{"/api/runs", 200, func(m map[string]any) bool { return len(m["runs"].([]any)) == 2 && m["empty"] == false }},
		{"/api/runs/run-b", 200, func(m map[string]any) bool {
			return m["run"].(map[string]any)["id"] == "run-b" && len(m["comparable"].([]any)) == 1 && m["bench"] != nil
		}},
		{"/api/compare?base=run-a&cur=run-b", 200, func(m map[string]any) bool {
			r := m["report"].(map[string]any)
			return len(r["regressions"].([]any)) == 1 && r["regressions"].([]any)[0] == "account-lookup"
		}},
		{"/api/trend?op=account-lookup", 200, func(m map[string]any) bool {
			return len(m["points"].([]any)) == 2 && m["suspect"].(map[string]any)["hash"] == "bbbbbbbbbbbbbbbb"
		}},
		{"/api/commits/aaaaaaaaaaaaaaaa", 200, func(m map[string]any) bool { return len(m["runs"].([]any)) == 1 }},
		{"/api/mutation", 200, func(m map[string]any) bool {
			return len(m["points"].([]any)) == 1 && len(m["tests"].([]any)) == 1 && len(m["survivors"].([]any)) == 1
		}},
		{"/api/runs/nope", 404, func(m map[string]any) bool {
			return m["status"] == 404.0 && strings.Contains(m["error"].(string), "not found")
		}},
		{"/api/compare", 400, func(m map[string]any) bool { return m["status"] == 400.0 }},
	} {
		t.Run(tc.path, func(t *testing.T) {
			status, body, hdr := get(t, srv.URL+tc.path, "")
			if status != tc.status {
				t.Fatalf("status %d, want %d; body:\n%s", status, tc.status, body)
			}
			if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Fatalf("%v:\n%s", err, body)
			}
			if !tc.check(m) {
				t.Errorf("unexpected answer:\n%s", body)
			}
		})
	}
}

// TestEscaping stores hostile text in every field a page shows: it must
// come out escaped, never as markup.
func TestEscaping(t *testing.T) {
	const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	src := fullSource()
	r := &src.runs[1]
	r.Commit.Message, r.Commit.Author, r.Branch, r.Dataset, r.Server.Backend, r.Kind = evil, evil, evil, evil, evil, evil
	r.Machine, r.Driver = evil, evil
	r.Operations[0].Operation = evil
	src.firstBad.Message = evil
	src.trend[1].RunID = `"><script>alert(2)</script>`
	src.mutation[0].Files[0].File = evil
	src.tests[0].Name, src.survive[0].Original, src.survive[0].Commits[0] = evil, evil, evil
	srv := newServer(t, src, web.Config{})
	for _, path := range []string{
		"/runs", "/runs/run-b", "/runs/run-b/report", "/trend?op=" + evil, "/commits/bbbbbbbbbbbbbbbb",
		"/mutation?pkg=%3Cscript%3E", "/runs?kind=%3Cscript%3Ealert(1)%3C/script%3E", "/runs/%3Cscript%3E",
	} {
		status, body, _ := get(t, srv.URL+path, "")
		if status >= 500 {
			t.Errorf("%s: status %d", path, status)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
			t.Errorf("%s: unescaped markup in:\n%s", path, body)
		}
	}
	_, body, _ := get(t, srv.URL+"/runs/run-b", "")
	if !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("escaped text missing:\n%s", body)
	}
}

func TestToken(t *testing.T) {
	srv := newServer(t, fullSource(), web.Config{Token: "s3cret"})
	for _, tc := range []struct {
		name, path, token string
		status            int
	}{
		{"none", "/runs", "", 401},
		{"wrong", "/runs", "s3cre", 401},
		{"wrong api", "/api/runs", "nope", 401},
		{"right", "/runs", "s3cret", 200},
		{"right api", "/api/runs/run-a", "s3cret", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := get(t, srv.URL+tc.path, tc.token)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			if status == 401 {
				if !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer") || !strings.Contains(body, "bearer token") {
					t.Errorf("401 without a Bearer challenge: %v\n%s", hdr, body)
				}
				if strings.Contains(body, "run-a") {
					t.Errorf("401 leaks data:\n%s", body)
				}
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	srv := newServer(t, fullSource(), web.Config{})
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(m, srv.URL+"/api/runs", strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d, want 405", m, resp.StatusCode)
		}
	}
}

// TestEmptyPartialUnreachable: the three degraded states of the results
// graph each give a clear page, never a 500 or a stack.
func TestEmptyPartialUnreachable(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		srv := newServer(t, &memSource{}, web.Config{EmptyHint: "Store runs with the bench commands."})
		for path, want := range map[string]string{
			"/runs":                    "No runs are stored in the results graph yet. Store runs with the bench commands.",
			"/trend?op=account-lookup": "No run of account-lookup is stored",
			"/mutation":                "No mutation run is stored",
			"/api/runs":                `"empty": true`,
		} {
			status, body, _ := get(t, srv.URL+path, "")
			if status != 200 || !strings.Contains(body, want) {
				t.Errorf("%s: status %d, want 200 with %q:\n%s", path, status, want, body)
			}
		}
	})
	t.Run("partial", func(t *testing.T) {
		src := fullSource()
		src.runs[0].Status = results.Partial
		src.runs[0].Operations = nil
		srv := newServer(t, src, web.Config{})
		status, body, _ := get(t, srv.URL+"/runs/run-a", "")
		if status != 200 || !strings.Contains(body, "stored only partially") || !strings.Contains(body, "No operation results") {
			t.Errorf("status %d:\n%s", status, body)
		}
		status, body, _ = get(t, srv.URL+"/compare?base=run-a&cur=run-b", "")
		if status != 422 || !strings.Contains(body, `has no operation samples stored (status partial)`) {
			t.Errorf("status %d:\n%s", status, body)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		srv := newServer(t, &memSource{err: errors.New("dial tcp 127.0.0.1:1: connect: connection refused")}, web.Config{Graph: "127.0.0.1:1"})
		for _, path := range []string{"/runs", "/runs/x", "/trend?op=a", "/mutation", "/api/runs"} {
			status, body, _ := get(t, srv.URL+path, "")
			if status != 503 || !strings.Contains(body, "connection refused") {
				t.Errorf("%s: status %d:\n%s", path, status, body)
			}
			if strings.Contains(body, "goroutine") {
				t.Errorf("%s: stack in body", path)
			}
		}
		_, body, _ := get(t, srv.URL+"/runs", "")
		if !strings.Contains(body, "could not answer") || !strings.Contains(body, "127.0.0.1:1") {
			t.Errorf("no explanation:\n%s", body)
		}
	})
	t.Run("panic", func(t *testing.T) {
		srv := newServer(t, &memSource{panic: true}, web.Config{})
		status, body, _ := get(t, srv.URL+"/runs", "")
		if status != 500 || strings.Contains(body, "goroutine") || strings.Contains(body, "boom") || !strings.Contains(body, "internal error") {
			t.Errorf("status %d:\n%s", status, body)
		}
	})
}
