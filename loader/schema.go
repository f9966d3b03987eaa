package loader

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
)

// ensureSchemaScript creates, when missing, the property keys, vertex and
// edge labels and the unique composite index on every vertex label's
// business id. It is idempotent and runs in one management transaction.
const ensureSchemaScript = `def mgmt = graph.openManagement()
try {
  for (p in skeys) {
    if (!mgmt.containsPropertyKey(p.n)) mgmt.makePropertyKey(p.n).dataType(Class.forName(p.t)).cardinality(org.janusgraph.core.Cardinality.SINGLE).make()
  }
  for (l in svlabels) { if (!mgmt.containsVertexLabel(l)) mgmt.makeVertexLabel(l).make() }
  for (l in selabels) { if (!mgmt.containsEdgeLabel(l)) mgmt.makeEdgeLabel(l).multiplicity(org.janusgraph.core.Multiplicity.MULTI).make() }
  for (x in sindexes) {
    if (!mgmt.containsGraphIndex(x.n)) mgmt.buildIndex(x.n, Vertex.class).addKey(mgmt.getPropertyKey(x.k)).indexOnly(mgmt.getVertexLabel(x.l)).unique().buildCompositeIndex()
  }
  mgmt.commit()
} catch (Throwable e) { mgmt.rollback(); throw e }
'ok'`

// EnsureSchema is a stand-in for graph/schema's Apply until that package
// lands: it creates the labels, property keys and the unique composite
// index on each vertex label's business id that the loader relies on
// (probes and --verify look vertices up by business id). Edge labels are
// MULTI (no per-edge uniqueness check while loading). It is idempotent.
func EnsureSchema(ctx context.Context, sub Submitter) error {
	types := map[string]string{}
	var keys []map[string]any
	var vlabels, elabels []string
	var indexes []map[string]any
	for _, info := range banking.Labels() {
		for _, p := range info.Props {
			t := "java.lang." + p.Type.String()
			if old, ok := types[p.Name]; ok {
				if old != t {
					return fmt.Errorf("loader: schema: property %s is %s and %s", p.Name, old, t)
				}
				continue
			}
			types[p.Name] = t
			keys = append(keys, map[string]any{"n": p.Name, "t": t})
		}
		if info.Kind == banking.VertexKind {
			vlabels = append(vlabels, info.Name)
			indexes = append(indexes, map[string]any{"n": "by" + info.Name + "Id", "k": info.IDKey, "l": info.Name})
		} else {
			elabels = append(elabels, info.Name)
		}
	}
	_, err := sub.Submit(client.Idempotent(ctx), ensureSchemaScript, map[string]any{
		"skeys": keys, "svlabels": vlabels, "selabels": elabels, "sindexes": indexes})
	if err != nil {
		return fmt.Errorf("loader: applying the schema: %w", err)
	}
	return nil
}
