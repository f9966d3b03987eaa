package baseline

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
)

func sampleRun() *Run {
	r := NewRun("query-bench")
	r.Commit = "0123abc"
	r.Dataset = "banking-sf0.01-seed42-abcdef"
	r.Driver = "graphperf"
	r.Server = Server{JanusGraphVersion: "1.1.0", Hosts: []string{"127.0.0.1:8182"}, Config: map[string]string{"storage.backend": "inmemory"}}
	r.Settings = map[string]string{"rounds": "30", "min-time": "1s"}
	r.Operations = []Operation{
		{
			Name: "account-lookup", Unit: stats.Latency(),
			Params:       []json.RawMessage{json.RawMessage(`{"accountId":4611686018427387904}`), json.RawMessage(`{"accountId":7}`)},
			Samples:      []float64{0.0012, 0.0011, 0.0013},
			SampleParams: []int{0, 1, 0},
			Clients:      1, Elapsed: 5 * time.Millisecond,
			ErrorCount: 1, Errors: []string{"call 3 (param 1): timeout"},
		},
		{Name: "load-vertices", Unit: stats.Rate("elements/s"), Samples: []float64{52000, 51000}},
	}
	return r
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	run := sampleRun()
	path, err := Save(dir, "main", run)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "main.json"); path != want {
		t.Errorf("path = %q, want %q", path, want)
	}
	got, err := Load(dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "main" || got.Commit != run.Commit || got.Dataset != run.Dataset || got.GoVersion != runtime.Version() {
		t.Errorf("metadata lost: %+v", got)
	}
	if !got.Started.Equal(run.Started) || got.Machine != run.Machine || got.Server.Config["storage.backend"] != "inmemory" {
		t.Errorf("machine/server lost: %+v %+v", got.Machine, got.Server)
	}
	op := got.Operation("account-lookup")
	if op == nil || !slices.Equal(op.Samples, run.Operations[0].Samples) || !slices.Equal(op.SampleParams, []int{0, 1, 0}) {
		t.Fatalf("samples lost: %+v", op)
	}
	// Params are kept byte for byte: an int64 id above 2^53 survives.
	if string(op.Params[0]) != `{"accountId":4611686018427387904}` {
		t.Errorf("params changed: %s", op.Params[0])
	}
	if op.ErrorCount != 1 || op.Elapsed != 5*time.Millisecond || op.Throughput() != 600 {
		t.Errorf("errors/elapsed lost: %+v (throughput %v)", op, op.Throughput())
	}
	if r := got.Operation("load-vertices"); r == nil || !r.Unit.HigherIsBetter || r.Unit.Name != "elements/s" {
		t.Errorf("rate unit lost: %+v", r)
	}
	if got.Operation("nope") != nil {
		t.Error("Operation of an unknown name should be nil")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestLoadMissingBaseline(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir, "nightly")
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want *NotFoundError", err)
	}
	want := filepath.Join(dir, "nightly.json")
	if nf.Path != want || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q should name %q", err, want)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Error("NotFoundError should unwrap to fs.ErrNotExist")
	}
}

func TestDefaultDir(t *testing.T) {
	p, err := Path("", "main")
	if err != nil || p != filepath.Join(".graphperf", "baselines", "main.json") {
		t.Errorf("Path(\"\", main) = %q, %v", p, err)
	}
}

func TestInvalidNames(t *testing.T) {
	for _, name := range []string{"", ".", "..", "../etc/passwd", "a/b", `a\b`, ".hidden", "with space", "x:y"} {
		t.Run(name, func(t *testing.T) {
			_, err := Save(t.TempDir(), name, sampleRun())
			var ie *InvalidNameError
			if !errors.As(err, &ie) {
				t.Errorf("Save(%q) err = %v, want *InvalidNameError", name, err)
			}
		})
	}
	for _, name := range []string{"main", "v1.2.3", "pr-42_linux"} {
		if _, err := Path("", name); err != nil {
			t.Errorf("Path(%q): %v", name, err)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(r *Run)
		want   string
	}{
		{name: "ok", mutate: func(*Run) {}},
		{name: "future format", mutate: func(r *Run) { r.FormatVersion = 99 }, want: "format version 99"},
		{name: "duplicate operation", mutate: func(r *Run) { r.Operations[1].Name = r.Operations[0].Name }, want: "twice"},
		{name: "unnamed operation", mutate: func(r *Run) { r.Operations[0].Name = "" }, want: "without a name"},
		{name: "bad unit", mutate: func(r *Run) { r.Operations[0].Unit = stats.Unit{} }, want: "invalid unit"},
		{name: "sample params mismatch", mutate: func(r *Run) { r.Operations[0].SampleParams = []int{0} }, want: "sample params"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleRun()
			tt.mutate(r)
			err := r.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestReadFileRejectsGarbage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, "bad"); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a corrupt file = %v, want an error naming %s", err, path)
	}
}

func TestCurrentMachine(t *testing.T) {
	m := CurrentMachine()
	if m.GOOS != runtime.GOOS || m.GOARCH != runtime.GOARCH || m.Cores != runtime.NumCPU() {
		t.Errorf("machine %+v", m)
	}
	if runtime.GOOS == "linux" && m.CPUModel == "" {
		if _, err := os.Stat("/proc/cpuinfo"); err == nil {
			t.Error("CPU model empty although /proc/cpuinfo exists")
		}
	}
}

func TestGitCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("1"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "f")
	git("commit", "-q", "-m", "c")
	head := git("rev-parse", "HEAD")

	got, err := GitCommit(context.Background(), dir)
	if err != nil || got != head {
		t.Errorf("GitCommit = %q, %v; want %q", got, err, head)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("2"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := GitCommit(context.Background(), dir); got != head+"-dirty" {
		t.Errorf("GitCommit on a modified tree = %q, want %q", got, head+"-dirty")
	}
	if _, err := GitCommit(context.Background(), t.TempDir()); err == nil {
		t.Error("GitCommit outside a repository should fail")
	}
}
