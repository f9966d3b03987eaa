package queries

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Submitter runs one Gremlin script with bindings and returns the decoded
// result items (see client.Decode); *client.Client and every bench/driver
// driver implement it.
type Submitter interface {
	Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error)
}

// countScript counts the vertices of every label in one pass.
const countScript = `g.V().groupCount().by(label)`

// EmptyGraphError reports a graph with no vertex at all.
type EmptyGraphError struct{}

// Error implements the error interface.
func (e *EmptyGraphError) Error() string { return "the graph is empty" }

// LabelCount is one vertex label whose count differs.
type LabelCount struct {
	Label     string
	Want, Got int64
}

// CountMismatchError reports a graph that does not hold the expected data.
type CountMismatchError struct{ Diffs []LabelCount }

// Error implements the error interface.
func (e *CountMismatchError) Error() string {
	var parts []string
	for _, d := range e.Diffs {
		parts = append(parts, fmt.Sprintf("%s: %d in the graph, %d in the dataset", d.Label, d.Got, d.Want))
	}
	return "the graph does not hold this dataset (" + strings.Join(parts, "; ") + ")"
}

// CheckLoaded compares the graph's vertex count per label with want (label
// name → count, as Data.VertexCounts gives); vertices of other labels are
// ignored. A graph with none of want's labels gives an *EmptyGraphError, any
// difference a *CountMismatchError naming each label.
func CheckLoaded(ctx context.Context, sub Submitter, want map[string]int64) error {
	res, err := sub.Submit(ctx, countScript, nil)
	if err != nil {
		return fmt.Errorf("queries: counting vertices: %w", err)
	}
	got := map[string]int64{}
	if len(res) == 1 {
		m, ok := asMap(res[0])
		if !ok {
			return fmt.Errorf("queries: counting vertices: answer is %T, want a map", res[0])
		}
		for k, v := range m {
			n, ok := asInt64(v)
			if !ok {
				return fmt.Errorf("queries: counting vertices: count of %s is %T", k, v)
			}
			got[k] = n
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
		return &CountMismatchError{Diffs: diffs}
	}
	return nil
}
