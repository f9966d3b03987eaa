package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
)

// Every path a command will write and every flag is checked before the
// command changes the graph or starts long work: the unreachable server
// shows that nothing was even connected to (that would exit 1).
func TestPathsCheckedBeforeAnyWork(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "plain-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	underFile := filepath.Join(file, "sub")
	missing := filepath.Join(tmp, "no", "such", "dir")
	out := filepath.Join(tmp, "out")
	noServer := []string{"--hosts", "127.0.0.1:1", "--timeout", "2s"}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"load --drop with an unusable --state", append(noServer, "load", "--drop", "--yes", "--scale", "0.01", "--state", underFile), []string{"--state", underFile, "not a directory"}},
		{"load --cpuprofile in a missing dir", append(noServer, "load", "--scale", "0.01", "--cpuprofile", filepath.Join(missing, "cpu.pprof")), []string{"--cpuprofile", missing, "does not exist"}},
		{"load --memprofile naming a directory", append(noServer, "load", "--scale", "0.01", "--memprofile", tmp), []string{"--memprofile", "is a directory"}},
		{"generate --cpuprofile in a missing dir", []string{"generate", "--out", out, "--cpuprofile", filepath.Join(missing, "cpu.pprof")}, []string{"--cpuprofile", "does not exist"}},
		{"generate --out under a file", []string{"generate", "--out", underFile}, []string{"--out", "not a directory"}},
		{"mutate --json-report in a missing dir", []string{"mutate", "--json-report", filepath.Join(missing, "r.json"), "./..."}, []string{"--json-report", "does not exist"}},
		{"mutate --html-report in a missing dir", []string{"mutate", "./...", "--html-report", filepath.Join(missing, "r.html")}, []string{"--html-report", "does not exist"}},
		{"mutate merge --json-report in a missing dir", []string{"mutate", "merge", "--json-report", filepath.Join(missing, "r.json"), "a.json"}, []string{"--json-report", "does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not name %q", stderr, w)
				}
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("not one line: %q", stderr)
			}
		})
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("generate created %s before failing: %v", out, err)
	}
}

// Every count flag is bounded: absurd values are usage errors at once
// instead of hanging.
func TestCountFlagsBounded(t *testing.T) {
	tmp := t.TempDir()
	noServer := []string{"--hosts", "127.0.0.1:1", "--timeout", "2s"}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"generate", "--out", filepath.Join(tmp, "g"), "--workers", "100000000"}, "--workers must be between 0 (one per CPU) and 1024"},
		{[]string{"generate", "--out", filepath.Join(tmp, "g"), "--cycles", "100000000"}, "--cycles must be between 0 and 100000"},
		{[]string{"mutate", "--workers", "100000000"}, "--workers: expected 1 to 1024"},
		{append(noServer, "load", "--workers", "100000000"), "--workers must be between 1 and 1024"},
		{append(noServer, "load", "--mule-chains", "-1"), "--mule-chains must be between 0 and"},
		{append(noServer, "ping", "--count", "1000000000"), "--count must be between 1 and 1000000"},
		{[]string{"generate", "--out", filepath.Join(tmp, "g"), "--scale", "1001"}, "--scale must be > 0 and ≤ 1000"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
}

// A context cancelled by a signal makes every command exit 130.
func TestInterruptedCommandsExit130(t *testing.T) {
	tmp := t.TempDir()
	tests := [][]string{
		{"generate", "--scale", "0.01", "--out", filepath.Join(tmp, "g")},
		{"load", "--scale", "0.01", "--state", filepath.Join(tmp, "state")},
		{"ping"},
		{"mutate", "./..."},
	}
	for _, args := range tests {
		t.Run(args[0], func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var out, errb bytes.Buffer
			code := run(ctx, append([]string{"graphperf", "--hosts", "127.0.0.1:1"}, args...), &out, &errb)
			if code != exitInterrupted || !strings.Contains(errb.String(), "interrupted") {
				t.Errorf("exit %d, stderr %q; want %d", code, errb.String(), exitInterrupted)
			}
		})
	}
	// Without a signal, a cancellation inside a command is an ordinary
	// failure.
	if code := exitCode(context.Canceled, &bytes.Buffer{}); code != exitFailure {
		t.Errorf("context.Canceled without a signal: exit %d", code)
	}
}

// SIGTERM during generate: exit 130 and nothing left behind, not even
// the output directory it created.
func TestGenerateSIGTERMLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(bin, "generate", "--scale", "1", "--format", "csv", "--out", out, "-q")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Signal once a temporary file holds data: the run is mid-write.
	for written := false; !written; {
		select {
		case err := <-done:
			t.Fatalf("generate ended before it was signalled: %v: %s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		tmps, _ := filepath.Glob(filepath.Join(out, ".*.tmp"))
		for _, p := range tmps {
			if st, err := os.Stat(p); err == nil && st.Size() > 0 {
				written = true
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := <-done
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit %v, want %d; stderr %q", err, exitInterrupted, stderr.String())
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		entries, _ := os.ReadDir(out)
		t.Errorf("left behind %s: %v", out, entries)
	}
}

// A run the machine cannot hold is refused with the estimate, unless
// forced.
func TestGenerateRefusesWhatTheMachineCannotHold(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cfg := banking.Config{Scale: 1000}
	if err := dataset.EstimateWrite(cfg, dataset.JSONL).Check(out); err == nil {
		t.Skip("this machine can hold a scale-1000 dataset")
	}
	code, _, stderr := runCLI(t, "generate", "--scale", "1000", "--out", out)
	if code != exitUsage || !strings.Contains(stderr, "needs about") || !strings.Contains(stderr, "--no-space-check") {
		t.Errorf("exit %d, stderr %q; want %d with the estimate and how to force", code, stderr, exitUsage)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused run created %s", out)
	}
}

func TestMutateDiffRefs(t *testing.T) {
	dir := mutateFixture(t)
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		git  bool
		args []string
		want string
	}{
		{"option as ref", false, []string{"mutate", "--diff=--output=" + victim}, "revisions never start with '-'"},
		{"no repository", false, []string{"mutate", "--diff", "main", "./..."}, "not in a git repository"},
		{"unknown ref", true, []string{"mutate", "--diff", "no-such-ref", "./..."}, "no such commit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.git {
				for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "x"}} {
					cmd := exec.Command("git", args...)
					cmd.Dir = dir
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("git %v: %v %s", args, err, out)
					}
				}
			}
			code, _, stderr := runMutateCLI(tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "--diff") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tt.want)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 || strings.Contains(stderr, "usage: git") {
				t.Errorf("not one clean line: %q", stderr)
			}
		})
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep\n" {
		t.Errorf("--diff=--output= touched the file: %q, %v", b, err)
	}
}

func TestExitCodesAndMessages(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"nosuch"}, []string{`unknown command "nosuch"`, "generate", "load", "mutate", "query-bench"}},
		{[]string{"--hosts", "h:99999", "ping"}, []string{"--hosts h:99999", "1 to 65535"}},
		{[]string{"--hosts", "ftp://h:1", "ping"}, []string{"--hosts ftp://h:1", "ws://"}},
		{[]string{"--timeout", "5", "ping"}, []string{`--timeout "5"`, "duration", "30s"}},
		{[]string{"ping", "--count", "x"}, []string{`--count "x"`, "integer"}},
		{[]string{"generate", "--scale", "big", "--out", "x"}, []string{`--scale "big"`, "number"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
	t.Setenv("GRAPHPERF_TIMEOUT", "5")
	if code, _, stderr := runCLI(t, "ping"); code != exitUsage || !strings.Contains(stderr, `$GRAPHPERF_TIMEOUT="5" (--timeout): expected a duration`) {
		t.Errorf("GRAPHPERF_TIMEOUT=5: exit %d, %q", code, stderr)
	}
	for _, h := range []string{"127.0.0.1:8182", "localhost", "ws://h:8182/gremlin", "wss://h/gremlin", "[::1]:8182", "::1"} {
		if err := (client.Config{Hosts: []string{h}}).Validate(); err != nil {
			t.Errorf("Validate(%q) = %v", h, err)
		}
	}
}

// --help teaches: the default serializer is the one the help names, every
// command has a description with an example, and an unknown GraphBinary
// type says how to get it raw.
func TestHelpTeaches(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	if code != 0 || !strings.Contains(out, "GraphBinary by default") || !strings.Contains(out, "graphbinary (the default") {
		t.Errorf("--help: exit %d, does not say GraphBinary is the default:\n%s", code, out)
	}
	for _, cmd := range newApp(&bytes.Buffer{}, &bytes.Buffer{}).Commands {
		if cmd.Usage == "" {
			t.Errorf("%s has no usage line", cmd.Name)
		}
		// load-bench's help belongs to its owner's rework.
		if len(cmd.Subcommands) == 0 && cmd.Name != "load-bench" && !strings.Contains(cmd.Description, "graphperf "+cmd.Name) {
			t.Errorf("%s --help shows no example", cmd.Name)
		}
	}
	var stderr bytes.Buffer
	code = exitCode(&client.DecodeError{Msg: "GraphBinary: unknown type code 0xfe"}, &stderr)
	if code != exitFailure || !strings.Contains(stderr.String(), "--serializer graphson") {
		t.Errorf("decode error: exit %d, %q", code, stderr.String())
	}
}

// mutate --store-graph connects before the run: a wrong --hosts fails at
// once, not after every mutant was tested.
func TestMutateStoreGraphConnectsFirst(t *testing.T) {
	dir := mutateFixture(t)
	report := filepath.Join(dir, "r.json")
	code, stdout, stderr := runMutateCLI("--hosts", "127.0.0.1:1", "--timeout", "2s", "mutate", "./...", "-q", "--store-graph", "--json-report", report)
	if code != exitFailure || !strings.Contains(stderr, "--store-graph") || !strings.Contains(stderr, "connect") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(report); !errors.Is(err, os.ErrNotExist) || stdout != "" {
		t.Errorf("the mutation run happened before the connection failed: %v, %q", err, stdout)
	}
}

// An unknown subcommand of a command that groups subcommands is a usage
// error listing the valid ones, and an unknown flag is named as typed.
func TestUnknownSubcommandAndFlag(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"schema", "frobnicate"}, []string{`unknown subcommand "frobnicate"`, "apply, show"}},
		{[]string{"schema", "show", "--nosuch"}, []string{"unknown flag --nosuch"}},
		{[]string{"ping", "-nosuch"}, []string{"unknown flag -nosuch"}},
		{[]string{"ping", "--nosuch=3"}, []string{"unknown flag --nosuch"}},
		{[]string{"--nosuch", "ping"}, []string{"unknown flag --nosuch"}},
		{[]string{"mutate", "merge", "--nosuch", "a.json"}, []string{"unknown flag --nosuch"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("not one line: %q", stderr)
			}
		})
	}
}

// A --from directory that is not a usable dataset is a usage error (exit
// 2) in every command that reads one, like a missing --compare baseline,
// and is found before the server is contacted.
func TestBadFromIsUsageError(t *testing.T) {
	notData := t.TempDir()
	corrupt := t.TempDir()
	if err := os.WriteFile(filepath.Join(corrupt, dataset.ManifestFile), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	noServer := []string{"--hosts", "127.0.0.1:1", "--timeout", "2s"}
	for _, dir := range []string{notData, corrupt, filepath.Join(notData, "nosuch")} {
		for _, cmd := range [][]string{
			{"load", "--from", dir},
			{"query-bench", "--from", dir},
			{"load-bench", "--yes", "--from", dir},
		} {
			t.Run(cmd[0]+" "+dir, func(t *testing.T) {
				code, _, stderr := runCLI(t, append(slices.Clone(noServer), cmd...)...)
				if code != exitUsage {
					t.Fatalf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
				}
				if !strings.Contains(stderr, "--from "+dir) || strings.Contains(stderr, "127.0.0.1:1") {
					t.Errorf("stderr %q: want --from %s named and no connection attempt", stderr, dir)
				}
			})
		}
	}
}

// query-bench regenerates the whole dataset in memory: a scale whose
// estimate exceeds the available memory is refused before connecting
// (exit 2, with the estimate), unless --no-space-check, generate's flag,
// is given (then the run goes on, here to the unreachable server).
func TestQueryBenchMemoryCheck(t *testing.T) {
	est := dataset.EstimateIndex(banking.Config{Scale: 1000})
	if est.CheckMemory() == nil {
		t.Skipf("this machine has %s available: scale 1000 fits", dataset.HumanBytes(est.MemoryBytes))
	}
	noServer := []string{"--hosts", "127.0.0.1:1", "--timeout", "2s", "query-bench", "--scale", "1000"}
	code, _, stderr := runCLI(t, noServer...)
	if code != exitUsage || !strings.Contains(stderr, "--scale 1000") || !strings.Contains(stderr, "of memory") ||
		!strings.Contains(stderr, "--no-space-check") || strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("exit %d, stderr %q; want exit 2 naming --scale, the memory estimate and --no-space-check", code, stderr)
	}
	code, _, stderr = runCLI(t, append(noServer, "--no-space-check")...)
	if code != exitFailure || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("--no-space-check: exit %d, stderr %q; want the connection attempt", code, stderr)
	}
	// load-bench streams the data: its estimate is the generator's.
	if got, want := dataset.EstimateStream(banking.Config{Scale: 1}).MemoryBytes, dataset.EstimateWrite(banking.Config{Scale: 1}, dataset.JSONL).MemoryBytes; got != want {
		t.Errorf("EstimateStream = %d, want the generator's %d", got, want)
	}
	code, _, stderr = runCLI(t, "--hosts", "127.0.0.1:1", "--timeout", "2s", "load-bench", "--yes", "--scale", "0.01", "--no-space-check")
	if code != exitFailure || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("load-bench --no-space-check: exit %d, stderr %q", code, stderr)
	}
}
