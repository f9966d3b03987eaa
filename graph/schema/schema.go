package schema

import (
	"fmt"
	"slices"

	"github.com/graphperf/graphperf/graph/client"
)

// Submitter sends a Gremlin script with bindings and returns its results;
// *client.Client satisfies it (and then retries the package's idempotent
// requests after a lost connection or a server timeout).
type Submitter = client.Submitter

// PropertyKey is a property key: a name, a data type (Long, Double,
// String, Boolean) and a cardinality (SINGLE).
type PropertyKey struct {
	Name        string `json:"name"`
	DataType    string `json:"dataType"`
	Cardinality string `json:"cardinality"`
}

// EdgeLabel is an edge label with its multiplicity (MULTI, SIMPLE,
// ONE2MANY, MANY2ONE, ONE2ONE).
type EdgeLabel struct {
	Name         string `json:"name"`
	Multiplicity string `json:"multiplicity"`
}

// CompositeIndex is a composite graph index on one vertex property key,
// restricted to one vertex label.
type CompositeIndex struct {
	Name   string `json:"name"`
	Key    string `json:"key"`
	Label  string `json:"label"`
	Unique bool   `json:"unique"`
}

// EdgeIndex is a vertex-centric index on an edge label, sorted by a key.
type EdgeIndex struct {
	Name      string `json:"name"`
	EdgeLabel string `json:"edgeLabel"`
	Key       string `json:"key"`
	Direction string `json:"direction"` // OUT, IN or BOTH
	Order     string `json:"order"`     // asc or desc
}

// Schema is a JanusGraph schema declaration.
type Schema struct {
	PropertyKeys     []PropertyKey    `json:"propertyKeys"`
	VertexLabels     []string         `json:"vertexLabels"`
	EdgeLabels       []EdgeLabel      `json:"edgeLabels"`
	CompositeIndexes []CompositeIndex `json:"compositeIndexes"`
	EdgeIndexes      []EdgeIndex      `json:"edgeIndexes"`
}

// binding turns the declaration into the plain lists and maps the
// management script iterates.
func (s Schema) binding() map[string]any {
	var keys, edges, comps, eidx []any
	for _, k := range s.PropertyKeys {
		keys = append(keys, map[string]any{"name": k.Name, "dataType": k.DataType, "cardinality": k.Cardinality})
	}
	for _, e := range s.EdgeLabels {
		edges = append(edges, map[string]any{"name": e.Name, "multiplicity": e.Multiplicity})
	}
	for _, c := range s.CompositeIndexes {
		comps = append(comps, map[string]any{"name": c.Name, "key": c.Key, "label": c.Label, "unique": c.Unique})
	}
	for _, e := range s.EdgeIndexes {
		eidx = append(eidx, map[string]any{"name": e.Name, "edgeLabel": e.EdgeLabel, "key": e.Key, "direction": e.Direction, "order": e.Order})
	}
	labels := make([]any, len(s.VertexLabels))
	for i, l := range s.VertexLabels {
		labels[i] = l
	}
	return map[string]any{"propertyKeys": keys, "vertexLabels": labels, "edgeLabels": edges,
		"compositeIndexes": comps, "edgeIndexes": eidx}
}

// Validate reports the first value of s the management script would not
// accept (an unknown data type, cardinality, multiplicity, direction or
// order); [Apply] calls it before anything is sent.
func (s Schema) Validate() error {
	types := []string{"Long", "Double", "String", "Boolean", "Integer", "Float", "Date"}
	mults := []string{"MULTI", "SIMPLE", "ONE2MANY", "MANY2ONE", "ONE2ONE"}
	for _, k := range s.PropertyKeys {
		if !slices.Contains(types, k.DataType) {
			return fmt.Errorf("schema: property key %s: unsupported data type %q", k.Name, k.DataType)
		}
		if k.Cardinality != "SINGLE" && k.Cardinality != "LIST" && k.Cardinality != "SET" {
			return fmt.Errorf("schema: property key %s: bad cardinality %q", k.Name, k.Cardinality)
		}
	}
	for _, e := range s.EdgeLabels {
		if !slices.Contains(mults, e.Multiplicity) {
			return fmt.Errorf("schema: edge label %s: bad multiplicity %q", e.Name, e.Multiplicity)
		}
	}
	for _, e := range s.EdgeIndexes {
		if !slices.Contains([]string{"OUT", "IN", "BOTH"}, e.Direction) || (e.Order != "asc" && e.Order != "desc") {
			return fmt.Errorf("schema: edge index %s: bad direction %q or order %q", e.Name, e.Direction, e.Order)
		}
	}
	return nil
}
