package schema

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/banking"
)

func TestBankingCoversEveryLabelAndKey(t *testing.T) {
	s := Banking()
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
	for _, info := range banking.Labels() {
		switch info.Kind {
		case banking.VertexKind:
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
		case banking.EdgeKind:
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
	if err := s.validate(); err != nil {
		t.Fatal(err)
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
	want := Banking()
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
	want := Banking()
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
	want := Banking()
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
