package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/internal/testserver"
)

// qbPrivatePort is the private server of the query-bench CLI test.
const qbPrivatePort = 8197

// qbServer returns the hosts of a server holding the query-bench test graph
// and the dataset flags it was loaded with. With GRAPHPERF_QUERIES_LOADED=1 it
// uses GRAPHPERF_HOSTS, which must hold `graphperf load --scale 0.01 --seed
// 42`; otherwise it starts a private server, checks that query-bench refuses
// the empty graph, and loads the small test graph with `graphperf load`.
func qbServer(t *testing.T) (string, []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test")
	}
	if os.Getenv("GRAPHPERF_QUERIES_LOADED") == "1" {
		return strings.Join(testenv.RequireServer(t), ","), []string{"--scale", "0.01", "--seed", "42"}
	}
	host := strings.Join(testserver.Start(t, qbPrivatePort, testserver.InMemory).Hosts(), ",")
	code, _, stderr := qbRun(t, append([]string{"--hosts", host, "query-bench", "-q"}, qbDataset...)...)
	if code != 1 || !strings.Contains(stderr, "the graph is empty: run `graphperf load --scale 0.002 --seed 5") {
		t.Fatalf("query-bench on an empty graph: exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = qbRun(t, append([]string{"--hosts", host, "load", "-q", "--state", t.TempDir()}, qbDataset...)...)
	if code != 0 {
		t.Fatalf("load: exit %d: %s", code, stderr)
	}
	return host, qbDataset
}

// The whole command on the real server: save, compare, JSON, Go benchmark
// format, HTML report, the grammes driver and the test hook.
func TestIntegrationQueryBenchCLI(t *testing.T) {
	host, dataset := qbServer(t)
	dir := t.TempDir()
	qb := func(args ...string) (int, string, string) {
		t.Helper()
		base := []string{"--hosts", host, "query-bench", "--baseline-dir", dir, "--params", "3", "--rounds", "6",
			"--min-time", "0", "--warmup", "1", "-q"}
		return qbRun(t, append(append(base, dataset...), args...)...)
	}

	// Every query, every answer checked; the table lists them all.
	code, stdout, stderr := qb("--save", "base")
	if code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"account-lookup", "mule-chain", "shared-identifier-ring", "median", "ops/s"} {
		if !strings.Contains(stdout, name) {
			t.Errorf("table lacks %q:\n%s", name, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "base.json")); err != nil {
		t.Fatalf("--save: %v", err)
	}

	// Compare two queries with the saved run, as JSON, with an HTML report.
	report := filepath.Join(t.TempDir(), "r.html")
	code, stdout, stderr = qb("--queries", "account-lookup,guarantee-chain", "--compare", "base",
		"--fail-on", "median:1000%", "--json", "--report", report)
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	var doc struct {
		Run struct {
			Dataset    string `json:"dataset"`
			Operations []struct {
				Name  string `json:"name"`
				Stats struct {
					N int `json:"n"`
				} `json:"stats"`
			} `json:"operations"`
		} `json:"run"`
		Comparison struct {
			Results []struct {
				Name    string `json:"name"`
				Verdict string `json:"verdict"`
			} `json:"results"`
		} `json:"comparison"`
		Failed bool `json:"failed"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	if len(doc.Run.Operations) != 2 || doc.Run.Operations[0].Stats.N < 6 || len(doc.Comparison.Results) != 2 || doc.Failed {
		t.Errorf("--json document: %+v", doc)
	}
	html, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(html), "<svg") || !strings.Contains(string(html), "guarantee-chain") {
		t.Errorf("--report: %v, %d bytes", err, len(html))
	}

	// Go benchmark format, one line per sample.
	code, stdout, stderr = qb("--queries", "account-lookup", "--format", "gobench")
	if code != 0 || strings.Count(stdout, "BenchmarkQuery/account-lookup") < 6 || !strings.Contains(stdout, "ns/op") {
		t.Errorf("gobench: exit %d: %s\n%s", code, stderr, stdout)
	}

	// The grammes driver runs the same catalogue with the same checks.
	code, stdout, stderr = qb("--driver", "grammes", "--queries", "account-lookup,loan-fund-trace,mule-chain")
	if code != 0 || !strings.Contains(stdout, "driver grammes") {
		t.Errorf("grammes: exit %d: %s\n%s", code, stderr, stdout)
	}
	// --ab measures two halves, saves both and compares B with A.
	code, stdout, stderr = qb("--queries", "account-lookup", "--ab", "a1,b1", "--fail-on", "median:1000%")
	if code != 0 || !strings.Contains(stdout, "account-lookup") {
		t.Errorf("--ab: exit %d: %s\n%s", code, stderr, stdout)
	}
	for _, n := range []string{"a1", "b1"} {
		if _, err := os.Stat(filepath.Join(dir, n+".json")); err != nil {
			t.Errorf("--ab did not save %s: %v", n, err)
		}
	}

	// A baseline that shares no query with the run: the gate cannot
	// decide, and says so (exit 1), instead of "no regression".
	if code, _, stderr = qb("--queries", "account-lookup", "--save", "acc"); code != 0 {
		t.Fatalf("--save acc: exit %d: %s", code, stderr)
	}
	code, _, stderr = qb("--queries", "guarantee-chain", "--compare", "acc")
	if code != 1 || !strings.Contains(stderr, "no operation in common") {
		t.Errorf("disjoint --compare: exit %d: %s", code, stderr)
	}

	// A graph whose load of the dataset is not complete (an interrupted
	// load, as its load state records) is refused before any query, with
	// the command that finishes the load.
	if os.Getenv("GRAPHPERF_QUERIES_LOADED") == "1" {
		return // never damage a shared graph
	}
	cl, err := client.New(context.Background(), client.Config{Hosts: strings.Split(host, ",")})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := cl.Submit(context.Background(), `def v = g.V().has('LoadState', 'loadDataset', ds).next()
v.property('loadState', v.value('loadState').replace(was, now)); true`,
		map[string]any{"ds": qbFingerprint(t), "was": `"status":"complete"`, "now": `"status":"loading"`}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = qb("--queries", "account-lookup")
	if code != 1 || !strings.Contains(stderr, "is not completely loaded") || !strings.Contains(stderr, "partly loaded") ||
		!strings.Contains(stderr, "graphperf load --scale 0.002 --seed 5") || !strings.Contains(stderr, "--resume`") || stdout != "" {
		t.Errorf("partly loaded graph: exit %d: %s\n%s", code, stderr, stdout)
	}

	// A graph holding another (smaller) dataset looks incomplete too, but
	// `load --resume` of this one cannot work there: the advice names the
	// dataset the graph holds and reloads.
	other := append([]string{"--hosts", host, "query-bench", "-q", "--queries", "account-lookup"}, qbDataset...)
	other[slices.Index(other, "0.002")] = "0.004"
	code, stdout, stderr = qbRun(t, other...)
	if code != 1 || !strings.Contains(stderr, "holds another dataset") || !strings.Contains(stderr, "graphperf load --scale 0.004 --seed 5") ||
		!strings.Contains(stderr, "--drop --yes`") ||
		strings.Contains(stderr, "--resume") || stdout != "" {
		t.Errorf("other dataset: exit %d: %s\n%s", code, stderr, stdout)
	}
}
