package schema

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// testSchema is a small declaration with every kind of element, shaped
// like a slice of the banking graph.
func testSchema() Schema {
	return Schema{
		PropertyKeys: []PropertyKey{
			{Name: "personId", DataType: "Long", Cardinality: "SINGLE"},
			{Name: "accountId", DataType: "Long", Cardinality: "SINGLE"},
			{Name: "name", DataType: "String", Cardinality: "SINGLE"},
			{Name: "timestamp", DataType: "Long", Cardinality: "SINGLE"},
			{Name: "amount", DataType: "Double", Cardinality: "SINGLE"},
		},
		VertexLabels: []string{"Person", "Account"},
		EdgeLabels: []EdgeLabel{
			{Name: "own", Multiplicity: "ONE2MANY"},
			{Name: "transfer", Multiplicity: "MULTI"},
		},
		CompositeIndexes: []CompositeIndex{
			{Name: "byPersonId", Key: "personId", Label: "Person", Unique: true},
			{Name: "byAccountId", Key: "accountId", Label: "Account", Unique: true},
		},
		EdgeIndexes: []EdgeIndex{{Name: "transferByTimestamp", EdgeLabel: "transfer", Key: "timestamp", Direction: "BOTH", Order: "desc"}},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Schema)
		want   string
	}{
		{"valid", func(*Schema) {}, ""},
		{"data type", func(s *Schema) { s.PropertyKeys[0].DataType = "Int64" }, `property key personId: unsupported data type "Int64"`},
		{"cardinality", func(s *Schema) { s.PropertyKeys[1].Cardinality = "MANY" }, `property key accountId: bad cardinality "MANY"`},
		{"multiplicity", func(s *Schema) { s.EdgeLabels[1].Multiplicity = "MANY" }, `edge label transfer: bad multiplicity "MANY"`},
		{"order", func(s *Schema) { s.EdgeIndexes[0].Order = "up" }, `edge index transferByTimestamp: bad direction "BOTH" or order "up"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSchema()
			tc.mutate(&s)
			err := s.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
}

// fakeServer answers the two scripts from an in-memory live schema.
type fakeServer struct {
	live      map[any]any
	applyResp map[any]any
	scripts   []string
	bindings  []map[string]any
}

func (f *fakeServer) Submit(_ context.Context, script string, b map[string]any) ([]any, error) {
	f.scripts = append(f.scripts, script)
	f.bindings = append(f.bindings, b)
	if strings.Contains(script, "makePropertyKey") {
		return []any{f.applyResp}, nil
	}
	return []any{f.live}, nil
}

// liveFrom renders a declared schema the way the show script returns it.
func liveFrom(s Schema, status string) map[any]any {
	var keys, vls, els, gis, eis []any
	for _, k := range s.PropertyKeys {
		keys = append(keys, map[any]any{"name": k.Name, "dataType": k.DataType, "cardinality": k.Cardinality})
	}
	for _, l := range s.VertexLabels {
		vls = append(vls, l)
	}
	for _, e := range s.EdgeLabels {
		els = append(els, map[any]any{"name": e.Name, "multiplicity": e.Multiplicity})
	}
	for _, c := range s.CompositeIndexes {
		gis = append(gis, map[any]any{"name": c.Name, "unique": c.Unique, "composite": true, "keys": []any{c.Key}, "status": []any{status}})
	}
	for _, e := range s.EdgeIndexes {
		eis = append(eis, map[any]any{"name": e.Name, "edgeLabel": e.EdgeLabel, "keys": []any{e.Key}, "direction": e.Direction, "order": e.Order, "status": status})
	}
	return map[any]any{"propertyKeys": keys, "vertexLabels": vls, "edgeLabels": els, "graphIndexes": gis, "edgeIndexes": eis}
}

func TestApplySendsDeclarationAsBindingAndReportsChanges(t *testing.T) {
	want := testSchema()
	f := &fakeServer{live: liveFrom(want, "ENABLED"),
		applyResp: map[any]any{"changes": []any{"created vertex label Person"}, "awaited": []any{}}}
	r, err := Apply(context.Background(), f, want, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Changed() || r.Changes[0] != "created vertex label Person" {
		t.Fatalf("result %+v", r)
	}
	def, ok := f.bindings[0]["schemaDef"].(map[string]any)
	if !ok || len(def["propertyKeys"].([]any)) != len(want.PropertyKeys) || f.bindings[0]["timeoutMs"] != int64(120000) {
		t.Fatalf("binding %#v", f.bindings[0])
	}
	for _, c := range want.CompositeIndexes {
		for _, v := range []string{c.Name, c.Key, c.Label} {
			if strings.Contains(f.scripts[0], v) {
				t.Errorf("script mentions %q: values must travel as bindings", v)
			}
		}
	}
}

func TestApplyReportsConflicts(t *testing.T) {
	want := testSchema()
	live := liveFrom(want, "ENABLED")
	live["propertyKeys"].([]any)[0].(map[any]any)["dataType"] = "String"
	f := &fakeServer{live: live, applyResp: map[any]any{"changes": []any{}, "awaited": []any{}}}
	_, err := Apply(context.Background(), f, want, Options{})
	var me *MismatchError
	if !errors.As(err, &me) || len(me.Differences) != 1 || me.Differences[0].Field != "dataType" {
		t.Fatalf("Apply = %v, want one dataType mismatch", err)
	}
}

func TestDiff(t *testing.T) {
	want := testSchema()
	tests := []struct {
		name   string
		mutate func(*Live)
		want   []string
	}{
		{"identical", func(*Live) {}, nil},
		{"missing key", func(l *Live) { l.PropertyKeys = l.PropertyKeys[1:] }, []string{"property key personId: missing"}},
		{"multiplicity", func(l *Live) { l.EdgeLabels[0].Multiplicity = "MULTI" }, []string{"edge label own: multiplicity is MULTI, declared ONE2MANY"}},
		{"index not enabled", func(l *Live) { l.IndexStatus["byAccountId"] = "REGISTERED" }, []string{"composite index byAccountId: status is REGISTERED, declared ENABLED"}},
		{"missing edge index", func(l *Live) { l.EdgeIndexes = nil }, []string{"edge index transferByTimestamp: missing"}},
		{"extra label is not a difference", func(l *Live) { l.VertexLabels = append(l.VertexLabels, "Mutant") }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeServer{live: liveFrom(want, "ENABLED")}
			live, err := Show(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(live)
			var got []string
			for _, d := range Diff(want, live) {
				got = append(got, d.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Diff = %q, want %q", got, tc.want)
			}
		})
	}
	f := &fakeServer{live: liveFrom(want, "ENABLED")}
	live, _ := Show(context.Background(), f)
	live.VertexLabels = append(live.VertexLabels, "Mutant")
	if extra := Extra(want, live); !slices.Equal(extra, []string{"vertex label Mutant"}) {
		t.Fatalf("Extra = %q", extra)
	}
}
