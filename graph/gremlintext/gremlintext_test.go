package gremlintext

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/graph/client"
)

func TestParseBindings(t *testing.T) {
	tests := []struct {
		in   []string
		want map[string]any
	}{
		{[]string{"n=42"}, map[string]any{"n": int64(42)}},
		{[]string{"n=-7"}, map[string]any{"n": int64(-7)}},
		{[]string{"x=4.2"}, map[string]any{"x": 4.2}},
		{[]string{"x=1e3"}, map[string]any{"x": 1000.0}},
		{[]string{"b=true", "c=false"}, map[string]any{"b": true, "c": false}},
		{[]string{"s=null"}, map[string]any{"s": nil}},
		{[]string{`s="42"`}, map[string]any{"s": "42"}},
		{[]string{`s="a \"q\" b"`}, map[string]any{"s": `a "q" b`}},
		{[]string{"s=plain text"}, map[string]any{"s": "plain text"}},
		{[]string{"s=NaN"}, map[string]any{"s": "NaN"}},
		{[]string{"s=a=b"}, map[string]any{"s": "a=b"}},
		{[]string{"s="}, map[string]any{"s": ""}},
		{[]string{`l=[1,"a",2.5]`}, map[string]any{"l": []any{int64(1), "a", 2.5}}},
		{[]string{`m={"k":[1,2]}`}, map[string]any{"m": map[string]any{"k": []any{int64(1), int64(2)}}}},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := ParseBindings(tt.in)
		if err != nil {
			t.Errorf("ParseBindings(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseBindings(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseBindingsErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"novalue", "expected NAME=VALUE"},
		{"=5", "NAME must be a Groovy identifier"},
		{"9x=5", "NAME must be a Groovy identifier"},
		{"a-b=5", "NAME must be a Groovy identifier"},
		{"id=5", "shadows a Gremlin token"},
		{"label=x", "shadows a Gremlin token"},
		{`s="unterminated`, "bad quoted string"},
		{`l=[1,2`, "bad JSON list/map"},
	}
	for _, tt := range tests {
		_, err := ParseBindings([]string{tt.in})
		var be *BindingError
		if !errors.As(err, &be) || be.Spec != tt.in || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.in)) {
			t.Errorf("ParseBindings(%q) error = %v, want one naming the binding and containing %q", tt.in, err, tt.want)
		}
	}
	if _, err := ParseBindings([]string{"a=1", "a=2"}); err == nil || !strings.Contains(err.Error(), "bound twice") {
		t.Errorf("duplicate binding: error = %v", err)
	}
}

func TestWrite(t *testing.T) {
	in := []any{
		client.Vertex{ID: int64(4), Label: "Account", Properties: map[string][]client.VertexProperty{"accountId": {{Value: int64(7)}}}},
		client.Edge{ID: client.RelationIdentifier{RelationID: "2s-4-6c5-8"}, Label: "transfer", OutV: int64(4), InV: int64(8), OutVLabel: "Account", InVLabel: "Account"},
		map[any]any{int64(1): "one", "k": []any{1.5, nil}},
		client.Path{Labels: [][]string{{"a"}, {}}, Objects: []any{int64(1), "x"}},
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, in); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
	}
	if got[0]["label"] != "Account" || got[0]["properties"].(map[string]any)["accountId"].([]any)[0] != 7.0 {
		t.Errorf("vertex rendered as %v", got[0])
	}
	if got[1]["id"] != "2s-4-6c5-8" || got[1]["outV"] != 4.0 {
		t.Errorf("edge rendered as %v", got[1])
	}
	if got[2]["1"] != "one" {
		t.Errorf("map rendered as %v", got[2])
	}
	if got[3]["type"] != "path" {
		t.Errorf("path rendered as %v", got[3])
	}
	buf.Reset()
	if err := WriteText(&buf, in); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"==>v[4]", "==>e[2s-4-6c5-8][4-transfer->8]", "==>[1:one, k:[1.5, null]]", "==>path[1, x]"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text output %q lacks %q", buf.String(), want)
		}
	}
}
