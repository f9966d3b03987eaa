package client

import (
	"errors"
	"fmt"
	"math"
)

// Result is the items of one response, 206 partial frames joined in order,
// decoded as the serializer's Decode describes (graphson.Decode,
// graphbinary.Decode). It is a plain slice: index and range it freely. Its
// accessors read the common shapes with precise rules, so that callers do
// not write their own type assertions; they apply as well to the []any
// items of any other driver: client.Result(items).Int64().
//
// Accessors that read one value (One, Int64, Float64, Map) want exactly
// one item; a result of another length fails with *ResultError, which
// matches [ErrEmptyResult] when the result is empty. An item of the wrong
// type fails with *ResultError too.
type Result []any

// ErrEmptyResult is matched (errors.Is) by the *ResultError of an accessor
// that wanted one item and got none.
var ErrEmptyResult = errors.New("client: empty result")

// ResultError is a result whose shape is not what an accessor asked for.
type ResultError struct {
	// Want describes what the accessor wanted: "one item", "an integer",
	// "a number", "a map with string keys", "a string".
	Want string
	// Len is the number of result items.
	Len int
	// Index is the offending item's index, or -1 when the number of items
	// was wrong.
	Index int
	// Got is the offending item (nil when the number of items was wrong).
	Got any
}

// Error describes what was wanted and what came.
func (e *ResultError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("client: result has %d items, want %s", e.Len, e.Want)
	}
	return fmt.Sprintf("client: result item %d is %T %v, want %s", e.Index, e.Got, e.Got, e.Want)
}

// Is reports whether target is [ErrEmptyResult] and the result was empty.
func (e *ResultError) Is(target error) bool {
	return target == ErrEmptyResult && e.Index < 0 && e.Len == 0
}

// One returns the only item of r.
func (r Result) One() (any, error) {
	if len(r) != 1 {
		return nil, &ResultError{Want: "one item", Len: len(r), Index: -1}
	}
	return r[0], nil
}

// Int64 returns the only item of r as an integer, converted as [AsInt64]
// does: count(), sum() of integers, a single id.
func (r Result) Int64() (int64, error) {
	v, err := r.One()
	if err != nil {
		return 0, err
	}
	n, ok := AsInt64(v)
	if !ok {
		return 0, &ResultError{Want: "an integer", Len: 1, Index: 0, Got: v}
	}
	return n, nil
}

// Float64 returns the only item of r as a number, converted as [AsFloat64]
// does.
func (r Result) Float64() (float64, error) {
	v, err := r.One()
	if err != nil {
		return 0, err
	}
	f, ok := AsFloat64(v)
	if !ok {
		return 0, &ResultError{Want: "a number", Len: 1, Index: 0, Got: v}
	}
	return f, nil
}

// Map returns the only item of r as a map with string keys, converted as
// [AsMap] does: valueMap(), elementMap(), project(), group() by strings.
func (r Result) Map() (map[string]any, error) {
	v, err := r.One()
	if err != nil {
		return nil, err
	}
	m, ok := AsMap(v)
	if !ok {
		return nil, &ResultError{Want: "a map with string keys", Len: 1, Index: 0, Got: v}
	}
	return m, nil
}

// Int64s returns every item of r as an integer (see [AsInt64]); an empty
// result gives an empty slice.
func (r Result) Int64s() ([]int64, error) {
	out := make([]int64, len(r))
	for i, v := range r {
		n, ok := AsInt64(v)
		if !ok {
			return nil, &ResultError{Want: "an integer", Len: len(r), Index: i, Got: v}
		}
		out[i] = n
	}
	return out, nil
}

// Strings returns every item of r as a string (string items only; nothing
// is formatted); an empty result gives an empty slice.
func (r Result) Strings() ([]string, error) {
	out := make([]string, len(r))
	for i, v := range r {
		s, ok := v.(string)
		if !ok {
			return nil, &ResultError{Want: "a string", Len: len(r), Index: i, Got: v}
		}
		out[i] = s
	}
	return out, nil
}

// Maps returns every item of r as a map with string keys (see [AsMap]); an
// empty result gives an empty slice.
func (r Result) Maps() ([]map[string]any, error) {
	out := make([]map[string]any, len(r))
	for i, v := range r {
		m, ok := AsMap(v)
		if !ok {
			return nil, &ResultError{Want: "a map with string keys", Len: len(r), Index: i, Got: v}
		}
		out[i] = m
	}
	return out, nil
}

// AsInt64 converts an integral number to int64: any Go integer type whose
// value fits (int64, int32, int16, int8, int, and unsigned types up to
// math.MaxInt64), and a float32 or float64 holding an integer in int64's
// range (drivers that decode untyped JSON give float64). Anything else,
// including nil, strings and fractional numbers, is not converted.
func AsInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint:
		if uint64(x) > math.MaxInt64 {
			return 0, false
		}
		return int64(x), true
	case uint64:
		if x > math.MaxInt64 {
			return 0, false
		}
		return int64(x), true
	case float64:
		return floatInt(x)
	case float32:
		return floatInt(float64(x))
	}
	return 0, false
}

// floatInt converts f when it is an integer within int64's range.
func floatInt(f float64) (int64, bool) {
	// -2^63 is exact in float64; 2^63 is the first value out of range.
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// AsFloat64 converts any number to float64: float64, float32, and what
// [AsInt64] converts.
func AsFloat64(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	if n, ok := AsInt64(v); ok {
		return float64(n), true
	}
	return 0, false
}

// AsMap converts a decoded map to string keys: a map[string]any is
// returned as it is; a map[any]any (GraphSON g:Map, GraphBinary Map) is
// copied when every key is a string or a [T] token (elementMap's id and
// label keys become "id" and "label"). Any other key, or any other value,
// is not converted.
func AsMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, v := range m {
			switch k := k.(type) {
			case string:
				out[k] = v
			case T:
				out[string(k)] = v
			default:
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}
