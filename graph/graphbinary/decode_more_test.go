package graphbinary

import (
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/gvalue"
)

const relIDName = "00 00 00 00 1d 6a 61 6e 75 73 67 72 61 70 68 2e 52 65 6c 61 74 69 6f 6e 49 64 65 6e 74 69 66 69 65 72 "

// TestBinaryDecodeErrorPositions pins the message and offset of GraphBinary
// decoding errors.
func TestBinaryDecodeErrorPositions(t *testing.T) {
	tests := []struct {
		bytes  string
		offset int
		msg    string
	}{
		{"01 00 00", 2, "unexpected end of data"},
		{"01", 1, "unexpected end of data"},
		{"26 00 01", 2, "unexpected end of data"},
		{"0c 00 00 11", 2, "unexpected end of data"},
		{"20 00 01 00 00 00 00 01", 8, "enum 0x20 holds int32, want a String"},
		{"1c 00 01 00 00 00 00 01", 8, "enum 0x1c holds int32, want a String"},
		{"1c 00 03 00 00 00", 4, "unexpected end of data"},
		{"20 00 03 00 00 00", 4, "unexpected end of data"},
		{"06 00 00 00 00 05", 2, "invalid length 5"},
		{"23 00 00 00 00 03 01", 2, "invalid length 3"},
		{"22 00 00 00", 2, "unexpected end of data"},
		{"22 00 00 00 00 01 00 00 00 05", 6, "invalid length 5"},
		{"80 00", 2, "unexpected end of data"},
		{"80 00 ff", 2, "invalid UTF-8 Char"},
		{"80 00 e2 82", 2, "invalid UTF-8 Char"},
		{"25 00 00 00 00 03 01", 2, "invalid length 3"},
		{"25 00 80 00 00 00", 2, "invalid length -2147483648"},
		{"03 00 00 00 00 02 61", 2, "invalid length 2"},
		{"09 00 00 00 00 01 01", 2, "invalid length 1"},
		{"09 00 00 00 00 02 fe 01 fe", 2, "invalid length 2"},
		{"0a 00 00 00 00 01 03 00 00 00 00 01 61", 13, "unexpected end of data"},
		{"0a 00 00 00 00 01 fe 01 01 00", 10, "unexpected end of data"},
		{"0a 00 00 00 00 01 77 00 00 00", 6, "unsupported type code 0x77"},
		{"0a 00 00 00 00 02 03 00 00 00 00 01 61 fe 01", 15, "unexpected end of data"},
		{"2a 00 00 00 00 01 03 00 00 00 00 01 61 ff ff ff ff ff ff ff ff", 21, "invalid BulkSet bulk -1"},
		{"2a 00 00 00 00 01 77 00 00 00 00 00 00 00 00 00 00 00", 6, "unsupported type code 0x77"},
		{"2a 00 00 00 00 01 03 00 00 00 00 01 61 00 00 00 00 00 00 00", 13, "unexpected end of data"},
		{"11 00 02 00 00 00 00 00 00 00 00 07 00 00 00 01 56 01 00 00 00 00 01", 23, "vertex properties is int32, want a List"},
		{"11 00 02 00 00 00 00 00 00 00 00 07 00 00 00 01 56 09 00 00 00 00 01 01 00 00 00 00 01", 29, "vertex properties hold int32, want VertexProperty"},
		{"11 00 02 00 00 00 00 00 00 00 00 07 00 00 00 05 56", 12, "invalid length 5"},
		{"11 00 77 00", 2, "unsupported type code 0x77"},
		{"0d 00 02 00 00 00 00 00 00 00 00 05 00 00 00 01 65 02 00 00 00 00 00 00 00 00 02 00 00 00 01 62 02 00 00 00 00 00 00 00 00 01 00 00 00 01 61 fe 01 09 00 00 00 00 01 01 00 00 00 00 01", 61, "edge properties holds int32, want Property"},
		{"0d 00 02 00 00 00 00 00 00 00 00 05 00 00 00 01 65 02 00 00 00 00 00 00 00 00 02 00 00 00 01 62 02 00 00 00 00 00 00 00 00 01 00 00 00 01 61 fe 01 01 00 00 00 00 01", 55, "edge properties is int32, want a List"},
		{"0d 00 02 00 00 00 00 00 00 00 00 05 00 00 00 01 65 02 00 00 00 00 00 00 00 00 02 00 00 00 01 62 02 00 00 00 00 00 00 00 00 01 00 00 00 01 61 77 00", 47, "unsupported type code 0x77"},
		{"12 00 01 00 00 00 00 09 00 00 00 01 6b 03 00 00 00 00 01 76 fe 01 01 00 00 00 00 01", 28, "meta-properties is int32, want a List"},
		{"12 00 01 00 00 00 00 09 00 00 00 01 6b 03 00 00 00 00 01 76 77 00", 20, "unsupported type code 0x77"},
		{"0f 00 00 00 00 01 77 01 00 00 00 00 02 77 00", 13, "unsupported type code 0x77"},
		{"0e 00 01 00 00 00 00 09 00 00 00 00 00", 8, "path labels is int32, want a List"},
		{"0e 00 09 00 00 00 00 00 01 00 00 00 00 01", 14, "path objects is int32, want a List"},
		{"2c 00 00 00 00 01 31", 7, "unexpected end of data"},
		{"2c 00 00 00 00 01 31 00 00 00 01 4e 00 00 00 00", 12, "unexpected end of data"},
		{"2c 00 00 00 00 01 31 00 00 00 01 4e 00 00 00 00 00 00 00 00 00 00 00 01", 20, "invalid length 1"},
		{"2c 00 00 00 00 01 31 00 00 00 01 4e 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01", 24, "invalid length 1"},
		{"2c 00 00 00 00 01 31 00 00 00 01 4e 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01", 28, "invalid length 1"},
		{"2d 00 00 00 00 00 00 00 00 00 00 00 00 01", 10, "invalid length 1"},
		{"2d 00 00 00", 2, "unexpected end of data"},
		{relIDName + "00 00 10 02 00", 38, "custom type janusgraph.RelationIdentifier with type info 0x1002, want 0x1001"},
		{relIDName + "00 00 10", 34, "unexpected end of data"},
		{relIDName + "00 00 10 01", 38, "unexpected end of data"},
		{relIDName + "00 00 10 01 00 00 80 00 00 00 00 00 00 00", 48, "negative vertex id in RelationIdentifier"},
		{relIDName + "00 00 10 01 00 00 00 00 00 00 00 00 00 01 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00", 73, "negative RelationIdentifier component"},
		{relIDName + "00 00 10 01 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", 73, "negative RelationIdentifier component"},
		{relIDName + "00 00 10 01 00 00 00 00 00 00 00 00 00 01", 48, "unexpected end of data"},
		{relIDName + "00 00 10 01 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02", 56, "unexpected end of data"},
		{relIDName + "00 00 10 01 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 03", 64, "unexpected end of data"},
		{relIDName + "00 00 10 01 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 03 00 00 00", 65, "unexpected end of data"},
		{relIDName + "00 00 10 01 00 01 61 62", 42, "unexpected end of data"},
		{relIDName + "00 00 10 01 00", 39, "unexpected end of data"},
		{relIDName + "00 00 10 01 00 02", 39, "invalid RelationIdentifier vertex id marker 2"},
		{"00 00 00 00 05 61", 1, "invalid length 5"},
		{"fe", 1, "unexpected end of data"},
	}
	for _, tt := range tests {
		in := hexBytes(t, tt.bytes)
		_, err := Decode(in)
		var de *gvalue.DecodeError
		if !errors.As(err, &de) || de.Msg != tt.msg || de.Offset != tt.offset {
			t.Errorf("Decode(%s) = %v; want %q at byte %d", tt.bytes, err, tt.msg, tt.offset)
		}
	}
}

// binaryCorpus holds valid GraphBinary values; every proper prefix of
// each must fail to decode.
var binaryCorpus = []string{
	"26 00 01 2c", "24 00 fd", "80 00 e2 82 ac", "27 00 01", "06 00 00 00 00 01 41",
	"23 00 00 00 00 02 ff 7f", "22 00 00 00 00 02 00 00 00 01 7d",
	"1c 00 03 00 00 00 00 05 66 69 72 73 74", "20 00 03 00 00 00 00 02 69 64",
	"2a 00 00 00 00 01 03 00 00 00 00 01 61 00 00 00 00 00 00 00 03",
	"11 00 02 00 00 00 00 00 00 00 00 07 00 00 00 01 56 09 00 00 00 00 01 " +
		"12 00 01 00 00 00 00 09 00 00 00 01 6b 03 00 00 00 00 01 76 fe 01 09 00 00 00 00 01 0f 00 00 00 00 01 6d 27 00 01 fe 01",
	"0d 00 02 00 00 00 00 00 00 00 00 05 00 00 00 01 65 02 00 00 00 00 00 00 00 00 02 00 00 00 01 62 " +
		"02 00 00 00 00 00 00 00 00 01 00 00 00 01 61 fe 01 09 00 00 00 00 01 0f 00 00 00 00 01 77 07 00 3f f0 00 00 00 00 00 00 fe 01",
	"0e 00 09 00 00 00 00 02 0b 00 00 00 00 01 03 00 00 00 00 01 61 0b 00 00 00 00 00 09 00 00 00 00 02 01 00 00 00 00 01 03 00 00 00 00 01 78",
	"2d 00 00 00 00 00 00 0f 42 40 00 00 00 01 2c 00 00 00 00 01 31 00 00 00 01 4e 00 00 00 00 00 1e 84 80 " +
		"00 00 00 01 03 00 00 00 00 01 63 02 00 00 00 00 00 00 00 00 04 00 00 00 01 03 00 00 00 00 01 61 03 00 00 00 00 01 62 00 00 00 00",
	relIDBytes,
	relIDName + "00 00 10 01 00 01 61 e2 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 01 f8",
	"0a 00 00 00 00 02 09 00 00 00 00 01 01 00 00 00 00 01 27 00 01 03 00 00 00 00 01 6b 05 00 00 00 00 00 00 00 00 01",
}

func TestBinaryPrefixesFail(t *testing.T) {
	values := []any{map[string]any{"a": []any{int32(1), "x", nil, 2.5, float32(1), time.UnixMilli(5)}, "b": gvalue.UUID{1}},
		[]map[string]any{{"k": int64(1)}}, []string{"s"}, []int64{1, 2}, map[any]any{gvalue.T("id"): gvalue.Direction("IN")}, []byte{1, 2}}
	corpus := append([]string(nil), binaryCorpus...)
	for _, v := range values {
		b, err := AppendValue(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		corpus = append(corpus, hexString(b))
	}
	for _, h := range corpus {
		doc := hexBytes(t, h)
		if _, err := Decode(doc); err != nil {
			t.Fatalf("corpus value %s: %v", h, err)
		}
		for n := range len(doc) {
			if v, err := Decode(doc[:n]); err == nil {
				t.Errorf("Decode(% x) = %#v, want an error (prefix of %s)", doc[:n], v, h)
			}
		}
	}
}

func hexString(b []byte) string {
	var parts []string
	for _, c := range b {
		parts = append(parts, string([]byte{"0123456789abcdef"[c>>4], "0123456789abcdef"[c&15]}))
	}
	return strings.Join(parts, " ")
}

func TestBinaryDecodeMore(t *testing.T) {
	tests := []struct {
		name, bytes string
		want        any
	}{
		{"class", "06 00 00 00 00 01 41", gvalue.Raw{Type: "g:Class", Value: []byte(`"A"`)}},
		{"boolean true", "27 00 01", true},
		{"boolean any non-zero", "27 00 02", true},
		{"byte buffer empty", "25 00 00 00 00 00", []byte{}},
		{"BigInteger 0", "23 00 00 00 00 00", gvalue.Raw{Type: "gx:BigInteger", Value: []byte("0")}},
		{"BigInteger 128", "23 00 00 00 00 02 00 80", gvalue.Raw{Type: "gx:BigInteger", Value: []byte("128")}},
		{"BigInteger -1", "23 00 00 00 00 01 ff", gvalue.Raw{Type: "gx:BigInteger", Value: []byte("-1")}},
		{"BigInteger 127", "23 00 00 00 00 01 7f", gvalue.Raw{Type: "gx:BigInteger", Value: []byte("127")}},
		{"enums", "09 00 00 00 00 02 13 00 03 00 00 00 00 01 61 2f 00 03 00 00 00 00 01 62",
			[]any{gvalue.Raw{Type: "g:Barrier", Value: []byte(`"a"`)}, gvalue.Raw{Type: "g:DT", Value: []byte(`"b"`)}}},
		{"null relation id", relIDName + "00 00 10 01 01", nil},
		{"map with list key", "0a 00 00 00 00 01 09 00 00 00 00 01 01 00 00 00 00 01 27 00 01",
			map[any]any{`{"@type":"g:List","@value":[{"@type":"g:Int32","@value":1}]}`: true}},
		{"map with vertex key", "0a 00 00 00 00 01 11 00 02 00 00 00 00 00 00 00 00 07 00 00 00 01 56 fe 01 27 00 01",
			map[any]any{"{7 V map[]}": true}},
		{"map with null and typed keys", "0a 00 00 00 00 02 fe 01 27 00 01 01 00 00 00 00 05 27 00 00",
			map[any]any{nil: true, int32(5): false}},
		{"map with short string key", "0a 00 00 00 00 01 03 00 00 00 00 00 27 00 01", map[any]any{"": true}},
		{"map with null string key", "0a 00 00 00 00 01 03 01 27 00 01", map[any]any{nil: true}},
		{"vertex without properties", "11 00 02 00 00 00 00 00 00 00 00 07 00 00 00 01 56 09 00 00 00 00 00", gvalue.Vertex{ID: int64(7), Label: "V"}},
		{"vertex with two values of a key", "11 00 02 00 00 00 00 00 00 00 00 07 00 00 00 01 56 09 00 00 00 00 02 " +
			"12 00 01 00 00 00 00 09 00 00 00 01 6b 03 00 00 00 00 01 76 fe 01 fe 01 " +
			"12 00 01 00 00 00 00 0a 00 00 00 01 6b 03 00 00 00 00 01 77 fe 01 09 00 00 00 00 01 0f 00 00 00 00 01 6d 27 00 01 fe 01",
			gvalue.Vertex{ID: int64(7), Label: "V", Properties: map[string][]gvalue.VertexProperty{"k": {{ID: int32(9), Label: "k", Value: "v"},
				{ID: int32(10), Label: "k", Value: "w", Properties: map[string]any{"m": true}}}}}},
		{"edge without properties", "0d 00 02 00 00 00 00 00 00 00 00 05 00 00 00 01 65 02 00 00 00 00 00 00 00 00 02 00 00 00 01 62 " +
			"02 00 00 00 00 00 00 00 00 01 00 00 00 01 61 fe 01 fe 01",
			gvalue.Edge{ID: int64(5), Label: "e", InV: int64(2), InVLabel: "b", OutV: int64(1), OutVLabel: "a"}},
		{"path with null lists", "0e 00 fe 01 fe 01", gvalue.Path{Labels: [][]string{}, Objects: []any{}}},
		{"path label not a set", "0e 00 09 00 00 00 00 01 01 00 00 00 00 01 09 00 00 00 00 00", gvalue.Path{Labels: [][]string{{}}, Objects: []any{}}},
		{"metrics with annotations and nested", "2c 00 00 00 00 01 31 00 00 00 01 4e 00 00 00 00 00 00 00 00 " +
			"00 00 00 00 00 00 00 01 03 00 00 00 00 01 61 03 00 00 00 00 01 62 00 00 00 01 fe 01",
			map[any]any{"id": "1", "name": "N", "dur": 0.0, "counts": map[any]any{}, "annotations": map[any]any{"a": "b"}, "metrics": []any{nil}}},
		{"negative duration", "2d 00 ff ff ff ff ff f0 bd c0 00 00 00 00", map[any]any{"dur": -1.0, "metrics": []any{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(hexBytes(t, tt.bytes))
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode(%s)\n got %#v, %v\nwant %#v", tt.bytes, got, err, tt.want)
			}
		})
	}
}

func TestBigDecimalText(t *testing.T) {
	tests := []struct {
		unscaled int64
		scale    int32
		want     string
	}{
		{0, 0, "0"}, {-5, 0, "-5"}, {125, 2, "1.25"}, {-125, 2, "-1.25"}, {125, 3, "0.125"}, {125, 5, "0.00125"},
		{1, 6, "0.000001"}, {1, 7, "1E-7"}, {12, 7, "0.0000012"}, {12, 8, "1.2E-7"}, {-12, 9, "-1.2E-8"},
		{1, -3, "1E+3"}, {-15, -1, "-1.5E+2"}, {1, 1, "0.1"}, {10, 1, "1.0"}, {123, -2, "1.23E+4"}, {0, 2, "0.00"}, {0, -2, "0E+2"},
	}
	for _, tt := range tests {
		if got := bigDecimalText(big.NewInt(tt.unscaled), tt.scale); got != tt.want {
			t.Errorf("bigDecimalText(%d, %d) = %q, want %q", tt.unscaled, tt.scale, got, tt.want)
		}
	}
}

func TestBinaryResponseErrors(t *testing.T) {
	tests := []struct {
		name, bytes string
		idOK        bool
		code        int
		message     string
		attrs       any
		offset      int
		msg         string
	}{
		{"wrong version", "80", false, 0, "", nil, 0, "response version 0x80, want 0x81"},
		{"empty", "", false, 0, "", nil, 0, "unexpected end of data"},
		{"no id flag", "81", false, 0, "", nil, 1, "unexpected end of data"},
		{"bad id flag", "81 02", false, 0, "", nil, 1, "invalid request id flag 0x02"},
		{"short id", "81 00 01", false, 0, "", nil, 2, "unexpected end of data"},
		{"short code", "81 01 00 00", false, 0, "", nil, 2, "unexpected end of data"},
		{"no message flag", "81 01 00 00 00 c8", false, 200, "", nil, 6, "unexpected end of data"},
		{"bad message flag", "81 01 00 00 00 c8 02", false, 200, "", nil, 6, "invalid status message flag 0x02"},
		{"bad message", "81 01 00 00 00 c8 00 00 00 00 05 61", false, 200, "", nil, 7, "invalid length 5"},
		{"bad attributes", "81 01 00 00 01 f4 00 00 00 00 01 6d 00 00 00 05", false, 500, "m", nil, 12, "invalid length 5"},
		{"bad meta", "81 01 00 00 01 f4 01 00 00 00 01 03 00 00 00 00 01 61 03 00 00 00 00 01 62 00 00 00", false, 500, "", map[any]any{"a": "b"}, 25, "unexpected end of data"},
		{"bad data keeps the status", "81 00 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00 00 02 55 00 00 00 00 01 6d 00 00 00 01 03 00 00 00 00 01 61 03 00 00 00 00 01 62 00 00 00 00 77 00",
			true, 597, "m", map[any]any{"a": "b"}, 50, "unsupported type code 0x77"},
		{"trailing data", "81 01 00 00 00 c8 01 00 00 00 00 00 00 00 00 fe 01 00", false, 200, "", nil, 17, "trailing data after response"},
		{"success attributes dropped", "81 01 00 00 00 ce 01 00 00 00 01 03 00 00 00 00 01 61 03 00 00 00 00 01 62 00 00 00 00 fe 01 00", false, 206, "", nil, 31, "trailing data after response"},
		{"204 attributes dropped", "81 01 00 00 00 cc 01 00 00 00 01 03 00 00 00 00 01 61 03 00 00 00 00 01 62 00 00 00 00 fe 01 00", false, 204, "", nil, 31, "trailing data after response"},
		{"200 attributes dropped", "81 01 00 00 00 c8 01 00 00 00 01 03 00 00 00 00 01 61 03 00 00 00 00 01 62 00 00 00 00 fe 01 00", false, 200, "", nil, 31, "trailing data after response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeResponse(hexBytes(t, tt.bytes))
			var de *gvalue.DecodeError
			if !errors.As(err, &de) || de.Msg != tt.msg || de.Offset != tt.offset {
				t.Errorf("error %v, want %q at byte %d", err, tt.msg, tt.offset)
			}
			if r.HasRequestID != tt.idOK || r.Code != tt.code || r.Message != tt.message || !reflect.DeepEqual(r.Attributes, tt.attrs) || r.HasData || r.Data != nil {
				t.Errorf("response = %+v", r)
			}
		})
	}
	ok := hexBytes(t, "81 01 00 00 00 c8 01 00 00 00 00 00 00 00 00 fe 01")
	if r, err := DecodeResponse(ok); err != nil || !r.HasData || r.Data != nil || r.Code != 200 || r.HasRequestID {
		t.Errorf("null data: %+v %v", r, err)
	}
}
