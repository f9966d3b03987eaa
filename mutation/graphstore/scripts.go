package graphstore

// The Gremlin scripts Store sends. Each is a constant: every value travels in
// bindings, never formatted into the text, so Gremlin Server compiles each
// script once. Every write is an upsert on an indexed key, so a script that
// is sent twice (a retry, or the same run stored again) changes nothing the
// second time. Binding names avoid Gremlin tokens (id, label, keys, ...).
const (
	// runScript upserts the MutationRun vertex whose runId is rid, sets the
	// properties of map p (complete: false among them, until completeScript
	// runs), replaces its packages with list pkgs, and returns [vertex id,
	// created].
	runScript = `def r = g.V().has('MutationRun', 'runId', rid).fold().coalesce(
  unfold().project('v', 'created').by().by(constant(false)),
  addV('MutationRun').property('runId', rid).project('v', 'created').by().by(constant(true))).next()
def v = r.v
def created = r.created
for (e in p) { v.property(e.key, e.value) }
v.properties('packages').each { it.remove() }
for (pk in pkgs) { v.property(VertexProperty.Cardinality.set, 'packages', pk) }
[v.id(), created]`

	// completeScript marks the MutationRun vertex runVid complete once it
	// has exactly want mutants, and returns the number it has; with
	// another number it changes nothing and fails.
	completeScript = `def v = g.V(runVid).tryNext().orElse(null)
if (v == null) throw new IllegalStateException('graphstore: MutationRun vertex ' + runVid + ' not found')
long n = g.V(runVid).out('produced').count().next()
if (n != want) throw new IllegalStateException('graphstore: the run has ' + n + ' mutants stored, not ' + want + ': not marked complete')
v.property('complete', true)
n`

	// sharedScript upserts one vertex of label elabel per map of batch,
	// keyed by the map's ekey entry (fold/coalesce on the unique index), and
	// sets the map's other entries as properties. It returns
	// [[ids: {key: vertex id}, created: n]].
	sharedScript = `def ids = [:]
int created = 0
for (m in batch) {
  def k = m.get(ekey)
  def r = g.V().has(elabel, ekey, k).fold().coalesce(
    unfold().project('v', 'created').by().by(constant(false)),
    addV(elabel).property(ekey, k).project('v', 'created').by().by(constant(true))).next()
  def v = r.v
  if (r.created) { created++ }
  for (e in m) { if (e.key != ekey) { v.property(e.key, e.value) } }
  ids.put(k, v.id())
}
[[ids: ids, created: created]]`

	// mutantScript upserts one Mutant per map of batch, keyed by
	// runMutantId: a new mutant gets its produced edge from the run vertex
	// runVid and its inFile edge to the SourceFile of fileId; the
	// coveredBy and killedBy edges to the Tests of the listed testIds are
	// added when missing. ends maps every fileId and testId of the batch to
	// its vertex id (one multi-get fetches them all). It returns
	// [[created: mutants created, edges: edges created]].
	mutantScript = `def run = g.V(runVid).tryNext().orElse(null)
if (run == null) throw new IllegalStateException('graphstore: MutationRun vertex ' + runVid + ' not found')
def vs = new HashMap(ends.size() * 2)
if (!ends.isEmpty()) { graph.vertices(ends.values().toArray()).each { vs.put(it.id(), it) } }
def end = { k ->
  def v = vs.get(ends.get(k))
  if (v == null) throw new IllegalStateException('graphstore: vertex not found: ' + k)
  v
}
int created = 0
int edges = 0
for (m in batch) {
  def v = g.V().has('Mutant', 'runMutantId', m.runMutantId).tryNext().orElse(null)
  def have = new HashSet()
  if (v == null) {
    v = graph.addVertex(T.label, 'Mutant', 'runMutantId', m.runMutantId)
    run.addEdge('produced', v)
    v.addEdge('inFile', end(m.fileId))
    created++
  } else {
    v.edges(Direction.OUT, 'coveredBy', 'killedBy').each { have.add(it.label() + ' ' + it.inVertex().id()) }
  }
  for (e in m.p) { v.property(e.key, e.value) }
  for (t in m.coveredBy) { def tv = end(t); if (have.add('coveredBy ' + tv.id())) { v.addEdge('coveredBy', tv); edges++ } }
  for (t in m.killedBy) { def tv = end(t); if (have.add('killedBy ' + tv.id())) { v.addEdge('killedBy', tv); edges++ } }
}
[[created: created, edges: edges]]`
)
