package graphson

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// MimeType is the GraphSON v3 serializer's mime type. Requests are binary
// frames prefixed with its length and the type itself, as TinkerPop's
// drivers send them.
const MimeType = "application/vnd.gremlin-v3.0+json"

// AppendValue appends the GraphSON v3 encoding of v to buf. Supported values:
//
//	nil; bool; string; int, int64, uint8..uint64 (≤ MaxInt64) → g:Int64;
//	int32, int16, int8 → g:Int32; float64 → g:Double; float32 → g:Float;
//	time.Time → g:Date (milliseconds); [gvalue.UUID] → g:UUID; [gvalue.T], [gvalue.Direction];
//	[gvalue.RelationIdentifier] → janusgraph:RelationIdentifier; [gvalue.Raw] → its type
//	and value unchanged; []byte → gx:ByteBuffer;
//	slices and arrays of supported values → g:List;
//	maps with string or supported keys → g:Map; pointers to supported values.
//
// The common batch shapes ([]any, []map[string]any, map[string]any, []string,
// []int64, ...) are encoded without reflection.
func AppendValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		return AppendString(buf, x), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	case int:
		return appendInt64(buf, int64(x)), nil
	case int64:
		return appendInt64(buf, x), nil
	case int32:
		return appendInt32(buf, int64(x)), nil
	case int16:
		return appendInt32(buf, int64(x)), nil
	case int8:
		return appendInt32(buf, int64(x)), nil
	case uint8:
		return appendInt64(buf, int64(x)), nil
	case uint16:
		return appendInt64(buf, int64(x)), nil
	case uint32:
		return appendInt64(buf, int64(x)), nil
	case uint:
		return appendUint(buf, uint64(x))
	case uint64:
		return appendUint(buf, x)
	case float64:
		return appendFloat(buf, "g:Double", x, 64), nil
	case float32:
		return appendFloat(buf, "g:Float", float64(x), 32), nil
	case time.Time:
		buf = append(buf, `{"@type":"g:Date","@value":`...)
		return append(strconv.AppendInt(buf, x.UnixMilli(), 10), '}'), nil
	case gvalue.UUID:
		buf = append(buf, `{"@type":"g:UUID","@value":"`...)
		buf, _ = x.AppendText(buf)
		return append(buf, `"}`...), nil
	case gvalue.T:
		buf = append(buf, `{"@type":"g:T","@value":`...)
		return append(AppendString(buf, string(x)), '}'), nil
	case gvalue.Direction:
		buf = append(buf, `{"@type":"g:Direction","@value":`...)
		return append(AppendString(buf, string(x)), '}'), nil
	case gvalue.RelationIdentifier:
		buf = append(buf, `{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":`...)
		return append(AppendString(buf, x.RelationID), "}}"...), nil
	case gvalue.Raw:
		buf = append(buf, `{"@type":`...)
		buf = AppendString(buf, x.Type)
		if len(x.Value) == 0 {
			return append(buf, '}'), nil
		}
		buf = append(buf, `,"@value":`...)
		return append(append(buf, x.Value...), '}'), nil
	case []byte:
		buf = append(buf, `{"@type":"gx:ByteBuffer","@value":"`...)
		buf = base64.StdEncoding.AppendEncode(buf, x)
		return append(buf, `"}`...), nil
	case []any:
		buf = append(buf, `{"@type":"g:List","@value":[`...)
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = AppendValue(buf, e); err != nil {
				return buf, err
			}
		}
		return append(buf, "]}"...), nil
	case []map[string]any:
		buf = append(buf, `{"@type":"g:List","@value":[`...)
		for i, m := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendStringMap(buf, m); err != nil {
				return buf, err
			}
		}
		return append(buf, "]}"...), nil
	case map[string]any:
		return appendStringMap(buf, x)
	case []string:
		buf = append(buf, `{"@type":"g:List","@value":[`...)
		for i, s := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendString(buf, s)
		}
		return append(buf, "]}"...), nil
	case []int64:
		buf = append(buf, `{"@type":"g:List","@value":[`...)
		for i, n := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendInt64(buf, n)
		}
		return append(buf, "]}"...), nil
	case map[any]any:
		buf = append(buf, `{"@type":"g:Map","@value":[`...)
		first := true
		for k, e := range x {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			var err error
			if buf, err = AppendValue(buf, k); err != nil {
				return buf, err
			}
			buf = append(buf, ',')
			if buf, err = AppendValue(buf, e); err != nil {
				return buf, err
			}
		}
		return append(buf, "]}"...), nil
	}
	return appendReflect(buf, reflect.ValueOf(v))
}

func appendStringMap(buf []byte, m map[string]any) ([]byte, error) {
	buf = append(buf, `{"@type":"g:Map","@value":[`...)
	first := true
	for k, e := range m {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = AppendString(buf, k)
		buf = append(buf, ',')
		var err error
		if buf, err = AppendValue(buf, e); err != nil {
			return buf, fmt.Errorf("map key %q: %w", k, err)
		}
	}
	return append(buf, "]}"...), nil
}

func appendReflect(buf []byte, rv reflect.Value) ([]byte, error) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return append(buf, "null"...), nil
		}
		return AppendValue(buf, rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return append(buf, `{"@type":"g:List","@value":[]}`...), nil
		}
		buf = append(buf, `{"@type":"g:List","@value":[`...)
		for i := range rv.Len() {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = AppendValue(buf, rv.Index(i).Interface()); err != nil {
				return buf, err
			}
		}
		return append(buf, "]}"...), nil
	case reflect.Map:
		buf = append(buf, `{"@type":"g:Map","@value":[`...)
		it := rv.MapRange()
		first := true
		for it.Next() {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			var err error
			if buf, err = AppendValue(buf, it.Key().Interface()); err != nil {
				return buf, err
			}
			buf = append(buf, ',')
			if buf, err = AppendValue(buf, it.Value().Interface()); err != nil {
				return buf, err
			}
		}
		return append(buf, "]}"...), nil
	case reflect.String:
		return AppendString(buf, rv.String()), nil
	case reflect.Bool:
		return strconv.AppendBool(buf, rv.Bool()), nil
	case reflect.Int, reflect.Int64:
		return appendInt64(buf, rv.Int()), nil
	case reflect.Int32, reflect.Int16, reflect.Int8:
		return appendInt32(buf, rv.Int()), nil
	case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return appendUint(buf, rv.Uint())
	case reflect.Float64:
		return appendFloat(buf, "g:Double", rv.Float(), 64), nil
	case reflect.Float32:
		return appendFloat(buf, "g:Float", rv.Float(), 32), nil
	}
	if !rv.IsValid() {
		return append(buf, "null"...), nil
	}
	return buf, fmt.Errorf("%w %s", gvalue.ErrUnsupported, rv.Type())
}

func appendInt64(buf []byte, n int64) []byte {
	buf = append(buf, `{"@type":"g:Int64","@value":`...)
	return append(strconv.AppendInt(buf, n, 10), '}')
}

func appendInt32(buf []byte, n int64) []byte {
	buf = append(buf, `{"@type":"g:Int32","@value":`...)
	return append(strconv.AppendInt(buf, n, 10), '}')
}

func appendUint(buf []byte, n uint64) ([]byte, error) {
	if n > math.MaxInt64 {
		return buf, fmt.Errorf("%w: %d overflows g:Int64", gvalue.ErrUnsupported, n)
	}
	return appendInt64(buf, int64(n)), nil
}

func appendFloat(buf []byte, typ string, f float64, bits int) []byte {
	buf = append(buf, `{"@type":"`...)
	buf = append(buf, typ...)
	buf = append(buf, `","@value":`...)
	switch {
	case math.IsNaN(f):
		buf = append(buf, `"NaN"`...)
	case math.IsInf(f, 1):
		buf = append(buf, `"Infinity"`...)
	case math.IsInf(f, -1):
		buf = append(buf, `"-Infinity"`...)
	default:
		buf = strconv.AppendFloat(buf, f, 'g', -1, bits)
	}
	return append(buf, '}')
}

// safeASCII[c] is true for ASCII bytes that need no escaping in a JSON string.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// AppendString appends s to buf as a JSON string (quoted and escaped: '"',
// '\\', control characters; '<', '>', '&' and U+2028/U+2029 are left as
// they are). Invalid UTF-8 is replaced by U+FFFD, as encoding/json does.
func AppendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safeASCII[c] {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
