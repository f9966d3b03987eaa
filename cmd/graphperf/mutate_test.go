package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	mreport "github.com/graphperf/graphperf/mutation/report"
)

// mutateFixture copies the mutation engine's calc fixture module into a
// temporary directory and makes it the working directory.
func mutateFixture(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "mutation", "testdata", "calc")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, d.Name()), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dst)
	return dst
}

func runMutateCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"graphperf"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestMutateThresholdExitCode(t *testing.T) {
	dir := mutateFixture(t)
	report := filepath.Join(dir, "r.json")
	// The fixture's ConditionalsBoundary mutants: some killed, some survive.
	// Flags after the packages, as in the help's examples.
	code, out, errOut := runMutateCLI("mutate", "./...", "-q", "--operators", "ConditionalsBoundary", "--json-report", report, "--threshold", "99")
	if code != 1 || !strings.Contains(errOut, "under the threshold 99.0%") {
		t.Fatalf("threshold 99: exit %d, stderr %q", code, errOut)
	}
	ref := filepath.Join(dir, "reference")
	if err := os.WriteFile(ref, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if a, b := statMode(t, ref), statMode(t, report); a != b {
		t.Errorf("report mode %v, a new file gets %v", b, a)
	}
	if !strings.Contains(out, "Survived:") || !strings.Contains(out, "calc.go:15:7: ConditionalsBoundary: > → >=") {
		t.Errorf("text summary lacks the survivor:\n%s", out)
	}
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"merge above threshold", []string{"mutate", "merge", "--threshold", "1", report}, 0},
		{"merge under threshold", []string{"mutate", "merge", "--threshold", "99", report}, 1},
		{"merge without files", []string{"mutate", "merge"}, 2},
		{"merge of a missing file", []string{"mutate", "merge", report + ".missing"}, 2},
		{"merge of a file that is not a report", []string{"mutate", "merge", "mutate_test.go"}, 2},
		{"bad threshold", []string{"mutate", "merge", "--threshold", "101", report}, 2},
		{"flags after files", []string{"mutate", "merge", report, "--threshold", "99"}, 1},
		{"flags after files, above", []string{"mutate", "merge", report, "--threshold", "1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, errOut := runMutateCLI(tt.args...); code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
		})
	}
	code, out, _ = runMutateCLI("mutate", "merge", "--json", report)
	var s mreport.Summary
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.Score == nil || len(s.Survivors) == 0 || s.Counts.Total() == 0 {
		t.Errorf("merge --json: exit %d, %q", code, out)
	}
}

func TestMutateUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"mutate", "--shard", "3/2"}, `--shard: expected K/N with 1 ≤ K ≤ N, got "3/2"`},
		{[]string{"mutate", "--shard", "x"}, "--shard"},
		{[]string{"mutate", "--workers", "0"}, "--workers"},
		{[]string{"mutate", "--operators", "Nope"}, `unknown operator "Nope"`},
		{[]string{"mutate", "--memory-limit", "-1"}, "--memory-limit"},
		{[]string{"mutate", "--skip", "("}, "--skip: invalid regular expression"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := runMutateCLI(tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func statMode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode()
}
