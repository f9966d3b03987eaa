package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/graphperf/graphperf/mutation"
)

// sampleRun is a run with one mutant of every status.
func sampleRun() *mutation.Run {
	src := "package p\n\nfunc F(a, b int) bool { return a < b && b > 0 }\n"
	var ms []*mutation.Mutant
	statuses := []mutation.Status{mutation.Killed, mutation.Survived, mutation.NoCoverage, mutation.Timeout,
		mutation.CompileError, mutation.RuntimeError, mutation.Ignored}
	for i, st := range statuses {
		m := &mutation.Mutant{
			ID: string(rune('a'+i)) + "00000000000", Package: "example.com/p", File: "p/p.go", Func: "F",
			Operator: mutation.ConditionalsBoundary, Original: "<", Replacement: "<=",
			Start: mutation.Position{Line: 3, Column: 34 + i}, End: mutation.Position{Line: 3, Column: 35 + i},
			Status: st, StatusReason: "reason with </script> inside", Duration: 3 * time.Millisecond,
		}
		if st != mutation.NoCoverage && st != mutation.Ignored {
			m.CoveredBy = []string{"TestF"}
		}
		if st == mutation.Killed {
			m.KilledBy = []string{"TestF"}
		}
		ms = append(ms, m)
	}
	return &mutation.Run{
		ModulePath: "example.com", ModuleRoot: "/src/example",
		Packages: []*mutation.PackageResult{{
			Path:    "example.com/p",
			Files:   []mutation.SourceFile{{Path: "p/p.go", Source: src}},
			Tests:   []*mutation.TestInfo{{Name: "TestF", File: "p/p_test.go", Line: 5, Duration: time.Millisecond}},
			Mutants: ms,
		}},
		Setup: time.Second, Baseline: 2 * time.Second, Mutation: 3 * time.Second,
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "schema", "mutation-testing-report-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, r *Report) error {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(doc)
}

func TestJSONReportMatchesPublishedSchema(t *testing.T) {
	s := compileSchema(t)
	r := FromRun(sampleRun())
	if err := validate(t, s, r); err != nil {
		t.Fatalf("report does not validate: %v", err)
	}
	// The validator is not vacuous: a report with a status that the schema
	// does not know fails.
	r.Files["p/p.go"].Mutants[0].Status = "Exploded"
	if err := validate(t, s, r); err == nil {
		t.Fatal("a report with an unknown status validated")
	}
}

func TestFromRunContent(t *testing.T) {
	r := FromRun(sampleRun())
	f := r.Files["p/p.go"]
	if f == nil || len(f.Mutants) != 7 || f.Language != "go" {
		t.Fatalf("files = %+v", r.Files)
	}
	k := f.Mutants[0]
	if k.Status != "Killed" || len(k.KilledBy) != 1 || k.KilledBy[0] != "example.com/p.TestF" {
		t.Errorf("killed mutant = %+v", k)
	}
	ids := map[string]bool{}
	for _, tf := range r.TestFiles {
		for _, td := range tf.Tests {
			ids[td.ID] = true
		}
	}
	for _, m := range f.Mutants {
		for _, id := range append(append([]string{}, m.KilledBy...), m.CoveredBy...) {
			if !ids[id] {
				t.Errorf("mutant %s names test %s, which testFiles lacks", m.ID, id)
			}
		}
	}
	// score = (Killed+Timeout)/(Killed+Timeout+Survived+NoCoverage) = 2/4.
	if got := r.Score(); got != 50 {
		t.Errorf("score = %v, want 50", got)
	}
}

func TestHTMLReportIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := FromRun(sampleRun()).WriteHTML(&b, "t"); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, "customElements.define") && !strings.Contains(page, "mutation-test-report-app") {
		t.Fatal("the web component is missing")
	}
	if strings.Contains(page, "src=\"http") || strings.Contains(page, "src='http") {
		t.Error("the page loads a script from the network")
	}
	// The report's "</script>" is escaped, so only the two script elements close.
	if n := strings.Count(page, "</script>"); n != 2 {
		t.Errorf("%d </script> in the page, want 2", n)
	}
	i := strings.Index(page, ".report = ")
	j := strings.LastIndex(page, ";\n</script>")
	var back Report
	if i < 0 || j < i || json.Unmarshal([]byte(page[i+len(".report = "):j]), &back) != nil {
		t.Fatal("the embedded report is not valid JSON")
	}
	if back.Files["p/p.go"].Mutants[0].StatusReason != "reason with </script> inside" {
		t.Error("the embedded report lost its content")
	}
}

func TestMerge(t *testing.T) {
	full := FromRun(sampleRun())
	shard := func(k, n int, lo, hi int) *Report {
		run := sampleRun()
		run.Shard, run.Shards = k, n
		r := FromRun(run)
		r.Files["p/p.go"].Mutants = r.Files["p/p.go"].Mutants[lo:hi]
		return r
	}
	a, b := shard(1, 2, 0, 3), shard(2, 2, 3, 7)
	// Shards read back from JSON files, as `mutate merge` does.
	dir := t.TempDir()
	var read []*Report
	for i, r := range []*Report{a, b} {
		name := filepath.Join(dir, fmt.Sprintf("s%d.json", i+1))
		var buf bytes.Buffer
		if err := r.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if k, n, ok := back.Shard(); !ok || k != i+1 || n != 2 {
			t.Fatalf("%s records shard %d/%d (%v), want %d/2", name, k, n, ok, i+1)
		}
		read = append(read, back)
	}
	tests := []struct {
		name string
		in   []*Report
	}{
		{"two shards", []*Report{a, b}},
		{"two shards read from files", read},
		{"shards in any order", []*Report{read[1], a}},
		{"whole runs with overlap and same status", []*Report{full, FromRun(sampleRun())}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Merge(tt.in...)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := m.Counts(), full.Counts(); got.Total() != want.Total() || got.Score() != want.Score() {
				t.Errorf("merged counts %v, want %v", got, want)
			}
			if _, _, ok := m.Shard(); ok {
				t.Error("the merged report still claims to be a shard")
			}
			if err := validate(t, compileSchema(t), m); err != nil {
				t.Errorf("merged report invalid: %v", err)
			}
		})
	}
	// Merges whose score would not be the run's: refused.
	for _, tt := range []struct {
		name, want string
		in         []*Report
	}{
		{"one shard of two", "missing 2/2", []*Report{a}},
		{"shards of different N", "split the mutants differently", []*Report{a, shard(2, 3, 3, 5), shard(3, 3, 5, 7)}},
		{"a shard twice", "1/2 is given twice", []*Report{a, read[0], b}},
		{"a whole run and a shard", "whole run", []*Report{full, b}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(tt.in...)
			var se *ShardError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Merge = %v, want a *ShardError saying %q", err, tt.want)
			}
		})
	}
	if _, err := Merge(); err == nil {
		t.Error("Merge of nothing succeeded")
	}
	c := FromRun(sampleRun())
	c.Files["p/p.go"].Mutants[0].Status = "Survived"
	_, err := Merge(full, c)
	var me *MergeError
	if !errors.As(err, &me) || me.MutantID != full.Files["p/p.go"].Mutants[0].ID {
		t.Errorf("conflicting statuses: err = %v", err)
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := FromRun(sampleRun()).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"p ", "50.0%", "Survived:", "p/p.go:3:35: ConditionalsBoundary: < → <= (covered by TestF)", "NoCoverage:", "p/p.go:3:36"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if empty := (&Report{Files: map[string]*FileResult{}}).Score(); !math.IsNaN(empty) {
		t.Errorf("empty score = %v, want NaN", empty)
	}
}

func TestMergeFiles(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "r.json")
	var buf bytes.Buffer
	if err := FromRun(sampleRun()).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	notReport := filepath.Join(dir, "x.json")
	if err := os.WriteFile(notReport, []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := MergeFiles(name, name); err != nil || len(m.Files) == 0 {
		t.Fatalf("MergeFiles of one report twice = %v, %v", m, err)
	}
	for _, bad := range []string{filepath.Join(dir, "missing.json"), notReport} {
		_, err := MergeFiles(name, bad)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), filepath.Base(bad)) {
			t.Errorf("MergeFiles(%s) = %v, want an *InputError naming it", bad, err)
		}
	}
}
