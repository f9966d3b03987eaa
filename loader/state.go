package loader

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
)

// The graph itself records what was loaded into it, whatever the journal's
// location: one vertex of label StateLabel per dataset, keyed by the
// dataset's identity (Source.Dataset, unique index), holding a GraphState as
// JSON. It is written before the first batch is sent, updated as batches
// commit, and marked complete at the end; Drop removes it with the data.
const (
	// StateLabel is the vertex label of the load-state vertices.
	StateLabel = "LoadState"
	// StateDatasetKey is the property holding the dataset identity.
	StateDatasetKey = "loadDataset"
	// StateKey is the property holding the GraphState as JSON.
	StateKey = "loadState"
)

// Load states.
const (
	// StatusLoading marks a load that has begun and not finished: the graph
	// holds part of the dataset.
	StatusLoading = "loading"
	// StatusComplete marks a dataset entirely in the graph.
	StatusComplete = "complete"
)

// stateUpdateEvery is the number of committed batches between two updates
// of the graph's load state.
const stateUpdateEvery = 64

// stateUpdateTimeout bounds an intermediate update of the load state (a
// failed one is only logged: the final update still happens).
const stateUpdateTimeout = 15 * time.Second

// committed returns the vertices and edges known committed (loaded or
// skipped) so far.
func (r *Report) committed() (vertices, edges int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Vertices + r.SkippedVertices, r.Edges + r.SkippedEdges
}

// GraphState is what the graph records about one dataset loaded into it.
type GraphState struct {
	// Dataset is the dataset's identity (Source.Dataset); Source its
	// description.
	Dataset string `json:"dataset"`
	Source  string `json:"source"`
	// Status is StatusLoading or StatusComplete.
	Status string `json:"status"`
	// Journal identifies the journal of the load that last wrote the
	// graph; a resumed load with another journal checks every batch its
	// journal does not know against the graph before sending it.
	Journal string `json:"journal"`
	// BatchSize and BatchBytes are the batch layout: a resumed load must
	// cut the same batches.
	BatchSize  int `json:"batchSize"`
	BatchBytes int `json:"batchBytes"`
	// Vertices and Edges count the elements known committed at Updated;
	// Total is the dataset's element count.
	Vertices int64     `json:"vertices"`
	Edges    int64     `json:"edges"`
	Total    int64     `json:"total"`
	Updated  time.Time `json:"updated"`
}

// Complete reports whether the whole dataset is in the graph.
func (s *GraphState) Complete() bool { return s.Status == StatusComplete }

// String describes the state in a few words.
func (s *GraphState) String() string {
	if s.Complete() {
		return fmt.Sprintf("%s, completely loaded (%d elements)", s.Source, s.Total)
	}
	return fmt.Sprintf("%s, partly loaded (at least %d of %d elements, last written %s)",
		s.Source, s.Vertices+s.Edges, s.Total, s.Updated.UTC().Format(time.RFC3339))
}

// StateSchema declares the load-state vertices: apply it with
// schema.Apply (as [Schema] does) before loading.
func StateSchema() schema.Schema {
	return schema.Schema{
		VertexLabels: []string{StateLabel},
		PropertyKeys: []schema.PropertyKey{
			{Name: StateDatasetKey, DataType: "String", Cardinality: "SINGLE"},
			{Name: StateKey, DataType: "String", Cardinality: "SINGLE"},
		},
		CompositeIndexes: []schema.CompositeIndex{{Name: "byLoadDataset", Key: StateDatasetKey, Label: StateLabel, Unique: true}},
	}
}

// Schema is everything a load needs: the banking schema and the
// load-state declaration.
func Schema() schema.Schema {
	s := banking.Schema()
	st := StateSchema()
	s.VertexLabels = append(s.VertexLabels, st.VertexLabels...)
	s.PropertyKeys = append(s.PropertyKeys, st.PropertyKeys...)
	s.CompositeIndexes = append(s.CompositeIndexes, st.CompositeIndexes...)
	return s
}

// AlreadyLoadedError is returned by a load that was not asked to resume
// when the graph already holds its dataset, completely or in part:
// loading it again would duplicate it.
type AlreadyLoadedError struct{ State GraphState }

// Error says what the graph holds.
func (e *AlreadyLoadedError) Error() string {
	if e.State.Complete() {
		return "loader: the graph already holds this dataset: " + e.State.String() + "; loading it again would duplicate it"
	}
	return "loader: the graph already holds part of this dataset: " + e.State.String() + "; resume that load instead of starting another"
}

// DatasetMismatchError is returned when the graph holds banking data other
// than the source's: another dataset, or data of unknown origin (loaded
// without a load state).
type DatasetMismatchError struct {
	// Graph is what the graph records; nil when it holds banking vertices
	// but no load state.
	Graph *GraphState
	// Source describes the data that was to be loaded.
	Source string
}

// Error names both datasets.
func (e *DatasetMismatchError) Error() string {
	if e.Graph == nil {
		return "loader: the graph already holds banking data with no record of its dataset; it must be emptied before loading " + e.Source
	}
	return "loader: the graph holds another dataset (" + e.Graph.String() + "); it must be emptied before loading " + e.Source
}

// bankingLabels lists the vertex labels of the banking data.
func bankingLabels() []string {
	var out []string
	for _, info := range banking.Labels() {
		if info.Kind == banking.VertexKind {
			out = append(out, info.Name)
		}
	}
	return out
}

const (
	// readStateScript returns [n, state JSON...]: n is 1 when the graph
	// holds a vertex of a banking label (blabels), else 0.
	readStateScript = `def r = [g.V().hasLabel(within(blabels)).limit(1).count().next()]
r.addAll(g.V().hasLabel('LoadState').values('loadState').toList())
r`
	// writeStateScript records the state JSON st on the LoadState vertex
	// of dataset ds, creating it when missing. A unique index without
	// locking does not stop two concurrent writes from both creating the
	// vertex, and the index then finds only one of them, so the vertices of
	// ds are found by a scan: with more than one, all are removed and one
	// is created afresh (which also rewrites the index entry).
	writeStateScript = `def vs = g.V().hasLabel('LoadState').where(values('loadDataset').is(ds)).toList()
if (vs.size() == 1) { vs[0].property('loadState', st) } else {
  vs.each { it.remove() }
  graph.addVertex(T.label, 'LoadState', 'loadDataset', ds, 'loadState', st)
}
vs.size()`
)

// graphContents is what the graph holds, as far as loading goes.
type graphContents struct {
	states []GraphState
	data   bool // a banking vertex exists
}

// find returns the state of dataset, or nil.
func (g *graphContents) find(dataset string) *GraphState {
	for i := range g.states {
		if g.states[i].Dataset == dataset {
			return &g.states[i]
		}
	}
	return nil
}

// other returns a state of a dataset other than dataset, or nil.
func (g *graphContents) other(dataset string) *GraphState {
	for i := range g.states {
		if g.states[i].Dataset != dataset {
			return &g.states[i]
		}
	}
	return nil
}

// ReadGraphStates returns the load states the graph records (none for an
// empty graph or one loaded without them).
func ReadGraphStates(ctx context.Context, sub Submitter) ([]GraphState, error) {
	gc, err := readContents(ctx, sub, DefaultBatchTimeout)
	if err != nil {
		return nil, err
	}
	return gc.states, nil
}

// datasetStateScript returns [n, state JSON?]: n is 1 when the graph
// holds any vertex, else 0, then the load state of dataset ds if the graph
// records one. Both are bounded: an index lookup and limit(1), never a
// scan of the graph. A graph without the load-state schema records none
// (JanusGraph refuses a query on an undefined key).
const datasetStateScript = `def r = [g.V().limit(1).count().next()]
if (graph.containsPropertyKey('loadDataset')) { r.addAll(g.V().has('LoadState', 'loadDataset', ds).values('loadState').toList()) }
r`

// ReadDatasetState returns the load state the graph records for the
// dataset with identity dataset (Source.Dataset, the data's fingerprint),
// nil when it records none, and whether the graph holds any vertex at all.
// It costs an index lookup whatever the graph's size: use it to check that
// a dataset is loaded before working on it.
func ReadDatasetState(ctx context.Context, sub Submitter, dataset string) (st *GraphState, nonEmpty bool, err error) {
	res, err := sub.Submit(ctx, datasetStateScript, map[string]any{"ds": dataset})
	if err != nil {
		return nil, false, fmt.Errorf("loader: reading the graph's load state: %w", err)
	}
	if len(res) == 0 {
		return nil, false, fmt.Errorf("loader: reading the graph's load state: empty answer")
	}
	n, ok := client.AsInt64(res[0])
	if !ok {
		return nil, false, fmt.Errorf("loader: reading the graph's load state: answer starts with %T, want a count", res[0])
	}
	for _, v := range res[1:] {
		s, ok := v.(string)
		if !ok {
			return nil, false, fmt.Errorf("loader: reading the graph's load state: %T, want JSON text", v)
		}
		st = new(GraphState)
		if err := json.Unmarshal([]byte(s), st); err != nil {
			return nil, false, fmt.Errorf("loader: the graph's load state is corrupt: %w", err)
		}
	}
	return st, n > 0, nil
}

// withRetries runs f until it succeeds, fails permanently, or
// cfg.MaxAttempts attempts failed; between attempts it backs off as for
// batches. f must be idempotent.
func withRetries(ctx context.Context, cfg Config, f func(context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = f(ctx); err == nil || classify(err) == rejected || attempt >= cfg.MaxAttempts || ctx.Err() != nil {
			return err
		}
		if serr := backoff(ctx, cfg, attempt); serr != nil {
			return err
		}
	}
}

func readContents(ctx context.Context, sub Submitter, timeout time.Duration) (*graphContents, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := client.Send(ctx, sub, &client.Request{Script: readStateScript, Bindings: map[string]any{"blabels": bankingLabels()}, Idempotent: true})
	if err != nil {
		return nil, fmt.Errorf("loader: reading the graph's load state: %w", err)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("loader: reading the graph's load state: empty answer")
	}
	n, ok := client.AsInt64(res[0])
	if !ok {
		return nil, fmt.Errorf("loader: reading the graph's load state: answer starts with %T, want a count", res[0])
	}
	gc := &graphContents{data: n > 0}
	for _, v := range res[1:] {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("loader: reading the graph's load state: %T, want JSON text", v)
		}
		var st GraphState
		if err := json.Unmarshal([]byte(s), &st); err != nil {
			return nil, fmt.Errorf("loader: the graph's load state is corrupt: %w", err)
		}
		gc.states = append(gc.states, st)
	}
	gc.states = dedupeStates(gc.states)
	return gc, nil
}

// dedupeStates keeps one state per dataset, the one updated last: two
// concurrent writes can leave two LoadState vertices of one dataset (the
// next write of that dataset removes the extra one).
func dedupeStates(states []GraphState) []GraphState {
	at := make(map[string]int, len(states))
	out := states[:0]
	for _, st := range states {
		i, ok := at[st.Dataset]
		switch {
		case !ok:
			at[st.Dataset] = len(out)
			out = append(out, st)
		case st.Updated.After(out[i].Updated):
			out[i] = st
		}
	}
	return out
}

func writeState(ctx context.Context, sub Submitter, st GraphState, timeout time.Duration) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := client.Send(ctx, sub, &client.Request{Script: writeStateScript, Bindings: map[string]any{"ds": st.Dataset, "st": string(b)}}); err != nil {
		return fmt.Errorf("loader: recording the load state in the graph: %w", err)
	}
	return nil
}

// DatasetStates reads the load states the graph records ([ReadGraphStates])
// and splits them: the state of the dataset with identity dataset (nil when
// the graph records none) and the descriptions of the other datasets the
// graph holds. A graph that cannot be read gives nothing.
func DatasetStates(ctx context.Context, sub Submitter, dataset string) (*GraphState, []string) {
	states, err := ReadGraphStates(ctx, sub)
	if err != nil {
		return nil, nil
	}
	var mine *GraphState
	var others []string
	for i, st := range states {
		if st.Dataset == dataset {
			mine = &states[i]
		} else {
			others = append(others, st.String())
		}
	}
	return mine, others
}
