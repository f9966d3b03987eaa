package graphson

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// TestDecodeErrorPositions pins the message and the byte offset of every
// kind of GraphSON syntax error: the offset is where the problem is.
func TestDecodeErrorPositions(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{`{"a" 1}`, 5, `expected ':'`},
		{`{"a":1 "b":2}`, 7, `expected ',' or '}'`},
		{`[1 2]`, 3, `expected ',' or ']'`},
		{`[1,`, 3, "unexpected end of data"},
		{`[`, 1, "unexpected end of data"},
		{`{`, 1, "expected string"},
		{`{"a":1,}`, 7, "expected string"},
		{`tx`, 0, "invalid literal"},
		{`[fals]`, 1, "invalid literal"},
		{`[nul`, 1, "invalid literal"},
		{`[true,falsy]`, 6, "invalid literal"},
		{`-`, 0, "invalid number"},
		{`[1,-x]`, 3, "invalid number"},
		{`1ee`, 3, `invalid number "1ee"`},
		{`"abc`, 4, "unterminated string"},
		{`"a\`, 3, "unterminated string"},
		{`"a\n`, 4, "unterminated string"},
		{"\"a\\n\x01\"", 4, "control character in string"},
		{"\"a\x1f\"", 2, "control character in string"},
		{`"\u00zz"`, 3, `invalid \u escape`},
		{`"\u00e"`, 3, `invalid \u escape`},
		{`"\x"`, 2, "invalid escape"},
		{`{"@type":"gx:Byte","@value":128}`, 31, `invalid 8-bit integer "128"`},
		{`{"@type":"gx:Byte","@value":-129}`, 32, `invalid 8-bit integer "-129"`},
		{`{"@type":"gx:Int16","@value":32768}`, 34, `invalid 16-bit integer "32768"`},
		{`{"@type":"gx:Int16","@value":-32769}`, 35, `invalid 16-bit integer "-32769"`},
		{`{"@type":"g:Int32","@value":2147483648}`, 38, `invalid 32-bit integer "2147483648"`},
		{`{"@type":"g:Int32","@value":-2147483649}`, 39, `invalid 32-bit integer "-2147483649"`},
		{`{"@type":"g:Int64","@value":9223372036854775808}`, 47, `invalid 64-bit integer "9223372036854775808"`},
		{`{"@type":"g:Int64","@value":-9223372036854775809}`, 48, `invalid 64-bit integer "-9223372036854775809"`},
		{`{"@type":"g:Int64","@value":12345678901234567890}`, 48, `invalid 64-bit integer "12345678901234567890"`},
		{`{"@type":"g:Int64","@value":1e3}`, 31, `invalid 64-bit integer "1e3"`},
		{`{"@type":"g:Int32","@value":"1"}`, 28, "invalid 32-bit integer"},
		{`{"@type":"g:Int32","@value":`, 28, "unexpected end of data"},
		{`{"@type":"g:Date","@value":`, 27, "unexpected end of data"},
		{`{"@type":"g:Double","@value":"Nope"}`, 35, `invalid floating point value "Nope"`},
		{`{"@type":"g:Double","@value":"NaN`, 33, "unterminated string"},
		{`{"@type":"g:Double","@value":`, 29, "unexpected end of data"},
		{`{"@type":"g:Double","@value":-}`, 29, "invalid number"},
		{`{"@type":"g:Float","@value":1e999}`, 33, `invalid floating point value "1e999"`},
		{`{"@type":"g:Double","@value":1e999}`, 34, `invalid floating point value "1e999"`},
		{`{"@type":"gx:ByteBuffer","@value":"!!"}`, 38, "invalid base64 in gx:ByteBuffer"},
		{`{"@type":"gx:ByteBuffer","@value":1}`, 34, "expected string"},
		{`{"@type":"g:UUID","@value":1}`, 27, "expected string"},
		{`{"@type":"g:UUID","@value":"x"}`, 30, `gvalue: "x": malformed UUID`},
		{`{"@type":1}`, 9, "expected string"},
		{`{"@type":"x" 1}`, 13, `expected ',' or '}'`},
		{`{"@type":"x",1}`, 13, "expected string"},
		{`{"@type":"x","@value"}`, 21, `expected ':'`},
		{`{"@type":"g:Int32","@value":1,}`, 29, `expected '}'`},
		{`{"@value":1,"x":2}`, 16, `expected "@type" after "@value"`},
		{`{"@value":1 "@type":"x"}`, 12, `expected ','`},
		{`{"@value":1,"@type":2}`, 20, "expected string"},
		{`{"@value":1,"@type":"x",}`, 23, `expected '}'`},
		{`{"@value":1,"@type"}`, 19, `expected ':'`},
		{`{"@value":"x","@type":"g:Int32"}`, 10, "invalid 32-bit integer"},
		{`[{"@value":["x"],"@type":"g:Map"}]`, 15, `expected ','`},
		{`{"@value":[1,`, 13, "unexpected end of data"},
		{`{"@value":1,`, 12, "expected string"},
		{`{"@type":"g:BulkSet","@value":["a",-1]}`, 37, "invalid g:BulkSet bulk"},
		{`{"@type":"g:BulkSet","@value":["a",1.5]}`, 38, "invalid g:BulkSet bulk"},
		{`{"@type":"g:BulkSet","@value":["a" 1]}`, 35, `expected ','`},
		{`{"@type":"g:BulkSet","@value":["a",1 "b"]}`, 37, `expected ',' or ']'`},
		{`{"@type":"g:BulkSet","@value":[x]}`, 31, "invalid number"},
		{`{"@type":"g:BulkSet","@value":["a",x]}`, 35, "invalid number"},
		{`{"@type":"g:BulkSet","@value":{}}`, 30, `expected '['`},
		{`{"@type":"g:List","@value":{}}`, 27, `expected '['`},
		{`{"@type":"g:Map","@value":{}}`, 26, `expected '['`},
		{`{"@type":"g:Map","@value":["a" 1]}`, 31, `expected ','`},
		{`{"@type":"g:Map","@value":["a",1 2]}`, 33, `expected ',' or ']'`},
		{`{"@type":"g:Map","@value":[{]}`, 28, "expected string"},
		{`{"@type":"g:Map","@value":["a",x]}`, 31, "invalid number"},
		{`{"@type":"g:Vertex","@value":[]}`, 29, `expected '{'`},
		{`{"@type":"g:Vertex","@value":{"id":x}}`, 35, "invalid number"},
		{`{"@type":"g:Vertex","@value":{"label":x}}`, 38, "invalid number"},
		{`{"@type":"g:Vertex","@value":{"x":y}}`, 34, "invalid number"},
		{`{"@type":"g:Vertex","@value":{"id":1 "x":2}}`, 37, `expected ',' or '}'`},
		{`{"@type":"g:Vertex","@value":{"properties":{"k":[1,]}}}`, 51, "invalid number"},
		{`{"@type":"g:Vertex","@value":{"properties":{"k":x}}}`, 48, "invalid number"},
		{`{"@type":"g:Vertex","@value":{"properties":{"k":[1 2]}}}`, 51, `expected ',' or ']'`},
		{`{"@type":"g:Vertex","@value":{"properties":{"k":[{"@type":"g:Int32","@value":1]}}}`, 78, `expected '}'`},
		{`{"@type":"g:Vertex","@value":{"properties":{"k":[{"@type":"g:Int32","@value":x}]}}}`, 77, "invalid 32-bit integer"},
		{`{"@type":"g:Vertex","@value":{"properties":{"k":[{"@type":"g:VertexProperty","@value":{"id":x}}]}}}`, 92, "invalid number"},
		{`{"@type":"g:Edge","@value":{"inV":x}}`, 34, "invalid number"},
		{`{"@type":"g:Edge","@value":{"outV":x}}`, 35, "invalid number"},
		{`{"@type":"g:Edge","@value":{"id":x}}`, 33, "invalid number"},
		{`{"@type":"g:Edge","@value":{"inVLabel":x}}`, 39, "invalid number"},
		{`{"@type":"g:Edge","@value":{"properties":{"a":x}}}`, 46, "invalid number"},
		{`{"@type":"g:Edge","@value":{"z":x}}`, 32, "invalid number"},
		{`{"@type":"g:VertexProperty","@value":{"value":x}}`, 46, "invalid number"},
		{`{"@type":"g:VertexProperty","@value":{"z":x}}`, 42, "invalid number"},
		{`{"@type":"g:VertexProperty","@value":{"properties":[]}}`, 51, `expected '{'`},
		{`{"@type":"g:Property","@value":{"key":x}}`, 38, "invalid number"},
		{`{"@type":"g:Property","@value":{"value":x}}`, 40, "invalid number"},
		{`{"@type":"g:Property","@value":{"z":x}}`, 36, "invalid number"},
		{`{"@type":"g:Path","@value":{"labels":[,"objects":[]}}`, 38, "invalid number"},
		{`{"@type":"g:Path","@value":{"objects":[,]}}`, 39, "invalid number"},
		{`{"@type":"g:Path","@value":{"x":[,]}}`, 33, "invalid number"},
		{`{"@type":"g:T","@value":1}`, 24, "expected string"},
		{`{"@type":"g:Direction","@value":1}`, 32, "expected string"},
		{`{"@type":"gx:Char","@value":1}`, 28, "expected string"},
		{`{"@type":"g:Metrics","@value":x}`, 30, "invalid number"},
		{`{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":[}}`, 65, "invalid number"},
		{`{"@type":"janusgraph:RelationIdentifier","@value":{"x":[}}`, 56, "invalid number"},
		{`{"@type":"x:Y","@value":[}`, 25, "invalid number"},
		{`{"@type":"x:Y","@value":{"a":[1,{]}}`, 33, "expected string"},
		{`{"@type":"x:Y","@value":{"a" 1}}`, 29, `expected ':'`},
		{`{"@type":"x:Y","@value":["a" 1]}`, 29, `expected ',' or ']'`},
		{`{"@type":"x:Y","@value":[tru]}`, 25, "invalid literal"},
		{`{"@type":"x:Y","@value":[fals]}`, 25, "invalid literal"},
		{`{"@type":"x:Y","@value":[nul]}`, 25, "invalid literal"},
		{`{"@type":"x:Y","@value":[-]}`, 25, "invalid number"},
		{`{"@type":"x:Y","@value":["\q"]}`, 27, "invalid escape"},
		{`{"@type":"x:Y","@value":`, 24, "unexpected end of data"},
		{`{"a":1}x`, 7, "trailing data after value"},
		{`[1]   x`, 6, "trailing data after value"},
		{"  ", 2, "unexpected end of data"},
		{`{"a":1 `, 7, "unexpected end of data"},
		{`{"a":`, 5, "unexpected end of data"},
		{`{"a":[1,{"b":x}]}`, 13, "invalid number"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.in))
		var de *gvalue.DecodeError
		if !errors.As(err, &de) || de.Msg != tt.msg || de.Offset != tt.offset {
			t.Errorf("Decode(%s) = %v; want %q at byte %d", tt.in, err, tt.msg, tt.offset)
		}
	}
}

// graphsonCorpus holds valid GraphSON documents, each an object, array or
// string, so that every proper prefix of each is invalid.
var graphsonCorpus = []string{
	`{"@type":"g:List","@value":[{"@type":"g:Int32","@value":1},{"@type":"g:Int64","@value":-2},{"@type":"gx:Int16","@value":3},{"@type":"gx:Byte","@value":4}]}`,
	`{"@type":"g:List","@value":[{"@type":"g:Double","@value":1.5},{"@type":"g:Float","@value":2.5},{"@type":"g:Double","@value":"NaN"},{"@type":"g:Date","@value":12}]}`,
	`{"@type":"g:Map","@value":["a",{"@type":"g:BulkSet","@value":["x",{"@type":"g:Int64","@value":2}]},{"@type":"g:T","@value":"id"},[true,false,null]]}`,
	`{"@type":"g:Set","@value":[{"@type":"g:UUID","@value":"1b4e28ba-2fa1-11d2-883f-0016d3cca427"},{"@type":"gx:ByteBuffer","@value":"AQI="},{"@type":"gx:Char","@value":"c"}]}`,
	`{"@type":"g:Vertex","@value":{"id":{"@type":"g:Int64","@value":1},"label":"L","x":[1],"properties":{"k":[{"@type":"g:VertexProperty","@value":{"id":2,"value":"v","label":"k","z":{},"properties":{"m":3}}},{"@type":"g:Int32","@value":4},5]}}}`,
	`{"@type":"g:Edge","@value":{"id":{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":"a-b-c","x":1}},"label":"e","inVLabel":"a","outVLabel":"b","inV":1,"outV":2,"q":"r","properties":{"w":{"@type":"g:Property","@value":{"key":"w","value":1,"z":2}}}}}`,
	`{"@type":"g:Path","@value":{"labels":{"@type":"g:List","@value":[{"@type":"g:Set","@value":["a"]}]},"objects":{"@type":"g:List","@value":[1]},"z":0}}`,
	`{"@type":"g:TraversalMetrics","@value":{"@type":"g:Map","@value":["dur",{"@type":"g:Double","@value":1.5}]}}`,
	`{"@type":"x:Y","@value":{"a":[1,{"b":null,"c":true,"d":false,"e":"s\"\u00e9"}],"f":-1.5e3}}`,
	`{"@value":["a",{"@type":"g:Int32","@value":1}],"@type":"g:List"}`,
	`{"@value":[1,2],"@type":"g:List"}`,
	`{"plain":{"x":[1,-2.5,"s"]},"e":{},"l":[],"t":{"@type":"g:Direction","@value":"IN"}}`,
	`"esc\"\\\/\b\f\n\r\t\u0041\ud83d\ude00"`,
	`[ 1 , { "a" : [ ] } , "x" ]`,
}

// TestDecodePrefixesFail cuts every document of the corpus at every byte:
// a truncated document must never decode.
func TestDecodePrefixesFail(t *testing.T) {
	for _, doc := range graphsonCorpus {
		if _, err := Decode([]byte(doc)); err != nil {
			t.Fatalf("corpus document %s: %v", doc, err)
		}
		for n := range len(doc) {
			if v, err := Decode([]byte(doc[:n])); err == nil {
				t.Errorf("Decode(%s) = %#v, want an error (prefix of %s)", doc[:n], v, doc)
			}
		}
	}
}

func TestDecodeMore(t *testing.T) {
	tests := []struct {
		name, in string
		want     any
	}{
		{"escapes", `"\b\f\n\r\t\/\\\"\u0041"`, "\b\f\n\r\t/\\\"A"},
		{"escape then plain text", `"a\nbc"`, "a\nbc"},
		{"lone high surrogate", `"\ud83dx"`, "\uFFFDx"},
		{"high surrogate then non-surrogate escape", `"\ud83d\u0041"`, "\uFFFDA"},
		{"high surrogate at end", `"\ud83d"`, "\uFFFD"},
		{"surrogate pair", `"\uD83D\uDE00"`, "😀"},
		{"upper-case hex", `"\u00C9"`, "É"},
		{"control char after escape ok", `"\t"`, "\t"},
		{"int limits", `[{"@type":"gx:Byte","@value":-128},{"@type":"gx:Byte","@value":127},{"@type":"gx:Int16","@value":-32768},{"@type":"gx:Int16","@value":32767},{"@type":"g:Int32","@value":-2147483648},{"@type":"g:Int32","@value":2147483647}]`,
			[]any{int8(-128), int8(127), int16(-32768), int16(32767), int32(math.MinInt32), int32(math.MaxInt32)}},
		{"plain ints and floats", `[0,-0,9223372036854775807,-9223372036854775808,9223372036854775808,-1.25,2E2,3e-1,12345678901234567890]`,
			[]any{int64(0), int64(0), int64(math.MaxInt64), int64(math.MinInt64), 9223372036854775808.0, -1.25, 200.0, 0.3, 12345678901234567890.0}},
		{"infinities", `[{"@type":"g:Double","@value":"Infinity"},{"@type":"g:Float","@value":"-Infinity"},{"@type":"g:Float","@value":"Infinity"}]`,
			[]any{math.Inf(1), float32(math.Inf(-1)), float32(math.Inf(1))}},
		{"float32 precision", `{"@type":"g:Float","@value":0.1}`, float32(0.1)},
		{"double precision", `{"@type":"g:Double","@value":0.1}`, 0.1},
		{"negative date", `{"@type":"g:Date","@value":-1}`, time.UnixMilli(-1).UTC()},
		{"metrics", `{"@type":"g:Metrics","@value":{"@type":"g:Map","@value":["id","7"]}}`, map[any]any{"id": "7"}},
		{"map keys: white space, unhashable", `{"@type":"g:Map","@value":[ {"@type":"g:List","@value":[1]} ,1, {"a":1},2, "s",3]}`,
			map[any]any{`{"@type":"g:List","@value":[1]}`: int64(1), `{"a":1}`: int64(2), "s": int64(3)}},
		{"map hashable keys", `{"@type":"g:Map","@value":[null,1,true,2,{"@type":"g:Int32","@value":3},3,{"@type":"g:UUID","@value":"1b4e28ba-2fa1-11d2-883f-0016d3cca427"},4]}`,
			map[any]any{nil: int64(1), true: int64(2), int32(3): int64(3), gvalue.UUID{0x1b, 0x4e, 0x28, 0xba, 0x2f, 0xa1, 0x11, 0xd2, 0x88, 0x3f, 0x00, 0x16, 0xd3, 0xcc, 0xa4, 0x27}: int64(4)}},
		{"empty bulkset", `{"@type":"g:BulkSet","@value":[]}`, []any{}},
		{"bulkset zero bulk", `{"@type":"g:BulkSet","@value":["a",0,"b",{"@type":"g:Int32","@value":2}]}`, []any{"b", "b"}},
		{"empty map", `{"@type":"g:Map","@value":[]}`, map[any]any{}},
		{"vertex plain property values", `{"@type":"g:Vertex","@value":{"id":1,"label":"L","properties":{"a":"x","b":[],"c":[{"@type":"g:Int32","@value":1},2],"d":[{"@type":"g:VertexProperty","@value":{"label":"d","value":3}}]}}}`,
			gvalue.Vertex{ID: int64(1), Label: "L", Properties: map[string][]gvalue.VertexProperty{
				"a": {{Label: "a", Value: "x"}}, "b": {}, "c": {{Label: "c", Value: int32(1)}, {Label: "c", Value: int64(2)}},
				"d": {{Label: "d", Value: int64(3)}}}}},
		{"vertex property value first", `{"@type":"g:Vertex","@value":{"properties":{"d":[{"@value":{"label":"d","value":3},"@type":"g:VertexProperty"}]}}}`,
			gvalue.Vertex{Properties: map[string][]gvalue.VertexProperty{"d": {{Label: "d", Value: int64(3)}}}}},
		{"vertex property typed list header broken", `{"@type":"g:Vertex","@value":{"properties":{"d":[{"x":1}]}}}`,
			gvalue.Vertex{Properties: map[string][]gvalue.VertexProperty{"d": {{Label: "d", Value: map[string]any{"x": int64(1)}}}}}},
		{"vertex property object with @type but no @value next", `{"@type":"g:Vertex","@value":{"properties":{"d":[{"@type":"x:Y"}]}}}`,
			gvalue.Vertex{Properties: map[string][]gvalue.VertexProperty{"d": {{Label: "d", Value: gvalue.Raw{Type: "x:Y"}}}}}},
		{"vertex label not a string", `{"@type":"g:Vertex","@value":{"label":2,"skip":{"a":[1,"x"]}}}`, gvalue.Vertex{}},
		{"edge property plain", `{"@type":"g:Edge","@value":{"label":"e","properties":{"a":1}}}`, gvalue.Edge{Label: "e", Properties: map[string]any{"a": int64(1)}}},
		{"path objects not a list", `{"@type":"g:Path","@value":{"labels":[["a",1]],"objects":"x"}}`, gvalue.Path{Labels: [][]string{{"a"}}, Objects: []any{"x"}}},
		{"relation id not a string", `{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":1}}`, gvalue.RelationIdentifier{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode(%s)\n got %#v, %v\nwant %#v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDecodeDepthLimit(t *testing.T) {
	nest := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"arrays at the limit", nest("[", "]", maxDepth), true},
		{"arrays over the limit", nest("[", "]", maxDepth+1), false},
		{"objects at the limit", nest(`{"a":`, "}", maxDepth), true},
		{"objects over the limit", nest(`{"a":`, "}", maxDepth+1), false},
		{"skipped arrays at the limit", `{"@type":"x:Y","@value":` + nest("[", "]", maxDepth-1) + "}", true},
		{"skipped arrays over the limit", `{"@type":"x:Y","@value":` + nest("[", "]", maxDepth) + "}", false},
		{"many siblings", "[" + strings.Repeat("[[1]],", 2*maxDepth) + "1]", true},
		{"many skipped siblings", `{"@type":"x:Y","@value":[` + strings.Repeat("[[1]],", 2*maxDepth) + "1]}", true},
		{"many typed siblings", "[" + strings.Repeat(`{"@type":"g:List","@value":[1]},`, 2*maxDepth) + "1]", true},
		{"many vertex property lists", `{"@type":"g:List","@value":[` + strings.Repeat(`{"@type":"g:Vertex","@value":{"properties":{"a":[1]}}},`, 2*maxDepth) + "1]}", true},
		{"many value-first values", "[" + strings.Repeat(`{"@value":[[1]],"@type":"g:List"},`, 2*maxDepth) + "1]", true},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "nesting too deep") {
			t.Errorf("%s: %v, want nesting too deep", tt.name, err)
		}
	}
}

func TestDecodeBulkLimit(t *testing.T) {
	set := func(bulks ...string) string {
		var items []string
		for _, b := range bulks {
			items = append(items, `"x",`+b)
		}
		return `{"@type":"g:BulkSet","@value":[` + strings.Join(items, ",") + `]}`
	}
	tests := []struct {
		name, frame string
		ok          bool
	}{
		{"at the limit", set("3", "2"), true},
		{"over the limit", set("3", "3"), false},
		{"over the limit across sets", `[` + set("3") + `,` + set("3") + `]`, false},
		{"over the limit in a value-first set", `[` + set("3") + `,{"@value":["x",3],"@type":"g:BulkSet"}]`, false},
		{"at the limit in a value-first set", `[{"@value":["x",3],"@type":"g:BulkSet"},` + set("2") + `]`, true},
	}
	for _, tt := range tests {
		frame := `{"requestId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","status":{"code":200},"result":{"data":` + tt.frame + `}}`
		_, err := decodeResponseLimit([]byte(frame), 5)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "g:BulkSet expands to more than 5 items") {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// The default limit applies when none is set.
	d := decoder{data: []byte(set("16777217"))}
	if _, err := d.value(); err == nil || !strings.Contains(err.Error(), "more than 16777216 items") {
		t.Errorf("default limit: %v", err)
	}
}

func TestDecodeResponseEnvelope(t *testing.T) {
	const id = `"1b4e28ba-2fa1-11d2-883f-0016d3cca427"`
	uuid, _ := gvalue.ParseUUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
	tests := []struct {
		name      string
		frame     string
		idOK      bool
		code      int
		message   string
		attrs     any
		data      any
		hasData   bool
		wantError string
	}{
		{"typed id", `{"requestId":{"@type":"g:UUID","@value":` + id + `},"status":{"code":{"@type":"g:Int32","@value":206}},"result":{"data":[1]}}`,
			true, 206, "", nil, []any{int64(1)}, true, ""},
		{"plain id, null id", `{"requestId":null,"status":{"code":500,"message":"m","attributes":{"x":1}}}`,
			false, 500, "m", map[string]any{"x": int64(1)}, nil, false, ""},
		{"attributes of a success are skipped", `{"requestId":` + id + `,"status":{"attributes":{"x":1},"code":200},"result":{"meta":{},"data":null}}`,
			true, 200, "", map[string]any{"x": int64(1)}, nil, true, ""},
		{"attributes of 200 after code", `{"requestId":` + id + `,"status":{"code":200,"attributes":{"x":1}}}`, true, 200, "", nil, nil, false, ""},
		{"attributes of 204 after code", `{"requestId":` + id + `,"status":{"code":204,"attributes":{"x":1}}}`, true, 204, "", nil, nil, false, ""},
		{"attributes of 206 after code", `{"requestId":` + id + `,"status":{"code":206,"attributes":{"x":1}}}`, true, 206, "", nil, nil, false, ""},
		{"attributes of 597 after code", `{"requestId":` + id + `,"status":{"code":597,"attributes":{"x":1},"other":2}}`, true, 597, "", map[string]any{"x": int64(1)}, nil, false, ""},
		{"unknown keys skipped", `{"x":[1,{"a":2}],"requestId":` + id + `,"status":{"code":200,"message":null},"result":{"data":"d","meta":[]}}`,
			true, 200, "", nil, "d", true, ""},
		{"bad id text", `{"requestId":"nope","status":{"code":200}}`, false, 0, "", nil, nil, false, "invalid requestId"},
		{"bad id string value", `{"requestId":{"@type":"g:List","@value":["nope"]},"status":{"code":200}}`, false, 0, "", nil, nil, false, "invalid requestId"},
		{"bad id type", `{"requestId":5,"status":{"code":200}}`, false, 0, "", nil, nil, false, "invalid requestId"},
		{"broken typed id", `{"requestId":{"@type":"g:UUID","@value":"x"},"status":{"code":200}}`, false, 0, "", nil, nil, false, "malformed UUID"},
		{"unterminated id", `{"requestId":"1b4e28ba`, false, 0, "", nil, nil, false, "unterminated string"},
		{"bad status code", `{"requestId":` + id + `,"status":{"code":"200"}}`, true, 0, "", nil, nil, false, "invalid status code"},
		{"broken status code", `{"requestId":` + id + `,"status":{"code":x}}`, true, 0, "", nil, nil, false, "invalid number"},
		{"broken message", `{"requestId":` + id + `,"status":{"code":500,"message":x}}`, true, 0, "", nil, nil, false, "invalid number"},
		{"broken attributes", `{"requestId":` + id + `,"status":{"code":500,"attributes":x}}`, true, 0, "", nil, nil, false, "invalid number"},
		{"broken skipped attributes", `{"requestId":` + id + `,"status":{"code":200,"attributes":x}}`, true, 0, "", nil, nil, false, "invalid number"},
		{"broken result key", `{"requestId":` + id + `,"status":{"code":200},"result":{"meta":x}}`, true, 0, "", nil, nil, false, "invalid number"},
		{"broken top-level key", `{"requestId":` + id + `,"x":y}`, true, 0, "", nil, nil, false, "invalid number"},
		{"undecodable data keeps the envelope", `{"requestId":` + id + `,"status":{"code":597,"message":"m","attributes":{"a":1}},"result":{"data":{"@type":"g:Int32","@value":"x"}}}`,
			true, 597, "m", map[string]any{"a": int64(1)}, nil, false, "invalid 32-bit integer"},
		{"trailing data", `{"requestId":` + id + `,"status":{"code":200}} x`, true, 200, "", nil, nil, false, "trailing data after response"},
		{"trailing white space", `{"requestId":` + id + `,"status":{"code":200}} ` + "\n", true, 200, "", nil, nil, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeResponse([]byte(tt.frame))
			if tt.wantError == "" && err != nil || tt.wantError != "" && (err == nil || !strings.Contains(err.Error(), tt.wantError)) {
				t.Fatalf("error %v, want %q", err, tt.wantError)
			}
			wantID := gvalue.UUID{}
			if tt.idOK {
				wantID = uuid
			}
			if r.HasRequestID != tt.idOK || r.RequestID != wantID || r.Code != tt.code || r.Message != tt.message ||
				!reflect.DeepEqual(r.Attributes, tt.attrs) || !reflect.DeepEqual(r.Data, tt.data) || r.HasData != tt.hasData {
				t.Errorf("response = %+v", r)
			}
		})
	}
}
