package graphstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/mutation"
)

func newClient(t *testing.T) *client.Client {
	t.Helper()
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 3 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// unique returns a name no other test run uses on the shared server.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
}

func query(t *testing.T, cl *client.Client, q string, bindings map[string]any) []any {
	t.Helper()
	res, err := cl.Submit(context.Background(), q, bindings)
	if err != nil {
		t.Fatalf("query failed: %v\n%s", err, q)
	}
	return res
}

func count(t *testing.T, cl *client.Client, q string, bindings map[string]any) int64 {
	t.Helper()
	res := query(t, cl, q, bindings)
	n, ok := res[0].(int64)
	if len(res) != 1 || !ok {
		t.Fatalf("count: got %v", res)
	}
	return n
}

// survivorsText renders a QuerySurvivorsByFile answer as
// "path: a; b | path: c" with paths sorted.
func survivorsText(t *testing.T, res []any) string {
	t.Helper()
	if len(res) == 0 {
		return ""
	}
	if len(res) != 1 {
		t.Fatalf("survivors by file: want one map, got %v", res)
	}
	m := res[0].(map[any]any)
	var parts []string
	for k, v := range m {
		var items []string
		for _, x := range v.([]any) {
			items = append(items, x.(string))
		}
		parts = append(parts, k.(string)+": "+strings.Join(items, "; "))
	}
	sort.Strings(parts)
	return strings.Join(parts, " | ")
}

// rowsText renders a list of maps with the given keys, one line per row.
func rowsText(t *testing.T, res []any, keys ...string) string {
	t.Helper()
	var lines []string
	for _, r := range res {
		m := r.(map[any]any)
		var f []string
		for _, k := range keys {
			f = append(f, fmt.Sprint(m[k]))
		}
		lines = append(lines, strings.Join(f, " "))
	}
	return strings.Join(lines, "\n")
}

func TestIntegrationStoreAndQueryFixture(t *testing.T) {
	cl := newClient(t)
	ctx := context.Background()
	pkg := "example.com/" + unique("graphstoretest")
	runID := unique("fixture")
	res, err := Store(ctx, cl, fixtureRun(pkg, time.Now()), Options{RunID: runID, BatchSize: 3, Commit: "c0ffee"})
	if err != nil {
		t.Fatal(err)
	}
	if res.RunID != runID || !res.RunCreated || res.Mutants != 8 || res.NewMutants != 8 || res.NewTests != 3 ||
		res.NewSourceFiles != 2 || res.NewEdges != 10 || res.Batches != 5 {
		t.Fatalf("result %+v", res)
	}
	bind := map[string]any{BindRunID: runID}

	wantSurvivors := "shop/cart.go: 12:9 ConditionalsBoundary < → <= (Survived); 20:2 RemoveStatement log() →  (NoCoverage)" +
		" | shop/price.go: 3:4 Constant 0 → 1 (Survived)"
	wantIdle := pkg + ".TestPrice 4\n" + pkg + ".TestWeak 4"
	wantCovered := "shop/cart.go 12:9 ConditionalsBoundary < → <= (Survived) [TestWeak]\n" +
		"shop/price.go 3:4 Constant 0 → 1 (Survived) [TestPrice TestWeak]\n" +
		"shop/price.go 9:11 InvertLogical && → || (RuntimeError) [TestPrice TestWeak]"
	tests := []struct {
		name  string
		query string
		bind  map[string]any
		text  func([]any) string
		want  string
	}{
		{"survivors by file, given run", QuerySurvivorsByFileForRun, bind, func(r []any) string { return survivorsText(t, r) }, wantSurvivors},
		{"survivors by file, latest run", QuerySurvivorsByFile, nil, func(r []any) string { return survivorsText(t, r) }, wantSurvivors},
		{"tests killing nothing, given run", QueryTestsKillingNothingForRun, bind, func(r []any) string { return rowsText(t, r, "test", "covers") }, wantIdle},
		{"tests killing nothing, latest run", QueryTestsKillingNothing, nil, func(r []any) string { return rowsText(t, r, "test", "covers") }, wantIdle},
		{"covered not killed, given run", QueryCoveredNotKilledForRun, bind, func(r []any) string { return rowsText(t, r, "file", "mutant", "coveredBy") }, wantCovered},
		{"covered not killed, latest run", QueryCoveredNotKilled, nil, func(r []any) string { return rowsText(t, r, "file", "mutant", "coveredBy") }, wantCovered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.text(query(t, cl, tt.query, tt.bind)); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}

	// QueryRuns lists this run first (latest) with its counts.
	runs := query(t, cl, QueryRuns, nil)
	first := runs[0].(map[any]any)
	if first["runId"] != runID || first["total"] != int64(8) || first["killed"] != int64(1) || first["score"] != 40.0 {
		t.Errorf("QueryRuns first row: %v", first)
	}
	// The run vertex holds commit, packages and times.
	got := query(t, cl, `g.V().has('MutationRun', 'runId', runId).project('commit', 'packages', 'started', 'finished').`+
		`by('commit').by(values('packages').fold()).by('started').by('finished')`, bind)
	r := got[0].(map[any]any)
	started, _ := r["started"].(time.Time)
	finished, _ := r["finished"].(time.Time)
	if r["commit"] != "c0ffee" || fmt.Sprint(r["packages"]) != "["+pkg+"]" || finished.Sub(started) != 6*time.Second {
		t.Errorf("run vertex: %v", r)
	}
}

func TestIntegrationStoreTwiceDoesNotDuplicate(t *testing.T) {
	cl := newClient(t)
	ctx := context.Background()
	pkg := "example.com/" + unique("graphstoretwice")
	runA, runB := unique("runA"), unique("runB")
	countShared := func() string {
		tests := count(t, cl, `g.V().hasLabel('Test').has('package', pkgName).count()`, map[string]any{"pkgName": pkg})
		files := count(t, cl, `g.V().hasLabel('SourceFile').has('package', pkgName).count()`, map[string]any{"pkgName": pkg})
		return fmt.Sprintf("%d tests, %d files", tests, files)
	}
	countRun := func(id string) string {
		b := map[string]any{BindRunID: id}
		runs := count(t, cl, `g.V().has('MutationRun', 'runId', runId).count()`, b)
		ms := count(t, cl, `g.V().has('MutationRun', 'runId', runId).out('produced').count()`, b)
		cov := count(t, cl, `g.V().has('MutationRun', 'runId', runId).out('produced').outE('coveredBy').count()`, b)
		kill := count(t, cl, `g.V().has('MutationRun', 'runId', runId).out('produced').outE('killedBy').count()`, b)
		in := count(t, cl, `g.V().has('MutationRun', 'runId', runId).out('produced').out('inFile').count()`, b)
		return fmt.Sprintf("%d run, %d mutants, %d coveredBy, %d killedBy, %d inFile", runs, ms, cov, kill, in)
	}
	steps := []struct {
		name                         string
		runID                        string
		newMutants, newTests, newEdg int
		runCreated                   bool
	}{
		{"first run", runA, 8, 3, 10, true},
		{"same run again", runA, 0, 0, 0, false},
		{"second run shares tests and files", runB, 8, 0, 10, true},
	}
	for _, st := range steps {
		res, err := Store(ctx, cl, fixtureRun(pkg, time.Now()), Options{RunID: st.runID})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if res.NewMutants != st.newMutants || res.NewTests != st.newTests || res.NewEdges != st.newEdg || res.RunCreated != st.runCreated {
			t.Errorf("%s: result %+v", st.name, res)
		}
		if got := countShared(); got != "3 tests, 2 files" {
			t.Errorf("%s: %s, want 3 tests, 2 files", st.name, got)
		}
		if got, want := countRun(st.runID), "1 run, 8 mutants, 9 coveredBy, 1 killedBy, 8 inFile"; got != want {
			t.Errorf("%s: %s, want %s", st.name, got, want)
		}
	}
	// The stable mutantId finds one mutant's history over both runs.
	n := count(t, cl, `g.V().has('Mutant', 'mutantId', 'm2').where(out('inFile').has('package', pkgName)).count()`, map[string]any{"pkgName": pkg})
	if n != 2 {
		t.Errorf("mutant m2 over two runs: %d vertices, want 2", n)
	}
}

// TestIntegrationStoreExecutedRun stores a real mutation.Execute run of the
// calc fixture and checks every ForRun query against the answer computed
// from the Run itself.
func TestIntegrationStoreExecutedRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the mutation engine")
	}
	cl := newClient(t)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "calc"))); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run, err := mutation.Execute(ctx, mutation.Config{Dir: dir, MemoryLimit: 512 << 20, FullMatrix: true,
		Operators: []mutation.Operator{mutation.ConditionalsBoundary, mutation.ArithmeticBase, mutation.ErrorToNil}})
	if err != nil {
		t.Fatal(err)
	}
	runID := unique("calc")
	res, err := Store(ctx, cl, run, Options{RunID: runID})
	if err != nil {
		t.Fatal(err)
	}
	ms := run.Mutants()
	if res.Mutants != len(ms) || len(ms) == 0 {
		t.Fatalf("stored %d mutants, run has %d", res.Mutants, len(ms))
	}
	bind := map[string]any{BindRunID: runID}
	describe := func(m *mutation.Mutant) string {
		return fmt.Sprintf("%d:%d %s %s → %s (%s)", m.Start.Line, m.Start.Column, m.Operator, m.Original, m.Replacement, m.Status)
	}
	byPos := func(a, b *mutation.Mutant) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line - b.Start.Line
		}
		return a.Start.Column - b.Start.Column
	}
	slices.SortStableFunc(ms, byPos)

	// Survivors by file.
	files := map[string][]string{}
	for _, m := range ms {
		if m.Status == mutation.Survived || m.Status == mutation.NoCoverage {
			files[m.File] = append(files[m.File], describe(m))
		}
	}
	var parts []string
	for f, items := range files {
		parts = append(parts, f+": "+strings.Join(items, "; "))
	}
	sort.Strings(parts)
	if got, want := survivorsText(t, query(t, cl, QuerySurvivorsByFileForRun, bind)), strings.Join(parts, " | "); got != want || want == "" {
		t.Errorf("survivors by file:\ngot  %s\nwant %s", got, want)
	}

	// Tests killing nothing.
	covers, kills := map[string]int{}, map[string]int{}
	for _, m := range ms {
		for _, tn := range m.CoveredBy {
			covers[tn]++
		}
		for _, tn := range m.KilledBy {
			kills[tn]++
		}
	}
	var idle []string
	for tn, n := range covers {
		if kills[tn] == 0 {
			idle = append(idle, fmt.Sprintf("%s %d", TestID(run.Packages[0].Path, tn), n))
		}
	}
	sort.Strings(idle)
	if got, want := rowsText(t, query(t, cl, QueryTestsKillingNothingForRun, bind), "test", "covers"), strings.Join(idle, "\n"); got != want {
		t.Errorf("tests killing nothing:\ngot  %s\nwant %s", got, want)
	}

	// Covered but not killed.
	var cov []string
	for _, m := range ms {
		if len(m.CoveredBy) > 0 && len(m.KilledBy) == 0 && m.Status != mutation.Timeout && m.Status != mutation.CompileError {
			names := slices.Clone(m.CoveredBy)
			slices.Sort(names)
			cov = append(cov, fmt.Sprintf("%s %s %v", m.File, describe(m), names))
		}
	}
	if got, want := rowsText(t, query(t, cl, QueryCoveredNotKilledForRun, bind), "file", "mutant", "coveredBy"), strings.Join(cov, "\n"); got != want || want == "" {
		t.Errorf("covered not killed:\ngot  %s\nwant %s", got, want)
	}
}

// failingSubmitter injects one fault: the n-th request running script fails
// as if the connection dropped (the server is never asked).
type failingSubmitter struct {
	sub    *client.Client
	script string
	n      int
	seen   int
}

func (f *failingSubmitter) Submit(ctx context.Context, script string, b map[string]any) ([]any, error) {
	if script == f.script {
		f.seen++
		if f.seen == f.n {
			return nil, fmt.Errorf("injected: connection lost")
		}
	}
	return f.sub.Submit(ctx, script, b)
}

// A store cut short leaves a run the documented queries do not see (it is
// listed by QueryIncompleteRuns); storing it again completes it.
func TestIntegrationPartialStoreIsNotARun(t *testing.T) {
	cl := newClient(t)
	ctx := context.Background()
	pkg := "example.com/" + unique("graphstorepartial")
	runID := unique("partial")
	bind := map[string]any{BindRunID: runID}
	run := fixtureRun(pkg, time.Now())
	_, err := Store(ctx, &failingSubmitter{sub: cl, script: mutantScript, n: 2}, run, Options{RunID: runID, BatchSize: 3})
	var se *Error
	if !errors.As(err, &se) || se.Step != "mutants" || se.RunID != runID {
		t.Fatalf("Store with a lost connection = %v, want a graphstore *Error at step mutants", err)
	}
	listed := func(q string, b map[string]any) bool {
		for _, r := range query(t, cl, q, b) {
			if m, ok := r.(map[any]any); ok && m["runId"] == runID {
				return true
			}
		}
		return false
	}
	if listed(QueryRuns, nil) {
		t.Error("QueryRuns lists the partly stored run")
	}
	if !listed(QueryIncompleteRuns, nil) {
		t.Error("QueryIncompleteRuns does not list the partly stored run")
	}
	for name, q := range map[string]string{"survivors": QuerySurvivorsByFileForRun, "idle tests": QueryTestsKillingNothingForRun,
		"covered not killed": QueryCoveredNotKilledForRun} {
		if r := query(t, cl, q, bind); len(r) != 0 && fmt.Sprint(r) != "[map[]]" {
			t.Errorf("%s of the partly stored run: %v, want nothing", name, r)
		}
	}
	for _, r := range query(t, cl, `g.V().has('MutationRun', 'complete', true).order().by('started', desc).limit(1).values('runId')`, nil) {
		if r == runID {
			t.Error("the partly stored run is the latest complete run")
		}
	}

	// Storing again completes it.
	res, err := Store(ctx, cl, run, Options{RunID: runID, BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete || res.RunCreated || res.NewMutants != 8-3 {
		t.Errorf("second store: %+v, want complete, the run reused, the 5 missing mutants created", res)
	}
	if !listed(QueryRuns, nil) || listed(QueryIncompleteRuns, nil) {
		t.Error("after the second store the run should be listed as complete only")
	}
	if got := rowsText(t, query(t, cl, QueryTestsKillingNothingForRun, bind), "test", "covers"); got != pkg+".TestPrice 4\n"+pkg+".TestWeak 4" {
		t.Errorf("tests killing nothing of the completed run:\n%s", got)
	}
}

// Two concurrent stores of one run can leave two MutationRun vertices with
// its runId (a unique index takes no lock). Made here with two transactions
// on the real server: QueryRuns lists the run once, the ForRun queries read
// one run, and QueryIncompleteRuns does not list a runId that has a complete
// vertex.
func TestIntegrationDuplicateRunVerticesReadOnce(t *testing.T) {
	cl := newClient(t)
	ctx := context.Background()
	// The schema (and its unique runId index) is in place after a Store.
	if _, err := Store(ctx, cl, fixtureRun("example.com/"+unique("duprunschema"), time.Now()), Options{RunID: unique("dupschema")}); err != nil {
		t.Fatal(err)
	}
	runID, incompleteID := unique("duprun"), unique("dupincomplete")
	started := time.Now().Add(24 * time.Hour).UnixMilli() // listed first by QueryRuns
	query(t, cl, `def t1 = graph.newTransaction()
def t2 = graph.newTransaction()
t1.addVertex(T.label, 'MutationRun', 'runId', rid, 'started', st, 'complete', true, 'score', 0.5d)
t2.addVertex(T.label, 'MutationRun', 'runId', rid, 'started', st, 'complete', true, 'score', 0.5d)
t1.commit()
t2.commit()
def t3 = graph.newTransaction()
def t4 = graph.newTransaction()
t3.addVertex(T.label, 'MutationRun', 'runId', iid, 'started', st, 'complete', true)
t4.addVertex(T.label, 'MutationRun', 'runId', iid, 'started', st, 'complete', false)
t3.commit()
t4.commit()
true`, map[string]any{"rid": runID, "iid": incompleteID, "st": started})
	t.Cleanup(func() {
		_, _ = cl.Submit(context.Background(), `g.V().hasLabel('MutationRun').where(values('runId').is(within(ids))).drop()`,
			map[string]any{"ids": []any{runID, incompleteID}})
	})
	if n := count(t, cl, `g.V().hasLabel('MutationRun').where(values('runId').is(rid)).count()`, map[string]any{"rid": runID}); n != 2 {
		t.Fatalf("setting up the duplicate: %d vertices with the runId, want 2", n)
	}

	seen := map[string]int{}
	for _, r := range query(t, cl, QueryRuns, nil) {
		seen[fmt.Sprint(r.(map[any]any)["runId"])]++
	}
	if seen[runID] != 1 || seen[incompleteID] != 1 {
		t.Errorf("QueryRuns lists the duplicated run %d times and the half-duplicated one %d times, want 1 and 1", seen[runID], seen[incompleteID])
	}
	if n := count(t, cl, givenRun+".count()", map[string]any{BindRunID: runID}); n != 1 {
		t.Errorf("the ForRun queries select %d runs, want 1", n)
	}
	for _, r := range query(t, cl, QueryIncompleteRuns, nil) {
		if id := fmt.Sprint(r.(map[any]any)["runId"]); id == runID || id == incompleteID {
			t.Errorf("QueryIncompleteRuns lists %s, which has a complete vertex", id)
		}
	}
}
