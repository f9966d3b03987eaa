package queries

import (
	"context"
	"fmt"
	"github.com/graphperf/graphperf/banking"
	"slices"
	"strings"
)

// Submitter runs one Gremlin script with bindings and returns the decoded
// result items (see graphson.Decode); *client.Client and every bench/driver
// driver implement it.
type Submitter interface {
	Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error)
}

// countScripts count the vertices, then the edges, of every label in one
// pass each.
var countScripts = [...]string{`g.V().groupCount().by(label)`, `g.E().groupCount().by(label)`}

// EmptyGraphError reports a graph with no vertex at all.
type EmptyGraphError struct{}

// Error implements the error interface.
func (e *EmptyGraphError) Error() string { return "the graph is empty" }

// LabelCount is one label whose count differs.
type LabelCount struct {
	Label     string
	Want, Got int64
}

// CountMismatchError reports a graph that does not hold the expected data.
// Incomplete is true when every differing label has fewer elements in the
// graph than in the dataset (an interrupted load).
type CountMismatchError struct {
	Diffs      []LabelCount
	Incomplete bool
}

// Error implements the error interface.
func (e *CountMismatchError) Error() string {
	var parts []string
	for _, d := range e.Diffs {
		parts = append(parts, fmt.Sprintf("%s: %d in the graph, %d in the dataset", d.Label, d.Got, d.Want))
	}
	if e.Incomplete {
		return "the graph is incomplete (" + strings.Join(parts, "; ") + ")"
	}
	return "the graph does not hold this dataset (" + strings.Join(parts, "; ") + ")"
}

// CheckLoaded compares the graph's vertex and edge counts per label with
// want (label name → count, as Data.ElementCounts gives); elements of other
// labels (mutation results, load records) are ignored. Edges are counted
// only when want names an edge label (Data.VertexCounts checks vertices
// only). A graph with none of want's labels gives an *EmptyGraphError, any
// difference a *CountMismatchError naming each label.
func CheckLoaded(ctx context.Context, sub Submitter, want map[string]int64) error {
	edges := false
	for l := range want {
		if lb, ok := banking.ParseLabel(l); ok && lb.Kind() == banking.EdgeKind {
			edges = true
		}
	}
	got := map[string]int64{}
	for i, script := range countScripts {
		if i == 1 && !edges {
			break
		}
		what := [...]string{"vertices", "edges"}[i]
		res, err := sub.Submit(ctx, script, nil)
		if err != nil {
			return fmt.Errorf("queries: counting %s: %w", what, err)
		}
		if len(res) != 1 {
			continue
		}
		m, ok := asMap(res[0])
		if !ok {
			return fmt.Errorf("queries: counting %s: answer is %T, want a map", what, res[0])
		}
		for k, v := range m {
			n, ok := asInt64(v)
			if !ok {
				return fmt.Errorf("queries: counting %s: count of %s is %T", what, k, v)
			}
			got[k] = n
		}
		if i == 0 && len(got) == 0 {
			return &EmptyGraphError{}
		}
	}
	// Only the dataset's labels count: other data sharing the server
	// (mutation results, load records) is not this check's business.
	var total int64
	labels := make([]string, 0, len(want))
	for l := range want {
		labels = append(labels, l)
		total += got[l]
	}
	if total == 0 {
		return &EmptyGraphError{}
	}
	slices.Sort(labels)
	var diffs []LabelCount
	for _, l := range labels {
		if want[l] != got[l] {
			diffs = append(diffs, LabelCount{Label: l, Want: want[l], Got: got[l]})
		}
	}
	if len(diffs) > 0 {
		incomplete := true
		for _, d := range diffs {
			incomplete = incomplete && d.Got < d.Want
		}
		return &CountMismatchError{Diffs: diffs, Incomplete: incomplete}
	}
	return nil
}
