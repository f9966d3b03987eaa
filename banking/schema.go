package banking

import (
	"fmt"
	"strings"

	"github.com/graphperf/graphperf/graph/schema"
)

// Schema returns the declared JanusGraph schema of the banking graph (apply
// it with schema.Apply): every label and property key of [Labels], a
// unique composite index per business id ("byPersonId", ...) and the
// vertex-centric index "transferByTimestamp" (BOTH directions, newest
// first).
func Schema() schema.Schema {
	var s schema.Schema
	seen := map[string]DataType{}
	for _, info := range Labels() {
		if info.Kind == VertexKind {
			s.VertexLabels = append(s.VertexLabels, info.Name)
			s.CompositeIndexes = append(s.CompositeIndexes, schema.CompositeIndex{
				Name: "by" + strings.ToUpper(info.IDKey[:1]) + info.IDKey[1:], Key: info.IDKey, Label: info.Name, Unique: true})
		} else {
			s.EdgeLabels = append(s.EdgeLabels, schema.EdgeLabel{Name: info.Name, Multiplicity: info.Multiplicity})
		}
		for _, p := range info.Props {
			if t, ok := seen[p.Name]; ok {
				if t != p.Type {
					// The banking model is static: a clash is a programming error
					// caught by the package tests.
					panic(fmt.Sprintf("banking: property %s declared as %s and %s", p.Name, t, p.Type))
				}
				continue
			}
			seen[p.Name] = p.Type
			s.PropertyKeys = append(s.PropertyKeys, schema.PropertyKey{Name: p.Name, DataType: p.Type.String(), Cardinality: "SINGLE"})
		}
	}
	s.EdgeIndexes = []schema.EdgeIndex{{Name: "transferByTimestamp", EdgeLabel: "transfer", Key: "timestamp", Direction: "BOTH", Order: "desc"}}
	return s
}
