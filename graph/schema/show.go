package schema

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/graphperf/graphperf/graph/client"
)

// showScript reads the live schema in a read-only management transaction.
const showScript = `
graph.tx().rollback()
def mgmt = graph.openManagement()
try {
  def keys = mgmt.getRelationTypes(org.janusgraph.core.PropertyKey).collect { [name: it.name(), dataType: it.dataType().getSimpleName(), cardinality: it.cardinality().name()] }
  def vls = mgmt.getVertexLabels().collect { it.name() }
  def edgeLabels = mgmt.getRelationTypes(org.janusgraph.core.EdgeLabel).toList()
  def els = edgeLabels.collect { [name: it.name(), multiplicity: it.multiplicity().name()] }
  def gis = mgmt.getGraphIndexes(org.apache.tinkerpop.gremlin.structure.Vertex).collect { idx ->
    [name: idx.name(), unique: idx.isUnique(), composite: idx.isCompositeIndex(),
     keys: idx.getFieldKeys().collect { it.name() }, status: idx.getFieldKeys().collect { idx.getIndexStatus(it).name() }] }
  def eis = []
  for (el in edgeLabels) {
    for (ri in mgmt.getRelationIndexes(el)) {
      eis << [name: ri.name(), edgeLabel: el.name(), keys: ri.getSortKey().collect { it.name() },
              direction: ri.getDirection().name(), order: ri.getSortOrder().name(), status: ri.getIndexStatus().name()]
    }
  }
  [[propertyKeys: keys, vertexLabels: vls, edgeLabels: els, graphIndexes: gis, edgeIndexes: eis]]
} finally {
  mgmt.rollback()
}
`

// Live is the schema read from a server, with each index's status.
type Live struct {
	Schema
	// IndexStatus maps an index name to its status (ENABLED, REGISTERED,
	// INSTALLED, DISABLED); a multi-key index reports its least ready key.
	IndexStatus map[string]string `json:"indexStatus"`
	// OtherIndexes names vertex indexes that are not single-key composite
	// indexes (mixed or multi-key); they are listed, not compared.
	OtherIndexes []string `json:"otherIndexes,omitempty"`
}

// Show reads the live schema.
func Show(ctx context.Context, s Submitter) (*Live, error) {
	res, err := client.Send(ctx, s, &client.Request{Script: showScript, Idempotent: true})
	if err != nil {
		return nil, fmt.Errorf("schema: show: %w", err)
	}
	m, err := res.Map()
	if err != nil {
		return nil, fmt.Errorf("schema: show: %w", err)
	}
	live := &Live{IndexStatus: map[string]string{}}
	for _, v := range list(m["propertyKeys"]) {
		k := asMap(v)
		live.PropertyKeys = append(live.PropertyKeys, PropertyKey{Name: str(k["name"]), DataType: str(k["dataType"]), Cardinality: str(k["cardinality"])})
	}
	live.VertexLabels = strs(m["vertexLabels"])
	for _, v := range list(m["edgeLabels"]) {
		e := asMap(v)
		live.EdgeLabels = append(live.EdgeLabels, EdgeLabel{Name: str(e["name"]), Multiplicity: str(e["multiplicity"])})
	}
	for _, v := range list(m["graphIndexes"]) {
		gi := asMap(v)
		name, keys := str(gi["name"]), strs(gi["keys"])
		live.IndexStatus[name] = leastReady(strs(gi["status"]))
		if b, _ := gi["composite"].(bool); !b || len(keys) != 1 {
			live.OtherIndexes = append(live.OtherIndexes, name)
			continue
		}
		u, _ := gi["unique"].(bool)
		live.CompositeIndexes = append(live.CompositeIndexes, CompositeIndex{Name: name, Key: keys[0], Unique: u})
	}
	for _, v := range list(m["edgeIndexes"]) {
		ei := asMap(v)
		name := str(ei["name"])
		live.IndexStatus[name] = str(ei["status"])
		live.EdgeIndexes = append(live.EdgeIndexes, EdgeIndex{Name: name, EdgeLabel: str(ei["edgeLabel"]),
			Key: strings.Join(strs(ei["keys"]), ","), Direction: str(ei["direction"]), Order: str(ei["order"])})
	}
	return live, nil
}

func leastReady(statuses []string) string {
	for _, s := range []string{"DISABLED", "INSTALLED", "REGISTERED"} {
		if slices.Contains(statuses, s) {
			return s
		}
	}
	if len(statuses) == 0 {
		return ""
	}
	return statuses[0]
}

// Difference is one way a live schema differs from a declaration.
type Difference struct {
	Element string `json:"element"` // "property key", "vertex label", "edge label", "composite index", "edge index"
	Name    string `json:"name"`
	// Field is the differing attribute, or "" when the element is missing.
	Field string `json:"field,omitempty"`
	Want  string `json:"want,omitempty"`
	Got   string `json:"got,omitempty"`
}

// String describes the difference in one line, e.g. "vertex label Person: missing".
func (d Difference) String() string {
	if d.Field == "" {
		return d.Element + " " + d.Name + ": missing"
	}
	return fmt.Sprintf("%s %s: %s is %s, declared %s", d.Element, d.Name, d.Field, d.Got, d.Want)
}

// Diff lists what the live schema lacks or has differently from want,
// including declared indexes that are not ENABLED. Elements that exist only
// in the live schema are not differences (see Extra).
func Diff(want Schema, live *Live) []Difference {
	var out []Difference
	field := func(el, name, f, w, g string) {
		if w != g {
			out = append(out, Difference{Element: el, Name: name, Field: f, Want: w, Got: g})
		}
	}
	keys := map[string]PropertyKey{}
	for _, k := range live.PropertyKeys {
		keys[k.Name] = k
	}
	for _, k := range want.PropertyKeys {
		got, ok := keys[k.Name]
		if !ok {
			out = append(out, Difference{Element: "property key", Name: k.Name})
			continue
		}
		field("property key", k.Name, "dataType", k.DataType, got.DataType)
		field("property key", k.Name, "cardinality", k.Cardinality, got.Cardinality)
	}
	for _, l := range want.VertexLabels {
		if !slices.Contains(live.VertexLabels, l) {
			out = append(out, Difference{Element: "vertex label", Name: l})
		}
	}
	edges := map[string]EdgeLabel{}
	for _, e := range live.EdgeLabels {
		edges[e.Name] = e
	}
	for _, e := range want.EdgeLabels {
		got, ok := edges[e.Name]
		if !ok {
			out = append(out, Difference{Element: "edge label", Name: e.Name})
			continue
		}
		field("edge label", e.Name, "multiplicity", e.Multiplicity, got.Multiplicity)
	}
	comps := map[string]CompositeIndex{}
	for _, c := range live.CompositeIndexes {
		comps[c.Name] = c
	}
	for _, c := range want.CompositeIndexes {
		got, ok := comps[c.Name]
		if !ok {
			out = append(out, Difference{Element: "composite index", Name: c.Name})
			continue
		}
		field("composite index", c.Name, "key", c.Key, got.Key)
		field("composite index", c.Name, "unique", fmt.Sprint(c.Unique), fmt.Sprint(got.Unique))
		field("composite index", c.Name, "status", "ENABLED", live.IndexStatus[c.Name])
	}
	eidx := map[string]EdgeIndex{}
	for _, e := range live.EdgeIndexes {
		eidx[e.EdgeLabel+"/"+e.Name] = e
	}
	for _, e := range want.EdgeIndexes {
		got, ok := eidx[e.EdgeLabel+"/"+e.Name]
		if !ok {
			out = append(out, Difference{Element: "edge index", Name: e.Name})
			continue
		}
		field("edge index", e.Name, "key", e.Key, got.Key)
		field("edge index", e.Name, "direction", e.Direction, got.Direction)
		field("edge index", e.Name, "order", e.Order, got.Order)
		field("edge index", e.Name, "status", "ENABLED", live.IndexStatus[e.Name])
	}
	return out
}

// Extra lists live elements that the declaration does not mention, e.g.
// labels and keys auto-created by other data (schema.default=default).
func Extra(want Schema, live *Live) []string {
	var out []string
	wk := map[string]bool{}
	for _, k := range want.PropertyKeys {
		wk[k.Name] = true
	}
	for _, k := range live.PropertyKeys {
		if !wk[k.Name] {
			out = append(out, "property key "+k.Name+" ("+k.DataType+")")
		}
	}
	for _, l := range live.VertexLabels {
		if !slices.Contains(want.VertexLabels, l) {
			out = append(out, "vertex label "+l)
		}
	}
	we := map[string]bool{}
	for _, e := range want.EdgeLabels {
		we[e.Name] = true
	}
	for _, e := range live.EdgeLabels {
		if !we[e.Name] {
			out = append(out, "edge label "+e.Name)
		}
	}
	wc := map[string]bool{}
	for _, c := range want.CompositeIndexes {
		wc[c.Name] = true
	}
	for _, c := range live.CompositeIndexes {
		if !wc[c.Name] {
			out = append(out, "composite index "+c.Name)
		}
	}
	for _, n := range live.OtherIndexes {
		out = append(out, "index "+n)
	}
	return out
}

// Decoding helpers for the maps and lists of a result.

func asMap(v any) map[string]any {
	m, _ := client.AsMap(v)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		out = append(out, str(x))
	}
	return out
}

// Comparison is a live schema compared with a declaration: what [Diff]
// and [Extra] return. Its JSON has the keys differences, extra and live.
type Comparison struct {
	Differences []Difference `json:"differences"`
	Extra       []string     `json:"extra"`
	Live        *Live        `json:"live"`
}

// Compare reads the live schema through s ([Show]) and compares it with want.
func Compare(ctx context.Context, s Submitter, want Schema) (*Comparison, error) {
	live, err := Show(ctx, s)
	if err != nil {
		return nil, err
	}
	return &Comparison{Differences: Diff(want, live), Extra: Extra(want, live), Live: live}, nil
}
