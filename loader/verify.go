package loader

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
)

// Sample holds a deterministic sample of elements per label (every k-th
// element of the label's stream), for --verify's property comparison.
type Sample struct {
	mu       sync.Mutex
	stride   [banking.NumLabels]int64
	Vertices []SampledVertex
	Edges    []SampledEdge
}

// SampledVertex is a vertex expected in the graph with these properties.
type SampledVertex struct {
	Label banking.Label
	ID    int64
	Props map[string]any
}

// SampledEdge is an edge expected in the graph with these properties.
type SampledEdge struct {
	Label banking.Label
	Ends  banking.Ends
	Props map[string]any
}

func newSample(src *Source, perLabel int) *Sample {
	s := &Sample{}
	for l := range s.stride {
		if perLabel > 0 && src.Counts[l] > 0 {
			s.stride[l] = max(1, src.Counts[l]/int64(perLabel))
		}
	}
	return s
}

func (s *Sample) observe(p *part) {
	stride := s.stride[p.label]
	if stride == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	first := (stride - p.offset%stride) % stride
	for i := first; i < int64(p.len()); i += stride {
		props := maps.Clone(p.props[i])
		if p.ids != nil {
			s.Vertices = append(s.Vertices, SampledVertex{Label: p.label, ID: p.ids[i], Props: props})
		} else {
			s.Edges = append(s.Edges, SampledEdge{Label: p.label, Ends: p.ends[i], Props: props})
		}
	}
}

// CollectSample streams src once and returns its sample (perLabel elements
// per label), for verifying a graph loaded earlier.
func CollectSample(ctx context.Context, src *Source, perLabel int) (*Sample, error) {
	s := newSample(src, perLabel)
	err := src.run(ctx, func(p *part) error { s.observe(p); return nil })
	return s, err
}

// Mismatch is one difference between the graph and the generated data.
type Mismatch struct {
	// What names the check: "count Person", "transfer-cycle #3 hop 2",
	// "sample Account 123".
	What    string `json:"what"`
	Problem string `json:"problem"`
}

// VerifyReport is the result of Verify.
type VerifyReport struct {
	Counts   map[string][2]int64 `json:"counts"` // label → [expected, in graph]
	Patterns int                 `json:"patternEdgesChecked"`
	Sampled  int                 `json:"sampledElementsChecked"`
	// Ghosts counts empty vertices of the default label (see Verify).
	Ghosts     int64      `json:"ghostVertices,omitempty"`
	Mismatches []Mismatch `json:"mismatches"`
}

// OK reports whether no difference was found.
func (v *VerifyReport) OK() bool { return len(v.Mismatches) == 0 }

// WriteText writes a summary and every mismatch (at most 50).
func (v *VerifyReport) WriteText(w io.Writer) error {
	labels := slices.Sorted(maps.Keys(v.Counts))
	bad := 0
	for _, l := range labels {
		if c := v.Counts[l]; c[0] != c[1] {
			bad++
		}
	}
	status := "OK"
	if !v.OK() {
		status = fmt.Sprintf("FAILED (%d differences)", len(v.Mismatches))
	}
	if _, err := fmt.Fprintf(w, "verify %s: %d labels counted (%d differ), %d ground-truth edges checked, %d sampled elements compared\n",
		status, len(labels), bad, v.Patterns, v.Sampled); err != nil {
		return err
	}
	if v.Ghosts > 0 {
		if _, err := fmt.Fprintf(w, "  note: %d empty ghost vertices of the default label (no properties, no edges) ignored\n", v.Ghosts); err != nil {
			return err
		}
	}
	for i, m := range v.Mismatches {
		if i == 50 {
			_, err := fmt.Fprintf(w, "  ... and %d more\n", len(v.Mismatches)-50)
			return err
		}
		if _, err := fmt.Fprintf(w, "  %s: %s\n", m.What, m.Problem); err != nil {
			return err
		}
	}
	return nil
}

// VerifyError is returned by Verify when the graph differs from the data.
type VerifyError struct{ Report *VerifyReport }

// Error counts the differences and names the first.
func (e *VerifyError) Error() string {
	m := e.Report.Mismatches[0]
	return fmt.Sprintf("loader: verify found %d difference(s) between the graph and the data, first: %s: %s",
		len(e.Report.Mismatches), m.What, m.Problem)
}

const (
	countVerticesScript = `g.V().groupCount().by(label).next()`
	countEdgesScript    = `g.E().groupCount().by(label).next()`
	// expectEdgesScript returns, for each map of batch, the number of edges
	// of label l from the vertex (ol, ok, ob) to (il, ik, ib) whose
	// properties p all match.
	expectEdgesScript = `batch.collect { m ->
  def b = g.V().has(m.il, m.ik, m.ib).id().tryNext().orElse(null)
  if (b == null) return -1L
  def t = g.V().has(m.ol, m.ok, m.ob).outE(m.l)
  for (e in m.p) { t = t.has(e.key, e.value) }
  t.where(inV().hasId(b)).count().next()
}`
	// expectVerticesScript returns, for each map of batch, "" when exactly
	// one vertex (l, k, b) exists with properties p, else what differs.
	expectVerticesScript = `batch.collect { m ->
  def vs = g.V().has(m.l, m.k, m.b).toList()
  if (vs.size() != 1) return 'found ' + vs.size() + ' vertices'
  def v = vs[0]
  def bad = []
  for (e in m.p) {
    def got = v.property(e.key).isPresent() ? v.value(e.key) : null
    if (got != e.value) bad.add(e.key + ': graph has ' + got + ', data has ' + e.value)
  }
  bad.join('; ')
}`
)

// expectedEdge is one edge the graph must hold.
type expectedEdge struct {
	what  string
	label banking.Label
	ends  banking.Ends
	props map[string]any
}

// groundTruthEdges lists every injected pattern edge.
func groundTruthEdges(gt *banking.GroundTruth) []expectedEdge {
	var out []expectedEdge
	acc := func(from, to int64) banking.Ends {
		return banking.Ends{FromLabel: banking.Account, ToLabel: banking.Account, From: from, To: to}
	}
	hop := func(what string, l banking.Label, h banking.Hop) {
		out = append(out, expectedEdge{what, l, acc(h.From, h.To), map[string]any{"timestamp": h.Timestamp, "amount": h.Amount}})
	}
	signIn := func(what string, s banking.SignInRef) {
		out = append(out, expectedEdge{what, banking.SignIn,
			banking.Ends{FromLabel: banking.Medium, ToLabel: banking.Account, From: s.Medium, To: s.Account},
			map[string]any{"timestamp": s.Timestamp}})
	}
	for i, c := range gt.TransferCycles {
		for k, h := range c.Hops {
			hop(fmt.Sprintf("%s #%d hop %d", banking.KindTransferCycle, i, k), banking.Transfer, h)
		}
	}
	for i, m := range gt.MuleChains {
		for k, h := range m.Hops {
			hop(fmt.Sprintf("%s #%d hop %d", banking.KindMuleChain, i, k), banking.Transfer, h)
		}
		hop(fmt.Sprintf("%s #%d withdraw", banking.KindMuleChain, i), banking.Withdraw, m.Withdraw)
	}
	for i, s := range gt.Structuring {
		for k, h := range s.Deposits {
			hop(fmt.Sprintf("%s #%d deposit %d", banking.KindStructuring, i, k), banking.Transfer, h)
		}
	}
	for i, f := range gt.FraudRings {
		for k, s := range f.SignIns {
			signIn(fmt.Sprintf("%s #%d sign-in %d", banking.KindFraudRing, i, k), s)
		}
		for k, h := range f.Transfers {
			hop(fmt.Sprintf("%s #%d transfer %d", banking.KindFraudRing, i, k), banking.Transfer, h)
		}
		for k, p := range f.Persons {
			out = append(out, expectedEdge{fmt.Sprintf("%s #%d livesAt %d", banking.KindFraudRing, i, k), banking.LivesAt,
				banking.Ends{FromLabel: banking.Person, ToLabel: banking.Address, From: p, To: f.Address}, nil})
		}
	}
	for i, b := range gt.BlockedMediumChains {
		signIn(fmt.Sprintf("%s #%d sign-in", banking.KindBlockedMediumChain, i), b.SignIn)
		for k, h := range b.Hops {
			hop(fmt.Sprintf("%s #%d hop %d", banking.KindBlockedMediumChain, i, k), banking.Transfer, h)
		}
	}
	for i, f := range gt.FanInWithdraws {
		for k, h := range f.In {
			hop(fmt.Sprintf("%s #%d in %d", banking.KindFanInWithdraw, i, k), banking.Transfer, h)
		}
		hop(fmt.Sprintf("%s #%d withdraw", banking.KindFanInWithdraw, i), banking.Withdraw, f.Withdraw)
	}
	for i, c := range gt.GuaranteeChains {
		for k := 0; k+1 < len(c.Persons); k++ {
			out = append(out, expectedEdge{fmt.Sprintf("%s #%d guarantee %d", banking.KindGuaranteeChain, i, k), banking.Guarantee,
				banking.Ends{FromLabel: banking.Person, ToLabel: banking.Person, From: c.Persons[k], To: c.Persons[k+1]}, nil})
		}
		for k := range c.Persons {
			out = append(out, expectedEdge{fmt.Sprintf("%s #%d apply %d", banking.KindGuaranteeChain, i, k), banking.Apply,
				banking.Ends{FromLabel: banking.Person, ToLabel: banking.Loan, From: c.Persons[k], To: c.Loans[k]}, nil})
		}
	}
	return out
}

// verifyTimeout bounds Verify as a whole.
const verifyTimeout = 30 * time.Minute

// verifyChunk is the number of checks sent per request.
const verifyChunk = 200

// Verify compares the graph with src: the element count of every label,
// every ground-truth pattern edge (label, endpoints, timestamp and amount),
// and the sampled elements' properties. It returns the report, and a
// *VerifyError when anything differs.
func Verify(ctx context.Context, sub Submitter, src *Source, sample *Sample) (*VerifyReport, error) {
	// Counting scans the whole graph: allow more than a default request.
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	rep := &VerifyReport{Counts: map[string][2]int64{}}
	got := map[string]int64{}
	for _, script := range []string{countVerticesScript, countEdgesScript} {
		res, err := client.Send(ctx, sub, &client.Request{Script: script, Idempotent: true})
		if err != nil {
			return nil, fmt.Errorf("loader: verify: counting: %w", err)
		}
		for _, r := range res {
			if err := addCounts(got, r); err != nil {
				return nil, fmt.Errorf("loader: verify: counting: %w", err)
			}
		}
	}
	for _, info := range banking.Labels() {
		want, have := src.Counts[info.Label], got[info.Name]
		rep.Counts[info.Name] = [2]int64{want, have}
		if want != have {
			rep.Mismatches = append(rep.Mismatches, Mismatch{What: "count " + info.Name,
				Problem: fmt.Sprintf("the graph has %d, the data %d", have, want)})
		}
	}
	// Labels of other data (mutation results, load states) are not this
	// command's business; only the default label's ghosts are noted.
	if n := got["vertex"]; n > 0 {
		// JanusGraph without locking can leave "ghost" vertices of the
		// default label: no properties, no edges, undeletable. They hold
		// no data; count them apart.
		res, err := client.Send(ctx, sub, &client.Request{Script: `g.V().hasLabel('vertex').or(properties(), bothE()).count()`, Idempotent: true})
		if err != nil {
			return nil, fmt.Errorf("loader: verify: %w", err)
		}
		if withData, err := res.Int64(); err == nil && withData == 0 {
			rep.Ghosts = n
		} else {
			rep.Mismatches = append(rep.Mismatches, Mismatch{What: "count vertex", Problem: fmt.Sprintf("the graph has %d vertices of the default label holding data", n)})
		}
	}
	if err := verifyUniqueIDs(ctx, sub, got, rep); err != nil {
		return nil, err
	}
	if err := verifyState(ctx, sub, src, rep); err != nil {
		return nil, err
	}
	edges := groundTruthEdges(src.Truth)
	rep.Patterns = len(edges)
	if sample != nil {
		for _, e := range sample.Edges {
			edges = append(edges, expectedEdge{fmt.Sprintf("sample %s %s %d -> %s %d", e.Label, e.Ends.FromLabel, e.Ends.From, e.Ends.ToLabel, e.Ends.To),
				e.Label, e.Ends, e.Props})
		}
		rep.Sampled = len(sample.Edges) + len(sample.Vertices)
	}
	for lo := 0; lo < len(edges); lo += verifyChunk {
		part := edges[lo:min(lo+verifyChunk, len(edges))]
		batch := make([]map[string]any, len(part))
		for i, e := range part {
			props := e.props
			if props == nil {
				props = map[string]any{}
			}
			batch[i] = map[string]any{"l": e.label.String(),
				"ol": e.ends.FromLabel.String(), "ok": e.ends.FromLabel.IDKey(), "ob": e.ends.From,
				"il": e.ends.ToLabel.String(), "ik": e.ends.ToLabel.IDKey(), "ib": e.ends.To, "p": props}
		}
		res, err := client.Send(ctx, sub, &client.Request{Script: expectEdgesScript, Bindings: map[string]any{bindBatch: batch}, Idempotent: true})
		if err != nil {
			return nil, fmt.Errorf("loader: verify: checking edges: %w", err)
		}
		counts, err := res.Int64s()
		if err != nil || len(counts) != len(part) {
			return nil, fmt.Errorf("loader: verify: edge check answered %d results for %d (%v)", len(res), len(part), err)
		}
		for i, n := range counts {
			switch {
			case n < 0:
				rep.Mismatches = append(rep.Mismatches, Mismatch{What: part[i].what, Problem: "its target vertex is missing"})
			case n == 0:
				rep.Mismatches = append(rep.Mismatches, Mismatch{What: part[i].what, Problem: "no such " + part[i].label.String() + " edge with " + propsText(part[i].props)})
			}
		}
	}
	if sample != nil {
		for lo := 0; lo < len(sample.Vertices); lo += verifyChunk {
			part := sample.Vertices[lo:min(lo+verifyChunk, len(sample.Vertices))]
			batch := make([]map[string]any, len(part))
			for i, v := range part {
				batch[i] = map[string]any{"l": v.Label.String(), "k": v.Label.IDKey(), "b": v.ID, "p": v.Props}
			}
			res, err := client.Send(ctx, sub, &client.Request{Script: expectVerticesScript, Bindings: map[string]any{bindBatch: batch}, Idempotent: true})
			if err != nil {
				return nil, fmt.Errorf("loader: verify: checking vertices: %w", err)
			}
			if len(res) != len(part) {
				return nil, fmt.Errorf("loader: verify: vertex check answered %d results for %d", len(res), len(part))
			}
			for i, r := range res {
				if s, _ := r.(string); s != "" {
					rep.Mismatches = append(rep.Mismatches, Mismatch{What: fmt.Sprintf("sample %s %d", part[i].Label, part[i].ID), Problem: s})
				}
			}
		}
	}
	if !rep.OK() {
		return rep, &VerifyError{Report: rep}
	}
	return rep, nil
}

// distinctIDsScript returns, for each map {l, k} of batch, the number of
// distinct values of business-id key k among the vertices of label l.
const distinctIDsScript = `batch.collect { m -> g.V().hasLabel(m.l).values(m.k).dedup().count().next() }`

// verifyUniqueIDs checks that every vertex of a banking label has its own
// business id: loading the same data twice shows up here even when the
// unique indexes were not enforced (storage.batch-loading).
func verifyUniqueIDs(ctx context.Context, sub Submitter, got map[string]int64, rep *VerifyReport) error {
	var (
		batch []map[string]any
		infos []banking.LabelInfo
	)
	for _, info := range banking.Labels() {
		if info.Kind == banking.VertexKind {
			batch = append(batch, map[string]any{"l": info.Name, "k": info.IDKey})
			infos = append(infos, info)
		}
	}
	res, err := sub.Submit(ctx, distinctIDsScript, map[string]any{bindBatch: batch})
	if err != nil {
		return fmt.Errorf("loader: verify: counting distinct ids: %w", err)
	}
	distinct, err := int64s(res)
	if err != nil || len(distinct) != len(infos) {
		return fmt.Errorf("loader: verify: distinct id count answered %d results for %d (%v)", len(res), len(infos), err)
	}
	for i, info := range infos {
		if n := got[info.Name]; distinct[i] != n {
			rep.Mismatches = append(rep.Mismatches, Mismatch{What: "unique " + info.Name + "." + info.IDKey,
				Problem: fmt.Sprintf("%d vertices hold %d distinct ids: %d are duplicates or lack an id", n, distinct[i], n-distinct[i])})
		}
	}
	return nil
}

// verifyState checks that the graph records a complete load of src.
func verifyState(ctx context.Context, sub Submitter, src *Source, rep *VerifyReport) error {
	gc, err := readContents(ctx, sub, verifyTimeout)
	if err != nil {
		return fmt.Errorf("loader: verify: %w", err)
	}
	dataset := src.Dataset
	if dataset == "" {
		dataset = src.Fingerprint
	}
	switch st := gc.find(dataset); {
	case st == nil:
		rep.Mismatches = append(rep.Mismatches, Mismatch{What: "load state", Problem: "the graph records no load of this dataset"})
	case !st.Complete():
		rep.Mismatches = append(rep.Mismatches, Mismatch{What: "load state", Problem: "the graph records an unfinished load: " + st.String()})
	}
	if other := gc.other(dataset); other != nil {
		rep.Mismatches = append(rep.Mismatches, Mismatch{What: "load state", Problem: "the graph also records another dataset: " + other.String()})
	}
	return nil
}

func addCounts(dst map[string]int64, r any) error {
	switch m := r.(type) {
	case map[any]any:
		for k, v := range m {
			n, ok := client.AsInt64(v)
			if !ok {
				return fmt.Errorf("count of %v is %T", k, v)
			}
			dst[fmt.Sprint(k)] += n
		}
	case map[string]any:
		for k, v := range m {
			n, ok := client.AsInt64(v)
			if !ok {
				return fmt.Errorf("count of %v is %T", k, v)
			}
			dst[k] += n
		}
	default:
		return fmt.Errorf("groupCount answered %T", r)
	}
	return nil
}

func propsText(p map[string]any) string {
	if len(p) == 0 {
		return "any properties"
	}
	keys := slices.Sorted(maps.Keys(p))
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := p[k]
		if f, ok := v.(float64); ok && f == math.Trunc(f) {
			parts[i] = fmt.Sprintf("%s=%.2f", k, f)
			continue
		}
		parts[i] = fmt.Sprintf("%s=%v", k, v)
	}
	return strings.Join(parts, ", ")
}

// Drop removes the banking data from the graph — every vertex of a banking
// label with its edges, and the load states — in requests of at most
// perRequest vertices, and returns how many were removed. Other data
// (mutation results) and the schema stay. The load states go first, so that
// an interrupted drop never leaves a graph claiming a complete load. Vertices
// of the default label "vertex" are removed last, best effort: JanusGraph
// can leave undeletable "ghost" vertices (default label, no properties, no
// edges) when it runs without locking (storage.batch-loading); they hold no
// data and are left alone. Labelled vertices that cannot be removed stop
// Drop with an error instead of looping.
func Drop(ctx context.Context, sub Submitter, perRequest int) (int64, error) {
	if perRequest <= 0 {
		perRequest = 2000
	}
	var total int64
	for _, step := range []struct {
		labels []string
		ghosts bool
	}{{labels: []string{StateLabel}}, {labels: bankingLabels()}, {labels: []string{"vertex"}, ghosts: true}} {
		for {
			if err := ctx.Err(); err != nil {
				return total, fmt.Errorf("loader: dropping the graph: %w", err)
			}
			rctx, cancel := context.WithTimeout(ctx, DefaultBatchTimeout)
			res, err := client.Send(rctx, sub, &client.Request{Script: dropScript, Bindings: map[string]any{"n": int64(perRequest), "dl": step.labels}, Idempotent: true})
			cancel()
			if err != nil {
				return total, fmt.Errorf("loader: dropping the graph: %w", err)
			}
			vals, err := res.Int64s()
			if err != nil || len(vals) != 2 {
				return total, fmt.Errorf("loader: dropping the graph: unexpected answer %v", res)
			}
			selected, left := vals[0], vals[1]
			total += selected - left
			if selected == 0 || (left == selected && step.ghosts) {
				break
			}
			if left == selected {
				return total, fmt.Errorf("loader: dropping the graph: %d vertices of labels %v cannot be removed; "+
					"restart the server with an empty graph", left, step.labels)
			}
		}
	}
	return total, nil
}

// dropScript removes up to n vertices of the labels dl with their edges
// (one transaction) and returns [selected, still listed]. Edges go first,
// deduplicated: JanusGraph fails to remove a vertex with a self-loop edge
// otherwise. "Still listed" comes from a new scan, not from g.V(ids): with
// storage.batch-loading JanusGraph does not check that an id exists.
const dropScript = `def vs = g.V().hasLabel(within(dl)).limit(n).id().toList()
if (!vs.isEmpty()) { g.V(vs).bothE().dedup().drop().iterate(); g.V(vs).drop().iterate() }
graph.tx().commit()
def again = vs.isEmpty() ? [] : g.V().hasLabel(within(dl)).limit(n).id().toList()
again.retainAll(vs)
[(long) vs.size(), (long) again.size()]`
