package banking

import (
	"slices"
	"testing"
)

// TestSchemaCoversEveryLabelAndKey checks that the declared schema has
// every label and property key the generator emits, with its data type.
func TestSchemaCoversEveryLabelAndKey(t *testing.T) {
	s := Schema()
	keys := map[string]string{}
	for _, k := range s.PropertyKeys {
		if _, dup := keys[k.Name]; dup {
			t.Errorf("property key %s declared twice", k.Name)
		}
		keys[k.Name] = k.DataType
	}
	edgeMult := map[string]string{}
	for _, e := range s.EdgeLabels {
		edgeMult[e.Name] = e.Multiplicity
	}
	for _, info := range Labels() {
		switch info.Kind {
		case VertexKind:
			if !slices.Contains(s.VertexLabels, info.Name) {
				t.Errorf("vertex label %s not declared", info.Name)
			}
			found := false
			for _, c := range s.CompositeIndexes {
				found = found || (c.Key == info.IDKey && c.Label == info.Name && c.Unique)
			}
			if !found {
				t.Errorf("no unique composite index on %s.%s", info.Name, info.IDKey)
			}
		case EdgeKind:
			if edgeMult[info.Name] == "" {
				t.Errorf("edge label %s not declared", info.Name)
			}
		}
		for _, p := range info.Props {
			if keys[p.Name] != p.Type.String() {
				t.Errorf("%s.%s: declared %q, generator emits %s", info.Name, p.Name, keys[p.Name], p.Type)
			}
		}
	}
	if edgeMult["transfer"] != "MULTI" || edgeMult["own"] != "ONE2MANY" || edgeMult["livesAt"] != "MANY2ONE" {
		t.Errorf("unexpected multiplicities %v", edgeMult)
	}
	if len(s.EdgeIndexes) != 1 || s.EdgeIndexes[0].EdgeLabel != "transfer" || s.EdgeIndexes[0].Key != "timestamp" {
		t.Errorf("edge indexes %+v", s.EdgeIndexes)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
}
