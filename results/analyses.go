package results

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
)

// The analyses. Each is a constant script; values travel in bindings. Each
// first checks that the keys it queries are declared: on a results graph
// where nothing was ever stored it answers as on an empty one, where
// JanusGraph would refuse the query ("Undefined type used in query").
const (
	// resultProjection turns the OperationResult reached from Run 'r' at
	// Commit 'c' into the map pointOf reads.
	resultProjection = `project('hash', 'runId', 'started', 'setupKey', 'unit', 'higherIsBetter', 'n', 'median', 'p99', 'ciLo', 'ciHi', 'ciConfidence', 'samples').
  by(select('c').values('hash')).by(select('r').values('runId')).by(select('r').values('started')).
  by(select('r').coalesce(values('setupKey'), constant(''))).
  by('unit').by('higherIsBetter').by('n').by(coalesce(values('median'), constant(0.0d))).by(coalesce(values('p99'), constant(0.0d))).
  by(coalesce(values('ciLo'), constant(''))).by(coalesce(values('ciHi'), constant(''))).by(coalesce(values('ciConfidence'), constant(''))).
  by('samples')`

	// commitProjection turns Commit vertices into the maps commitOf reads.
	commitProjection = `project('hash', 'commitTime', 'message', 'author', 'parents').by('hash').
  by(coalesce(values('commitTime'), constant(''))).by(coalesce(values('message'), constant(''))).
  by(coalesce(values('author'), constant(''))).
  by(outE('parent').order().by('parentIndex').inV().values('hash').fold())`

	// QueryTrend walks the first-parent history of the Branch named bname
	// from its head and returns the commits' hashes in walk order (head
	// first), the commits and the results of operation opname of the
	// complete runs at them: [[order: [...], commits: [...], results: [...]]].
	QueryTrend = `if (!graph.containsPropertyKey('hash') || !graph.containsPropertyKey('name')) return [[order: [], commits: [], results: []]]
def walk = g.V().has('Branch', 'name', bname).out('head').
  emit().repeat(outE('parent').has('parentIndex', 0L).inV().dedup()).until(loops().is(gte(maxd))).toList()
def cs = walk.isEmpty() ? [] : g.V(walk).` + commitProjection + `.toList()
def rs = walk.isEmpty() ? [] : g.V(walk).as('c').in('atCommit').hasLabel('Run').has('status', 'complete').as('r').
  outE('hasResult').has('operation', opname).inV().` + resultProjection + `.toList()
[[order: walk.collect { it.value('hash') }, commits: cs, results: rs]]`

	// QueryFirstBad returns the commits of the range good..bad — the
	// ancestors of the Commit bad (itself included) that are not ancestors
	// of the Commit good (nor good itself), found by walking the parent
	// edges — with the results of operation opname of the complete runs at
	// each, and the results at good: [[found: [good?, bad?], good: [...],
	// commits: [...], results: [...]]].
	QueryFirstBad = `if (!graph.containsPropertyKey('hash')) return [[found: [], good: [], commits: [], results: []]]
def found = g.V().has('Commit', 'hash', within(good, bad)).values('hash').toList()
def anc = g.V().has('Commit', 'hash', good).emit().repeat(out('parent').dedup()).dedup().toSet()
def range = g.V().has('Commit', 'hash', bad).emit().repeat(out('parent').not(is(within(anc))).dedup()).
  not(is(within(anc))).dedup().toList()
def gr = g.V().has('Commit', 'hash', good).as('c').in('atCommit').hasLabel('Run').has('status', 'complete').as('r').
  outE('hasResult').has('operation', opname).inV().` + resultProjection + `.toList()
def cs = range.isEmpty() ? [] : g.V(range).` + commitProjection + `.toList()
def rs = range.isEmpty() ? [] : g.V(range).as('c').in('atCommit').hasLabel('Run').has('status', 'complete').as('r').
  outE('hasResult').has('operation', opname).inV().` + resultProjection + `.toList()
[[found: found, good: gr, commits: cs, results: rs]]`

	// QueryMutationTrend returns, for every complete MutationRun that
	// covers package pkgv ("" for every run), oldest first, its runId,
	// start, commit and the counts of its mutants (of pkgv only) per file
	// and status.
	QueryMutationTrend = `if (!graph.containsPropertyKey('complete')) return []
def t = pkgv != '' ? g.V().has('MutationRun', 'packages', pkgv).has('complete', true) : g.V().has('MutationRun', 'complete', true)
t.order().by('started', asc).project('runId', 'started', 'commit', 'files').
  by('runId').by('started').by(coalesce(values('commit'), constant(''))).
  by((pkgv != '' ? __.out('produced').has('package', pkgv) : __.out('produced')).
     group().by(out('inFile').values('fileId')).by(groupCount().by('status')))`

	// QueryTestsByKills ranks the tests of the complete MutationRun runv
	// ("" for the one started last) by the mutants of that run they killed
	// (killedBy), then by testId, with the mutants they executed
	// (coveredBy).
	QueryTestsByKills = `if (!graph.containsPropertyKey('complete')) return []
def t = runv != '' ? g.V().has('MutationRun', 'runId', runv).has('complete', true) :
  g.V().has('MutationRun', 'complete', true).order().by('started', desc).limit(1)
t.as('r').out('produced').out('coveredBy', 'killedBy').dedup().
  project('testId', 'name', 'package', 'kills', 'covers').by('testId').by('name').by('package').
  by(__.in('killedBy').in('produced').where(eq('r')).count()).
  by(__.in('coveredBy').in('produced').where(eq('r')).count()).
  order().by(select('kills'), desc).by(select('testId'), asc)`

	// QueryPersistentSurvivors returns the mutants (by mutantId) left
	// undetected (Survived or NoCoverage) by the complete MutationRuns of
	// at least nmin distinct commits, with their place and those commits.
	QueryPersistentSurvivors = `if (!graph.containsPropertyKey('complete')) return []
def groups = g.V().has('MutationRun', 'complete', true).as('r').
  out('produced').has('status', within('Survived', 'NoCoverage')).
  group().by('mutantId').by(select('r').values('commit').dedup().fold()).next()
def out = []
groups.each { k, cs ->
  if (cs.size() >= nmin) {
    def m = g.V().has('Mutant', 'mutantId', k).limit(1).valueMap('package', 'file', 'line', 'operator', 'original', 'replacement').by(unfold()).next()
    m.put('mutantId', k)
    m.put('commits', cs)
    out << m
  }
}
out`
)

// maxDepth bounds the first-parent walk of Trend.
const maxDepth = 1_000_000

// point is one operation result at a commit, as the analyses read it.
type point struct {
	hash, runID, setupKey string
	started               time.Time
	unit                  stats.Unit
	n                     int
	median, p99           float64
	ci                    stats.CI
	samples               []float64
}

// comparableTo reports whether p and q measured the same thing: same
// dataset, server, kind, driver and settings (Run.SetupKey), same unit.
func (p *point) comparableTo(q *point) bool {
	return p.setupKey == q.setupKey && p.unit == q.unit
}

func pointOf(v any) (*point, error) {
	m, ok := client.AsMap(v)
	if !ok {
		return nil, fmt.Errorf("unexpected result %v", v)
	}
	p := &point{hash: str(m["hash"]), runID: str(m["runId"]), setupKey: str(m["setupKey"]), started: timeOf(m["started"]),
		n: integer(m["n"]), median: num(m["median"]), p99: num(m["p99"])}
	p.unit.Name = str(m["unit"])
	p.unit.HigherIsBetter, _ = m["higherIsBetter"].(bool)
	if lo, ok := client.AsFloat64(m["ciLo"]); ok {
		p.ci = stats.CI{Center: p.median, Lo: lo, Hi: num(m["ciHi"]), Confidence: num(m["ciConfidence"]), Finite: true}
	} else {
		p.ci = stats.CI{Center: p.median, Confidence: stats.Confidence, Warning: "too few samples for a confidence interval"}
	}
	if err := json.Unmarshal([]byte(str(m["samples"])), &p.samples); err != nil {
		return nil, fmt.Errorf("run %s: samples: %w", p.runID, err)
	}
	return p, nil
}

func commitOf(v any) Commit {
	m, _ := client.AsMap(v)
	return Commit{Hash: str(m["hash"]), Time: timeOf(m["commitTime"]), Message: str(m["message"]),
		Author: str(m["author"]), Parents: strs(m["parents"])}
}

// latestPerCommit keeps, per commit hash, the latest started point.
func latestPerCommit(list []any) (map[string]*point, error) {
	out := map[string]*point{}
	for _, x := range list {
		p, err := pointOf(x)
		if err != nil {
			return nil, err
		}
		if q, ok := out[p.hash]; !ok || p.started.After(q.started) || (p.started.Equal(q.started) && p.runID > q.runID) {
			out[p.hash] = p
		}
	}
	return out, nil
}

// compareOp applies the regression rule to one operation's samples.
func (g *Graph) compareOp(op string, base, cur *point) (*compare.Result, error) {
	run := func(p *point) *baseline.Run {
		return &baseline.Run{FormatVersion: baseline.FormatVersion, Name: p.runID, Dataset: p.setupKey,
			Operations: []baseline.Operation{{Name: op, Unit: p.unit, Samples: p.samples}}}
	}
	rep, err := compare.Compare(run(base), run(cur), g.Compare)
	if err != nil {
		return nil, err
	}
	return &rep.Results[0], nil
}

// Trend returns the median and p99 of operation op along the first-parent
// history of branch, oldest first. The series holds the complete runs of
// op comparable with the newest one (same dataset, kind, driver, settings
// and server; the newest is the one nearest to the branch head, then the
// latest started): one point per commit, its latest such run. Each point
// but the first carries the verdict of bench/compare's rule (g.Compare)
// against the previous point. An unknown branch gives a *NotFoundError.
func (g *Graph) Trend(ctx context.Context, op, branch string) ([]TrendPoint, error) {
	res, err := g.read(ctx, QueryTrend, map[string]any{"bname": branch, "opname": op, "maxd": int64(maxDepth)})
	if err != nil {
		return nil, fmt.Errorf("results: trend of %s on %s: %w", op, branch, err)
	}
	m, err := res.Map()
	if err != nil {
		return nil, fmt.Errorf("results: trend of %s on %s: %w", op, branch, err)
	}
	order := strs(m["order"])
	if len(order) == 0 {
		return nil, &NotFoundError{What: "branch", Key: branch}
	}
	depth := make(map[string]int, len(order))
	for i, h := range order {
		if _, ok := depth[h]; !ok {
			depth[h] = i
		}
	}
	commits, _ := m["commits"].([]any)
	type node struct {
		depth int
		c     Commit
	}
	nodes := make([]node, 0, len(commits))
	for _, x := range commits {
		c := commitOf(x)
		nodes = append(nodes, node{depth: depth[c.Hash], c: c})
	}
	slices.SortStableFunc(nodes, func(a, b node) int { return cmp.Compare(b.depth, a.depth) })
	// The series is the runs comparable with the newest one (the
	// nearest to the head, then the latest started).
	rs, _ := m["results"].([]any)
	var all []*point
	var ref *point
	for _, x := range rs {
		p, err := pointOf(x)
		if err != nil {
			return nil, fmt.Errorf("results: trend of %s on %s: %w", op, branch, err)
		}
		all = append(all, p)
		if ref == nil || depth[p.hash] < depth[ref.hash] || (depth[p.hash] == depth[ref.hash] && p.started.After(ref.started)) {
			ref = p
		}
	}
	byHash := map[string]*point{}
	for _, p := range all {
		if q := byHash[p.hash]; p.comparableTo(ref) && (q == nil || p.started.After(q.started)) {
			byHash[p.hash] = p
		}
	}
	var out []TrendPoint
	var prev *point
	for _, nd := range nodes {
		p := byHash[nd.c.Hash]
		if p == nil {
			continue
		}
		tp := TrendPoint{Commit: nd.c, RunID: p.runID, Start: p.started, Unit: p.unit, N: p.n,
			Median: p.median, P99: p.p99, MedianCI: p.ci}
		if prev != nil {
			r, err := g.compareOp(op, prev, p)
			if err != nil {
				return nil, fmt.Errorf("results: trend of %s on %s: %w", op, branch, err)
			}
			tp.Verdict, tp.Delta, tp.Regressed = r.Verdict, r.Delta, r.Regressed
		}
		prev = p
		out = append(out, tp)
	}
	return out, nil
}

// FirstBad returns the first commit between good and bad (commit hashes)
// whose run of operation op regresses against good's by bench/compare's
// rule (g.Compare): it walks the commit DAG from bad back to good's
// ancestors, orders the commits of that range parents first (ties by
// commit time), and compares good's run with the latest complete run of
// each commit, among the runs of the setup (dataset, kind, driver,
// settings, server) of the latest run at bad (at good when bad has none). It
// returns a *NotFoundError for an unknown commit or when good has no run of
// op, and ErrNoRegression when no commit of the range regresses.
func (g *Graph) FirstBad(ctx context.Context, op, good, bad string) (Commit, error) {
	res, err := g.read(ctx, QueryFirstBad, map[string]any{"good": good, "bad": bad, "opname": op})
	if err != nil {
		return Commit{}, fmt.Errorf("results: first bad commit of %s in %s..%s: %w", op, good, bad, err)
	}
	m, err := res.Map()
	if err != nil {
		return Commit{}, fmt.Errorf("results: first bad commit of %s in %s..%s: %w", op, good, bad, err)
	}
	found := strs(m["found"])
	for _, h := range []string{good, bad} {
		if !slices.Contains(found, h) {
			return Commit{}, &NotFoundError{What: "commit", Key: h}
		}
	}
	// The setup compared is the latest run's at bad (else at good); the
	// reference is good's latest run of that setup.
	goodRuns, _ := m["good"].([]any)
	rs, _ := m["results"].([]any)
	atGood, err := latestPerCommit(goodRuns)
	if err != nil {
		return Commit{}, fmt.Errorf("results: first bad commit of %s: %w", op, err)
	}
	latest, err := latestPerCommit(rs)
	if err != nil {
		return Commit{}, fmt.Errorf("results: first bad commit of %s: %w", op, err)
	}
	setup := latest[bad]
	if setup == nil {
		setup = atGood[good]
	}
	var base *point
	if setup != nil {
		if bs, err := candidates(goodRuns, setup); err == nil {
			base = bs[good]
		}
	}
	if base == nil {
		return Commit{}, &NotFoundError{What: "complete run of " + op + " (comparable with the runs at " + bad + ") at commit", Key: good}
	}
	cand, err := candidates(rs, base)
	if err != nil {
		return Commit{}, fmt.Errorf("results: first bad commit of %s: %w", op, err)
	}
	list, _ := m["commits"].([]any)
	commits := make([]Commit, len(list))
	for i, x := range list {
		commits[i] = commitOf(x)
	}
	for _, c := range topoOrder(commits) {
		p := cand[c.Hash]
		if p == nil {
			continue
		}
		r, err := g.compareOp(op, base, p)
		if err != nil {
			return Commit{}, fmt.Errorf("results: first bad commit of %s: comparing %s with %s: %w", op, c.Hash, good, err)
		}
		if r.Regressed {
			return c, nil
		}
	}
	return Commit{}, ErrNoRegression
}

// candidates keeps, per commit, the latest point comparable with base.
func candidates(list []any, base *point) (map[string]*point, error) {
	var keep []any
	for _, x := range list {
		p, err := pointOf(x)
		if err != nil {
			return nil, err
		}
		if p.comparableTo(base) {
			keep = append(keep, x)
		}
	}
	return latestPerCommit(keep)
}

// topoOrder orders commits parents first (Kahn's algorithm over the
// parent edges inside the set), ties by commit time, then hash.
func topoOrder(commits []Commit) []Commit {
	in := map[string]bool{}
	for _, c := range commits {
		in[c.Hash] = true
	}
	pending := map[string]int{} // parents inside the set not yet emitted
	children := map[string][]string{}
	byHash := map[string]Commit{}
	for _, c := range commits {
		byHash[c.Hash] = c
		for _, p := range c.Parents {
			if in[p] {
				pending[c.Hash]++
				children[p] = append(children[p], c.Hash)
			}
		}
	}
	less := func(a, b Commit) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Hash, b.Hash)
	}
	var ready []Commit
	for _, c := range commits {
		if pending[c.Hash] == 0 {
			ready = append(ready, c)
		}
	}
	out := make([]Commit, 0, len(commits))
	for len(ready) > 0 {
		slices.SortFunc(ready, less)
		c := ready[0]
		ready = ready[1:]
		out = append(out, c)
		for _, ch := range children[c.Hash] {
			if pending[ch]--; pending[ch] == 0 {
				ready = append(ready, byHash[ch])
			}
		}
	}
	return out
}

// MutationTrend returns the counts of package pkg's mutants ("" for whole
// runs) in every complete mutation run covering it, oldest first, with the
// counts per file.
func (g *Graph) MutationTrend(ctx context.Context, pkg string) ([]MutationPoint, error) {
	res, err := g.read(ctx, QueryMutationTrend, map[string]any{"pkgv": pkg})
	if err != nil {
		return nil, fmt.Errorf("results: mutation trend of %q: %w", pkg, err)
	}
	out := make([]MutationPoint, 0, len(res))
	for _, x := range res {
		m, ok := client.AsMap(x)
		if !ok {
			return nil, fmt.Errorf("results: mutation trend: unexpected answer %v", x)
		}
		pt := MutationPoint{RunID: str(m["runId"]), Started: timeOf(m["started"]), Commit: str(m["commit"])}
		files, _ := client.AsMap(m["files"])
		for _, f := range slices.Sorted(maps.Keys(files)) {
			byStatus, _ := client.AsMap(files[f])
			c := countsOf(byStatus)
			pt.Files = append(pt.Files, FileCounts{File: f, Counts: c})
			pt.Counts.add(c)
		}
		out = append(out, pt)
	}
	return out, nil
}

func countsOf(byStatus map[string]any) Counts {
	var c Counts
	for s, v := range byStatus {
		n := integer(v)
		c.Total += n
		switch s {
		case "Killed":
			c.Killed += n
		case "Survived":
			c.Survived += n
		case "NoCoverage":
			c.NoCoverage += n
		case "Timeout":
			c.Timeout += n
		}
	}
	return c
}

func (c *Counts) add(d Counts) {
	c.Total += d.Total
	c.Killed += d.Killed
	c.Survived += d.Survived
	c.NoCoverage += d.NoCoverage
	c.Timeout += d.Timeout
}

// TestsByKills ranks the tests of mutation run runID ("" for the complete
// run started last) by the mutants they killed, most first, then by test
// id. An unknown or incomplete runID gives a *NotFoundError.
func (g *Graph) TestsByKills(ctx context.Context, runID string) ([]TestKills, error) {
	res, err := g.read(ctx, QueryTestsByKills, map[string]any{"runv": runID})
	if err != nil {
		return nil, fmt.Errorf("results: tests by kills: %w", err)
	}
	if len(res) == 0 && runID != "" {
		n, err := g.read(ctx, `if (!graph.containsPropertyKey('complete')) return 0L
g.V().has('MutationRun', 'runId', runv).has('complete', true).count()`, map[string]any{"runv": runID})
		if err != nil {
			return nil, fmt.Errorf("results: tests by kills: %w", err)
		}
		if c, _ := n.Int64(); c == 0 {
			return nil, &NotFoundError{What: "complete mutation run", Key: runID}
		}
	}
	out := make([]TestKills, 0, len(res))
	for _, x := range res {
		m, ok := client.AsMap(x)
		if !ok {
			return nil, fmt.Errorf("results: tests by kills: unexpected answer %v", x)
		}
		out = append(out, TestKills{TestID: str(m["testId"]), Name: str(m["name"]), Package: str(m["package"]),
			Kills: integer(m["kills"]), Covers: integer(m["covers"])})
	}
	return out, nil
}

// PersistentSurvivors returns the mutants left undetected (Survived or
// NoCoverage) by the complete mutation runs of at least n distinct commits
// (a "-dirty" work tree counts as its commit), most persistent first, then
// by package, file and line.
func (g *Graph) PersistentSurvivors(ctx context.Context, n int) ([]Survivor, error) {
	if n < 1 {
		return nil, errors.New("results: persistent survivors: n must be at least 1")
	}
	res, err := g.read(ctx, QueryPersistentSurvivors, map[string]any{"nmin": int64(n)})
	if err != nil {
		return nil, fmt.Errorf("results: persistent survivors: %w", err)
	}
	var out []Survivor
	for _, x := range res {
		m, ok := client.AsMap(x)
		if !ok {
			return nil, fmt.Errorf("results: persistent survivors: unexpected answer %v", x)
		}
		s := Survivor{MutantID: str(m["mutantId"]), Package: str(m["package"]), File: str(m["file"]),
			Line: integer(m["line"]), Operator: str(m["operator"]), Original: str(m["original"]),
			Replacement: str(m["replacement"])}
		for _, c := range strs(m["commits"]) {
			s.Commits = append(s.Commits, strings.TrimSuffix(c, "-dirty"))
		}
		slices.Sort(s.Commits)
		s.Commits = slices.Compact(s.Commits)
		if len(s.Commits) >= n {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Survivor) int {
		return cmp.Or(cmp.Compare(len(b.Commits), len(a.Commits)), cmp.Compare(a.Package, b.Package),
			cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.MutantID, b.MutantID))
	})
	return out, nil
}
