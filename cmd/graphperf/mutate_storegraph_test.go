package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/mutation/graphstore"
	"github.com/graphperf/graphperf/mutation/report"
)

// TestMutateStoreGraph runs `mutate --store-graph` on the calc fixture, then
// the queries of docs/mutate.md with `graphperf gremlin --bind runId=...`, and checks
// them against the same run's --json summary.
func TestMutateStoreGraph(t *testing.T) {
	hosts := strings.Join(testenv.RequireServer(t), ",")
	mutateFixture(t)
	code, out, errOut := runMutateCLI("--hosts", hosts, "mutate", "-q", "--json", "--full-matrix",
		"--operators", "ConditionalsBoundary", "--store-graph", "./...")
	if code != 0 {
		t.Fatalf("mutate --store-graph: exit %d, stderr %s", code, errOut)
	}
	var sum report.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json output is not JSON (the store line must go to stderr): %v\n%s", err, out)
	}
	m := regexp.MustCompile(`stored mutation run (\S+): (\d+) mutants \((\d+) new\), (\d+) tests`).FindStringSubmatch(errOut)
	if m == nil || m[2] != fmt.Sprint(sum.Counts.Total()) || m[3] != m[2] {
		t.Fatalf("stderr lacks the stored run line with %d mutants: %q", sum.Counts.Total(), errOut)
	}
	runID := m[1]
	bind := fmt.Sprintf("runId=%q", runID)

	// Survivors by file: exactly the summary's survivors.
	code, out, errOut = runMutateCLI("--hosts", hosts, "gremlin", "--json", "--bind", bind, graphstore.QuerySurvivorsByFileForRun)
	if code != 0 {
		t.Fatalf("gremlin survivors: exit %d, %s", code, errOut)
	}
	var got []map[string][]string
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		t.Fatalf("survivors by file: %v\n%s", err, out)
	}
	want := map[string][]string{}
	for _, s := range sum.Survivors {
		want[s.File] = append(want[s.File], fmt.Sprintf("%d:%d %s (%s)", s.Line, s.Column, strings.Replace(s.Description, ": ", " ", 1), s.Status))
	}
	if len(want) == 0 {
		t.Fatal("the fixture run has no survivors to look for")
	}
	for f, items := range want {
		g := slices.Clone(got[0][f])
		slices.Sort(g)
		slices.Sort(items)
		if !slices.Equal(g, items) {
			t.Errorf("survivors of %s: graph %q, summary %q", f, g, items)
		}
	}
	if len(got[0]) != len(want) {
		t.Errorf("survivors by file: graph has %d files, summary %d", len(got[0]), len(want))
	}

	// The other queries run from the CLI too; the text output shows their rows.
	for _, q := range []struct{ query, want string }{
		{graphstore.QueryCoveredNotKilledForRun, "mutant:15:7 ConditionalsBoundary > → >= (Survived)"},
		{graphstore.QueryTestsKillingNothingForRun, "[covers:1, test:example.com/calc.TestMax]"},
	} {
		code, out, errOut := runMutateCLI("--hosts", hosts, "gremlin", "--bind", bind, q.query)
		if code != 0 || !strings.Contains(out, q.want) {
			t.Errorf("gremlin %.40s...: exit %d, stdout %q, stderr %q; want %q", q.query, code, out, errOut, q.want)
		}
	}
}
