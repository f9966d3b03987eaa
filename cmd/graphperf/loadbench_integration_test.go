package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/internal/testserver"
)

// lbPrivatePort is the private server of the load-bench CLI test (load-bench
// drops the graph: never on the shared server).
const lbPrivatePort = 8185

// load-bench on the real server: --save, then --compare with the saved run
// (2 rounds: the comparison is inconclusive and must not fail), as JSON with
// an HTML report.
func TestIntegrationLoadBenchSaveCompare(t *testing.T) {
	host := strings.Join(testserver.Start(t, lbPrivatePort, testserver.InMemory).Hosts(), ",")
	dir := t.TempDir()
	lb := func(args ...string) (int, string, string) {
		t.Helper()
		base := []string{"--hosts", host, "--timeout", "10m", "load-bench", "--yes", "--rounds", "2", "--naive-per-label", "5",
			"--baseline-dir", dir}
		return qbRun(t, append(append(base, qbDataset...), args...)...)
	}

	code, stdout, stderr := lb("--save", "main")
	if code != 0 {
		t.Fatalf("--save: exit %d: %s\n%s", code, stderr, stdout)
	}
	if !strings.Contains(stdout, "graphperf loader") || !strings.Contains(stderr, "no change of the 3 loads can be significant") {
		t.Errorf("--save output:\n%s\n%s", stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.json")); err != nil {
		t.Fatalf("--save: %v", err)
	}

	report := filepath.Join(t.TempDir(), "r.html")
	code, stdout, stderr = lb("--compare", "main", "--fail-on", "median:10%", "--json", "--report", report)
	if code != 0 {
		t.Fatalf("--compare: exit %d: %s\n%s", code, stderr, stdout)
	}
	var doc struct {
		Loader []struct {
			PerSec float64 `json:"perSec"`
		} `json:"loader"`
		Comparison struct {
			Results []struct {
				Name    string `json:"name"`
				Verdict string `json:"verdict"`
			} `json:"results"`
		} `json:"comparison"`
		Failed bool `json:"failed"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout)
	}
	if len(doc.Loader) != 2 || doc.Loader[0].PerSec <= 0 || len(doc.Comparison.Results) != 3 || doc.Failed {
		t.Errorf("--json document: %+v", doc)
	}
	for _, r := range doc.Comparison.Results {
		if r.Verdict != "inconclusive" {
			t.Errorf("%s: verdict %s with 2+2 rounds, want inconclusive", r.Name, r.Verdict)
		}
	}
	html, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(html), "<svg") || !strings.Contains(string(html), "server-side") {
		t.Errorf("--report: %v, %d bytes", err, len(html))
	}
}
