// Package schema declares graphperf's JanusGraph schema once, in Go, and
// applies it to a live server idempotently through a management script.
//
// The declaration is derived from the banking model (every label and
// property key the generator emits), plus unique composite indexes on every
// business id and a vertex-centric index on transfer timestamps. [Apply]
// sends the whole declaration as one map binding to a Groovy script that
// iterates it: no value is formatted into a script. [Show] reads the live
// schema and [Diff] compares it with a declaration.
package schema

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/graphperf/graphperf/banking"
)

// Submitter sends a Gremlin script with bindings and returns its results;
// *client.Client satisfies it.
type Submitter interface {
	Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error)
}

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

// Banking returns the declared schema of the banking graph: every label
// and property key of banking.Labels, a unique composite index per
// business id ("byPersonId", ...) and the vertex-centric index
// "transferByTimestamp" (BOTH directions, newest first).
func Banking() Schema {
	var s Schema
	seen := map[string]banking.DataType{}
	for _, info := range banking.Labels() {
		if info.Kind == banking.VertexKind {
			s.VertexLabels = append(s.VertexLabels, info.Name)
			s.CompositeIndexes = append(s.CompositeIndexes, CompositeIndex{
				Name: "by" + strings.ToUpper(info.IDKey[:1]) + info.IDKey[1:], Key: info.IDKey, Label: info.Name, Unique: true})
		} else {
			s.EdgeLabels = append(s.EdgeLabels, EdgeLabel{Name: info.Name, Multiplicity: info.Multiplicity})
		}
		for _, p := range info.Props {
			if t, ok := seen[p.Name]; ok {
				if t != p.Type {
					// The banking model is static: a clash is a programming error
					// caught by the package tests.
					panic(fmt.Sprintf("schema: property %s declared as %s and %s", p.Name, t, p.Type))
				}
				continue
			}
			seen[p.Name] = p.Type
			s.PropertyKeys = append(s.PropertyKeys, PropertyKey{Name: p.Name, DataType: p.Type.String(), Cardinality: "SINGLE"})
		}
	}
	s.EdgeIndexes = []EdgeIndex{{Name: "transferByTimestamp", EdgeLabel: "transfer", Key: "timestamp", Direction: "BOTH", Order: "desc"}}
	return s
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

// validate rejects values the management script would not accept, before
// anything is sent.
func (s Schema) validate() error {
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
