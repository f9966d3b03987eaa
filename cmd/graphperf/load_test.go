package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
)

func loadCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"graphperf"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// writeDataset generates a tiny dataset directory.
func writeDataset(t *testing.T) string {
	t.Helper()
	g, err := banking.New(banking.Config{Seed: 5, Scale: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := dataset.Write(context.Background(), dir, g, dataset.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Bad input fails before any work, with the flag or file named.
func TestLoadBadInput(t *testing.T) {
	good := writeDataset(t)
	tampered := writeDataset(t)
	p := filepath.Join(tampered, "Person.jsonl")
	b, _ := os.ReadFile(p)
	b[10] ^= 1 // same size, other content
	os.WriteFile(p, b, 0o644)
	missing := writeDataset(t)
	os.Remove(filepath.Join(missing, "transfer.jsonl"))
	limit := loader.MaxBatchSize(8 << 20)

	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"drop without yes", []string{"load", "--drop"}, exitUsage, []string{"--drop", "--yes"}},
		{"batch too large", []string{"load", "--batch-size", "10000000"}, exitUsage,
			[]string{"--batch-size 10000000", "at most " + strconv.Itoa(limit)}},
		{"from and scale", []string{"load", "--from", good, "--scale", "1"}, exitUsage, []string{"--from", "--scale"}},
		{"no workers", []string{"load", "--workers", "0"}, exitUsage, []string{"--workers"}},
		{"drop and resume", []string{"load", "--drop", "--yes", "--resume"}, exitUsage, []string{"--drop", "--resume"}},
		{"unreachable server", []string{"--hosts", "127.0.0.1:1", "--timeout", "2s", "load", "--scale", "0.01"}, exitFailure,
			[]string{"ws://127.0.0.1:1/gremlin"}},
		{"tampered file", []string{"--hosts", "127.0.0.1:1", "load", "--from", tampered}, exitUsage,
			[]string{p, "sha256"}},
		{"missing file", []string{"--hosts", "127.0.0.1:1", "load", "--from", missing}, exitUsage,
			[]string{filepath.Join(missing, "transfer.jsonl"), "missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := loadCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not name %q", stderr, w)
				}
			}
		})
	}
}

// buildBinary builds graphperf for subprocess tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "graphperf")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Ctrl-C during a load: the process stops within a few seconds, the
// journal is consistent, and --resume finishes with exact counts.
func TestIntegrationLoadSIGINTAndResume(t *testing.T) {
	srv := testserver.Start(t, 8196, testserver.InMemory)
	bin := buildBinary(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	hosts := "--hosts=" + srv.Hosts()[0]
	base := []string{hosts, "load", "--scale", "0.01", "--seed", "9", "--state", state, "--batch-size", "200"}

	cmd := exec.Command(bin, append(base, "--drop", "--yes")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the journal shows committed edge batches.
	journal := filepath.Join(state, loader.JournalFile)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		b, _ := os.ReadFile(journal)
		if bytes.Contains(b, []byte(`"key":"transfer:`)) {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no transfer batch committed after 3 minutes; stderr: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	stopped := time.Since(sent)
	if stopped > 5*time.Second {
		t.Errorf("the load took %v to stop after SIGINT", stopped)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted load: %v, want exit %d; stderr: %s", err, exitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "--resume") {
		t.Errorf("stderr should say how to continue: %s", stderr.String())
	}
	t.Logf("stopped %v after SIGINT: %s", stopped, strings.TrimSpace(stderr.String()))

	cmd = exec.Command(bin, append(base, "--resume", "--verify", "--json")...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	var res struct {
		Load struct {
			Vertices, Edges, SkippedVertices, SkippedEdges int64
		} `json:"load"`
		Verify *struct {
			Mismatches []any `json:"mismatches"`
		} `json:"verify"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("resume --json: %v\n%s", err, out)
	}
	if res.Load.SkippedVertices == 0 || res.Load.SkippedEdges == 0 || res.Load.Edges == 0 {
		t.Errorf("resume should skip what the first run committed and load the rest: %+v", res.Load)
	}
	if res.Verify == nil || len(res.Verify.Mismatches) != 0 {
		t.Errorf("verify after resume: %s", out)
	}
}

// A load stopped before its first batch (while dropping or applying the
// schema: nothing journalled) advises running the same command again, not
// --resume, which would exit 2 "nothing to resume"; once loading started,
// --resume is the advice.
func TestLoadHintBeforeAnyBatch(t *testing.T) {
	state := t.TempDir()
	tests := []struct {
		args    []string
		loading bool
		want    string
		not     string
	}{
		{[]string{"load", "--scale", "0.01", "--state", state}, false, "run the same command again:\n    graphperf --hosts 127.0.0.1:1 load --scale 0.01 --seed 42 --state " + state + "$", "--resume"},
		{[]string{"load", "--scale", "0.01", "--state", state, "--drop", "--yes"}, false, "--state " + state + " --drop --yes$", "--resume"},
		{[]string{"load", "--scale", "0.01", "--state", state}, true, "--state " + state + " --resume", "run the same command"},
	}
	for _, tt := range tests {
		var got error
		app := newApp(io.Discard, io.Discard)
		for _, cmd := range app.Commands {
			if cmd.Name == "load" {
				cmd.Action = func(c *cli.Context) error {
					s, err := loadFlags(c)
					if err != nil {
						return err
					}
					err = fmt.Errorf("schema: show: %w", context.Canceled)
					if !tt.loading {
						err = &loader.SetupError{Step: "schema", Err: err}
					}
					got = loadHint(c, s, err)
					return nil
				}
			}
		}
		if err := app.Run(append([]string{"graphperf", "--hosts", "127.0.0.1:1"}, tt.args...)); err != nil {
			t.Fatal(err)
		}
		if got == nil || !strings.Contains(got.Error()+"$", tt.want) || strings.Contains(got.Error(), tt.not) || !errors.Is(got, context.Canceled) {
			t.Errorf("%v (loading %v): advice %q, want %q and not %q", tt.args, tt.loading, got, tt.want, tt.not)
		}
	}
}
