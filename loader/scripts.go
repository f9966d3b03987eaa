package loader

// The Gremlin scripts the loader sends. Each is a constant: every value
// travels in bindings (never formatted into the text), so Gremlin Server
// compiles each script once and hits its script cache afterwards. One
// script serves every label: the label itself is a binding too.
//
// Binding names avoid Gremlin tokens (id, label, keys, values, ...).
const (
	// bindBatch is the list binding that carries one batch.
	bindBatch = "batch"
	// bindLabel is the vertex or edge label of the batch.
	bindLabel = "elabel"
	// bindKey is the business-id property key of a vertex label.
	bindKey = "ekey"

	// vertexScript creates one vertex per map of batch (property name →
	// value, business id included) with the Structure API — the fastest
	// form measured on JanusGraph 1.1.0 (see docs/results.md, Loading) — and
	// returns the new vertex ids in batch order. The request is one
	// transaction: all vertices are committed or none.
	vertexScript = `def r = new ArrayList(batch.size())
for (m in batch) {
  def kv = new Object[m.size() * 2 + 2]
  kv[0] = T.label; kv[1] = elabel
  int i = 2
  for (e in m) { kv[i++] = e.key; kv[i++] = e.value }
  r.add(graph.addVertex(kv).id())
}
r`

	// vertexScriptTraversal is the same load as one g.addV() traversal per
	// element; kept for the script-form comparison benchmark.
	vertexScriptTraversal = `def r = new ArrayList(batch.size())
for (m in batch) {
  def t = g.addV(elabel)
  for (e in m) { t = t.property(e.key, e.value) }
  r.add(t.id().next())
}
r`

	// vertexScriptInject is the same load as a single traversal over the
	// whole batch (inject → unfold → addV with a property map); kept for the
	// script-form comparison benchmark.
	vertexScriptInject = `g.inject(batch).unfold().as('m').addV(elabel).as('v').sideEffect(select('m').unfold().as('kv').select('v').property(select('kv').by(keys), select('kv').by(values))).id().toList()`

	// edgeScript creates one edge per map of batch: {o, i} are the out and
	// in vertex ids, or, for endpoints missing from the loader's id map,
	// {ol, ok, ob} / {il, ik, ib} give label, id key and business id for an
	// indexed lookup; p holds the properties. The endpoints of the whole
	// batch are fetched with one multi-get. It returns the number of edges
	// created.
	edgeScript = `def ids = new HashSet()
for (m in batch) { if (m.o != null) ids.add(m.o); if (m.i != null) ids.add(m.i) }
def vs = new HashMap(ids.size() * 2)
if (!ids.isEmpty()) { graph.vertices(ids.toArray()).each { vs.put(it.id(), it) } }
def end = { vid, l, k, b ->
  def v = vid != null ? vs.get(vid) : g.V().has(l, k, b).tryNext().orElse(null)
  if (v == null) throw new IllegalStateException('endpoint not found: ' + (vid != null ? 'vertex id ' + vid : l + ' ' + k + '=' + b))
  v
}
int n = 0
for (m in batch) {
  def a = end(m.o, m.ol, m.ok, m.ob)
  def b = end(m.i, m.il, m.ik, m.ib)
  def p = m.p
  def kv = new Object[p.size() * 2]
  int i = 0
  for (e in p) { kv[i++] = e.key; kv[i++] = e.value }
  a.addEdge(elabel, b, kv)
  n++
}
n`

	// probeVerticesScript returns [businessId, vertexId, ...] for the
	// vertices of label elabel whose key ekey is in the batch list.
	probeVerticesScript = `def r = []
g.V().has(elabel, ekey, within(batch)).toList().each { v -> r.add(v.value(ekey)); r.add(v.id()) }
r`

	// probeEdgesScript returns, for each probe map of batch (the same shape
	// as edgeScript's), the number of elabel edges between its endpoints
	// whose properties all equal p.
	probeEdgesScript = `batch.collect { m ->
  def a = m.o != null ? g.V(m.o) : g.V().has(m.ol, m.ok, m.ob)
  def t = a.outE(elabel)
  for (e in m.p) { t = t.has(e.key, e.value) }
  def b = m.i != null ? g.V(m.i).id().tryNext().orElse(null) : g.V().has(m.il, m.ik, m.ib).id().tryNext().orElse(null)
  b == null ? 0L : t.where(inV().hasId(b)).count().next()
}`
)
