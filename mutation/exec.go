package mutation

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// testEvent is one event of `go tool test2json` (cmd/test2json).
type testEvent struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64
}

// testOutcome is what one run of a test binary tells.
type testOutcome struct {
	status    Status // Killed, Survived, Timeout or RuntimeError
	failed    []string
	completed int
	reason    string
	elapsed   time.Duration
	// memCap is set when the memory cap, not a test, ended the run: the
	// process ran out of memory, or died before any test started.
	memCap bool
}

// runner runs test binaries under test2json, in their own process group,
// with a deadline and an memory cap (RLIMIT_DATA).
type runner struct {
	test2json string
	prlimit   string // path of prlimit(1), or "" when the cap is off
	memLimit  int64
}

var fatalRE = regexp.MustCompile(`(?m)^(fatal error: .*|runtime: out of memory.*|.*cannot allocate memory.*)$`)

// run executes bin with the given tests (top-level names) in dir, its
// output converted by test2json. timeout 0 means none. It returns an error
// only when the run could not start or ctx was cancelled.
//
// The test binary runs in its own process group (killed whole at the
// deadline and after the run) with Pdeathsig, so that it dies with the
// engine even when the engine is killed with SIGKILL.
func (r *runner) run(ctx context.Context, bin, dir, pkg string, tests []string, env []string, timeout time.Duration, failfast bool, coverprofile string) (*testOutcome, error) {
	args := []string{}
	if r.prlimit != "" && r.memLimit > 0 {
		args = append(args, r.prlimit, fmt.Sprintf("--data=%d", r.memLimit), "--")
	}
	args = append(args, bin, "-test.run", testRegexp(tests), "-test.count=1", "-test.v=test2json", "-test.timeout=0")
	if failfast {
		args = append(args, "-test.failfast")
	}
	if coverprofile != "" {
		args = append(args, "-test.coverprofile="+coverprofile)
	}
	rctx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		rctx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("mutation: %w", err)
	}
	conv := exec.Command(r.test2json, "-p", pkg)
	conv.Stdin = pr
	var stdout, stderr bytes.Buffer
	conv.Stdout, conv.Stderr = &stdout, &stderr
	conv.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := conv.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("mutation: starting test2json: %w", err)
	}
	pr.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		pw.Close()
		_ = conv.Wait()
		return nil, fmt.Errorf("mutation: starting %s: %w", bin, err)
	}
	pw.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var waitErr error
	timedOut := false
	select {
	case waitErr = <-done:
	case <-rctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		waitErr = <-done
		timedOut = ctx.Err() == nil
	}
	// Whatever the tests started is ended with them.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = conv.Wait()
	if !timedOut && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	out := &testOutcome{elapsed: time.Since(start)}
	var text strings.Builder
	failedSet := map[string]bool{}
	// A test that panics takes the process down before test2json (reading
	// a pipe) can report its end: its "--- FAIL" or "panic:" output names it.
	var crashed []string
	crashedSet := map[string]bool{}
	running := map[string]bool{}
	var runningOrder []string
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev testEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			text.Write(sc.Bytes())
			text.WriteByte('\n')
			continue
		}
		top, _, _ := strings.Cut(ev.Test, "/")
		switch ev.Action {
		case "output":
			if text.Len() < 64<<10 {
				text.WriteString(ev.Output)
			}
			if ev.Test != "" && !crashedSet[top] && (strings.HasPrefix(ev.Output, "--- FAIL: ") || strings.HasPrefix(ev.Output, "panic: ")) {
				crashedSet[top] = true
				crashed = append(crashed, top)
			}
			// A panic in a goroutine that a test started is not attributed
			// to the test: blame the tests that were running.
			if ev.Test == "" && strings.HasPrefix(ev.Output, "panic: ") {
				for _, r := range runningOrder {
					if running[r] && !crashedSet[r] {
						crashedSet[r] = true
						crashed = append(crashed, r)
					}
				}
			}
		case "run":
			if ev.Test != "" && !strings.Contains(ev.Test, "/") && !running[top] {
				running[top] = true
				runningOrder = append(runningOrder, top)
			}
		case "fail":
			if ev.Test != "" && !failedSet[top] {
				failedSet[top] = true
				out.failed = append(out.failed, top)
			}
			if ev.Test == top {
				running[top] = false
			}
		case "pass", "skip":
			if ev.Test != "" && !strings.Contains(ev.Test, "/") {
				out.completed++
				running[top] = false
			}
		}
	}
	text.Write(stderr.Bytes())
	output := text.String()
	var exitErr *exec.ExitError
	exited := waitErr == nil || (errors.As(waitErr, &exitErr) && exitErr.Exited())
	switch {
	case timedOut:
		out.status = Timeout
		out.reason = fmt.Sprintf("no result within %v", timeout)
	case fatalRE.MatchString(output):
		out.status = RuntimeError
		out.reason = strings.TrimSpace(fatalRE.FindString(output))
		if r.capped() && (strings.Contains(output, "out of memory") || strings.Contains(output, "cannot allocate memory")) {
			out.reason = fmt.Sprintf("memory cap (RLIMIT_DATA %d MiB) exceeded: %s", r.memLimit>>20, out.reason)
			out.memCap = true
		}
	case r.capped() && waitErr != nil && !exited && len(runningOrder) == 0 && len(out.failed) == 0:
		// Killed by a signal before any test ran: under a small cap the Go
		// runtime cannot even map its heap (SIGSEGV at start-up).
		out.status = RuntimeError
		out.reason = fmt.Sprintf("the test process could not start under the memory cap (RLIMIT_DATA %d MiB): %v", r.memLimit>>20, waitErr)
		out.memCap = true
	case len(out.failed) == 0 && len(crashed) > 0 && waitErr != nil:
		out.failed = crashed
		fallthrough
	case len(out.failed) > 0:
		out.status = Killed
		out.completed += len(out.failed)
		out.reason = failureLines(output)
	case waitErr != nil:
		out.status = RuntimeError
		if !exited {
			out.reason = "test process ended: " + waitErr.Error() + ": " + lastLines(output, 8)
		} else {
			out.reason = "test process failed without a failing test: " + lastLines(output, 8)
		}
	default:
		out.status = Survived
	}
	return out, nil
}

// testRegexp matches exactly the given top-level tests.
func testRegexp(tests []string) string {
	q := make([]string, len(tests))
	for i, t := range tests {
		q[i] = regexp.QuoteMeta(t)
	}
	return "^(" + strings.Join(q, "|") + ")$"
}

var failureLineRE = regexp.MustCompile(`^(\s+\S+_test\.go:\d+: .*|--- FAIL: .*|panic: .*|\s+.*\.go:\d+: .*)$`)

// failureLines picks the lines that say why tests failed: assertion
// messages, "--- FAIL" lines and panics.
func failureLines(output string) string {
	var keep []string
	for _, l := range strings.Split(output, "\n") {
		if failureLineRE.MatchString(l) && !strings.HasPrefix(strings.TrimSpace(l), "/") {
			keep = append(keep, strings.TrimRight(l, " "))
			if len(keep) == 10 {
				break
			}
		}
	}
	if len(keep) == 0 {
		return lastLines(output, 12)
	}
	return strings.Join(keep, "\n")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// goCmd runs the go command in dir and returns its combined output.
func goCmd(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.Bytes(), err
}

// buildEvent is one line of `go test -c -json` build output.
type buildEvent struct {
	ImportPath string
	Action     string
	Output     string
}

// buildOutput extracts the build-output text and whether a build-fail
// event was seen from `go build -json` output; lines that are not JSON are
// kept as text.
func buildOutput(b []byte) (string, bool) {
	var text strings.Builder
	failed := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev buildEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			text.Write(sc.Bytes())
			text.WriteByte('\n')
			continue
		}
		switch ev.Action {
		case "build-output":
			text.WriteString(ev.Output)
		case "build-fail":
			failed = true
		}
	}
	return text.String(), failed
}

// BuildError is returned when a test binary cannot be built from the
// unmutated tree.
type BuildError struct {
	Package string
	Output  string
}

// Error implements the error interface.
func (e *BuildError) Error() string {
	return fmt.Sprintf("mutation: building the tests of %s failed:\n%s", e.Package, e.Output)
}

// capped reports whether test processes run under the memory cap.
func (r *runner) capped() bool { return r.prlimit != "" && r.memLimit > 0 }

// MemoryLimitError is returned when the tests cannot run on the unmutated
// code under the memory cap (Config.MemoryLimit): the cap is too small for
// them, the tests are not at fault.
type MemoryLimitError struct {
	Package string
	// Limit is the cap in bytes.
	Limit int64
	// Tests lists the tests that could not run; Reason says what happened
	// to the first of them.
	Tests  []string
	Reason string
}

// Error implements the error interface.
func (e *MemoryLimitError) Error() string {
	return fmt.Sprintf("mutation: the tests of %s cannot run under the memory cap of %d MiB (raise the cap or disable it): %s: %s",
		e.Package, e.Limit>>20, strings.Join(e.Tests, ", "), e.Reason)
}

// BaselineError is returned when tests fail on the unmutated code: a score
// computed against a failing suite would be meaningless.
type BaselineError struct {
	Package string
	// Failing lists the failing tests with a short reason each.
	Failing []string
}

// Error implements the error interface.
func (e *BaselineError) Error() string {
	return fmt.Sprintf("mutation: the tests of %s fail without any mutant (fix them first): %s", e.Package, strings.Join(e.Failing, "; "))
}
