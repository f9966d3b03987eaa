package mutation

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"
)

// fixtureRun runs the engine once on the calc fixture and shares the result
// between the tests that only read it.
var fixtureRun = sync.OnceValues(func() (*Run, error) {
	dir, err := os.MkdirTemp("", "graphperf-mutation-fixture-")
	if err != nil {
		return nil, err
	}
	if err := copyDir(filepath.Join("testdata", "calc"), dir); err != nil {
		return nil, err
	}
	return Execute(context.Background(), Config{Dir: dir, MemoryLimit: 512 << 20})
})

func mustFixtureRun(t *testing.T) *Run {
	t.Helper()
	run, err := fixtureRun()
	if err != nil {
		t.Fatalf("Execute on the fixture: %v", err)
	}
	return run
}

func findMutant(t *testing.T, run *Run, file string, line int, op Operator, original string) *Mutant {
	t.Helper()
	for _, m := range run.Mutants() {
		if m.File == file && m.Start.Line == line && m.Operator == op && m.Original == original {
			return m
		}
	}
	t.Fatalf("no %s mutant of %q at %s:%d", op, original, file, line)
	return nil
}

func TestExecuteVerdicts(t *testing.T) {
	run := mustFixtureRun(t)
	tests := []struct {
		name     string
		file     string
		line     int
		op       Operator
		original string
		want     Status
		reason   string // substring of StatusReason
		killedBy string
	}{
		{"assertion kills", "calc.go", 10, ArithmeticBase, "+", Killed, "Add(2, 3) = -1", "TestAdd"},
		{"untested boundary survives", "calc.go", 15, ConditionalsBoundary, ">", Survived, "", ""},
		{"err to nil is killed", "calc.go", 24, ErrorToNil, "return 0, ErrDivZero", Killed, "", "TestDiv"},
		{"no test runs the code", "calc.go", 39, ArithmeticBase, "*", NoCoverage, "", ""},
		{"nomutate with a reason", "calc.go", 52, ArithmeticBase, "-", Ignored, "fixture", ""},
		{"unused variable does not compile", "calc.go", 58, RemoveStatement, "keep(n)", CompileError, "declared and not used", ""},
		{"endless loop times out", "loops.go", 6, IncrementDecrement, "++", Timeout, "confirmed by a second run", ""},
		{"unbounded allocation hits the memory cap", "loops.go", 16, IncrementDecrement, "++", RuntimeError, "memory cap", ""},
		{"panic in a goroutine kills", "async.go", 8, ConditionalsNegation, "<", Killed, "panic: negative input", "TestDouble"},
		{"directive without reason is ignored", "loops.go", 23, ReturnZero, "return 1", NoCoverage, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := findMutant(t, run, tt.file, tt.line, tt.op, tt.original)
			if m.Status != tt.want {
				t.Fatalf("status = %s (%s), want %s", m.Status, m.StatusReason, tt.want)
			}
			if !strings.Contains(m.StatusReason, tt.reason) {
				t.Errorf("reason = %q, want it to contain %q", m.StatusReason, tt.reason)
			}
			if tt.killedBy != "" && (len(m.KilledBy) != 1 || m.KilledBy[0] != tt.killedBy) {
				t.Errorf("killedBy = %v, want [%s]", m.KilledBy, tt.killedBy)
			}
			if m.Status == CompileError && len(m.KilledBy) > 0 {
				t.Errorf("a compile error has killers %v", m.KilledBy)
			}
		})
	}
	found := false
	for _, w := range run.Warnings {
		found = found || strings.Contains(w, "loops.go:22") && strings.Contains(w, "needs a reason")
	}
	if !found {
		t.Errorf("warnings %q lack the nomutate directive without reason", run.Warnings)
	}
	c := run.Counts()
	want := 100 * float64(c[Killed]+c[Timeout]) / float64(c[Killed]+c[Timeout]+c[Survived]+c[NoCoverage])
	if got := c.Score(); got != want || c[Killed] == 0 || c[Survived] == 0 {
		t.Errorf("score = %v, want %v from %v", got, want, c)
	}
}

// loadFixture loads the fixture package with types, as Execute does.
func loadFixture(t *testing.T, dir string) *packages.Package {
	t.Helper()
	pkgs, err := packages.Load(&packages.Config{Dir: dir, Mode: packages.NeedName | packages.NeedFiles |
		packages.NeedCompiledGoFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo |
		packages.NeedImports | packages.NeedModule}, ".")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("load: %v %v", err, pkgs)
	}
	return pkgs[0]
}

func TestOperatorsChangeCodeAndTypeCheck(t *testing.T) {
	dir := copyFixture(t, "calc")
	pkg := loadFixture(t, dir)
	g := &generator{pkg: pkg, modRoot: pkg.Module.Dir, ops: map[Operator]bool{}}
	for _, o := range Operators() {
		g.ops[o] = true
	}
	files, _, err := g.generate(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildSchemata(pkg, files); err != nil {
		t.Fatalf("schemata: %v", err)
	}
	seen := map[Operator]int{}
	ids := map[string]bool{}
	for _, fs := range files {
		for _, fn := range fs.funcs {
			for _, s := range fn.sites {
				m := s.m
				seen[m.Operator]++
				if ids[m.ID] {
					t.Errorf("duplicate id %s", m.ID)
				}
				ids[m.ID] = true
				mutated, err := mutateSource(fs.src, pkg.Fset, fs.abs, m)
				if err != nil {
					t.Fatal(err)
				}
				if string(mutated) == string(fs.src) {
					t.Errorf("%s %s does not change the code", m.ID, m.Description())
				}
				terr := typeCheckWith(pkg, fs.abs, mutated)
				if (terr != nil) != (m.Status == CompileError) {
					t.Errorf("%s:%d %s: type-check error %v but status %s", m.File, m.Start.Line, m.Description(), terr, m.Status)
				}
			}
		}
	}
	for _, o := range Operators() {
		if seen[o] == 0 {
			t.Errorf("operator %s produced no mutant on the fixture", o)
		}
	}
	// Ids are stable: a second generation gives the same ones.
	g2 := &generator{pkg: loadFixture(t, dir), modRoot: pkg.Module.Dir, ops: g.ops}
	files2, _, err := g2.generate(nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fs := range files2 {
		for _, fn := range fs.funcs {
			for _, s := range fn.sites {
				n++
				if !ids[s.m.ID] {
					t.Errorf("id %s not stable", s.m.ID)
				}
			}
		}
	}
	if n != len(ids) {
		t.Errorf("second generation: %d mutants, first %d", n, len(ids))
	}
}

// typeCheckWith type-checks pkg with one file replaced by src.
func typeCheckWith(pkg *packages.Package, file string, src []byte) error {
	f, err := parser.ParseFile(pkg.Fset, file+"#check", src, 0)
	if err != nil {
		return err
	}
	files := []*ast.File{f}
	for _, sf := range pkg.Syntax {
		if pkg.Fset.File(sf.Pos()).Name() != file {
			files = append(files, sf)
		}
	}
	conf := types.Config{Importer: importerFor(pkg), Sizes: types.SizesFor("gc", runtime.GOARCH)}
	_, err = conf.Check(pkg.PkgPath, pkg.Fset, files, nil)
	return err
}

func TestSchemataVerdictsEqualIsolatedBuilds(t *testing.T) {
	ops := []Operator{ConditionalsBoundary, ErrorToNil}
	dir := copyFixture(t, "calc")
	verdicts := func(isolated bool) map[string]Status {
		run, err := Execute(context.Background(), Config{Dir: dir, Operators: ops, ForceIsolated: isolated, MemoryLimit: 512 << 20})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]Status{}
		for _, m := range run.Mutants() {
			out[m.ID] = m.Status
		}
		return out
	}
	schem, iso := verdicts(false), verdicts(true)
	if len(schem) < 6 {
		t.Fatalf("only %d mutants", len(schem))
	}
	for id, s := range schem {
		if iso[id] != s {
			t.Errorf("mutant %s: schemata %s, isolated build %s", id, s, iso[id])
		}
	}
	if len(iso) != len(schem) {
		t.Errorf("isolated %d mutants, schemata %d", len(iso), len(schem))
	}
}

// A memory cap too small for the tests is reported as such, not as failing
// tests.
func TestMemoryCapTooSmallBlamesTheCap(t *testing.T) {
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit(1) not installed: no memory cap to test")
	}
	dir := copyFixture(t, "calc")
	_, err := Execute(context.Background(), Config{Dir: dir, Operators: []Operator{ArithmeticBase}, MemoryLimit: 1 << 20})
	var me *MemoryLimitError
	if !errors.As(err, &me) || errors.As(err, new(*BaselineError)) {
		t.Fatalf("err = %v, want a *MemoryLimitError", err)
	}
	if me.Limit != 1<<20 || !slices.Contains(me.Tests, "TestAdd") || !strings.Contains(me.Reason, "memory cap") ||
		!strings.Contains(err.Error(), "memory cap of 1 MiB") || strings.Contains(err.Error(), "fix them") {
		t.Errorf("error %q (tests %q) should blame the 1 MiB cap", err, me.Tests)
	}
}

func TestBaselineFailureNamesTests(t *testing.T) {
	dir := copyFixture(t, "calc")
	broken := "package calc\n\nimport \"testing\"\n\nfunc TestBroken(t *testing.T) { t.Fatal(\"always\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "broken_test.go"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Execute(context.Background(), Config{Dir: dir, Operators: []Operator{ArithmeticBase}})
	var be *BaselineError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *BaselineError", err)
	}
	if len(be.Failing) != 1 || !strings.HasPrefix(be.Failing[0], "TestBroken") || !strings.Contains(err.Error(), "TestBroken") {
		t.Errorf("failing = %q", be.Failing)
	}
	// Leaving the broken test out (--skip) lets the run go on without it.
	run, err := Execute(context.Background(), Config{Dir: dir, Operators: []Operator{ArithmeticBase}, SkipTests: regexp.MustCompile("^TestBroken$")})
	if err != nil {
		t.Fatalf("with SkipTests: %v", err)
	}
	for _, ti := range run.Packages[0].Tests {
		if ti.Name == "TestBroken" {
			t.Error("the skipped test was measured")
		}
	}
	if run.Counts()[Killed] == 0 {
		t.Errorf("counts %v", run.Counts())
	}
}

func TestParseDiff(t *testing.T) {
	diff := "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -3,0 +4,2 @@\n+a\n+b\n@@ -10 +12 @@\n-c\n+d\n" +
		"diff --git a/gone.go b/gone.go\n--- a/gone.go\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n"
	got := parseDiff(diff)
	tests := []struct {
		file string
		line int
		want bool
	}{{"x.go", 4, true}, {"x.go", 5, true}, {"x.go", 6, false}, {"x.go", 12, true}, {"x.go", 3, false}, {"gone.go", 1, false}}
	for _, tt := range tests {
		if got[tt.file][tt.line] != tt.want {
			t.Errorf("%s:%d changed = %v, want %v", tt.file, tt.line, !tt.want, tt.want)
		}
	}
}

func TestShardsPartitionMutants(t *testing.T) {
	run := mustFixtureRun(t)
	for _, n := range []int{1, 2, 3, 5} {
		count := make(map[int]int)
		for _, m := range run.Mutants() {
			s := shardOf(m.ID, n)
			if s < 1 || s > n {
				t.Fatalf("shard %d of %d", s, n)
			}
			count[s]++
		}
		total := 0
		for _, c := range count {
			total += c
		}
		if total != len(run.Mutants()) || (n > 1 && len(count) < 2) {
			t.Errorf("n=%d: shards %v do not partition %d mutants", n, count, len(run.Mutants()))
		}
	}
}

func TestPanickingTestKills(t *testing.T) {
	run := mustFixtureRun(t)
	// Sum's i < len(xs) → i <= len(xs) indexes out of range: the test
	// panics, which is a failing test, not a runtime error.
	m := findMutant(t, run, "calc.go", 32, ConditionalsBoundary, "<")
	if m.Status != Killed || len(m.KilledBy) != 1 || m.KilledBy[0] != "TestSum" || !strings.Contains(m.StatusReason, "index out of range") {
		t.Errorf("status %s, killedBy %v, reason %q", m.Status, m.KilledBy, m.StatusReason)
	}
}

func TestEquivalentTextMutantsAreMadeOnce(t *testing.T) {
	run := mustFixtureRun(t)
	// "return true" in Positive: ReturnZero and Constant would both give
	// "return false"; only one of them is made.
	n := 0
	for _, m := range run.Mutants() {
		if m.File == "calc.go" && m.Start.Line == 48 {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d mutants on `return true`, want 1", n)
	}
}

func TestSchemataHandlesGenericsAndUnnamedParameters(t *testing.T) {
	run := mustFixtureRun(t)
	// Every mutant of shapes.go ran through the dispatch of a generic,
	// blank-parameter or unnamed-receiver function: none may fail to build,
	// and the tests kill the ones that change results.
	n := 0
	for _, m := range run.Mutants() {
		if m.File != "shapes.go" {
			continue
		}
		n++
		unusedVar := m.Status == CompileError && strings.Contains(m.StatusReason, "declared and not used")
		if (m.Status == CompileError && !unusedVar) || m.Status == RuntimeError {
			t.Errorf("%s:%d %s: %s %s", m.File, m.Start.Line, m.Description(), m.Status, m.StatusReason)
		}
	}
	if n < 6 {
		t.Errorf("%d mutants in shapes.go", n)
	}
	m := findMutant(t, run, "shapes.go", 25, ArithmeticBase, "+")
	if m.Status != Killed || m.KilledBy[0] != "TestShapes" {
		t.Errorf("0 + 1 → 0 - 1 in an unnamed-receiver method: %s %v", m.Status, m.KilledBy)
	}
}

func TestIsolatedBuildOfNonCompilingMutantIsCompileError(t *testing.T) {
	dir := copyFixture(t, "calc")
	pkg := loadFixture(t, dir)
	g := &generator{pkg: pkg, modRoot: pkg.Module.Dir, ops: map[Operator]bool{RemoveStatement: true, Constant: true}}
	files, _, err := g.generate(nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &engine{modRoot: pkg.Module.Dir}
	w := &pkgWork{pkg: pkg, tmp: t.TempDir()}
	var broken, fine *Mutant
	for _, fs := range files {
		for _, fn := range fs.funcs {
			for _, s := range fn.sites {
				switch {
				case s.m.Operator == RemoveStatement && s.m.Original == "keep(n)":
					broken = s.m
				case s.m.Operator == Constant && s.m.Original == "7":
					fine = s.m
				}
			}
		}
	}
	if broken == nil || fine == nil {
		t.Fatal("fixture mutants not found")
	}
	tests := []struct {
		m       *Mutant
		wantOK  bool
		wantMsg string
	}{{broken, false, "declared and not used"}, {fine, true, ""}}
	for _, tt := range tests {
		bin, ok, msg, err := e.buildIsolated(context.Background(), w, tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if ok != tt.wantOK || !strings.Contains(msg, tt.wantMsg) {
			t.Errorf("%s: ok=%v msg=%q", tt.m.Description(), ok, msg)
		}
		if ok {
			if _, err := os.Stat(bin); err != nil {
				t.Errorf("binary: %v", err)
			}
		}
	}
}
