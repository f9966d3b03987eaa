package queries

import (
	"fmt"
	"math"

	"github.com/graphperf/graphperf/graph/client"
)

// Helpers that read the decoded values (see graphson.Decode) of a query's
// answer, with graph/client's conversion rules. Drivers that return raw
// GraphSON decode it first, so every driver's answer is checked the same
// way.

// asInt64 converts an integral number (see client.AsInt64).
func asInt64(v any) (int64, bool) { return client.AsInt64(v) }

// asFloat converts any number (see client.AsFloat64).
func asFloat(v any) (float64, bool) { return client.AsFloat64(v) }

// asMap converts a decoded map to string keys: client.AsMap's, and
// otherwise every key formatted by fmt.Sprint (groupCount() by a numeric
// id keys its map by integers).
func asMap(v any) (map[string]any, bool) {
	if m, ok := client.AsMap(v); ok {
		return m, true
	}
	m, ok := v.(map[any]any)
	if !ok {
		return nil, false
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[fmt.Sprint(k)] = v
	}
	return out, true
}

// asList converts a decoded list.
func asList(v any) ([]any, bool) {
	l, ok := v.([]any)
	return l, ok
}

// pathObjects returns the objects of a decoded g:Path.
func pathObjects(v any) ([]any, bool) {
	switch p := v.(type) {
	case client.Path:
		return p.Objects, true
	case *client.Path:
		return p.Objects, true
	}
	return nil, false
}

// int64Field reads an integral map field; a missing field (Gremlin's
// project() leaves out a by() that produced nothing) reads as def.
func int64Field(m map[string]any, key string, def int64) (int64, error) {
	v, ok := m[key]
	if !ok {
		return def, nil
	}
	i, ok := asInt64(v)
	if !ok {
		return 0, fmt.Errorf("field %q is %T %v, want an integer", key, v, v)
	}
	return i, nil
}

// floatField reads a numeric map field; missing reads as def.
func floatField(m map[string]any, key string, def float64) (float64, error) {
	v, ok := m[key]
	if !ok {
		return def, nil
	}
	f, ok := asFloat(v)
	if !ok {
		return 0, fmt.Errorf("field %q is %T %v, want a number", key, v, v)
	}
	return f, nil
}

// sameFloat compares sums computed in different orders.
func sameFloat(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// single returns the only item of a result.
func single(res []any) (any, error) { return client.Result(res).One() }

// singleMap returns the only item of a result as a map (see asMap).
func singleMap(res []any) (map[string]any, error) {
	v, err := single(res)
	if err != nil {
		return nil, err
	}
	m, ok := asMap(v)
	if !ok {
		return nil, fmt.Errorf("result is %T, want a map", v)
	}
	return m, nil
}

// int64List reads a list of integers.
func int64List(v any) ([]int64, error) {
	l, ok := asList(v)
	if !ok {
		return nil, fmt.Errorf("result is %T, want a list", v)
	}
	return client.Result(l).Int64s()
}

// pathAccounts reads a path whose objects alternate account ids (vertices)
// and an edge property (edges), as `path().by('accountId').by(key)` returns
// it: the account ids and the edge values.
func pathAccounts(v any) (ids []int64, edgeVals []any, err error) {
	objs, ok := pathObjects(v)
	if !ok {
		return nil, nil, fmt.Errorf("result item is %T, want a path", v)
	}
	for i, o := range objs {
		if i%2 == 1 {
			edgeVals = append(edgeVals, o)
			continue
		}
		id, ok := asInt64(o)
		if !ok {
			return nil, nil, fmt.Errorf("path object %d is %T %v, want an account id", i, o, o)
		}
		ids = append(ids, id)
	}
	return ids, edgeVals, nil
}
