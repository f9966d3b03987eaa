package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/internal/testenv"
)

// A load that fails on a bad data file prints a command that continues
// it; after the file is fixed, that command, run exactly as printed,
// finishes the load, and --verify finds every element.
func TestIntegrationLoadAdviceWorks(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	hosts := strings.Join(testenv.RequireServer(t), ",")
	data := writeDataset(t)
	d, err := dataset.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	// Break the last data file (edges: vertices load first) behind a
	// manifest that agrees with it, so that the load fails midway.
	m := d.Manifest
	var last int
	for i, f := range m.Files {
		if f.Label != "" {
			last = i
		}
	}
	path := filepath.Join(data, m.Files[last].Name)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	goodManifest, err := os.ReadFile(filepath.Join(data, dataset.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	bad := append(bytes.TrimRight(good, "\n"), []byte("\n{\"not\": \"a row\"\n")...)
	writeFile(t, path, bad)
	sum := sha256.Sum256(bad)
	m.Files[last].Bytes, m.Files[last].SHA256 = int64(len(bad)), hex.EncodeToString(sum[:])
	mj, _ := json.Marshal(m)
	writeFile(t, filepath.Join(data, dataset.ManifestFile), mj)

	state := filepath.Join(t.TempDir(), "state")
	code, _, stderr := runCLI(t, "--hosts", hosts, "load", "-q", "--from", data, "--state", state, "--batch-size", "300", "--drop", "--yes")
	if code != exitFailure {
		t.Fatalf("load of a bad file: exit %d, want %d; stderr %s", code, exitFailure, stderr)
	}
	var advice string
	for _, line := range strings.Split(stderr, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "graphperf ") {
			advice = l
		}
	}
	if !strings.Contains(advice, " --resume") || strings.Contains(advice, "--drop") || !strings.Contains(advice, "--batch-size 300") {
		t.Fatalf("no usable advice in %q", stderr)
	}
	// Fix the file, then follow the advice to the letter.
	writeFile(t, path, good)
	writeFile(t, filepath.Join(data, dataset.ManifestFile), goodManifest)
	args := strings.Fields(advice)
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != exitOK {
		t.Fatalf("advice %q: exit %d: %s", advice, code, errb.String())
	}
	var res struct {
		Load   struct{ Vertices, Edges, SkippedVertices, SkippedEdges int64 }
		Verify *struct{ Mismatches []any }
	}
	code, stdout, stderr := runCLI(t, append(args[1:], "--verify", "--json")...)
	if code != exitOK || json.Unmarshal([]byte(stdout), &res) != nil {
		t.Fatalf("verify after the advice: exit %d: %s %s", code, stdout, stderr)
	}
	if res.Load.SkippedVertices+res.Load.SkippedEdges != m.Vertices+m.Edges || res.Verify == nil || len(res.Verify.Mismatches) != 0 {
		t.Errorf("after the advice the graph does not hold the data: %s", stdout)
	}
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
