package results

// The Gremlin scripts [Graph.Store] and [Graph.StoreCommits] send. Each is a
// constant: values travel in bindings only. Every write is an upsert on a
// unique indexed key, so a script sent twice (a retry, or the same run stored
// again) changes nothing the second time. Binding names avoid Gremlin tokens.
const (
	// upsertCommitFn defines upsert(hash), which returns the Commit vertex
	// of hash, creating a bare one (hash only) when missing.
	upsertCommitFn = `def upsertCommit = { h ->
  g.V().has('Commit', 'hash', h).fold().coalesce(unfold(), addV('Commit').property('hash', h)).next()
}
`

	// commitsScript upserts one Commit per map of batch ({hash, commitTime,
	// message, author, parents: [hash, ...]}), filling in the properties
	// given, and adds the missing parent edges (parentIndex = the parent's
	// position, 0 for the first parent) to parents created bare when
	// missing. It returns [[commits: created, edges: created]].
	commitsScript = upsertCommitFn + `int created = 0
int edges = 0
for (m in batch) {
  def v = g.V().has('Commit', 'hash', m.hash).tryNext().orElse(null)
  if (v == null) { v = graph.addVertex(T.label, 'Commit', 'hash', m.hash); created++ }
  for (k in ['commitTime', 'message', 'author']) { if (m.get(k) != null) { v.property(k, m.get(k)) } }
  def have = [] as Set
  v.edges(Direction.OUT, 'parent').each { have.add(it.inVertex().value('hash')) }
  long i = 0
  for (ph in m.parents) {
    if (!have.contains(ph)) { v.addEdge('parent', upsertCommit(ph), 'parentIndex', i); edges++ }
    i++
  }
}
[[commits: created, edges: edges]]`

	// runScript upserts the Run vertex of runId rid with the properties of
	// map p (status 'partial' among them, until completeScript runs), links
	// it (replacing earlier links) to the Commit of chash, the Branch of
	// bname, the Dataset of dfp, the Server of sid (with properties sp) and,
	// for a mutate run, the MutationRun of the same runId; drops the
	// OperationResults of an earlier store whose operation is not in opnames;
	// moves the branch's head to the run's commit when the branch has none
	// or the run's commit is newer. Empty chash, bname, dfp or sid mean no
	// link. It returns [vertex id, created].
	runScript = upsertCommitFn + `def r = g.V().has('Run', 'runId', rid).fold().coalesce(
  unfold().project('v', 'created').by().by(constant(false)),
  addV('Run').property('runId', rid).project('v', 'created').by().by(constant(true))).next()
def v = r.v
for (e in p) { v.property(e.key, e.value) }
for (k in unset) { v.property(k).remove() }
v.edges(Direction.OUT, 'atCommit', 'onBranch', 'onDataset', 'onServer', 'mutation').each { it.remove() }
def cv = null
if (chash != '') { cv = upsertCommit(chash); v.addEdge('atCommit', cv) }
if (bname != '') {
  def bv = g.V().has('Branch', 'name', bname).fold().coalesce(unfold(), addV('Branch').property('name', bname)).next()
  v.addEdge('onBranch', bv)
  if (cv != null) {
    def hv = bv.vertices(Direction.OUT, 'head').hasNext() ? bv.vertices(Direction.OUT, 'head').next() : null
    def newer = hv == null || (cv.property('commitTime').isPresent() && hv.property('commitTime').isPresent() &&
      cv.value('commitTime').after(hv.value('commitTime')))
    if (newer && hv != cv) {
      bv.edges(Direction.OUT, 'head').each { it.remove() }
      bv.addEdge('head', cv)
    }
  }
}
if (dfp != '') {
  v.addEdge('onDataset', g.V().has('Dataset', 'fingerprint', dfp).fold().coalesce(unfold(), addV('Dataset').property('fingerprint', dfp)).next())
}
if (sid != '') {
  def sv = g.V().has('Server', 'serverId', sid).fold().coalesce(unfold(), addV('Server').property('serverId', sid)).next()
  for (e in sp) { sv.property(e.key, e.value) }
  v.addEdge('onServer', sv)
}
if (p.kind == 'mutate') {
  g.V().has('MutationRun', 'runId', rid).tryNext().ifPresent { v.addEdge('mutation', it) }
}
v.vertices(Direction.OUT, 'hasResult').each { if (!opnames.contains(it.value('operation'))) { it.remove() } }
[v.id(), r.created]`

	// resultsScript upserts one OperationResult per map of batch (keys:
	// resultId, operation and the properties), linked by hasResult (edge
	// property operation) from the Run vertex runVid and by ofOperation to
	// the Operation vertex of its name (upserted). The run's existing
	// results and the batch's Operation vertices are read with one query
	// each. It returns the number of OperationResults created.
	resultsScript = `def run = g.V(runVid).tryNext().orElse(null)
if (run == null) throw new IllegalStateException('results: Run vertex ' + runVid + ' not found')
def have = [:]
run.vertices(Direction.OUT, 'hasResult').each { have.put(it.value('resultId'), it) }
def ops = [:]
g.V().has('Operation', 'name', within(batch.collect { it.operation }.unique())).each { ops.put(it.value('name'), it) }
int created = 0
for (m in batch) {
  def v = have.get(m.resultId)
  if (v == null) {
    def kv = [T.label, 'OperationResult']
    m.each { k, x -> kv << k; kv << x }
    v = graph.addVertex(kv as Object[])
    run.addEdge('hasResult', v, 'operation', m.operation)
    def ov = ops.get(m.operation)
    if (ov == null) { ov = graph.addVertex(T.label, 'Operation', 'name', m.operation); ops.put(m.operation, ov) }
    v.addEdge('ofOperation', ov)
    created++
  } else {
    for (e in m) { if (e.key != 'resultId') { v.property(e.key, e.value) } }
  }
}
created`

	// completeScript marks the Run vertex runVid with status fin once it
	// has exactly want OperationResults, and returns that number; with
	// another number it changes nothing and fails. It first removes what a
	// retried request racing its first attempt can leave twice (Gremlin
	// Server runs both; the upserts do not lock): a second OperationResult
	// of the same resultId, a second Run vertex of the same runId rid.
	completeScript = `def v = g.V(runVid).tryNext().orElse(null)
if (v == null) throw new IllegalStateException('results: Run vertex ' + runVid + ' not found')
def seen = [:]
v.vertices(Direction.OUT, 'hasResult').toList().each { r ->
  if (seen.containsKey(r.value('resultId'))) { r.remove() } else { seen.put(r.value('resultId'), r) }
}
g.V().has('Run', 'runId', rid).toList().each { o ->
  if (o.id() != v.id()) { o.vertices(Direction.OUT, 'hasResult').toList().each { it.remove() }; o.remove() }
}
long n = seen.size()
if (n != want) throw new IllegalStateException('results: the run has ' + n + ' operation results stored, not ' + want + ': left partial')
v.property('status', fin)
n`

	// headScript points the Branch of bname (upserted) at the Commit of
	// chash (upserted bare when missing).
	headScript = upsertCommitFn + `def bv = g.V().has('Branch', 'name', bname).fold().coalesce(unfold(), addV('Branch').property('name', bname)).next()
bv.edges(Direction.OUT, 'head').each { it.remove() }
bv.addEdge('head', upsertCommit(chash))
[]`
)
