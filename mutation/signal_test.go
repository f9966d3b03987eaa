package mutation

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const helperEnv = "GRAPHPERF_MUTATION_HELPER_DIR"

// TestMain doubles as a helper process: with helperEnv set, the test binary
// runs the engine on that directory, prints "running" once mutants are being
// tested, and waits to be signalled.
func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		var once sync.Once
		_, err := Execute(ctx, Config{Dir: dir, Workers: 2, Progress: func(Progress) {
			once.Do(func() { fmt.Println("running") })
		}})
		fmt.Println("done:", err)
		os.Exit(0)
	}
	code := m.Run()
	if run, err := fixtureRun(); err == nil && run != nil {
		os.RemoveAll(run.ModuleRoot)
	}
	os.Exit(code)
}

func treeHashes(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	h := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h[p] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v: %s", args, err, out)
	}
	return string(out)
}

func TestSourceTreeUnchangedAfterSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := copyFixture(t, "calc")
			git(t, dir, "init", "-q")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "fixture")
			before := treeHashes(t, dir)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), helperEnv+"="+dir)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			started := false
			for sc.Scan() {
				if sc.Text() == "running" {
					started = true
					break
				}
			}
			if !started {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatal("the helper never started testing mutants")
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			go func() {
				for sc.Scan() {
				}
			}()
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			select {
			case <-waited:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the helper did not stop after the signal")
			}
			if st := git(t, dir, "status", "--porcelain"); strings.TrimSpace(st) != "" {
				t.Errorf("git status after %v: %s", sig, st)
			}
			after := treeHashes(t, dir)
			if len(after) != len(before) {
				t.Errorf("%d files before, %d after", len(before), len(after))
			}
			for p, h := range before {
				if after[p] != h {
					t.Errorf("%s changed", p)
				}
			}
		})
	}
}

func TestDiffMutatesOnlyChangedLines(t *testing.T) {
	dir := copyFixture(t, "calc")
	git(t, dir, "init", "-q")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "fixture")
	p := filepath.Join(dir, "calc.go")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Line 15 is Max's "if a > b {"; rewrite it so that git sees a change.
	b = []byte(strings.Replace(string(b), "\tif a > b {", "\tif a > b { // changed", 1))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	run, err := Execute(context.Background(), Config{Dir: dir, DiffRef: "HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	ms := run.Mutants()
	if len(ms) != 2 {
		t.Fatalf("%d mutants, want the 2 of line 15", len(ms))
	}
	for _, m := range ms {
		if m.File != "calc.go" || m.Start.Line != 15 {
			t.Errorf("mutant outside the diff: %s:%d %s", m.File, m.Start.Line, m.Description())
		}
	}
	if _, err := Execute(context.Background(), Config{Dir: dir, DiffRef: "no-such-ref"}); err == nil || !strings.Contains(err.Error(), "no-such-ref") {
		t.Errorf("bad ref: err = %v", err)
	}
}
