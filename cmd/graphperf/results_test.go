package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/results"
)

func TestResultsUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"results", "import"}, "expected one DIR"},
		{[]string{"results", "import", "a", "b"}, "expected one DIR"},
		{[]string{"results", "import", "--max-commits", "0", "d"}, "--max-commits must be at least 1"},
		{[]string{"results", "import", "--git-dir", t.TempDir(), "d"}, "--git-dir"},
		{[]string{"results", "runs", "--kind", "bench"}, `--kind must be query-bench, load-bench, workload or mutate, got "bench"`},
		{[]string{"results", "runs", "--limit", "0"}, "--limit must be at least 1"},
		{[]string{"results", "first-bad", "--op", "x", "abc"}, "expected GOOD and BAD"},
		{[]string{"results", "trend", "--op", "x"}, "branch"},
		{[]string{"results", "nosuch"}, "nosuch"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
}

// resultsApp is a minimal app with the connection and results flags whose
// action runs f, as query-bench and load-bench run storeRun.
func resultsApp(f func(c *cli.Context, o *resultsOptions) error) *cli.App {
	return &cli.App{
		Flags: connectionFlags(),
		Commands: []*cli.Command{{Name: "x", Flags: resultsFlags(), Action: func(c *cli.Context) error {
			o, err := parseResultsOptions(c)
			if err != nil {
				return err
			}
			return f(c, o)
		}}},
		Writer: new(bytes.Buffer), ErrWriter: new(bytes.Buffer),
	}
}

func TestResultsFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"x", "--results-hosts", "h:1"}, "--results-hosts needs --store-graph"},
		{[]string{"x", "--store-graph", "--results-hosts", " , "}, "--results-hosts is empty"},
	} {
		err := resultsApp(func(*cli.Context, *resultsOptions) error { return nil }).Run(append([]string{"graphperf"}, tt.args...))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.want)
		}
	}
	// --results-hosts replaces --hosts, checked like it.
	err := resultsApp(func(c *cli.Context, o *resultsOptions) error {
		_, err := resultsClient(c, o.hosts)
		return err
	}).Run([]string{"graphperf", "x", "--store-graph", "--results-hosts", "h:99999"})
	if err == nil || !strings.Contains(err.Error(), "--results-hosts h:99999") {
		t.Errorf("bad --results-hosts: %v", err)
	}
}

// gitRepo makes a git repository on a fresh branch with n commits a day
// apart, and returns its directory, the branch and the hashes, oldest
// first.
func gitRepo(t *testing.T, n int) (string, string, []string) {
	t.Helper()
	dir := t.TempDir()
	var b [6]byte
	_, _ = rand.Read(b[:])
	branch := "b-" + hex.EncodeToString(b[:])
	git := func(env []string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(nil, "init", "-q", "-b", branch)
	var hashes []string
	for i := range n {
		date := time.Date(2026, 11, 1+i, 12, 0, 0, 0, time.UTC).Format(time.RFC3339)
		env := []string{"GIT_AUTHOR_NAME=Ada Lovelace", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada Lovelace",
			"GIT_COMMITTER_EMAIL=ada@example.com", "GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}
		git(env, "commit", "-q", "--allow-empty", "-m", fmt.Sprintf("change %d", i))
		hashes = append(hashes, git(nil, "rev-parse", "HEAD"))
	}
	return dir, branch, hashes
}

// `results import` stores saved runs with their git history; importing
// again changes nothing; runs, trend and first-bad read them back. A run
// stored by storeRun (--store-graph) and imported later is one run.
func TestResultsImportAndAnalyses(t *testing.T) {
	hosts := strings.Join(testenv.RequireServer(t), ",")
	repo, branch, hashes := gitRepo(t, 3)
	dir := t.TempDir()
	dataset := "ds-" + branch
	var runs []*baseline.Run
	for i, h := range hashes {
		r := baseline.NewRun("query-bench")
		r.Started = time.Date(2026, 11, 10, 8, i, 0, 0, time.UTC)
		r.Commit, r.Dataset = h, dataset
		center := 0.010
		if i == 2 {
			center = 0.030
		}
		samples := make([]float64, 20)
		for k := range samples {
			samples[k] = center * (1 + float64(k)/1000)
		}
		r.Operations = []baseline.Operation{{Name: "lookup", Unit: stats.Latency(), Samples: samples, Elapsed: time.Second}}
		if _, err := baseline.Save(dir, fmt.Sprintf("run%d", i), r); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The first run goes in through --store-graph's path, from the repo.
	t.Chdir(repo)
	var logged []string
	err := resultsApp(func(c *cli.Context, o *resultsOptions) error {
		return o.storeRun(c, runs[0], func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) })
	}).Run([]string{"graphperf", "--hosts", hosts, "x", "--store-graph"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "run stored in the results graph as " + results.RunID(runs[0]); len(logged) != 1 || !strings.HasPrefix(logged[0], want) || !strings.Contains(logged[0], branch) {
		t.Errorf("storeRun logged %q, want %q… on branch %s", logged, want, branch)
	}

	for range 2 {
		code, out, stderr := runCLI(t, "--hosts", hosts, "results", "import", "--json", "--branch", branch, "--git-dir", repo, dir)
		if code != exitFailure || !strings.Contains(stderr, "broken.json") {
			t.Fatalf("import with a broken file: exit %d, stderr %q; want exit 1 naming broken.json", code, stderr)
		}
		var res results.ImportResult
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Runs) != 3 || res.Commits != 3 {
			t.Fatalf("import: %v, %+v; want 3 runs and 3 commits\n%s", err, res, out)
		}
	}
	code, out, stderr := runCLI(t, "--hosts", hosts, "results", "runs", "--json", "--branch", branch)
	var list []results.RunSummary
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 3 {
		t.Fatalf("runs: exit %d, %s, %s; want 3 runs", code, out, stderr)
	}
	for i, r := range list {
		want := runs[2-i]
		if r.ID != results.RunID(want) || r.Commit != want.Commit || r.Dataset != dataset || r.Status != results.Complete {
			t.Errorf("runs[%d] = %+v, want run %s at %s", i, r, results.RunID(want), want.Commit)
		}
	}

	code, out, stderr = runCLI(t, "--hosts", hosts, "results", "trend", "--op", "lookup", "--branch", branch)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.Contains(lines[3], "REGRESSION") || !strings.Contains(lines[3], "change 2") ||
		strings.Contains(lines[2], "REGRESSION") {
		t.Errorf("trend: exit %d, stderr %q, table\n%s\nwant 3 points, the last a regression", code, stderr, out)
	}

	code, out, stderr = runCLI(t, "--hosts", hosts, "results", "first-bad", "--op", "lookup", hashes[0], hashes[2])
	if code != 0 || !strings.HasPrefix(out, hashes[2]+" ") || !strings.Contains(out, "change 2 (Ada Lovelace)") {
		t.Errorf("first-bad: exit %d, %q, %q; want %s", code, out, stderr, hashes[2])
	}
	code, _, stderr = runCLI(t, "--hosts", hosts, "results", "first-bad", "--op", "lookup", hashes[0], hashes[1])
	if code != exitFailure || !strings.Contains(stderr, "no commit in") {
		t.Errorf("first-bad without a regression: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "--hosts", hosts, "results", "first-bad", "--op", "lookup", hashes[0], "0000000")
	if code != exitUsage || !strings.Contains(stderr, `commit "0000000" not found`) {
		t.Errorf("first-bad with an unknown commit: exit %d, %q", code, stderr)
	}
}
