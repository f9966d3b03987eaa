// Package gremlintext reads and prints Gremlin values as text, as the
// Gremlin console does: [ParseBindings] and [ParseValue] type binding
// literals (42 is an Int64, "42" a String, [1,2] a List), [Text] and
// [WriteText] print results as the console does (v[4], e[id][4-knows->8],
// [k:v]), and [JSON] and [WriteJSON] give them a JSON form.
package gremlintext

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/graphperf/graphperf/graph/client"
)

// reservedBindings are names that would shadow Gremlin tokens or the
// traversal source inside a script.
var reservedBindings = map[string]bool{
	"g": true, "graph": true, "id": true, "label": true, "key": true, "value": true,
	"keys": true, "values": true, "in": true, "out": true, "both": true,
	"not": true, "as": true, "by": true, "is": true,
}

// BindingError reports a binding that cannot be used: Spec is the
// NAME=VALUE text as given, Problem what is wrong with it.
type BindingError struct {
	Spec    string
	Problem string
}

// Error implements the error interface: the binding quoted, then the
// problem.
func (e *BindingError) Error() string { return fmt.Sprintf("%q: %s", e.Spec, e.Problem) }

// ParseBindings turns NAME=VALUE specs into typed bindings for a request
// (values typed by [ParseValue]); no specs give nil. A spec without "=", a
// name that is not a Groovy identifier, one that shadows a Gremlin token
// (g, id, label, ...) or one bound twice fails with *BindingError.
func ParseBindings(specs []string) (map[string]any, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(specs))
	for _, f := range specs {
		name, raw, ok := strings.Cut(f, "=")
		if !ok {
			return nil, &BindingError{f, "expected NAME=VALUE"}
		}
		if !isIdentifier(name) {
			return nil, &BindingError{f, "NAME must be a Groovy identifier (letters, digits, _; not starting with a digit)"}
		}
		if reservedBindings[name] {
			return nil, &BindingError{f, fmt.Sprintf("%q shadows a Gremlin token; choose another name", name)}
		}
		if _, dup := out[name]; dup {
			return nil, &BindingError{f, fmt.Sprintf("%q is bound twice", name)}
		}
		v, err := ParseValue(raw)
		if err != nil {
			return nil, &BindingError{f, err.Error()}
		}
		out[name] = v
	}
	return out, nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// ParseValue types one binding literal as the Gremlin console user means
// it: integers become int64, other numbers float64, true/false bool, null
// nil, "quoted" text (a JSON string) a string, JSON arrays and objects
// []any and map[string]any with typed leaves; anything else is a string as
// written. Only a malformed quoted string or JSON list/map fails.
func ParseValue(raw string) (any, error) {
	switch raw {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(raw, 64); err == nil && looksNumeric(raw) {
		return f, nil
	}
	if strings.HasPrefix(raw, `"`) {
		var s string
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return nil, fmt.Errorf("bad quoted string %s (want a JSON string such as \"a b\")", raw)
		}
		return s, nil
	}
	if strings.HasPrefix(raw, "[") || strings.HasPrefix(raw, "{") {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			return nil, fmt.Errorf("bad JSON list/map %s", raw)
		}
		return typeJSON(v), nil
	}
	return raw, nil
}

// looksNumeric rejects strings ParseFloat accepts but people mean as text
// ("Inf", "NaN", "0x1p3").
func looksNumeric(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-.eE", r) {
			return false
		}
	}
	return true
}

// typeJSON converts json.Number leaves into int64 or float64.
func typeJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = typeJSON(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = typeJSON(v[k])
		}
		return v
	}
	return v
}

// JSON converts a decoded Gremlin result (see client.Result) into values
// encoding/json can marshal: maps keyed by their [Text], graph elements as
// objects with a "type", ids as text where they are not numbers, times in
// RFC 3339, NaN and infinities as text, raw GraphSON as {"@type","@value"}.
func JSON(v any) any {
	switch v := v.(type) {
	case nil, bool, string, int32, int64, int:
		return v
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprint(v)
		}
		return v
	case float32:
		return JSON(float64(v))
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case client.UUID:
		return v.String()
	case client.RelationIdentifier:
		return v.RelationID
	case client.T:
		return string(v)
	case client.Direction:
		return string(v)
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = JSON(v[i])
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[Text(k)] = JSON(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = JSON(x)
		}
		return out
	case client.Vertex:
		props := make(map[string]any, len(v.Properties))
		for k, vps := range v.Properties {
			vals := make([]any, len(vps))
			for i, vp := range vps {
				vals[i] = JSON(vp.Value)
			}
			props[k] = vals
		}
		m := map[string]any{"type": "vertex", "id": JSON(v.ID), "label": v.Label}
		if len(props) > 0 {
			m["properties"] = props
		}
		return m
	case client.Edge:
		m := map[string]any{
			"type": "edge", "id": JSON(v.ID), "label": v.Label,
			"outV": JSON(v.OutV), "outVLabel": v.OutVLabel,
			"inV": JSON(v.InV), "inVLabel": v.InVLabel,
		}
		if len(v.Properties) > 0 {
			m["properties"] = JSON(v.Properties)
		}
		return m
	case client.VertexProperty:
		return map[string]any{"type": "vertexProperty", "id": JSON(v.ID), "label": v.Label, "value": JSON(v.Value)}
	case client.Property:
		return map[string]any{"type": "property", "key": v.Key, "value": JSON(v.Value)}
	case client.Path:
		return map[string]any{"type": "path", "labels": v.Labels, "objects": JSON(v.Objects)}
	case client.Raw:
		return map[string]any{"@type": v.Type, "@value": json.RawMessage(v.Value)}
	default:
		return fmt.Sprint(v)
	}
}

// Text renders a decoded result the way the Gremlin console does: v[id],
// e[id][out-label->in], vp[key->value], p[key->value], path[a, b],
// [a, b] for lists and [k:v] for maps (entries sorted), null for nil.
func Text(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case client.Vertex:
		return fmt.Sprintf("v[%s]", Text(v.ID))
	case client.Edge:
		return fmt.Sprintf("e[%s][%s-%s->%s]", Text(v.ID), Text(v.OutV), v.Label, Text(v.InV))
	case client.VertexProperty:
		return fmt.Sprintf("vp[%s->%s]", v.Label, Text(v.Value))
	case client.Property:
		return fmt.Sprintf("p[%s->%s]", v.Key, Text(v.Value))
	case client.Path:
		return "path" + Text(v.Objects)
	case client.Raw:
		return fmt.Sprintf("%s(%s)", v.Type, v.Value)
	case []any:
		parts := make([]string, len(v))
		for i := range v {
			parts[i] = Text(v[i])
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[any]any:
		parts := make([]string, 0, len(v))
		for k, x := range v {
			parts = append(parts, Text(k)+":"+Text(x))
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(v))
		for k, x := range v {
			parts = append(parts, k+":"+Text(x))
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, ", ") + "]"
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// WriteText prints results one per line as the Gremlin console does:
// "==>" followed by the item's [Text].
func WriteText(w io.Writer, results []any) error {
	for _, r := range results {
		if _, err := fmt.Fprintf(w, "==>%s\n", Text(r)); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON prints results as one indented JSON array of their [JSON]
// forms.
func WriteJSON(w io.Writer, results []any) error {
	view := make([]any, len(results))
	for i, r := range results {
		view[i] = JSON(r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(view)
}
