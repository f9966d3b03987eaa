package results

import (
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/compare"
)

func TestTextOutput(t *testing.T) {
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := Commit{Hash: "0123456789abcdef0123", Time: day, Message: "faster lookups", Author: "Ada"}
	for _, tc := range []struct {
		name  string
		write func(*strings.Builder) error
		want  []string
	}{
		{"trend", func(b *strings.Builder) error {
			return WriteTrendText(b, []TrendPoint{{Commit: c, N: 9, Median: 0.002, P99: 0.004},
				{Commit: c, N: 9, Median: 0.003, P99: 0.005, Verdict: compare.Slower, Delta: 0.5, Regressed: true}})
		}, []string{"COMMIT", "0123456789ab  2026-12-01", "slower +50.0% REGRESSION", "faster lookups"}},
		{"runs", func(b *strings.Builder) error {
			return WriteRunsText(b, []RunSummary{{ID: "r1", Kind: KindQueryBench, Started: day, Commit: c.Hash, Operations: 3}})
		}, []string{"RUN", "r1", "query-bench", "2026-12-01T10:00:00Z", "0123456789ab "}},
		{"import", func(b *strings.Builder) error {
			return (&ImportResult{Runs: []string{"r1", "r2"}, Files: []string{"a.json", "b.json"}}).WriteText(b)
		}, []string{"r1\ta.json\n", "r2\tb.json\n"}},
		{"commit", func(b *strings.Builder) error {
			b.WriteString(c.Line())
			return nil
		}, []string{"0123456789abcdef0123 2026-12-01T10:00:00Z faster lookups (Ada)"}},
	} {
		var b strings.Builder
		if err := tc.write(&b); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.name, w, b.String())
			}
		}
	}
	if got := (&ImportResult{Runs: []string{"r"}, Commits: 4}).Summary(); got != "1 runs stored, 4 commits of history, 0 earlier mutation runs linked" {
		t.Errorf("Summary() = %q", got)
	}
}
