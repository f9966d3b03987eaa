package mutation

import (
	"bufio"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// block is one covered block of a cover profile (cmd/cover format).
type block struct {
	startLine, startCol, endLine, endCol int
}

func (b block) contains(p Position) bool {
	after := p.Line > b.startLine || (p.Line == b.startLine && p.Column >= b.startCol)
	before := p.Line < b.endLine || (p.Line == b.endLine && p.Column <= b.endCol)
	return after && before
}

// TestInfo describes one top-level test of a package, measured on the
// unmutated code.
type TestInfo struct {
	// Name is the top-level test name, e.g. "TestTransfer".
	Name string `json:"name"`
	// File is the test file relative to the module root, "" if unknown.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Duration is the baseline wall time of running this test alone.
	Duration time.Duration `json:"duration"`

	covered map[string][]block // profile file name → blocks with count > 0
}

// baseline measures per-test coverage of one package on the unmutated tree:
// one instrumented binary, each test run alone with -test.coverprofile.
// (-overlay is ignored together with -cover, golang/go#73802, so coverage
// must come from the unmutated tree anyway.)
func (e *engine) baseline(ctx context.Context, p *pkgWork) ([]*TestInfo, error) {
	bin := filepath.Join(p.tmp, "cover.test")
	out, err := goCmd(ctx, e.modRoot, nil, "test", "-c", "-json", "-vet=off", "-cover", "-covermode=set", "-o", bin, p.pkg.PkgPath)
	if text, failed := buildOutput(out); err != nil || failed {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &BuildError{Package: p.pkg.PkgPath, Output: text}
	}
	all, err := listTests(ctx, bin, p.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range all {
		if e.cfg.SkipTests == nil || !e.cfg.SkipTests.MatchString(n) {
			names = append(names, n)
		}
	}
	locs := testLocations(p.dir, e.modRoot)
	tests := make([]*TestInfo, len(names))
	var mu sync.Mutex
	var failing, capped []string
	capReason := map[string]string{}
	var firstErr error
	sem := make(chan struct{}, e.cfg.workers())
	var wg sync.WaitGroup
	for i, name := range names {
		t := &TestInfo{Name: name}
		if l, ok := locs[name]; ok {
			t.File, t.Line = l.file, l.line
		}
		tests[i] = t
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			prof := filepath.Join(p.tmp, fmt.Sprintf("cover-%d.out", i))
			res, err := e.runner.run(ctx, bin, p.dir, p.pkg.PkgPath, []string{name}, nil, e.cfg.BaselineTimeout, false, prof)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			t.Duration = res.elapsed
			if res.memCap {
				capped = append(capped, name)
				capReason[name] = firstLine(res.reason)
				return
			}
			if res.status != Survived {
				failing = append(failing, fmt.Sprintf("%s (%s: %s)", name, res.status, firstLine(res.reason)))
				return
			}
			var all map[string][]block
			t.covered, all, err = readProfile(prof)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			if p.allBlocks == nil {
				p.allBlocks = all
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if len(capped) > 0 {
		sort.Strings(capped)
		return nil, &MemoryLimitError{Package: p.pkg.PkgPath, Limit: e.runner.memLimit, Tests: capped, Reason: capReason[capped[0]]}
	}
	if len(failing) > 0 {
		sort.Strings(failing)
		return nil, &BaselineError{Package: p.pkg.PkgPath, Failing: failing}
	}
	return tests, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	lines := strings.Split(s, "\n")
	for _, l := range lines {
		if strings.Contains(l, "--- FAIL") || strings.Contains(l, "panic:") || strings.Contains(l, "_test.go:") {
			return strings.TrimSpace(l)
		}
	}
	if len(lines) > 0 {
		return strings.TrimSpace(lines[len(lines)-1])
	}
	return ""
}

// listTests returns the tests, examples and fuzz targets of a test binary.
func listTests(ctx context.Context, bin, dir string) ([]string, error) {
	out, err := goExec(ctx, dir, bin, "-test.list", ".")
	if err != nil {
		return nil, fmt.Errorf("mutation: listing the tests of %s: %w: %s", bin, err, out)
	}
	var names []string
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "Test") || strings.HasPrefix(l, "Example") || strings.HasPrefix(l, "Fuzz") {
			names = append(names, l)
		}
	}
	return names, nil
}

type testLoc struct {
	file string
	line int
}

// testLocations finds the declarations of test functions in dir.
func testLocations(dir, modRoot string) map[string]testLoc {
	locs := map[string]testLoc{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return locs
	}
	fset := token.NewFileSet()
	for _, en := range entries {
		if !strings.HasSuffix(en.Name(), "_test.go") {
			continue
		}
		abs := filepath.Join(dir, en.Name())
		f, err := parser.ParseFile(fset, abs, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		rel, _ := filepath.Rel(modRoot, abs)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				locs[fd.Name.Name] = testLoc{file: filepath.ToSlash(rel), line: fset.Position(fd.Pos()).Line}
			}
		}
	}
	return locs
}

// readProfile reads a cover profile: the blocks with a count > 0, and all
// blocks.
func readProfile(name string) (covered, all map[string][]block, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("mutation: reading coverage: %w", err)
	}
	defer f.Close()
	covered, all = map[string][]block{}, map[string][]block{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mode:") || line == "" {
			continue
		}
		// name.go:L1.C1,L2.C2 numStmts count
		colon := strings.LastIndex(line, ":")
		if colon < 0 {
			continue
		}
		file, rest := line[:colon], line[colon+1:]
		fields := strings.Fields(rest)
		if len(fields) != 3 {
			continue
		}
		var b block
		if _, err := fmt.Sscanf(fields[0], "%d.%d,%d.%d", &b.startLine, &b.startCol, &b.endLine, &b.endCol); err != nil {
			return nil, nil, fmt.Errorf("mutation: bad coverage line %q: %w", line, err)
		}
		all[file] = append(all[file], b)
		if fields[2] != "0" {
			covered[file] = append(covered[file], b)
		}
	}
	return covered, all, sc.Err()
}

// coveringTests returns the tests that execute m: those with a covered
// block around m's position, or, when no block of the profile holds that
// position (a declaration, for instance), those that executed any block of
// m's function.
func coveringTests(tests []*TestInfo, all map[string][]block, pkgPath string, m *Mutant, fnFrom, fnTo int) []*TestInfo {
	key := path.Join(pkgPath, path.Base(m.File))
	var out []*TestInfo
	for _, t := range tests {
		for _, b := range t.covered[key] {
			if b.contains(m.Start) {
				out = append(out, t)
				break
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, b := range all[key] {
		if b.contains(m.Start) {
			return nil // measured, and executed by no test
		}
	}
	for _, t := range tests {
		for _, b := range t.covered[key] {
			if b.startLine >= fnFrom && b.endLine <= fnTo {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

func goExec(ctx context.Context, dir, bin string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}
