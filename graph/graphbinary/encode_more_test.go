package graphbinary

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/graph/graphson"
	"github.com/graphperf/graphperf/graph/gvalue"
)

// TestEncodeMultiEntryContainers round-trips containers of several entries
// (separators) through both formats, on the fast and the reflection paths.
func TestEncodeMultiEntryContainers(t *testing.T) {
	type flag bool
	type small int16
	type count uint8
	type ratio float64
	type half float32
	one := 1
	values := []struct{ in, want any }{
		{map[any]any{"a": int64(1), "b": int64(2), "c": int64(3)}, map[any]any{"a": int64(1), "b": int64(2), "c": int64(3)}},
		{map[string]any{"a": "x", "b": "y", "c": nil}, map[any]any{"a": "x", "b": "y", "c": nil}},
		{map[string]int{"a": 1, "b": 2, "c": 3}, map[any]any{"a": int64(1), "b": int64(2), "c": int64(3)}},
		{[]flag{true, false}, []any{true, false}},
		{[]small{-3}, []any{int32(-3)}},
		{[]count{7}, []any{int64(7)}},
		{[]ratio{0.5}, []any{0.5}},
		{[]half{1.5}, []any{float32(1.5)}},
		{[]*int{&one, nil}, []any{int64(1), nil}},
		{[]error{nil}, []any{nil}},
		{uint(5), int64(5)},
		{uint64(math.MaxInt64), int64(math.MaxInt64)},
		{uint32(math.MaxUint32), int64(math.MaxUint32)},
		{uint8(200), int64(200)},
		{uint16(60000), int64(60000)},
		{int16(-5), int16(-5)},
		{int8(-5), int8(-5)},
		{float32(math.Inf(1)), float32(math.Inf(1))},
		{"\x7f\r\x80é", "\x7f\r\ufffdé"},
		{"é", "é"},
	}
	for _, tt := range values {
		js, err := graphson.AppendValue(nil, tt.in)
		if err != nil || !json.Valid(js) {
			t.Errorf("graphson.AppendValue(%#v) = %s, %v", tt.in, js, err)
			continue
		}
		got, err := graphson.Decode(js)
		want := tt.want
		switch tt.in.(type) {
		case int16, int8:
			want = int32(reflect.ValueOf(tt.want).Int()) // GraphSON sends them as g:Int32
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("GraphSON round trip of %#v: %#v %v, want %#v", tt.in, got, err, want)
		}
		if _, isString := tt.in.(string); isString {
			continue // GraphBinary sends strings' bytes unchanged
		}
		bin, err := AppendValue(nil, tt.in)
		if err != nil {
			t.Errorf("AppendValue(%#v): %v", tt.in, err)
			continue
		}
		if got, err := Decode(bin); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("GraphBinary round trip of %#v: %#v %v, want %#v", tt.in, got, err, want)
		}
	}
	if js, _ := graphson.AppendValue(nil, gvalue.Raw{Type: "x:Y"}); string(js) != `{"@type":"x:Y"}` {
		t.Errorf("Raw without value = %s", js)
	}
	if js, _ := graphson.AppendValue(nil, "a\rb"); string(js) != `"a\rb"` {
		t.Errorf(`"a\rb" = %s`, js)
	}
	frame, err := graphson.AppendRequest(nil, gvalue.UUID{}, "s", map[string]any{"a": 1, "b": "x", "c": true})
	if err != nil {
		t.Fatal(err)
	}
	req, err := graphson.DecodeRequest(frame)
	if b, _ := req.Args["bindings"].(map[string]any); err != nil || len(b) != 3 || b["c"] != true {
		t.Errorf("request with three bindings = %+v, %v", req, err)
	}
	breq, err := DecodeRequest(AppendAuth(nil, gvalue.UUID{}, "u", "p"))
	if err != nil || breq.Args["saslMechanism"] != "PLAIN" || breq.Args["sasl"] != "AHUAcA==" {
		t.Errorf("binary auth = %+v, %v", breq, err)
	}
}

func TestEncodeNestedErrors(t *testing.T) {
	bad := make(chan int)
	values := []any{
		[]any{1, bad}, []map[string]any{{"k": bad}}, map[any]any{bad: 1}, map[any]any{1: bad},
		[]chan int{bad}, map[chan int]int{bad: 1}, map[string]chan int{"k": bad}, [1]chan int{bad},
		&bad, uint(math.MaxUint64), []uint64{math.MaxUint64}, map[string]any{"a": 1, "b": bad},
	}
	for _, v := range values {
		if b, err := graphson.AppendValue(nil, v); !errors.Is(err, gvalue.ErrUnsupported) {
			t.Errorf("graphson.AppendValue(%#v) = %s, %v; want gvalue.ErrUnsupported", v, b, err)
		}
		if b, err := AppendValue(nil, v); !errors.Is(err, gvalue.ErrUnsupported) {
			t.Errorf("AppendValue(%#v) = % x, %v; want gvalue.ErrUnsupported", v, b, err)
		}
	}
	if _, err := AppendValue(nil, struct{}{}); err == nil || err.Error() != "unsupported type struct {}" {
		t.Errorf("struct: %v", err)
	}
	if _, err := AppendRequest(nil, gvalue.UUID{}, "s", map[string]any{"b": bad}); err == nil || !strings.Contains(err.Error(), "binding b") {
		t.Errorf("binary binding error: %v", err)
	}
}

func TestBinaryRelationIDs(t *testing.T) {
	tests := []struct {
		id, wantErr string
	}{
		{"1-2-3", ""},
		{"1y2p0ij32e8e7-1-1", ""}, // MaxInt64
		{"1y2p0ij32e8e8-1-1", `malformed RelationIdentifier "1y2p0ij32e8e8-1-1"`},
		{"zzzzzzzzzzzzz-1-1", `malformed RelationIdentifier "zzzzzzzzzzzzz-1-1"`},
		{"1-2-zzzzzzzzzzzzz", `malformed RelationIdentifier "1-2-zzzzzzzzzzzzz"`},
		{"1-S-2", `malformed RelationIdentifier "1-S-2": empty string vertex id`},
		{"1-Sé-2", `malformed RelationIdentifier "1-Sé-2": non-ASCII string vertex id`},
		{"1-S\x7f-2", ""},
		{"1-X-2", `malformed RelationIdentifier "1-X-2"`},
		{"1-2-3-X", `malformed RelationIdentifier "1-2-3-X"`},
		{"1-2-3-Sa", ""},
		{"1-2", `malformed RelationIdentifier "1-2"`},
	}
	for _, tt := range tests {
		b, err := AppendValue(nil, gvalue.RelationIdentifier{RelationID: tt.id})
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if gotErr != tt.wantErr {
			t.Errorf("%q: error %q, want %q", tt.id, gotErr, tt.wantErr)
			continue
		}
		if err == nil {
			if got, err := Decode(b); err != nil || got != (gvalue.RelationIdentifier{RelationID: tt.id}) {
				t.Errorf("%q round trip: %#v %v", tt.id, got, err)
			}
		}
	}
}
