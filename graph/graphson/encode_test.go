package graphson

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/gvalue"
)

func TestAppendValue(t *testing.T) {
	uuid, _ := gvalue.ParseUUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
	type myInt int64
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, `null`},
		{"bool", true, `true`},
		{"string escapes", "q\"$\\\n\t\x01é", `"q\"$\\\n\t\u0001é"`},
		{"invalid utf8", "a\xffb", `"a\ufffdb"`},
		{"int", 42, `{"@type":"g:Int64","@value":42}`},
		{"int64 min", int64(math.MinInt64), `{"@type":"g:Int64","@value":-9223372036854775808}`},
		{"int32", int32(-3), `{"@type":"g:Int32","@value":-3}`},
		{"int8", int8(3), `{"@type":"g:Int32","@value":3}`},
		{"uint16", uint16(3), `{"@type":"g:Int64","@value":3}`},
		{"float64", 12.34, `{"@type":"g:Double","@value":12.34}`},
		{"float64 NaN", math.NaN(), `{"@type":"g:Double","@value":"NaN"}`},
		{"float64 -Inf", math.Inf(-1), `{"@type":"g:Double","@value":"-Infinity"}`},
		{"float32", float32(1.5), `{"@type":"g:Float","@value":1.5}`},
		{"time", time.UnixMilli(1700000000123), `{"@type":"g:Date","@value":1700000000123}`},
		{"uuid", uuid, `{"@type":"g:UUID","@value":"1b4e28ba-2fa1-11d2-883f-0016d3cca427"}`},
		{"T", gvalue.T("id"), `{"@type":"g:T","@value":"id"}`},
		{"Direction", gvalue.Direction("IN"), `{"@type":"g:Direction","@value":"IN"}`},
		{"relation id", gvalue.RelationIdentifier{RelationID: "4r6-39s"}, `{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":"4r6-39s"}}`},
		{"raw", gvalue.Raw{Type: "x:Y", Value: json.RawMessage(`[1]`)}, `{"@type":"x:Y","@value":[1]}`},
		{"bytes", []byte{1, 2}, `{"@type":"gx:ByteBuffer","@value":"AQI="}`},
		{"list", []any{1, "a", nil}, `{"@type":"g:List","@value":[{"@type":"g:Int64","@value":1},"a",null]}`},
		{"strings", []string{"a", "b"}, `{"@type":"g:List","@value":["a","b"]}`},
		{"int64s", []int64{1}, `{"@type":"g:List","@value":[{"@type":"g:Int64","@value":1}]}`},
		{"float64s via reflection", []float64{0.5}, `{"@type":"g:List","@value":[{"@type":"g:Double","@value":0.5}]}`},
		{"array", [2]bool{true, false}, `{"@type":"g:List","@value":[true,false]}`},
		{"nil slice", []float64(nil), `{"@type":"g:List","@value":[]}`},
		{"map", map[string]any{"k": int64(1)}, `{"@type":"g:Map","@value":["k",{"@type":"g:Int64","@value":1}]}`},
		{"maps", []map[string]any{{"a": 1}, {}}, `{"@type":"g:List","@value":[{"@type":"g:Map","@value":["a",{"@type":"g:Int64","@value":1}]},{"@type":"g:Map","@value":[]}]}`},
		{"any map", map[any]any{int32(1): "x"}, `{"@type":"g:Map","@value":[{"@type":"g:Int32","@value":1},"x"]}`},
		{"typed map", map[string]string{"a": "b"}, `{"@type":"g:Map","@value":["a","b"]}`},
		{"named int", myInt(5), `{"@type":"g:Int64","@value":5}`},
		{"pointer", func() *string { s := "p"; return &s }(), `"p"`},
		{"nil pointer", (*string)(nil), `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendValue(nil, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("AppendValue(%#v)\n got %s\nwant %s", tt.in, got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("invalid JSON: %s", got)
			}
		})
	}
}

func TestAppendValueErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"channel", make(chan int), "chan int"},
		{"uint64 overflow", uint64(math.MaxUint64), "overflows"},
		{"nested", map[string]any{"k": []any{struct{}{}}}, `map key "k"`},
		{"func", func() {}, "func()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AppendValue(nil, tt.in)
			if !errors.Is(err, gvalue.ErrUnsupported) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want unsupported-type error mentioning %q", err, tt.want)
			}
		})
	}
}

// TestEncodeDecodeRoundTrip checks that every binding type the banking
// schema uses comes back from the decoder as the same Go value.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	now := time.UnixMilli(time.Now().UnixMilli()).UTC()
	tests := []struct {
		in, want any
	}{
		{int64(123456789012), int64(123456789012)},
		{1234.56, 1234.56},
		{"O'Brien \"$x\" \\ \n ünïcødé 😀", "O'Brien \"$x\" \\ \n ünïcødé 😀"},
		{false, false},
		{now, now},
		{[]any{int64(1), "a"}, []any{int64(1), "a"}},
		{map[string]any{"personId": int64(7), "isBlocked": true, "amount": 0.01},
			map[any]any{"personId": int64(7), "isBlocked": true, "amount": 0.01}},
		{gvalue.RelationIdentifier{RelationID: "x-y-z"}, gvalue.RelationIdentifier{RelationID: "x-y-z"}},
	}
	for _, tt := range tests {
		b, err := AppendValue(nil, tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(b)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("round trip of %#v: %#v %v", tt.in, got, err)
		}
	}
}

func TestAppendRequest(t *testing.T) {
	id, _ := gvalue.ParseUUID("1b4e28ba-2fa1-41d2-883f-0016d3cca427")
	frame, err := AppendRequest(nil, id, "g.V(x)", map[string]any{"x": int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	body := string(frame[1+len(MimeType):])
	if frame[0] != byte(len(MimeType)) || !strings.Contains(body, `"x":{"@type":"g:Int64","@value":1}`) ||
		!strings.Contains(body, `"language":"gremlin-groovy"`) {
		t.Errorf("frame = %q", frame)
	}
	req, err := DecodeRequest(frame)
	if err != nil {
		t.Fatal(err)
	}
	bindings, _ := req.Args["bindings"].(map[string]any)
	if req.RequestID != id || req.Op != "eval" || req.Args["gremlin"] != "g.V(x)" ||
		bindings["x"] != int64(1) || req.Args["language"] != "gremlin-groovy" {
		t.Errorf("request = %+v", req)
	}
	if got := string(frame[idOffset : idOffset+36]); got != id.String() {
		t.Errorf("id at idOffset = %q, want %q", got, id)
	}
	other, _ := gvalue.ParseUUID("00000000-0000-4000-8000-000000000001")
	SetRequestID(frame, other)
	if req, err := DecodeRequest(frame); err != nil || req.RequestID != other {
		t.Errorf("SetRequestID: id %s (%v), want %s", req.RequestID, err, other)
	}
	auth := AppendAuth(nil, id, "graphperf", "graphperf-secret")
	req, err = DecodeRequest(auth)
	if err != nil || req.Op != "authentication" || req.Args["sasl"] != "AGdyYXBocGVyZgBncmFwaHBlcmYtc2VjcmV0" {
		t.Errorf("auth request = %+v, %v", req, err)
	}
}

// TestResponseRoundTrip encodes responses as a server does and decodes
// them as a client does.
func TestResponseRoundTrip(t *testing.T) {
	id, _ := gvalue.ParseUUID("1b4e28ba-2fa1-41d2-883f-0016d3cca427")
	tests := []Response{
		{RequestID: id, HasRequestID: true, Code: 200, Data: []any{int64(1), "x"}, HasData: true},
		{RequestID: id, HasRequestID: true, Code: 206, Data: []any{map[any]any{"a": int32(2)}}, HasData: true},
		{Code: 499, Message: "bad \"request\"", Attributes: map[any]any{"exceptions": []any{"E"}}, HasData: true},
	}
	for _, want := range tests {
		frame, err := AppendResponse(nil, want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeResponse(frame)
		if err != nil {
			t.Fatalf("%s: %v", frame, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip of %s:\n got %#v\nwant %#v", frame, got, want)
		}
	}
	if _, err := AppendResponse(nil, Response{Data: make(chan int)}); err == nil {
		t.Error("AppendResponse of a channel: no error")
	}
	if _, err := DecodeRequest([]byte("\x03abc{}")); err == nil {
		t.Error("DecodeRequest of a foreign mime type: no error")
	}
}
