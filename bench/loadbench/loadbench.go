// Package loadbench measures the loader against two references on the same
// server and in the same rounds: a naive loader (one request per element)
// and the server-side limit (a script creating as many elements inside the
// server). Each load's per-round elements/s become one operation of a
// [baseline.Run], so that load benchmarks are saved, compared and reported
// like query benchmarks.
package loadbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/loader"
)

// Command is the Command of the runs load-bench records.
const Command = "load-bench"

// Operation names of a load-bench run: one per load.
const (
	OpLoader     = "loader"
	OpNaive      = "naive"
	OpServerSide = "server-side"
)

// Defaults of [Config].
const (
	DefaultRounds        = 3
	DefaultNaivePerLabel = 50
	DefaultServerThreads = 2
)

// Config configures [Run]. The zero Config is usable.
type Config struct {
	// Rounds is the number of measured rounds of each load (default 3).
	Rounds int
	// Workers and BatchSize configure the loader under test (loader
	// defaults when zero); BatchSize is also the server-side reference's
	// transaction size.
	Workers, BatchSize int
	// MaxRequestBytes is the client's request limit (default
	// client.DefaultMaxRequestBytes): BatchSize must fit under it.
	MaxRequestBytes int
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

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Rounds <= 0 {
		c.Rounds = DefaultRounds
	}
	if c.Workers <= 0 {
		c.Workers = loader.DefaultWorkers
	}
	if c.BatchSize <= 0 {
		c.BatchSize = loader.DefaultBatchSize
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = client.DefaultMaxRequestBytes
	}
	if c.NaivePerLabel <= 0 {
		c.NaivePerLabel = DefaultNaivePerLabel
	}
	if c.ServerThreads <= 0 {
		c.ServerThreads = DefaultServerThreads
	}
	return c
}

// Validate checks c after defaults: a BatchSize that cannot fit under
// MaxRequestBytes is a *loader.BatchSizeError.
func (c Config) Validate() error {
	c = c.WithDefaults()
	if limit := loader.MaxBatchSize(c.MaxRequestBytes); c.BatchSize > limit {
		return &loader.BatchSizeError{BatchSize: c.BatchSize, Max: limit, MaxRequestBytes: c.MaxRequestBytes}
	}
	return nil
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

// Result holds every round of the three loads and their ratios.
type Result struct {
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

// summarize fills the summaries and ratios from the rounds.
func (r *Result) summarize() {
	unit := stats.Rate("elements/s")
	rates := func(rs []Rate) []float64 {
		out := make([]float64, len(rs))
		for i, r := range rs {
			out[i] = r.PerSec
		}
		return out
	}
	r.LoaderSummary = stats.Summarize(rates(r.Loader), unit)
	r.NaiveSummary = stats.Summarize(rates(r.Naive), unit)
	r.ServerSideSummary = stats.Summarize(rates(r.ServerSide), unit)
	r.NaiveRatio, r.ServerRatio = 0, 0
	if m := r.NaiveSummary.Median; m > 0 {
		r.NaiveRatio = r.LoaderSummary.Median / m
	}
	if m := r.ServerSideSummary.Median; m > 0 {
		r.ServerRatio = r.LoaderSummary.Median / m
	}
}

// WriteText writes the side-by-side table and the ratios.
func (r *Result) WriteText(w io.Writer) error {
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
	_, err := fmt.Fprintf(w, "source %s\nloader/naive %.1f×, loader/server-side %.2f× (median rates)\n", r.Source, r.NaiveRatio, r.ServerRatio)
	return err
}

// Run loads src into a fresh graph cfg.Rounds times with the loader,
// and, in the same rounds on the same server, runs the two references: the
// naive loader (one request per element, sequential, indexed endpoint
// lookups) on a slice of src, and the server-side limit (a script inside
// the server creating as many vertices and edges of each label, with the
// properties of src's first element of that label, in transactions of the
// same batch size, on ServerThreads threads). The graph is dropped before
// every load: never point it at a graph you want to keep. The schema must
// exist. On cancellation the error wraps ctx.Err().
func Run(ctx context.Context, sub loader.Submitter, src *loader.Source, cfg Config) (*Result, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			cfg.Log(fmt.Sprintf(format, args...))
		}
	}
	slice, templates, err := benchInputs(ctx, src, cfg.NaivePerLabel)
	if err != nil {
		return nil, err
	}
	res := &Result{Source: src.Name}
	for round := 1; round <= cfg.Rounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, &InterruptedError{Round: round, Err: err}
		}
		if _, err := loader.Drop(ctx, sub, 0); err != nil {
			return nil, roundError(ctx, round, "drop", err)
		}
		r, err := loaderLoad(ctx, sub, src, cfg)
		if err != nil {
			return nil, roundError(ctx, round, "loader", err)
		}
		res.Loader = append(res.Loader, r)
		logf("round %d: loader %d elements in %.2fs: %.0f/s", round, r.Elements, r.Elapsed.Seconds(), r.PerSec)

		if _, err := loader.Drop(ctx, sub, 0); err != nil {
			return nil, roundError(ctx, round, "drop", err)
		}
		r, err = serverSideLoad(ctx, sub, src, templates, cfg.BatchSize, cfg.ServerThreads, round)
		if err != nil {
			return nil, roundError(ctx, round, "server-side", err)
		}
		res.ServerSide = append(res.ServerSide, r)
		logf("round %d: server-side %d elements in %.2fs: %.0f/s", round, r.Elements, r.Elapsed.Seconds(), r.PerSec)

		if _, err := loader.Drop(ctx, sub, 0); err != nil {
			return nil, roundError(ctx, round, "drop", err)
		}
		r, err = naiveLoad(ctx, sub, slice)
		if err != nil {
			return nil, roundError(ctx, round, "naive", err)
		}
		res.Naive = append(res.Naive, r)
		logf("round %d: naive %d elements in %.2fs: %.0f/s", round, r.Elements, r.Elapsed.Seconds(), r.PerSec)
	}
	res.summarize()
	return res, nil
}

// InterruptedError reports a run cancelled by its context: the graph
// holds a partial load of the interrupted phase.
type InterruptedError struct {
	Round int
	Phase string
	Err   error
}

// Error implements the error interface.
func (e *InterruptedError) Error() string {
	s := fmt.Sprintf("loadbench: interrupted in round %d", e.Round)
	if e.Phase != "" {
		s += " (" + e.Phase + ")"
	}
	return s + ": " + e.Err.Error() + "; the graph holds a partial load, and the next run drops it"
}

// Unwrap returns the context's error.
func (e *InterruptedError) Unwrap() error { return e.Err }

// roundError names the round and phase of err, an *InterruptedError when
// ctx was cancelled.
func roundError(ctx context.Context, round int, phase string, err error) error {
	if ctx.Err() != nil {
		return &InterruptedError{Round: round, Phase: phase, Err: ctx.Err()}
	}
	return fmt.Errorf("loadbench: round %d, %s: %w", round, phase, err)
}

// loaderLoad is one round of the loader under test, its journal in a
// temporary directory removed afterwards.
func loaderLoad(ctx context.Context, sub loader.Submitter, src *loader.Source, cfg Config) (Rate, error) {
	dir, err := os.MkdirTemp("", "graphperf-load-bench-")
	if err != nil {
		return Rate{}, err
	}
	defer os.RemoveAll(dir)
	l, err := loader.New(sub, loader.Config{StateDir: dir, Reset: true, Workers: cfg.Workers, BatchSize: cfg.BatchSize,
		MaxRequestBytes: cfg.MaxRequestBytes})
	if err != nil {
		return Rate{}, err
	}
	rep, err := l.Load(ctx, src)
	var ie *loader.InterruptedError
	if errors.As(err, &ie) {
		// The journal is a throwaway: there is nothing to resume.
		return Rate{}, ie.Err
	}
	if err != nil {
		return Rate{}, err
	}
	return rateOf(rep.Vertices+rep.Edges, rep.Elapsed), nil
}

// BaselineRun turns res into a run: one operation per load (OpLoader,
// OpNaive, OpServerSide) whose samples are its per-round elements/s (unit
// elements/s, higher is better), and whose parameter says what was loaded
// and how, so that a comparison of different work is flagged. cfg is the
// Config res was measured with; dataset and describe identify the data
// (fingerprint, and the flags or words that name it).
func (res *Result) BaselineRun(cfg Config, dataset, describe string) *baseline.Run {
	cfg = cfg.WithDefaults()
	run := baseline.NewRun(Command)
	run.Dataset = dataset
	run.Driver = "graphperf"
	run.Settings = map[string]string{
		"dataset": describe, "source": res.Source, "rounds": strconv.Itoa(cfg.Rounds),
		"workers": strconv.Itoa(cfg.Workers), "batch-size": strconv.Itoa(cfg.BatchSize),
		"naive-per-label": strconv.Itoa(cfg.NaivePerLabel), "server-threads": strconv.Itoa(cfg.ServerThreads),
	}
	unit := stats.Rate("elements/s")
	add := func(name string, rates []Rate, param map[string]any) {
		op := baseline.Operation{Name: name, Unit: unit, Samples: make([]float64, 0, len(rates))}
		for _, r := range rates {
			op.Samples = append(op.Samples, r.PerSec)
		}
		if len(rates) > 0 {
			param["elements"] = rates[0].Elements
		}
		if p, err := json.Marshal(param); err == nil {
			op.Params = []json.RawMessage{p}
		}
		run.Operations = append(run.Operations, op)
	}
	add(OpLoader, res.Loader, map[string]any{"workers": cfg.Workers, "batch_size": cfg.BatchSize})
	add(OpNaive, res.Naive, map[string]any{"per_label": cfg.NaivePerLabel})
	add(OpServerSide, res.ServerSide, map[string]any{"threads": cfg.ServerThreads, "batch_size": cfg.BatchSize})
	return run
}

// benchTemplate is one label's template for the server-side script.
type benchTemplate struct {
	label banking.Label
	count int64
	props map[string]any // without the id key
}

// slice is one label's elements of the naive reference.
type slice struct {
	label banking.Label
	ids   []int64        // vertex business ids (nil for edges)
	ends  []banking.Ends // edge endpoints
	props []map[string]any
}

// benchInputs streams src once: the naive slice and the templates.
func benchInputs(ctx context.Context, src *loader.Source, perLabel int) ([]*slice, []benchTemplate, error) {
	var (
		vertices [banking.NumVertexLabels]*slice
		edges    = map[banking.Label]*slice{}
		order    []banking.Label
		chosen   [banking.NumVertexLabels]map[int64]bool
		tmpl     [banking.NumLabels]map[string]any
		maxEdges = 4 * perLabel
		nEdges   int
	)
	err := src.Each(ctx, func(label banking.Label, ids []int64, ends []banking.Ends, props []map[string]any) error {
		if tmpl[label] == nil && len(props) > 0 {
			t := make(map[string]any, len(props[0]))
			for k, v := range props[0] {
				if k != label.IDKey() {
					t[k] = v
				}
			}
			tmpl[label] = t
		}
		if label.Kind() == banking.VertexKind {
			c := vertices[label]
			if c == nil {
				c = &slice{label: label, ids: []int64{}}
				vertices[label] = c
				chosen[label] = map[int64]bool{}
			}
			for i := 0; i < len(props) && len(c.props) < perLabel; i++ {
				c.ids = append(c.ids, ids[i])
				c.props = append(c.props, props[i])
				chosen[label][ids[i]] = true
			}
			return nil
		}
		for i := 0; i < len(props) && nEdges < maxEdges; i++ {
			e := ends[i]
			if !chosen[e.FromLabel][e.From] || !chosen[e.ToLabel][e.To] {
				continue
			}
			c := edges[label]
			if c == nil {
				c = &slice{label: label}
				edges[label] = c
				order = append(order, label)
			}
			c.ends = append(c.ends, e)
			c.props = append(c.props, props[i])
			nEdges++
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var out []*slice
	for _, c := range vertices {
		if c != nil {
			out = append(out, c)
		}
	}
	for _, l := range order {
		out = append(out, edges[l])
	}
	var templates []benchTemplate
	for l := range banking.Label(banking.NumLabels) {
		if src.Counts[l] > 0 && tmpl[l] != nil {
			templates = append(templates, benchTemplate{label: l, count: src.Counts[l], props: tmpl[l]})
		}
	}
	return out, templates, nil
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
func naiveLoad(ctx context.Context, sub loader.Submitter, slices []*slice) (Rate, error) {
	var n int64
	start := time.Now()
	for _, c := range slices {
		for i := range c.props {
			var (
				script string
				b      map[string]any
			)
			if c.ids != nil {
				script, b = naiveVertexScript, map[string]any{"elabel": c.label.String(), "p": c.props[i]}
			} else {
				e := c.ends[i]
				script, b = naiveEdgeScript, map[string]any{"elabel": c.label.String(), "p": c.props[i],
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
	// [created, nanoseconds]. Endpoints are spread pseudo-randomly, except
	// on a side the label's multiplicity makes unique (fu: out-unique,
	// MANY2ONE; tu: in-unique, ONE2MANY), where edge i takes vertex s+i,
	// so that no vertex gets two: JanusGraph enforces multiplicities
	// unless storage.batch-loading is on (BerkeleyJE runs without it).
	// The threads' s ranges are disjoint, and a unique label has at most
	// as many edges as vertices on its unique side.
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
      int ti = (int) (x.tu ? (x.s + i) % ts.size() : (x.s + i * 104729 + 1) % ts.size())
      int fi = (int) (x.fu ? (x.s + i) % fs.size() : (x.s + i * 7919) % fs.size())
      want.add(fs[fi]); want.add(ts[ti]); want.add(ts[(ti + 1) % ts.size()])
    }
    def vs = new HashMap()
    graph.vertices(want.toArray()).each { vs.put(it.id(), it) }
    for (long i = lo; i < hi; i++) {
      int ti = (int) (x.tu ? (x.s + i) % ts.size() : (x.s + i * 104729 + 1) % ts.size())
      int fi = (int) (x.fu ? (x.s + i) % fs.size() : (x.s + i * 7919) % fs.size())
      def a = vs.get(fs[fi]); def b = vs.get(ts[ti])
      if (a.is(b)) b = vs.get(ts[(ti + 1) % ts.size()]) // no self-loops: the data has none (unique labels join two labels)
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
func serverSideLoad(ctx context.Context, sub loader.Submitter, src *loader.Source, templates []benchTemplate, bsize, threads, round int) (Rate, error) {
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
					m["fu"], m["tu"] = outUnique(info.Multiplicity), inUnique(info.Multiplicity)
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
				// Not idempotent: the script adds vertices/edges with plain
				// addVertex/addEdge, so a resend after a lost connection would
				// load its part twice (maybe while the first run goes on).
				res, err := client.Send(ctx, sub, &client.Request{Script: script, Bindings: map[string]any{"tmpl": parts[k], "bsize": int64(bsize)}})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					first = err
					return
				}
				vals, ok := int64s(res)
				if !ok || len(vals) != 2 {
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

// outUnique and inUnique say whether a JanusGraph edge multiplicity allows
// at most one edge of the label out of (in to) a vertex.
func outUnique(m string) bool { return m == "MANY2ONE" || m == "ONE2ONE" }
func inUnique(m string) bool  { return m == "ONE2MANY" || m == "ONE2ONE" }

// int64s reads a list of integers as the server returns them.
func int64s(res []any) ([]int64, bool) {
	out := make([]int64, 0, len(res))
	for _, v := range res {
		switch n := v.(type) {
		case int64:
			out = append(out, n)
		case int32:
			out = append(out, int64(n))
		case int:
			out = append(out, int64(n))
		case float64:
			out = append(out, int64(n))
		default:
			return nil, false
		}
	}
	return out, true
}
