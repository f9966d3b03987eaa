package loader

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
)

// BenchConfig configures [Bench].
type BenchConfig struct {
	// Rounds is the number of measured rounds of each load (default 3).
	Rounds int
	// Load configures the loader under test; StateDir is replaced by a
	// fresh temporary directory per round.
	Load Config
	// NaivePerLabel is the number of vertices per vertex label in the
	// naive reference's slice (default 50); its edges are those of the
	// source joining two of them, at most 4×NaivePerLabel.
	NaivePerLabel int
	// ServerThreads is the number of concurrent server-side scripts of the
	// server-side reference (default 2: the local server's gremlinPool).
	ServerThreads int
	// Log, when set, receives a line per measured load.
	Log func(string)
}

// Rate is one measured load.
type Rate struct {
	Elements int64         `json:"elements"`
	Elapsed  time.Duration `json:"elapsedNs"`
	// PerSec is Elements per second of Elapsed.
	PerSec float64 `json:"perSec"`
}

func rateOf(n int64, d time.Duration) Rate {
	r := Rate{Elements: n, Elapsed: d}
	if d > 0 {
		r.PerSec = float64(n) / d.Seconds()
	}
	return r
}

// BenchResult holds every round of the three loads and their ratios.
type BenchResult struct {
	Source string `json:"source"`
	// Loader, Naive and ServerSide are the rounds of each load.
	Loader     []Rate `json:"loader"`
	Naive      []Rate `json:"naive"`
	ServerSide []Rate `json:"serverSide"`
	// Summaries of elements/s per load.
	LoaderSummary     stats.Summary `json:"loaderSummary"`
	NaiveSummary      stats.Summary `json:"naiveSummary"`
	ServerSideSummary stats.Summary `json:"serverSideSummary"`
	// NaiveRatio is the loader's median rate over the naive one;
	// ServerRatio the loader's median over the server-side limit's.
	NaiveRatio  float64 `json:"naiveRatio"`
	ServerRatio float64 `json:"serverRatio"`
}

// Targets of the load benchmark.
const (
	TargetNaiveRatio  = 100
	TargetServerRatio = 0.5
)

// MeetsTargets reports whether both ratios reach their targets.
func (r *BenchResult) MeetsTargets() bool {
	return r.NaiveRatio >= TargetNaiveRatio && r.ServerRatio >= TargetServerRatio
}

// WriteText writes the side-by-side table.
func (r *BenchResult) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "load\trounds\telements\tmedian el/s\tmin\tmax\tIQR\tloader ×\t\n")
	row := func(name string, rs []Rate, s stats.Summary, ratio string) {
		var n int64
		if len(rs) > 0 {
			n = rs[0].Elements
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t\n", name, len(rs), n, s.Median, s.Min, s.Max, s.IQR, ratio)
	}
	row("graphperf loader", r.Loader, r.LoaderSummary, "1")
	row("naive (1 request/element)", r.Naive, r.NaiveSummary, fmt.Sprintf("%.1f", r.NaiveRatio))
	row("server-side script", r.ServerSide, r.ServerSideSummary, fmt.Sprintf("%.2f", r.ServerRatio))
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	_, err := fmt.Fprintf(w, "source %s\nloader/naive %.1f× (target ≥ %d×: %s), loader/server-side %.2f× (target ≥ %.1f×: %s)\n",
		r.Source, r.NaiveRatio, TargetNaiveRatio, verdict(r.NaiveRatio >= TargetNaiveRatio),
		r.ServerRatio, TargetServerRatio, verdict(r.ServerRatio >= TargetServerRatio))
	return err
}

// Bench loads src into a fresh graph cfg.Rounds times with the loader,
// and, in the same rounds on the same server, runs the two references: the
// naive loader (one request per element, sequential, indexed endpoint
// lookups) on a slice of src, and the server-side limit (a script inside
// the server creating as many vertices and edges of each label, with the
// properties of src's first element of that label, in transactions of the
// same batch size, on ServerThreads threads). The graph is dropped before
// every load. The schema must exist.
func Bench(ctx context.Context, sub Submitter, src *Source, cfg BenchConfig) (*BenchResult, error) {
	if cfg.Rounds <= 0 {
		cfg.Rounds = 3
	}
	if cfg.NaivePerLabel <= 0 {
		cfg.NaivePerLabel = 50
	}
	if cfg.ServerThreads <= 0 {
		cfg.ServerThreads = 2
	}
	lc := cfg.Load.withDefaults()
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			cfg.Log(fmt.Sprintf(format, args...))
		}
	}
	slice, templates, err := benchInputs(ctx, src, cfg.NaivePerLabel)
	if err != nil {
		return nil, err
	}
	res := &BenchResult{Source: src.Name}
	for round := 1; round <= cfg.Rounds; round++ {
		if _, err := Drop(ctx, sub, 0); err != nil {
			return nil, err
		}
		dir, err := os.MkdirTemp("", "graphperf-load-bench-")
		if err != nil {
			return nil, err
		}
		c := lc
		c.StateDir, c.Resume, c.Reset, c.Progress = dir, false, true, nil
		l, err := New(sub, c)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		rep, err := l.Load(ctx, src)
		os.RemoveAll(dir)
		if err != nil {
			return nil, fmt.Errorf("loader: bench round %d: %w", round, err)
		}
		r := rateOf(rep.Vertices+rep.Edges, rep.Elapsed)
		res.Loader = append(res.Loader, r)
		logf("round %d: loader %d elements in %.2fs: %.0f/s", round, r.Elements, r.Elapsed.Seconds(), r.PerSec)

		if _, err := Drop(ctx, sub, 0); err != nil {
			return nil, err
		}
		r, err = serverSideLoad(ctx, sub, src, templates, lc.BatchSize, cfg.ServerThreads, round)
		if err != nil {
			return nil, fmt.Errorf("loader: bench round %d, server-side: %w", round, err)
		}
		res.ServerSide = append(res.ServerSide, r)
		logf("round %d: server-side %d elements in %.2fs: %.0f/s", round, r.Elements, r.Elapsed.Seconds(), r.PerSec)

		if _, err := Drop(ctx, sub, 0); err != nil {
			return nil, err
		}
		r, err = naiveLoad(ctx, sub, slice)
		if err != nil {
			return nil, fmt.Errorf("loader: bench round %d, naive: %w", round, err)
		}
		res.Naive = append(res.Naive, r)
		logf("round %d: naive %d elements in %.2fs: %.0f/s", round, r.Elements, r.Elapsed.Seconds(), r.PerSec)
	}
	unit := stats.Rate("elements/s")
	rates := func(rs []Rate) []float64 {
		out := make([]float64, len(rs))
		for i, r := range rs {
			out[i] = r.PerSec
		}
		return out
	}
	res.LoaderSummary = stats.Summarize(rates(res.Loader), unit)
	res.NaiveSummary = stats.Summarize(rates(res.Naive), unit)
	res.ServerSideSummary = stats.Summarize(rates(res.ServerSide), unit)
	if m := res.NaiveSummary.Median; m > 0 {
		res.NaiveRatio = res.LoaderSummary.Median / m
	}
	if m := res.ServerSideSummary.Median; m > 0 {
		res.ServerRatio = res.LoaderSummary.Median / m
	}
	return res, nil
}

// benchTemplate is one label's template for the server-side script.
type benchTemplate struct {
	label banking.Label
	count int64
	props map[string]any // without the id key
}

// benchInputs streams src once: the naive slice and the templates.
func benchInputs(ctx context.Context, src *Source, perLabel int) ([]*chunk, []benchTemplate, error) {
	var (
		vertices [banking.NumVertexLabels]*chunk
		edges    = map[banking.Label]*chunk{}
		order    []banking.Label
		chosen   [banking.NumVertexLabels]map[int64]bool
		tmpl     [banking.NumLabels]map[string]any
		maxEdges = 4 * perLabel
		nEdges   int
	)
	err := src.run(ctx, func(p *part) error {
		if tmpl[p.label] == nil && p.len() > 0 {
			t := make(map[string]any, len(p.props[0]))
			for k, v := range p.props[0] {
				if k != p.label.IDKey() {
					t[k] = v
				}
			}
			tmpl[p.label] = t
		}
		if p.label.Kind() == banking.VertexKind {
			c := vertices[p.label]
			if c == nil {
				c = &chunk{label: p.label, ids: []int64{}}
				vertices[p.label] = c
				chosen[p.label] = map[int64]bool{}
			}
			for i := 0; i < p.len() && c.len() < perLabel; i++ {
				c.ids = append(c.ids, p.ids[i])
				c.props = append(c.props, p.props[i])
				chosen[p.label][p.ids[i]] = true
			}
			return nil
		}
		for i := 0; i < p.len() && nEdges < maxEdges; i++ {
			e := p.ends[i]
			if !chosen[e.FromLabel][e.From] || !chosen[e.ToLabel][e.To] {
				continue
			}
			c := edges[p.label]
			if c == nil {
				c = &chunk{label: p.label}
				edges[p.label] = c
				order = append(order, p.label)
			}
			c.ends = append(c.ends, e)
			c.props = append(c.props, p.props[i])
			nEdges++
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var slice []*chunk
	for _, c := range vertices {
		if c != nil {
			slice = append(slice, c)
		}
	}
	for _, l := range order {
		slice = append(slice, edges[l])
	}
	var templates []benchTemplate
	for l := range banking.Label(banking.NumLabels) {
		if src.Counts[l] > 0 && tmpl[l] != nil {
			templates = append(templates, benchTemplate{label: l, count: src.Counts[l], props: tmpl[l]})
		}
	}
	return slice, templates, nil
}

const (
	// naiveVertexScript creates one vertex, as simple loaders do.
	naiveVertexScript = `def t = g.addV(elabel)
for (e in p) { t = t.property(e.key, e.value) }
t.id().next()`
	// naiveEdgeScript creates one edge, looking its endpoints up by index.
	naiveEdgeScript = `def t = g.V().has(ol, ok, ob).as('a').V().has(il, ik, ib).addE(elabel).from('a')
for (e in p) { t = t.property(e.key, e.value) }
t.iterate()
1L`
)

// naiveLoad sends the slice one element per request, sequentially.
func naiveLoad(ctx context.Context, sub Submitter, slice []*chunk) (Rate, error) {
	var n int64
	start := time.Now()
	for _, c := range slice {
		for i := range c.props {
			var (
				script string
				b      map[string]any
			)
			if c.ids != nil {
				script, b = naiveVertexScript, map[string]any{bindLabel: c.label.String(), "p": c.props[i]}
			} else {
				e := c.ends[i]
				script, b = naiveEdgeScript, map[string]any{bindLabel: c.label.String(), "p": c.props[i],
					"ol": e.FromLabel.String(), "ok": e.FromLabel.IDKey(), "ob": e.From,
					"il": e.ToLabel.String(), "ik": e.ToLabel.IDKey(), "ib": e.To}
			}
			if _, err := sub.Submit(ctx, script, b); err != nil {
				return Rate{}, fmt.Errorf("%s element %d: %w", c.label, i, err)
			}
			n++
		}
	}
	return rateOf(n, time.Since(start)), nil
}

const (
	// serverVerticesScript creates, inside the server, n vertices per
	// template (business ids from base), committing every bsize, and
	// returns [created, nanoseconds].
	serverVerticesScript = `def t0 = System.nanoTime()
long made = 0
for (x in tmpl) {
  for (long i = 0; i < x.n; i++) {
    def kv = new Object[x.p.size() * 2 + 4]
    kv[0] = T.label; kv[1] = x.l; kv[2] = x.k; kv[3] = x.b + i
    int j = 4
    for (e in x.p) { kv[j++] = e.key; kv[j++] = e.value }
    graph.addVertex(kv)
    if (++made % bsize == 0) graph.tx().commit()
  }
}
graph.tx().commit()
[made, System.nanoTime() - t0]`
	// serverEdgesScript creates n edges per template between existing
	// vertices of the template's end labels (vertex ids are listed before
	// the clock starts), fetching each batch's endpoints with one
	// multi-get as the loader does, committing every bsize; it returns
	// [created, nanoseconds].
	serverEdgesScript = `def ids = [:]
for (x in tmpl) { for (l in [x.fl, x.tl]) { if (!ids.containsKey(l)) ids[l] = g.V().hasLabel(l).id().toList() } }
def t0 = System.nanoTime()
long made = 0
for (x in tmpl) {
  def fs = ids[x.fl]; def ts = ids[x.tl]
  for (long lo = 0; lo < x.n; lo += bsize) {
    long hi = Math.min(x.n, lo + bsize)
    def want = new HashSet()
    for (long i = lo; i < hi; i++) {
      int ti = (int) ((x.s + i * 104729 + 1) % ts.size())
      want.add(fs[(int) ((x.s + i * 7919) % fs.size())]); want.add(ts[ti]); want.add(ts[(ti + 1) % ts.size()])
    }
    def vs = new HashMap()
    graph.vertices(want.toArray()).each { vs.put(it.id(), it) }
    for (long i = lo; i < hi; i++) {
      int ti = (int) ((x.s + i * 104729 + 1) % ts.size())
      def a = vs.get(fs[(int) ((x.s + i * 7919) % fs.size())]); def b = vs.get(ts[ti])
      if (a.is(b)) b = vs.get(ts[(ti + 1) % ts.size()]) // no self-loops: the data has none
      def kv = new Object[x.p.size() * 2]
      int j = 0
      for (e in x.p) { kv[j++] = e.key; kv[j++] = e.value }
      a.addEdge(x.l, b, kv)
      made++
    }
    graph.tx().commit()
  }
}
[made, System.nanoTime() - t0]`
)

// serverSideLoad runs the server-side reference: vertices then edges,
// each phase split over threads concurrent scripts; the elapsed time of a
// phase is the slowest script's own clock.
func serverSideLoad(ctx context.Context, sub Submitter, src *Source, templates []benchTemplate, bsize, threads, round int) (Rate, error) {
	var total int64
	var elapsed time.Duration
	for _, kind := range []banking.Kind{banking.VertexKind, banking.EdgeKind} {
		parts := make([][]map[string]any, threads)
		for _, t := range templates {
			if t.label.Kind() != kind {
				continue
			}
			info := t.label.Info()
			for k := range threads {
				n := t.count / int64(threads)
				if k == threads-1 {
					n = t.count - n*int64(threads-1)
				}
				lo := t.count / int64(threads) * int64(k)
				m := map[string]any{"l": info.Name, "n": n, "p": t.props}
				if kind == banking.VertexKind {
					m["k"], m["b"] = info.IDKey, int64(round)<<40+lo
				} else {
					m["fl"], m["tl"], m["s"] = info.From[0].String(), info.To[0].String(), lo
				}
				parts[k] = append(parts[k], m)
			}
		}
		script := serverVerticesScript
		if kind == banking.EdgeKind {
			script = serverEdgesScript
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			first error
			made  int64
			slow  time.Duration
		)
		for k := range threads {
			wg.Go(func() {
				res, err := sub.Submit(client.Idempotent(ctx), script, map[string]any{"tmpl": parts[k], "bsize": int64(bsize)})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					first = err
					return
				}
				vals, err := int64s(res)
				if err != nil || len(vals) != 2 {
					first = fmt.Errorf("server-side script answered %v", res)
					return
				}
				made += vals[0]
				slow = max(slow, time.Duration(vals[1]))
			})
		}
		wg.Wait()
		if first != nil {
			return Rate{}, first
		}
		total += made
		elapsed += slow
	}
	if want := src.Total(); total != want {
		return Rate{}, fmt.Errorf("server-side script created %d elements, want %d", total, want)
	}
	return rateOf(total, elapsed), nil
}
