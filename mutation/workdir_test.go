package mutation

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// Work directories of runs whose process is gone (killed with SIGKILL) are
// removed; those of live processes and other directories are kept.
func TestRemoveStaleWorkDirs(t *testing.T) {
	dir := t.TempDir()
	// A pid that existed and is gone: a finished child.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	names := map[string]bool{ // name → should survive
		workDirPrefix + strconv.Itoa(dead) + "-123":        false,
		workDirPrefix + strconv.Itoa(os.Getpid()) + "-456": true,
		workDirPrefix + "notapid-789":                      true,
		"other-dir":                                        true,
	}
	for name := range names {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleWorkDirs(dir)
	for name, keep := range names {
		_, err := os.Stat(filepath.Join(dir, name))
		if kept := err == nil; kept != keep {
			t.Errorf("%s: kept %v, want %v", name, kept, keep)
		}
	}
}
