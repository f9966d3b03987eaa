package gate_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/graphperf/graphperf/bench/gate"
)

// A write that fails for lack of space (here: RLIMIT_FSIZE, which makes
// write(2) fail with EFBIG as a full disk fails with ENOSPC) leaves neither
// a partial nor an empty report nor a baseline, keeps an older report as it
// was, and leaves no temporary file behind.
func TestFinishFailedWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "r.html")
	fresh := filepath.Join(dir, "fresh.html")
	const old = "older report"
	if err := os.WriteFile(html, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	cur := run("query-bench", 2, 2.1, 2.2, 2.05, 2.15, 2.12, 2.08, 2.11)

	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	small := lim
	small.Cur = 64 // far less than any report or baseline
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		t.Skipf("cannot lower RLIMIT_FSIZE: %v", err)
	}
	var errs [2]error
	_, errs[0] = gate.Config{Command: "query-bench", Dir: dir, Save: "x", HTML: html}.Finish(cur, nil, true)
	_, errs[1] = gate.Config{Command: "query-bench", HTML: fresh}.Finish(cur, nil, true)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}

	for _, err := range errs {
		var oe *gate.OutputError
		if !errors.As(err, &oe) {
			t.Errorf("Finish = %v, want an *OutputError", err)
		}
	}
	if b, err := os.ReadFile(html); err != nil || string(b) != old {
		t.Errorf("older report: %q, %v; want it unchanged", b, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "r.html" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
