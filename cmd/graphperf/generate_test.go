package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/internal/testenv"
)

// gpRun runs the whole CLI in-process.
func gpRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	code = run(ctx, append([]string{"graphperf"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestGenerateWritesDataset(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sf")
	code, out, errOut := gpRun(t, "generate", "--scale", "0.005", "--seed", "7", "--out", dir, "--format", "csv", "--workers", "2", "--cycles", "3", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "wrote ") || !strings.Contains(out, dir) {
		t.Errorf("summary %q", out)
	}
	if errOut != "" {
		t.Errorf("stderr not empty with --quiet: %q", errOut)
	}
	d, err := dataset.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := d.Manifest
	if m.Format != dataset.CSV || m.Seed != 7 || m.Config.Patterns.TransferCycles != 3 || m.Config.Scale != 0.005 {
		t.Errorf("manifest %+v", m)
	}
	gt, err := d.GroundTruth()
	if err != nil || len(gt.TransferCycles) != 3 {
		t.Fatalf("ground truth: %v, %d cycles", err, len(gt.TransferCycles))
	}
	// A second run into the same directory needs --force.
	code, _, errOut = gpRun(t, "generate", "--scale", "0.005", "--out", dir, "--quiet")
	if code != exitUsage || !strings.Contains(errOut, "--force") || !strings.Contains(errOut, dir) {
		t.Fatalf("non-empty dir: exit %d, %q", code, errOut)
	}
	code, _, errOut = gpRun(t, "generate", "--scale", "0.005", "--out", dir, "--quiet", "--force")
	if code != 0 {
		t.Fatalf("--force: exit %d: %s", code, errOut)
	}
	raw, err := os.ReadFile(filepath.Join(dir, dataset.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m2 dataset.Manifest
	if err := json.Unmarshal(raw, &m2); err != nil || m2.Format != dataset.JSONL || m2.Seed != 42 {
		t.Fatalf("forced manifest: %v %+v", err, m2)
	}
}

func TestGenerateBadInput(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"zero scale", []string{"--scale", "0", "--out", out}, exitUsage, []string{"--scale", "> 0"}},
		{"negative scale", []string{"--scale", "-1", "--out", out}, exitUsage, []string{"--scale", "got -1"}},
		{"unknown format", []string{"--format", "xml", "--out", out}, exitUsage, []string{"--format", "jsonl, csv", `"xml"`}},
		{"unknown locale", []string{"--locale", "fr", "--out", out}, exitUsage, []string{"--locale", "en", `"fr"`}},
		{"negative pattern count", []string{"--mule-chains", "-1", "--out", out}, exitUsage, []string{"--mule-chains", "between 0 and"}},
		{"negative workers", []string{"--workers", "-2", "--out", out}, exitUsage, []string{"--workers"}},
		{"missing --out", []string{"--scale", "0.01"}, exitUsage, []string{"out"}},
		{"too many patterns", []string{"--scale", "0.0001", "--fan-in-withdraws", "1000", "--out", out}, exitUsage, []string{"--scale"}},
		{"unwritable directory", []string{"--scale", "0.005", "--out", filepath.Join(file, "sub"), "--quiet"}, exitUsage, []string{"--out", filepath.Join(file, "sub"), "not a directory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := gpRun(t, append([]string{"generate"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not mention %q", errOut, w)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output directory left behind: %v", err)
			}
		})
	}
}

// TestSchemaApplyTwiceCLI drives `schema apply` twice and `schema show
// --check` against the real server.
func TestSchemaApplyTwiceCLI(t *testing.T) {
	hosts := testenv.RequireServer(t)
	host := strings.Join(hosts, ",")
	if code, _, errOut := gpRun(t, "--hosts", host, "schema", "apply"); code != 0 {
		t.Fatalf("first apply: exit %d: %s", code, errOut)
	}
	code, out, errOut := gpRun(t, "--hosts", host, "schema", "apply")
	if code != 0 || !strings.Contains(out, "nothing changed") {
		t.Fatalf("second apply: exit %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut = gpRun(t, "--hosts", host, "schema", "show", "--check")
	if code != 0 || !strings.Contains(out, "no differences") || !strings.Contains(out, "transferByTimestamp") {
		t.Fatalf("show: exit %d, out %q, err %q", code, out, errOut)
	}
	code, out, _ = gpRun(t, "--hosts", host, "schema", "show", "--json")
	var v struct {
		Differences []any `json:"differences"`
		Live        struct {
			VertexLabels []string `json:"vertexLabels"`
		} `json:"live"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v.Differences) != 0 || len(v.Live.VertexLabels) < 6 {
		t.Fatalf("show --json: exit %d, %q", code, out)
	}
}
