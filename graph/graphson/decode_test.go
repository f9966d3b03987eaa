package graphson

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/gvalue"
)

func TestDecode(t *testing.T) {
	uuid, _ := gvalue.ParseUUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
	rid := gvalue.RelationIdentifier{RelationID: "4rd-3bc-1lh-6h4"}
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"int32", `{"@type":"g:Int32","@value":-7}`, int32(-7)},
		{"int64", `{"@type":"g:Int64","@value":9223372036854775807}`, int64(math.MaxInt64)},
		{"int64 min", `{"@type":"g:Int64","@value":-9223372036854775808}`, int64(math.MinInt64)},
		{"int16", `{"@type":"gx:Int16","@value":4}`, int16(4)},
		{"byte", `{"@type":"gx:Byte","@value":3}`, int8(3)},
		{"float", `{"@type":"g:Float","@value":1.5}`, float32(1.5)},
		{"double", `{"@type":"g:Double","@value":99.99}`, 99.99},
		{"double exp", `{"@type":"g:Double","@value":1E-7}`, 1e-7},
		{"double inf", `{"@type":"g:Double","@value":"-Infinity"}`, math.Inf(-1)},
		{"date", `{"@type":"g:Date","@value":1700000000123}`, time.UnixMilli(1700000000123).UTC()},
		{"timestamp", `{"@type":"g:Timestamp","@value":0}`, time.UnixMilli(0).UTC()},
		{"uuid", `{"@type":"g:UUID","@value":"1b4e28ba-2fa1-11d2-883f-0016d3cca427"}`, uuid},
		{"string escapes", `"q\"$\\\n\u00e9\ud83d\ude00/\/"`, "q\"$\\\né😀//"},
		{"plain numbers", `[1,-2,1.5,1e3]`, []any{int64(1), int64(-2), 1.5, 1000.0}},
		{"literals", `[true,false,null]`, []any{true, false, nil}},
		{"list", `{"@type":"g:List","@value":["a",{"@type":"g:Int32","@value":1}]}`, []any{"a", int32(1)}},
		{"empty list", `{"@type":"g:List","@value":[]}`, []any{}},
		{"set", `{"@type":"g:Set","@value":[1]}`, []any{int64(1)}},
		{"bulkset", `{"@type":"g:BulkSet","@value":["a",{"@type":"g:Int64","@value":2},"b",{"@type":"g:Int64","@value":1}]}`, []any{"a", "a", "b"}},
		{"map", `{"@type":"g:Map","@value":["k",{"@type":"g:Int64","@value":1},{"@type":"g:T","@value":"id"},2]}`,
			map[any]any{"k": int64(1), gvalue.T("id"): int64(2)}},
		{"map with list key", `{"@type":"g:Map","@value":[{"@type":"g:List","@value":[1]},"v"]}`,
			map[any]any{`{"@type":"g:List","@value":[1]}`: "v"}},
		{"plain object", `{"a":{"@type":"g:Int32","@value":1},"b":{}}`, map[string]any{"a": int32(1), "b": map[string]any{}}},
		{"value before type", `{"@value":5,"@type":"g:Int64"}`, int64(5)},
		{"T and Direction", `[{"@type":"g:T","@value":"label"},{"@type":"g:Direction","@value":"OUT"}]`, []any{gvalue.T("label"), gvalue.Direction("OUT")}},
		{"char", `{"@type":"gx:Char","@value":"c"}`, "c"},
		{"bytebuffer", `{"@type":"gx:ByteBuffer","@value":"AQI="}`, []byte{1, 2}},
		{"relation id", `{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":"4rd-3bc-1lh-6h4"}}`, rid},
		{"unknown type", `{"@type":"gx:BigDecimal","@value":1.5}`, gvalue.Raw{Type: "gx:BigDecimal", Value: []byte("1.5")}},
		{"unknown nested", `{"@type":"x:Y","@value":{"a":[1,{"b":null}]}}`, gvalue.Raw{Type: "x:Y", Value: []byte(`{"a":[1,{"b":null}]}`)}},
		{"type without value", `{"@type":"x:Y"}`, gvalue.Raw{Type: "x:Y"}},
		{"vertex", `{"@type":"g:Vertex","@value":{"id":{"@type":"g:Int64","@value":4296},"label":"Account","properties":{"name":[{"@type":"g:VertexProperty","@value":{"id":{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":"1"}},"value":"x","label":"name"}}]}}}`,
			gvalue.Vertex{ID: int64(4296), Label: "Account", Properties: map[string][]gvalue.VertexProperty{
				"name": {{ID: gvalue.RelationIdentifier{RelationID: "1"}, Label: "name", Value: "x"}}}}},
		{"edge", `{"@type":"g:Edge","@value":{"id":{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":"4rd-3bc-1lh-6h4"}},"label":"transfer","inVLabel":"Account","outVLabel":"Account","inV":{"@type":"g:Int64","@value":8392},"outV":{"@type":"g:Int64","@value":4296},"properties":{"amount":{"@type":"g:Property","@value":{"key":"amount","value":{"@type":"g:Double","@value":99.99}}}}}}`,
			gvalue.Edge{ID: rid, Label: "transfer", InV: int64(8392), OutV: int64(4296), InVLabel: "Account", OutVLabel: "Account",
				Properties: map[string]any{"amount": 99.99}}},
		{"property", `{"@type":"g:Property","@value":{"key":"w","value":0.5}}`, gvalue.Property{Key: "w", Value: 0.5}},
		{"vertex property with meta", `{"@type":"g:VertexProperty","@value":{"id":1,"value":"v","label":"k","properties":{"since":2}}}`,
			gvalue.VertexProperty{ID: int64(1), Label: "k", Value: "v", Properties: map[string]any{"since": int64(2)}}},
		{"path", `{"@type":"g:Path","@value":{"labels":{"@type":"g:List","@value":[{"@type":"g:Set","@value":["a"]},{"@type":"g:Set","@value":[]}]},"objects":{"@type":"g:List","@value":[1,"x"]}}}`,
			gvalue.Path{Labels: [][]string{{"a"}, {}}, Objects: []any{int64(1), "x"}}},
		{"metrics", `{"@type":"g:TraversalMetrics","@value":{"@type":"g:Map","@value":["dur",{"@type":"g:Double","@value":1.5}]}}`,
			map[any]any{"dur": 1.5}},
		{"white space", " {\n\"@type\" : \"g:List\" ,\t\"@value\" : [ 1 , 2 ] } ", []any{int64(1), int64(2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatalf("Decode(%s): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode(%s)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, wantMsg string
	}{
		{"empty", ``, "unexpected end"},
		{"truncated", `{"@type":"g:List","@value":[1,`, "unexpected end"},
		{"bad int", `{"@type":"g:Int32","@value":3000000000}`, "32-bit integer"},
		{"float as int", `{"@type":"g:Int64","@value":1.5}`, "64-bit integer"},
		{"bad uuid", `{"@type":"g:UUID","@value":"zz"}`, "UUID"},
		{"bad literal", `tru`, "invalid literal"},
		{"trailing", `1 2`, "trailing"},
		{"control char", "\"a\x01\"", "control character"},
		{"bad escape", `"\q"`, "invalid escape"},
		{"bad unicode", `"\u12"`, `\u escape`},
		{"typed without value key", `{"@type":"g:Int64","x":1}`, `"@value"`},
		{"bulk not int", `{"@type":"g:BulkSet","@value":["a","b"]}`, "bulk"},
		{"deep", strings.Repeat("[", 1000) + strings.Repeat("]", 1000), "too deep"},
		{"deep objects", strings.Repeat(`{"a":`, 1000) + "1" + strings.Repeat("}", 1000), "too deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			var de *gvalue.DecodeError
			if !errors.As(err, &de) || !strings.Contains(de.Msg, tt.wantMsg) {
				t.Fatalf("Decode(%q) = %v, want *gvalue.DecodeError containing %q", tt.in, err, tt.wantMsg)
			}
			if de.Offset < 0 || de.Offset > len(tt.in) {
				t.Errorf("offset %d outside input of %d bytes", de.Offset, len(tt.in))
			}
		})
	}
}

// TestDecodeRealFrames decodes response frames captured from JanusGraph
// 1.1.0 (testdata/frames) and checks what each must contain.
func TestDecodeRealFrames(t *testing.T) {
	check := map[string]func(t *testing.T, r Response){
		"edge-0": func(t *testing.T, r Response) {
			e := r.Data.([]any)[0].(gvalue.Edge)
			if _, ok := e.ID.(gvalue.RelationIdentifier); !ok || e.Properties["ctDouble"] != 99.99 || e.Label != "clientTestLink" {
				t.Errorf("edge = %#v", e)
			}
		},
		"vertices-0": func(t *testing.T, r Response) {
			items := r.Data.([]any)
			if r.Code != 206 || len(items) != 64 {
				t.Fatalf("code %d, %d items; want a 206 frame of 64", r.Code, len(items))
			}
			for _, it := range items {
				v := it.(gvalue.Vertex)
				if v.Label != "ClientTestNode" || v.Properties["ctRun"][0].Value != "capture" {
					t.Fatalf("vertex = %#v", v)
				}
			}
		},
		"vertices-1": func(t *testing.T, r Response) {
			if r.Code != 200 || len(r.Data.([]any)) != 6 {
				t.Errorf("final frame: code %d, %d items; want 200 with 6", r.Code, len(r.Data.([]any)))
			}
		},
		"valuemap-0": func(t *testing.T, r Response) {
			m := r.Data.([]any)[0].(map[any]any)
			if !reflect.DeepEqual(m["ctStr"], []any{"q\"$\\\n"}) || m[gvalue.T("label")] != "ClientTestNode" ||
				!reflect.DeepEqual(m["ctLong"], []any{int64(42)}) || !reflect.DeepEqual(m["ctBool"], []any{true}) {
				t.Errorf("valueMap = %#v", m)
			}
		},
		"pathv-0": func(t *testing.T, r Response) {
			p := r.Data.([]any)[0].(gvalue.Path)
			if len(p.Objects) != 3 || len(p.Labels) != 3 {
				t.Fatalf("path = %#v", p)
			}
			if _, ok := p.Objects[1].(gvalue.Edge); !ok {
				t.Errorf("path object 1 = %#v, want an Edge", p.Objects[1])
			}
		},
		"bulkset-0": func(t *testing.T, r Response) {
			if labels := r.Data.([]any)[0].([]any); len(labels) != 102 || labels[0] != "ClientTestNode" {
				t.Errorf("bulkset expanded to %d items, want 102", len(labels))
			}
		},
		"groupcount-0": func(t *testing.T, r Response) {
			if m := r.Data.([]any)[0].(map[any]any); m["ClientTestNode"] != int64(102) {
				t.Errorf("groupCount = %#v", m)
			}
		},
		"error-0": func(t *testing.T, r Response) {
			attrs, _ := r.Attributes.(map[any]any)
			trace, _ := attrs["stackTrace"].(string)
			if r.Code != 597 || !strings.Contains(r.Message, "No such property: nope") ||
				!strings.Contains(trace, "MissingPropertyException") {
				t.Errorf("error frame: %d %q %v", r.Code, r.Message, r.Attributes)
			}
		},
		"empty-0": func(t *testing.T, r Response) {
			if r.Code != 204 {
				t.Errorf("code %d, want 204", r.Code)
			}
		},
		"types-0": func(t *testing.T, r Response) {
			items := r.Data.([]any)
			want := []any{int32(1), int64(2), float32(1.5), 2.5, "x", true, nil, time.UnixMilli(0).UTC()}
			if !reflect.DeepEqual(items[:len(want)], want) {
				t.Errorf("types = %#v", items)
			}
		},
	}
	files, _ := filepath.Glob("testdata/frames/*.json")
	if len(files) < 10 {
		t.Fatalf("found %d captured frames, want the testdata/frames corpus", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			frame, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := DecodeResponse(frame)
			if err != nil || !r.HasRequestID {
				t.Fatalf("decodeResponse: %v (id ok %v)", err, r.HasRequestID)
			}
			if fn := check[name]; fn != nil {
				fn(t, r)
			}
		})
	}
}

func TestDecodeResponseRecoversEnvelope(t *testing.T) {
	frame := `{"requestId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","status":{"code":200,"message":""},"result":{"data":{"@type":"g:Int32","@value":"x"}}}`
	r, err := DecodeResponse([]byte(frame))
	if err == nil || !r.HasRequestID || r.Code != 200 {
		t.Fatalf("got %+v %v, want the id and code with a decode error", r, err)
	}
	if _, err := DecodeResponse([]byte(`{"requestId":`)); err == nil {
		t.Fatal("truncated frame decoded without error")
	}
}
