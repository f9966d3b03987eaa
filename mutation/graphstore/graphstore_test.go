package graphstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/mutation"
)

func TestBuildBatchesFixture(t *testing.T) {
	started := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	b := buildBatches(fixtureRun("example.com/shop/cart", started), Options{RunID: "r1", BatchSize: 3, Commit: "abc"})

	if b.mutantCount != 8 || b.coveredBy != 9 || b.killedBy != 1 {
		t.Errorf("mutants %d, coveredBy %d, killedBy %d; want 8, 9, 1", b.mutantCount, b.coveredBy, b.killedBy)
	}
	var sizes []int
	for _, batch := range b.mutants {
		sizes = append(sizes, len(batch))
	}
	if fmt.Sprint(sizes) != "[3 3 2]" {
		t.Errorf("batch sizes %v, want [3 3 2]", sizes)
	}
	var fileIDs, testIDs []string
	for _, f := range b.files {
		fileIDs = append(fileIDs, f["fileId"].(string)+"="+f["path"].(string))
	}
	for _, tm := range b.tests {
		testIDs = append(testIDs, fmt.Sprintf("%s:%v", tm["testId"], tm["baselineMillis"]))
	}
	if got, want := strings.Join(fileIDs, " "), "example.com/shop/cart/cart.go=shop/cart.go example.com/shop/cart/price.go=shop/price.go"; got != want {
		t.Errorf("files %q, want %q", got, want)
	}
	if got, want := strings.Join(testIDs, " "), "example.com/shop/cart.TestCart:12 example.com/shop/cart.TestPrice:30 example.com/shop/cart.TestWeak:1"; got != want {
		t.Errorf("tests %q, want %q", got, want)
	}
	first := b.mutants[0][0]
	if first.runMutantID != "r1/m1" || first.fileID != "example.com/shop/cart/cart.go" ||
		fmt.Sprint(first.coveredBy) != "[example.com/shop/cart.TestCart example.com/shop/cart.TestWeak]" ||
		fmt.Sprint(first.killedBy) != "[example.com/shop/cart.TestCart]" {
		t.Errorf("first mutant item %+v", first)
	}
	if first.props["line"] != int64(10) || first.props["column"] != int64(5) || first.props["status"] != "Killed" ||
		first.props["runId"] != "r1" || first.props["mutantId"] != "m1" || first.props["function"] != "Fm1" {
		t.Errorf("first mutant props %v", first.props)
	}
	if b.run["started"] != started || b.run["finished"] != started.Add(6*time.Second) || b.run["commit"] != "abc" {
		t.Errorf("run times/commit %v %v %v", b.run["started"], b.run["finished"], b.run["commit"])
	}
	// Killed 1 + Timeout 1 detected, Survived 2 + NoCoverage 1 undetected.
	if got := b.run["score"].(float64); math.Abs(got-40) > 1e-9 {
		t.Errorf("score %v, want 40", got)
	}
	wantCounts := map[string]int64{"total": 8, "killed": 1, "survived": 2, "noCoverage": 1, "timeout": 1,
		"compileError": 1, "runtimeError": 1, "ignored": 1}
	for k, v := range wantCounts {
		if b.run[k] != v {
			t.Errorf("run %s = %v, want %d", k, b.run[k], v)
		}
	}
	if fmt.Sprint(b.packages) != "[example.com/shop/cart]" {
		t.Errorf("packages %v", b.packages)
	}
}

func TestBuildBatchesSplitsAndDedupes(t *testing.T) {
	long := strings.Repeat("x", 20<<10)
	tests := []struct {
		name      string
		mutants   int
		reason    string
		batchSize int
		want      string
	}{
		{"one batch", 5, "", 10, "[5]"},
		{"by count", 5, "", 2, "[2 2 1]"},
		{"exact multiple", 4, "", 2, "[2 2]"},
		{"by bytes: long status reasons", 5, long, 100, "[2 2 1]"},
		{"empty run", 0, "", 10, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := &mutation.PackageResult{Path: "p"}
			for i := range tt.mutants {
				pr.Mutants = append(pr.Mutants, &mutation.Mutant{ID: fmt.Sprint(i), File: "d/f.go", Status: mutation.Survived,
					StatusReason: tt.reason, CoveredBy: []string{"TestB", "TestA", "TestB"}})
			}
			b := buildBatches(&mutation.Run{Packages: []*mutation.PackageResult{pr}}, Options{RunID: "r", BatchSize: tt.batchSize})
			var sizes []int
			for _, batch := range b.mutants {
				sizes = append(sizes, len(batch))
				for _, it := range batch {
					if fmt.Sprint(it.coveredBy) != "[p.TestA p.TestB]" {
						t.Fatalf("coveredBy %v, want deduplicated [p.TestA p.TestB]", it.coveredBy)
					}
				}
			}
			if sizes == nil {
				sizes = []int{}
			}
			if got := fmt.Sprint(sizes); got != tt.want {
				t.Errorf("batch sizes %s, want %s", got, tt.want)
			}
			// Tests only named by CoveredBy still get a Test vertex; a
			// file of a mutant gets a SourceFile even if Files omits it.
			if tt.mutants > 0 && (len(b.tests) != 2 || len(b.files) != 1 || b.files[0]["fileId"] != "p/f.go") {
				t.Errorf("tests %v files %v", b.tests, b.files)
			}
			if _, ok := b.run["score"]; ok == (tt.mutants == 0) {
				t.Errorf("score present = %v with %d mutants (NaN score must be left out)", ok, tt.mutants)
			}
		})
	}
}

// TestEmittedKeysAreDeclared checks that every property Store writes is a
// key of Schema() with the matching data type: with
// storage.batch-loading=true the server creates nothing by itself.
func TestEmittedKeysAreDeclared(t *testing.T) {
	declared := map[string]string{}
	for _, k := range Schema().PropertyKeys {
		if _, dup := declared[k.Name]; dup {
			t.Errorf("key %s declared twice", k.Name)
		}
		declared[k.Name] = k.DataType
	}
	b := buildBatches(fixtureRun("p", time.Now()), Options{RunID: "r"})
	check := func(what string, m map[string]any) {
		for k, v := range m {
			var typ string
			switch v.(type) {
			case string:
				typ = "String"
			case int64:
				typ = "Long"
			case float64:
				typ = "Double"
			case bool:
				typ = "Boolean"
			case time.Time:
				typ = "Date"
			default:
				t.Errorf("%s: %s has unexpected Go type %T", what, k, v)
				continue
			}
			if declared[k] != typ {
				t.Errorf("%s: property %s is %s, declared %q", what, k, typ, declared[k])
			}
		}
	}
	check("run", b.run)
	if declared["packages"] != "String" || declared["runId"] != "String" {
		t.Errorf("packages/runId not declared as String")
	}
	for _, f := range b.files {
		check("file", f)
	}
	for _, tm := range b.tests {
		check("test", tm)
	}
	for _, batch := range b.mutants {
		for _, it := range batch {
			check("mutant", it.props)
			check("mutant key", map[string]any{"runMutantId": it.runMutantID})
		}
	}
	s := Schema()
	for _, l := range []string{"MutationRun", "Mutant", "Test", "SourceFile"} {
		if !contains(s.VertexLabels, l) {
			t.Errorf("vertex label %s not declared", l)
		}
	}
	var edges []string
	for _, e := range s.EdgeLabels {
		edges = append(edges, e.Name)
	}
	for _, e := range []string{"produced", "inFile", "killedBy", "coveredBy"} {
		if !contains(edges, e) {
			t.Errorf("edge label %s not declared", e)
		}
	}
	uniq := map[string]bool{}
	for _, c := range s.CompositeIndexes {
		if c.Unique {
			uniq[c.Label+"."+c.Key] = true
		}
	}
	for _, k := range []string{"MutationRun.runId", "Mutant.runMutantId", "Test.testId", "SourceFile.fileId"} {
		if !uniq[k] {
			t.Errorf("no unique composite index on %s", k)
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// fakeSubmitter records requests and answers like the server's scripts.
type fakeSubmitter struct {
	scripts  []string
	bindings []map[string]any
	failOn   string // fail the first script containing this text
}

func (f *fakeSubmitter) Submit(_ context.Context, script string, b map[string]any) ([]any, error) {
	f.scripts = append(f.scripts, script)
	f.bindings = append(f.bindings, b)
	if f.failOn != "" && strings.Contains(script, f.failOn) {
		return nil, errors.New("boom")
	}
	switch script {
	case runScript:
		return []any{int64(4096), true}, nil
	case sharedScript:
		ids := map[any]any{}
		for i, m := range b["batch"].([]any) {
			ids[m.(map[string]any)[b["ekey"].(string)]] = int64(i + 1)
		}
		return []any{map[any]any{"ids": ids, "created": int64(len(ids))}}, nil
	case mutantScript:
		return []any{map[any]any{"created": int64(len(b["batch"].([]any))), "edges": int64(0)}}, nil
	case completeScript:
		return []any{b["want"]}, nil
	}
	return nil, fmt.Errorf("unexpected script %q", script)
}

func TestStoreRequests(t *testing.T) {
	f := &fakeSubmitter{}
	run := fixtureRun("example.com/secret-package-name", time.Now())
	res, err := Store(context.Background(), f, run, Options{RunID: "run-xyz", BatchSize: 5, SkipSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	// run, files (1 batch), tests (1 batch), mutants (8 in batches of 5), complete.
	if len(f.scripts) != 6 || res.Batches != 4 || !res.RunCreated || res.NewMutants != 8 || res.NewTests != 3 || res.NewSourceFiles != 2 || !res.Complete {
		t.Fatalf("%d requests, result %+v", len(f.scripts), res)
	}
	for i, s := range f.scripts {
		if strings.Contains(s, "secret-package-name") || strings.Contains(s, "run-xyz") {
			t.Errorf("request %d formats a value into the script", i)
		}
	}
	if p := f.bindings[0]["p"].(map[string]any); p["complete"] != false {
		t.Errorf("the run is marked %v before its mutants are stored, want false", p["complete"])
	}
	if f.scripts[5] != completeScript || f.bindings[5]["want"] != int64(8) || f.bindings[5]["runVid"] != int64(4096) {
		t.Errorf("last request %.40q with %v, want the completion of 8 mutants", f.scripts[5], f.bindings[5])
	}
	if f.bindings[0]["rid"] != "run-xyz" || f.bindings[3]["runVid"] != int64(4096) {
		t.Errorf("bindings: rid %v, runVid %v", f.bindings[0]["rid"], f.bindings[3]["runVid"])
	}
	// The mutant batch carries the vertex ids of exactly the files and tests it uses.
	ends := f.bindings[3]["ends"].(map[string]any)
	if len(ends) != 5 { // 2 files + 3 tests among mutants m1..m5
		t.Errorf("ends of the first mutant batch: %v", ends)
	}
	last := f.bindings[4]["ends"].(map[string]any)
	if _, ok := last["example.com/secret-package-name/price.go"]; !ok || len(last) != 3 { // price.go, TestPrice, TestWeak
		t.Errorf("ends of the last mutant batch: %v", last)
	}
}

func TestStoreErrorNamesStep(t *testing.T) {
	tests := []struct{ failOn, step string }{
		{"'MutationRun', 'runId', rid", "run"},
		{"ekey", "files"},
		{"runMutantId", "mutants"},
		{"'complete', true", "complete"},
	}
	for _, tt := range tests {
		f := &fakeSubmitter{failOn: tt.failOn}
		_, err := Store(context.Background(), f, fixtureRun("p", time.Now()), Options{RunID: "r9", SkipSchema: true})
		var se *Error
		if !errors.As(err, &se) || se.Step != tt.step || se.RunID != "r9" || !strings.Contains(err.Error(), "boom") {
			t.Errorf("fail on %q: error %v, want step %s", tt.failOn, err, tt.step)
		}
		if tt.step != "complete" && slices.Contains(f.scripts, completeScript) {
			t.Errorf("fail on %q: the run was marked complete", tt.failOn)
		}
	}
	if _, err := Store(context.Background(), &fakeSubmitter{}, nil, Options{}); err == nil {
		t.Error("Store(nil run) succeeded")
	}
}

func TestNewRunID(t *testing.T) {
	started := time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	a, b := NewRunID(started), NewRunID(started)
	if !strings.HasPrefix(a, "20250102T020405Z-") || len(a) != len("20250102T020405Z-")+8 || a == b {
		t.Errorf("NewRunID: %q, %q", a, b)
	}
}

// TestDocsShowEveryQuery keeps the mutate page of the docs (docs/mutate.md)
// and the Query* constants the tests run in step: each appears verbatim, in a
// console block and in a `graphperf gremlin` command line.
func TestDocsShowEveryQuery(t *testing.T) {
	b, err := os.ReadFile("../../docs/mutate.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for name, q := range map[string]string{
		"QueryRuns": QueryRuns, "QuerySurvivorsByFile": QuerySurvivorsByFile, "QuerySurvivorsByFileForRun": QuerySurvivorsByFileForRun,
		"QueryTestsKillingNothing": QueryTestsKillingNothing, "QueryTestsKillingNothingForRun": QueryTestsKillingNothingForRun,
		"QueryCoveredNotKilled": QueryCoveredNotKilled, "QueryCoveredNotKilledForRun": QueryCoveredNotKilledForRun,
		"QueryIncompleteRuns": QueryIncompleteRuns,
	} {
		if !strings.Contains(readme, "\n"+q+"\n") {
			t.Errorf("docs/mutate.md lacks %s as a console line", name)
		}
		cmd := `graphperf gremlin "` + q + `"`
		if strings.HasSuffix(name, "ForRun") {
			cmd = `graphperf gremlin --bind 'runId="20250301T101500Z-1a2b3c4d"' "` + q + `"`
		}
		if !strings.Contains(readme, cmd) {
			t.Errorf("docs/mutate.md lacks the command line for %s", name)
		}
		if strings.ContainsAny(q, "\"$`!\n") {
			t.Errorf("%s contains a character that breaks the double-quoted shell form", name)
		}
	}
}

func TestResultString(t *testing.T) {
	r := &Result{RunID: "r1", Mutants: 5, NewMutants: 2, Tests: 3, NewTests: 1, SourceFiles: 2, CoveredBy: 7, KilledBy: 4}
	want := "stored mutation run r1: 5 mutants (2 new), 3 tests (1 new), 2 source files (0 new), 7 coveredBy and 4 killedBy edges"
	if got := r.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
