package schema

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/graphperf/graphperf/graph/client"
)

// applyScript creates whatever the declaration (binding "schemaDef") lacks in
// one management transaction, then brings every declared index to ENABLED:
// indexes built on keys created in the same transaction are ENABLED at once;
// indexes on keys that already existed start INSTALLED and are registered,
// reindexed and enabled. It returns {changes: [...], awaited: [...]}.
const applyScript = `
import org.janusgraph.core.schema.SchemaAction
import org.janusgraph.core.schema.SchemaStatus
import org.janusgraph.graphdb.database.management.ManagementSystem
import java.time.temporal.ChronoUnit

def changes = []
def awaited = []
def types = [Long: Long, Double: Double, String: String, Boolean: Boolean, Integer: Integer, Float: Float, Date: Date]
graph.tx().rollback()
def mgmt = graph.openManagement()
try {
  for (p in schemaDef.propertyKeys) {
    if (!mgmt.containsPropertyKey(p.name)) {
      mgmt.makePropertyKey(p.name).dataType(types[p.dataType]).cardinality(org.janusgraph.core.Cardinality.valueOf(p.cardinality)).make()
      changes << "created property key " + p.name + " (" + p.dataType + ", " + p.cardinality + ")"
    }
  }
  for (l in schemaDef.vertexLabels) {
    if (!mgmt.containsVertexLabel(l)) {
      mgmt.makeVertexLabel(l).make()
      changes << "created vertex label " + l
    }
  }
  for (e in schemaDef.edgeLabels) {
    if (!mgmt.containsEdgeLabel(e.name)) {
      mgmt.makeEdgeLabel(e.name).multiplicity(org.janusgraph.core.Multiplicity.valueOf(e.multiplicity)).make()
      changes << "created edge label " + e.name + " (" + e.multiplicity + ")"
    }
  }
  for (c in schemaDef.compositeIndexes) {
    if (!mgmt.containsGraphIndex(c.name)) {
      def b = mgmt.buildIndex(c.name, org.apache.tinkerpop.gremlin.structure.Vertex).addKey(mgmt.getPropertyKey(c.key)).indexOnly(mgmt.getVertexLabel(c.label))
      if (c.unique) { b = b.unique() }
      b.buildCompositeIndex()
      changes << "created composite index " + c.name + " on " + c.label + "." + c.key + (c.unique ? " (unique)" : "")
    }
  }
  for (e in schemaDef.edgeIndexes) {
    def el = mgmt.getEdgeLabel(e.edgeLabel)
    if (!mgmt.containsRelationIndex(el, e.name)) {
      mgmt.buildEdgeIndex(el, e.name, org.apache.tinkerpop.gremlin.structure.Direction.valueOf(e.direction),
        org.apache.tinkerpop.gremlin.process.traversal.Order.valueOf(e.order), mgmt.getPropertyKey(e.key))
      changes << "created edge index " + e.name + " on " + e.edgeLabel + " by " + e.key + " " + e.order
    }
  }
  mgmt.commit()
} catch (Throwable t) {
  mgmt.rollback()
  throw t
}
for (c in schemaDef.compositeIndexes) {
  mgmt = graph.openManagement()
  def status = mgmt.getGraphIndex(c.name).getIndexStatus(mgmt.getPropertyKey(c.key))
  mgmt.rollback()
  if (status == SchemaStatus.ENABLED) { continue }
  if (status == SchemaStatus.INSTALLED) {
    mgmt = graph.openManagement()
    mgmt.updateIndex(mgmt.getGraphIndex(c.name), SchemaAction.REGISTER_INDEX).get()
    mgmt.commit()
    ManagementSystem.awaitGraphIndexStatus(graph, c.name).status(SchemaStatus.REGISTERED).timeout(timeoutMs, ChronoUnit.MILLIS).call()
  }
  if (status != SchemaStatus.DISABLED) {
    mgmt = graph.openManagement()
    mgmt.updateIndex(mgmt.getGraphIndex(c.name), SchemaAction.REINDEX).get()
    mgmt.commit()
  }
  def report = ManagementSystem.awaitGraphIndexStatus(graph, c.name).status(SchemaStatus.ENABLED).timeout(timeoutMs, ChronoUnit.MILLIS).call()
  if (!report.getSucceeded()) { throw new IllegalStateException("index " + c.name + " not ENABLED after " + timeoutMs + " ms: " + report) }
  awaited << c.name
  changes << "enabled index " + c.name + " (was " + status + ")"
}
for (e in schemaDef.edgeIndexes) {
  mgmt = graph.openManagement()
  def status = mgmt.getRelationIndex(mgmt.getEdgeLabel(e.edgeLabel), e.name).getIndexStatus()
  mgmt.rollback()
  if (status == SchemaStatus.ENABLED) { continue }
  if (status == SchemaStatus.INSTALLED) {
    mgmt = graph.openManagement()
    mgmt.updateIndex(mgmt.getRelationIndex(mgmt.getEdgeLabel(e.edgeLabel), e.name), SchemaAction.REGISTER_INDEX).get()
    mgmt.commit()
    ManagementSystem.awaitRelationIndexStatus(graph, e.name, e.edgeLabel).status(SchemaStatus.REGISTERED).timeout(timeoutMs, ChronoUnit.MILLIS).call()
  }
  mgmt = graph.openManagement()
  mgmt.updateIndex(mgmt.getRelationIndex(mgmt.getEdgeLabel(e.edgeLabel), e.name), SchemaAction.REINDEX).get()
  mgmt.commit()
  def report = ManagementSystem.awaitRelationIndexStatus(graph, e.name, e.edgeLabel).status(SchemaStatus.ENABLED).timeout(timeoutMs, ChronoUnit.MILLIS).call()
  if (!report.getSucceeded()) { throw new IllegalStateException("edge index " + e.name + " not ENABLED after " + timeoutMs + " ms: " + report) }
  awaited << e.name
  changes << "enabled edge index " + e.name + " (was " + status + ")"
}
// Gremlin Server iterates a returned Map into entries: wrap it in a list.
[[changes: changes, awaited: awaited]]
`

// Result reports what Apply changed.
type Result struct {
	// Changes lists every schema element created or index enabled, in
	// order; empty when the live schema already matched.
	Changes []string `json:"changes"`
	// Awaited lists the indexes Apply waited for until ENABLED.
	Awaited []string `json:"awaited"`
	// Differences are what still differs after applying (types or
	// multiplicities of pre-existing elements cannot be changed).
	Differences []Difference `json:"differences"`
}

// Changed reports whether Apply changed anything.
func (r *Result) Changed() bool { return len(r.Changes) > 0 }

// MismatchError is returned by Apply when the live schema still differs from
// the declaration after applying, e.g. a property key auto-created earlier
// with another data type.
type MismatchError struct{ Differences []Difference }

// Error implements the error interface.
func (e *MismatchError) Error() string {
	parts := make([]string, len(e.Differences))
	for i, d := range e.Differences {
		parts[i] = d.String()
	}
	return "schema: live schema conflicts with the declaration: " + strings.Join(parts, "; ")
}

// Options tune Apply.
type Options struct {
	// IndexTimeout bounds the wait for each index to become ENABLED; 0
	// means 2 minutes.
	IndexTimeout time.Duration
}

// Apply creates what the live schema lacks from want, waits until every
// declared index is ENABLED, then reads the schema back and checks it
// against want. Applying twice changes nothing the second time.
func Apply(ctx context.Context, s Submitter, want Schema, opts Options) (*Result, error) {
	if err := want.Validate(); err != nil {
		return nil, err
	}
	if opts.IndexTimeout <= 0 {
		opts.IndexTimeout = 2 * time.Minute
	}
	bindings := map[string]any{"schemaDef": want.binding(), "timeoutMs": opts.IndexTimeout.Milliseconds()}
	// The script is idempotent in the sense of client.Request.Idempotent
	// (running it twice, possibly at the same time, is harmless), unlike a
	// data upsert: JanusGraph keeps schema names unique under a lock
	// (SystemIndex#~T$SchemaName; its docs: "multiple attempts at creating
	// the same type will lead to locking or other exceptions"), so a
	// concurrent second run fails its commit rather than duplicating a type
	// or index, and the retry below then finds the work done. A request
	// lost with its connection or timed out is retried by a *client.Client.
	req := &client.Request{Script: applyScript, Bindings: bindings, Idempotent: true}
	res, err := client.Send(ctx, s, req)
	if err != nil && ctx.Err() == nil {
		// Another client creating the same schema elements concurrently
		// makes one commit fail; the script is idempotent, so one retry
		// sees their work and completes it.
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return nil, fmt.Errorf("schema: apply: %w", err)
		}
		res, err = client.Send(ctx, s, req)
	}
	if err != nil {
		return nil, fmt.Errorf("schema: apply: %w", err)
	}
	m, err := res.Map()
	if err != nil {
		return nil, fmt.Errorf("schema: apply: %w", err)
	}
	r := &Result{Changes: strs(m["changes"]), Awaited: strs(m["awaited"])}
	live, err := Show(ctx, s)
	if err != nil {
		return r, err
	}
	r.Differences = Diff(want, live)
	if len(r.Differences) > 0 {
		return r, &MismatchError{Differences: r.Differences}
	}
	return r, nil
}
