package mutation

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/tools/go/packages"
)

// Config configures [Execute]. The zero value mutates ./... of the module
// in the current directory with every operator and one worker per CPU.
type Config struct {
	// Dir is the directory the patterns are relative to; "" is ".".
	Dir string
	// Patterns are package patterns as for `go test`; empty means "./...".
	Patterns []string
	// Workers is the number of mutants tested at once; 0 means GOMAXPROCS.
	Workers int
	// FullMatrix runs every covering test of every mutant, to record every
	// killer, instead of stopping at the first failing test.
	FullMatrix bool
	// DiffRef, when set, mutates only the lines changed since that git
	// revision (`git diff -U0 REF`).
	DiffRef string
	// Shard and Shards select the mutants whose id falls in shard
	// Shard (1-based) of Shards; Shards 0 selects all.
	Shard, Shards int
	// Operators restricts the operators; empty means all of [Operators].
	Operators []Operator
	// MemoryLimit caps the data segment (heap) of every test process, in bytes
	// (prlimit --data, RLIMIT_DATA: unlike RLIMIT_AS it does not count the
	// address space the Go runtime only reserves). 0 means 4 GiB; negative
	// disables the cap.
	MemoryLimit int64
	// TimeoutFactor and TimeoutSlack give the deadline of one test run:
	// the covering tests' baseline time × TimeoutFactor + TimeoutSlack.
	// Zero means 3 and 2s.
	TimeoutFactor float64
	TimeoutSlack  time.Duration
	// SkipTests, when set, excludes the top-level tests it matches from
	// the baseline and from every mutant's run (for example a slow test
	// that restarts a server).
	SkipTests *regexp.Regexp
	// BaselineTimeout bounds one test of the baseline run; 0 means 10m.
	BaselineTimeout time.Duration
	// ForceIsolated builds every mutant on its own (one overlay build per
	// mutant) instead of using mutant schemata: slow; for checking the
	// schemata verdicts.
	ForceIsolated bool
	// Progress, when set, is called after every finished mutant.
	Progress func(Progress)
	// Log, when set, receives one line per phase of the run (coverage,
	// build), for a person watching.
	Log func(string)
	// Warn, when set, receives warnings (such as a nomutate directive
	// without a reason) as they happen; they are also kept in Run.Warnings.
	Warn func(string)
}

// Progress is a snapshot of a running [Execute].
type Progress struct {
	// Done of Total mutants are finished.
	Done, Total int
	// Killed counts Killed and Timeout (detected) mutants.
	Killed, Survived, NoCoverage int
	// Others counts CompileError and RuntimeError mutants.
	Others int
	// Elapsed is the time since Execute started.
	Elapsed time.Duration
	// Package is the import path of the package being tested.
	Package string
	// LastStatus is the status of the mutant that just finished.
	LastStatus Status
}

func (c *Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Run is the result of [Execute]: everything a report needs.
type Run struct {
	// ModulePath is the module's path; ModuleRoot its directory.
	ModulePath string `json:"modulePath"`
	ModuleRoot string `json:"moduleRoot"`
	Started    time.Time
	// Setup, Baseline and Mutation are the durations of the phases.
	Setup, Baseline, Mutation time.Duration
	Packages                  []*PackageResult `json:"packages"`
	Warnings                  []string         `json:"warnings,omitempty"`
	FullMatrix                bool             `json:"fullMatrix"`
	// Shard and Shards record Config.Shard and Config.Shards: a run of
	// shard K of N holds only its part of the mutants (Shards 0: all).
	Shard  int `json:"shard,omitempty"`
	Shards int `json:"shards,omitempty"`
}

// PackageResult is the part of a [Run] about one package.
type PackageResult struct {
	// Path is the import path.
	Path string `json:"path"`
	// Files holds the source of every file with mutants.
	Files []SourceFile `json:"files"`
	// Tests lists the package's top-level tests with baseline times.
	Tests   []*TestInfo `json:"tests"`
	Mutants []*Mutant   `json:"mutants"`
}

// SourceFile is a mutated file and its original text.
type SourceFile struct {
	// Path is slash-separated, relative to the module root.
	Path   string `json:"path"`
	Source string `json:"source"`
}

// Mutants returns the mutants of every package.
func (r *Run) Mutants() []*Mutant {
	var ms []*Mutant
	for _, p := range r.Packages {
		ms = append(ms, p.Mutants...)
	}
	return ms
}

// Counts counts the mutants of every package per status.
func (r *Run) Counts() Counts { return CountStatuses(r.Mutants()) }

type engine struct {
	cfg     Config
	modRoot string
	modPath string
	runner  *runner
	tmp     string

	mu       sync.Mutex
	warns    []string
	progress Progress
	started  time.Time
}

type pkgWork struct {
	pkg       *packages.Package
	dir       string
	tmp       string
	files     []*fileSites
	tests     []*TestInfo
	allBlocks map[string][]block
	fnRange   map[*Mutant][2]int
	bin       string // schemata test binary
	isolated  map[*Mutant]bool
	sc        *schemata
}

// Execute mutation-tests the packages of cfg and returns the run. It never
// writes the source tree: rewritten files live in a temporary directory and
// reach the compiler through `go test -overlay`. A package whose tests fail
// on the unmutated code stops the run with a [*BaselineError].
func Execute(ctx context.Context, cfg Config) (*Run, error) {
	start := time.Now()
	e := &engine{cfg: cfg, started: start}
	dir := cfg.Dir
	if dir == "" {
		dir = "."
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("mutation: %w", err)
	}
	if err := e.cfg.Validate(); err != nil {
		return nil, err
	}
	if e.cfg.DiffRef != "" {
		// Resolved before any long work, so that a mistyped ref fails at once.
		if e.cfg.DiffRef, err = resolveRef(ctx, dir, e.cfg.DiffRef); err != nil {
			return nil, err
		}
	}
	removeStaleWorkDirs(os.TempDir())
	e.tmp, err = os.MkdirTemp("", workDirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("mutation: %w", err)
	}
	defer os.RemoveAll(e.tmp)
	t2j, err := goCmd(ctx, dir, nil, "tool", "-n", "test2json")
	if err != nil {
		return nil, fmt.Errorf("mutation: locating test2json: %w: %s", err, t2j)
	}
	e.runner = &runner{test2json: strings.TrimSpace(string(t2j)), memLimit: cfg.MemoryLimit}
	if e.cfg.BaselineTimeout == 0 {
		e.cfg.BaselineTimeout = 10 * time.Minute
	}
	if e.runner.memLimit == 0 {
		e.runner.memLimit = 4 << 30
	}
	if e.runner.memLimit > 0 {
		if p, err := exec.LookPath("prlimit"); err == nil {
			e.runner.prlimit = p
		} else {
			e.warn("prlimit(1) not found: test processes run without a memory cap")
		}
	}
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	pkgs, err := packages.Load(&packages.Config{
		Context: ctx,
		Dir:     dir,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedSyntax |
			packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedModule,
	}, patterns...)
	if err != nil {
		return nil, fmt.Errorf("mutation: loading %v: %w", patterns, err)
	}
	var loadErrs []string
	for _, p := range pkgs {
		for _, pe := range p.Errors {
			loadErrs = append(loadErrs, pe.Error())
		}
	}
	if len(loadErrs) > 0 {
		return nil, fmt.Errorf("mutation: loading %v: %s", patterns, strings.Join(loadErrs, "; "))
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("mutation: no packages match %v", patterns)
	}
	for _, p := range pkgs {
		if p.Module == nil {
			return nil, fmt.Errorf("mutation: %s is not in a module", p.PkgPath)
		}
		if e.modRoot == "" {
			e.modRoot, e.modPath = p.Module.Dir, p.Module.Path
		}
	}
	ops := map[Operator]bool{}
	if len(cfg.Operators) == 0 {
		cfg.Operators = Operators()
	}
	for _, o := range cfg.Operators {
		ops[o] = true
	}
	keep, err := e.selector(ctx)
	if err != nil {
		return nil, err
	}
	run := &Run{ModulePath: e.modPath, ModuleRoot: e.modRoot, Started: start, FullMatrix: cfg.FullMatrix,
		Shard: cfg.Shard, Shards: cfg.Shards}
	var works []*pkgWork
	total := 0
	for i, p := range pkgs {
		if len(p.GoFiles) == 0 {
			continue
		}
		g := &generator{pkg: p, modRoot: e.modRoot, ops: ops}
		files, ignored, err := g.generate(keep)
		for _, w := range g.warnings {
			e.warn(w)
		}
		if err != nil {
			return nil, err
		}
		pr := &PackageResult{Path: p.PkgPath}
		w := &pkgWork{pkg: p, dir: filepath.Dir(p.GoFiles[0]), tmp: filepath.Join(e.tmp, strconv.Itoa(i)), files: files,
			fnRange: map[*Mutant][2]int{}, isolated: map[*Mutant]bool{}}
		if err := os.MkdirAll(w.tmp, 0o755); err != nil {
			return nil, fmt.Errorf("mutation: %w", err)
		}
		for _, fs := range files {
			has := false
			for _, fn := range fs.funcs {
				from, to := p.Fset.Position(fn.decl.Pos()).Line, p.Fset.Position(fn.decl.End()).Line
				for _, s := range fn.sites {
					pr.Mutants = append(pr.Mutants, s.m)
					w.fnRange[s.m] = [2]int{from, to}
					has = true
				}
			}
			for _, m := range ignored {
				has = has || m.File == fs.rel
			}
			if has {
				pr.Files = append(pr.Files, SourceFile{Path: fs.rel, Source: string(fs.src)})
			}
		}
		pr.Mutants = append(pr.Mutants, ignored...)
		total += len(pr.Mutants) - len(ignored)
		run.Packages = append(run.Packages, pr)
		works = append(works, w)
	}
	e.progress.Total = total
	run.Setup = time.Since(start)
	for i, w := range works {
		pr := run.Packages[i]
		if len(pr.Mutants) == 0 {
			continue
		}
		t0 := time.Now()
		e.log(fmt.Sprintf("%s: %d mutants; measuring per-test coverage on the unmutated code", pr.Path, len(pr.Mutants)))
		if hasTestFiles(w.dir) {
			tests, err := e.baseline(ctx, w)
			if err != nil {
				return nil, err
			}
			w.tests, pr.Tests = tests, tests
		}
		run.Baseline += time.Since(t0)
		t1 := time.Now()
		if err := e.mutatePackage(ctx, w, pr); err != nil {
			return nil, err
		}
		run.Mutation += time.Since(t1)
	}
	run.Warnings = e.warnings()
	return run, nil
}

func hasTestFiles(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	return len(m) > 0
}

func (e *engine) warn(s string) {
	e.mu.Lock()
	e.warns = append(e.warns, s)
	e.mu.Unlock()
	if e.cfg.Warn != nil {
		e.cfg.Warn(s)
	}
}

func (e *engine) log(s string) {
	if e.cfg.Log != nil {
		e.cfg.Log(s)
	}
}

func (e *engine) warnings() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.warns...)
}

// selector returns the filter for --diff and --shard, or nil.
func (e *engine) selector(ctx context.Context) (func(*Mutant) bool, error) {
	var changed map[string]map[int]bool
	if e.cfg.DiffRef != "" {
		var err error
		changed, err = changedLines(ctx, e.modRoot, e.cfg.DiffRef)
		if err != nil {
			return nil, err
		}
	}
	if changed == nil && e.cfg.Shards == 0 {
		return nil, nil
	}
	return func(m *Mutant) bool {
		if changed != nil && !changed[m.File][m.Start.Line] {
			return false
		}
		if e.cfg.Shards > 0 {
			return shardOf(m.ID, e.cfg.Shards) == e.cfg.Shard
		}
		return true
	}, nil
}

// shardOf maps a mutant id to a shard in 1..n.
func shardOf(id string, n int) int {
	b, err := hex.DecodeString(id)
	if err != nil || len(b) < 4 {
		return 1
	}
	return int(binary.BigEndian.Uint32(b[:4])%uint32(n)) + 1
}

var hunkRE = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@`)

// changedLines returns the lines added or changed since ref, per file
// relative to dir (`git diff -U0 --relative ref`).
func changedLines(ctx context.Context, dir, ref string) (map[string]map[int]bool, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, &RefError{Ref: ref, Problem: "a revision must not start with '-'"}
	}
	cmd := exec.CommandContext(ctx, "git", "diff", "-U0", "--no-color", "--no-ext-diff", "--relative", "--end-of-options", ref, "--")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("mutation: git diff %s: %w: %s", ref, err, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("mutation: git diff %s: %w", ref, err)
	}
	return parseDiff(string(out)), nil
}

// parseDiff reads the new-side line ranges of a unified diff with -U0.
func parseDiff(diff string) map[string]map[int]bool {
	res := map[string]map[int]bool{}
	file := ""
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++ "):
			file = strings.TrimPrefix(strings.TrimPrefix(l, "+++ "), "b/")
			if file == "/dev/null" {
				file = ""
			}
		case strings.HasPrefix(l, "@@ ") && file != "":
			m := hunkRE.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			start, _ := strconv.Atoi(m[1])
			n := 1
			if m[2] != "" {
				n, _ = strconv.Atoi(m[2])
			}
			if res[file] == nil {
				res[file] = map[int]bool{}
			}
			for i := start; i < start+n; i++ {
				res[file][i] = true
			}
		}
	}
	return res
}

// mutatePackage builds the schemata binary of one package and tests its
// mutants with the configured number of workers.
func (e *engine) mutatePackage(ctx context.Context, w *pkgWork, pr *PackageResult) error {
	var todo []*Mutant
	for _, m := range pr.Mutants {
		if m.Status == Pending {
			todo = append(todo, m)
		}
	}
	if len(w.tests) > 0 {
		sc, err := buildSchemata(w.pkg, w.files)
		if err != nil {
			return err
		}
		w.sc = sc
		slow := append([]*TestInfo(nil), w.tests...)
		sort.Slice(slow, func(i, j int) bool { return slow[i].Duration > slow[j].Duration })
		e.log(fmt.Sprintf("%s: %d tests measured (slowest: %s %v); building the mutant schemata test binary",
			w.pkg.PkgPath, len(w.tests), slow[0].Name, slow[0].Duration.Round(time.Millisecond)))
		if e.cfg.ForceIsolated {
			for _, m := range todo {
				w.isolated[m] = true
			}
		} else if err := e.buildShared(ctx, w); err != nil {
			return err
		}
	}
	jobs := make(chan *Mutant)
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	for range e.cfg.workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range jobs {
				if err := e.evalMutant(ctx, w, m); err != nil {
					select {
					case errc <- err:
					default:
					}
					continue
				}
				e.report(w, m)
			}
		}()
	}
	for _, m := range todo {
		if m.Status != Pending {
			e.report(w, m) // CompileError from type-checking
			continue
		}
		if ctx.Err() != nil {
			break
		}
		jobs <- m
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	sort.SliceStable(pr.Mutants, func(i, j int) bool {
		a, b := pr.Mutants[i], pr.Mutants[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
	return nil
}

func (e *engine) report(w *pkgWork, m *Mutant) {
	e.mu.Lock()
	p := &e.progress
	p.Done++
	switch m.Status {
	case Killed, Timeout:
		p.Killed++
	case Survived:
		p.Survived++
	case NoCoverage:
		p.NoCoverage++
	default:
		p.Others++
	}
	p.Elapsed = time.Since(e.started)
	p.Package = w.pkg.PkgPath
	p.LastStatus = m.Status
	snap := *p
	e.mu.Unlock()
	if e.cfg.Progress != nil {
		e.cfg.Progress(snap)
	}
}

// writeOverlay writes the files and an overlay description into dir.
func writeOverlay(dir, name string, files map[string][]byte) (string, error) {
	repl := map[string]string{}
	i := 0
	for orig, src := range files {
		p := filepath.Join(dir, fmt.Sprintf("%s-%d-%s", name, i, filepath.Base(orig)))
		i++
		if err := os.WriteFile(p, src, 0o644); err != nil {
			return "", fmt.Errorf("mutation: %w", err)
		}
		repl[orig] = p
	}
	b, err := json.Marshal(map[string]any{"Replace": repl})
	if err != nil {
		return "", fmt.Errorf("mutation: %w", err)
	}
	ov := filepath.Join(dir, name+"-overlay.json")
	if err := os.WriteFile(ov, b, 0o644); err != nil {
		return "", fmt.Errorf("mutation: %w", err)
	}
	return ov, nil
}

var buildErrRE = regexp.MustCompile(`(?m)^(?:\./)?([^\s:]+\.go):(\d+):(?:\d+:)? `)

// buildShared builds the schemata test binary. Mutants whose variant breaks
// the build are moved to isolated (per-mutant) builds.
func (e *engine) buildShared(ctx context.Context, w *pkgWork) error {
	for attempt := 0; attempt < 3; attempt++ {
		files := map[string][]byte{w.sc.switchPath: w.sc.switchSrc}
		for k, v := range w.sc.files {
			files[k] = v
		}
		ov, err := writeOverlay(w.tmp, fmt.Sprintf("schemata%d", attempt), files)
		if err != nil {
			return err
		}
		bin := filepath.Join(w.tmp, "mutants.test")
		out, err := goCmd(ctx, e.modRoot, nil, "test", "-c", "-json", "-vet=off", "-overlay", ov, "-o", bin, w.pkg.PkgPath)
		text, failed := buildOutput(out)
		if err == nil && !failed {
			w.bin = bin
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Find the mutants whose variants the compiler rejected.
		bad := map[*site]bool{}
		for _, mm := range buildErrRE.FindAllStringSubmatch(text, -1) {
			line, _ := strconv.Atoi(mm[2])
			for _, fs := range w.files {
				if filepath.Base(fs.abs) != filepath.Base(mm[1]) {
					continue
				}
				_, ranges, _, rerr := renderFile(w.pkg.Fset, fs, activeSites(w))
				if rerr != nil {
					return rerr
				}
				for _, r := range ranges {
					if line >= r.from && line <= r.to {
						bad[r.site] = true
					}
				}
			}
		}
		if len(bad) == 0 {
			break
		}
		for s := range bad {
			w.isolated[s.m] = true
		}
		if err := e.rerender(w); err != nil {
			return err
		}
	}
	// The shared build could not be repaired: every mutant builds alone.
	for _, fs := range w.files {
		for _, fn := range fs.funcs {
			for _, s := range fn.sites {
				w.isolated[s.m] = true
			}
		}
	}
	e.warn(fmt.Sprintf("%s: the schemata build failed; falling back to one build per mutant", w.pkg.PkgPath))
	return nil
}

func activeSites(w *pkgWork) map[*site]bool {
	act := map[*site]bool{}
	for _, fs := range w.files {
		for _, fn := range fs.funcs {
			for _, s := range fn.sites {
				if s.m.Status == Pending && !w.isolated[s.m] {
					act[s] = true
				}
			}
		}
	}
	return act
}

func (e *engine) rerender(w *pkgWork) error {
	act := activeSites(w)
	for _, fs := range w.files {
		if _, ok := w.sc.files[fs.abs]; !ok {
			continue
		}
		src, _, _, err := renderFile(w.pkg.Fset, fs, act)
		if err != nil {
			return err
		}
		w.sc.files[fs.abs] = src
	}
	return nil
}

// buildIsolated builds one mutant on its own: the mutated file through an
// overlay. It returns the binary, or ok=false with the compiler output
// when the mutant does not build.
func (e *engine) buildIsolated(ctx context.Context, w *pkgWork, m *Mutant) (bin string, ok bool, msg string, err error) {
	abs := filepath.Join(e.modRoot, filepath.FromSlash(m.File))
	src, err := readFile(abs)
	if err != nil {
		return "", false, "", err
	}
	msrc, err := mutateSource(src, w.pkg.Fset, abs, m)
	if err != nil {
		return "", false, "", err
	}
	dir := filepath.Join(w.tmp, "m-"+m.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false, "", fmt.Errorf("mutation: %w", err)
	}
	ov, err := writeOverlay(dir, "mutant", map[string][]byte{abs: msrc})
	if err != nil {
		return "", false, "", err
	}
	bin = filepath.Join(dir, "mutant.test")
	out, err := goCmd(ctx, e.modRoot, nil, "test", "-c", "-json", "-vet=off", "-overlay", ov, "-o", bin, w.pkg.PkgPath)
	text, failed := buildOutput(out)
	if ctx.Err() != nil {
		return "", false, "", ctx.Err()
	}
	if err != nil || failed {
		return "", false, strings.TrimSpace(text), nil
	}
	return bin, true, "", nil
}

// evalMutant tests one mutant and sets its status.
func (e *engine) evalMutant(ctx context.Context, w *pkgWork, m *Mutant) error {
	rng := w.fnRange[m]
	cov := coveringTests(w.tests, w.allBlocks, w.pkg.PkgPath, m, rng[0], rng[1])
	if len(cov) == 0 {
		m.Status, m.StatusReason = NoCoverage, "no test executes this code"
		return nil
	}
	sort.SliceStable(cov, func(i, j int) bool { return cov[i].Duration < cov[j].Duration })
	m.CoveredBy = nil
	for _, t := range cov {
		m.CoveredBy = append(m.CoveredBy, t.Name)
	}
	bin, env := w.bin, []string{fmt.Sprintf("%s=%d", EnvMutant, m.num)}
	if w.isolated[m] || bin == "" {
		b, ok, msg, err := e.buildIsolated(ctx, w, m)
		if err != nil {
			return err
		}
		if !ok {
			m.Status, m.StatusReason = CompileError, msg
			return nil
		}
		defer os.RemoveAll(filepath.Dir(b))
		bin, env = b, nil
	}
	var groups [][]*TestInfo
	if e.cfg.FullMatrix {
		for _, t := range cov {
			groups = append(groups, []*TestInfo{t})
		}
	} else {
		groups = append(groups, cov[:1])
		if len(cov) > 1 {
			groups = append(groups, cov[1:])
		}
	}
	start := time.Now()
	defer func() { m.Duration = time.Since(start) }()
	m.Status = Survived
	var reasons []string
	for _, g := range groups {
		res, err := e.runGroup(ctx, w, bin, env, g)
		if err != nil {
			return err
		}
		m.TestsCompleted += res.completed
		switch res.status {
		case Killed:
			m.KilledBy = append(m.KilledBy, res.failed...)
			if m.Status != Killed {
				m.Status = Killed
			}
			reasons = append(reasons, res.reason)
		case Timeout, RuntimeError:
			if m.Status != Killed {
				m.Status, m.StatusReason = res.status, res.reason
			}
			if !e.cfg.FullMatrix {
				return nil
			}
			continue
		}
		if m.Status == Killed && !e.cfg.FullMatrix {
			break
		}
	}
	if m.Status == Killed {
		m.StatusReason = strings.Join(reasons, "\n")
	}
	return nil
}

// runGroup runs tests with the deadline from their baseline time; a
// timeout is believed only when a second run times out too.
func (e *engine) runGroup(ctx context.Context, w *pkgWork, bin string, env []string, tests []*TestInfo) (*testOutcome, error) {
	var base time.Duration
	names := make([]string, len(tests))
	for i, t := range tests {
		base += t.Duration
		names[i] = t.Name
	}
	factor, slack := e.cfg.TimeoutFactor, e.cfg.TimeoutSlack
	if factor == 0 {
		factor = 3
	}
	if slack == 0 {
		slack = 2 * time.Second
	}
	timeout := time.Duration(float64(base)*factor) + slack
	failfast := !e.cfg.FullMatrix && len(tests) > 1
	var res *testOutcome
	for try := 0; try < 2; try++ {
		var err error
		res, err = e.runner.run(ctx, bin, w.dir, w.pkg.PkgPath, names, env, timeout, failfast, "")
		if err != nil {
			return nil, err
		}
		if res.status != Timeout {
			return res, nil
		}
	}
	res.reason += fmt.Sprintf(" (baseline %v ×%g + %v; confirmed by a second run)", base.Round(time.Millisecond), factor, slack)
	return res, nil
}

func readFile(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("mutation: %w", err)
	}
	return b, nil
}

// workDirPrefix starts the name of a run's work directory, followed by the
// pid of the process that owns it.
const workDirPrefix = "graphperf-mutate-"

// removeStaleWorkDirs removes the work directories in dir whose process
// no longer exists: those of runs killed with SIGKILL, which could not
// clean up after themselves.
func removeStaleWorkDirs(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), workDirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// processAlive reports whether a process with pid exists (signal 0 is
// delivered or refused for lack of permission).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
