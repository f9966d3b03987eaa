package main

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/graphperf/graphperf/graph/client"
)

// jsonValue converts a decoded Gremlin result into values encoding/json can
// marshal: maps keyed by their text, graph elements as objects, ids as text
// where they are not numbers.
func jsonValue(v any) any {
	switch v := v.(type) {
	case nil, bool, string, int32, int64, int:
		return v
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprint(v)
		}
		return v
	case float32:
		return jsonValue(float64(v))
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
			out[i] = jsonValue(v[i])
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[textValue(k)] = jsonValue(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = jsonValue(x)
		}
		return out
	case client.Vertex:
		props := make(map[string]any, len(v.Properties))
		for k, vps := range v.Properties {
			vals := make([]any, len(vps))
			for i, vp := range vps {
				vals[i] = jsonValue(vp.Value)
			}
			props[k] = vals
		}
		m := map[string]any{"type": "vertex", "id": jsonValue(v.ID), "label": v.Label}
		if len(props) > 0 {
			m["properties"] = props
		}
		return m
	case client.Edge:
		m := map[string]any{
			"type": "edge", "id": jsonValue(v.ID), "label": v.Label,
			"outV": jsonValue(v.OutV), "outVLabel": v.OutVLabel,
			"inV": jsonValue(v.InV), "inVLabel": v.InVLabel,
		}
		if len(v.Properties) > 0 {
			m["properties"] = jsonValue(v.Properties)
		}
		return m
	case client.VertexProperty:
		return map[string]any{"type": "vertexProperty", "id": jsonValue(v.ID), "label": v.Label, "value": jsonValue(v.Value)}
	case client.Property:
		return map[string]any{"type": "property", "key": v.Key, "value": jsonValue(v.Value)}
	case client.Path:
		return map[string]any{"type": "path", "labels": v.Labels, "objects": jsonValue(v.Objects)}
	case client.Raw:
		return map[string]any{"@type": v.Type, "@value": json.RawMessage(v.Value)}
	default:
		return fmt.Sprint(v)
	}
}

// textValue renders a decoded result the way the Gremlin console does:
// v[id], e[id][out-label->in], [a, b], [k:v].
func textValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case client.Vertex:
		return fmt.Sprintf("v[%s]", textValue(v.ID))
	case client.Edge:
		return fmt.Sprintf("e[%s][%s-%s->%s]", textValue(v.ID), textValue(v.OutV), v.Label, textValue(v.InV))
	case client.VertexProperty:
		return fmt.Sprintf("vp[%s->%s]", v.Label, textValue(v.Value))
	case client.Property:
		return fmt.Sprintf("p[%s->%s]", v.Key, textValue(v.Value))
	case client.Path:
		return "path" + textValue(v.Objects)
	case client.Raw:
		return fmt.Sprintf("%s(%s)", v.Type, v.Value)
	case []any:
		parts := make([]string, len(v))
		for i := range v {
			parts[i] = textValue(v[i])
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[any]any:
		parts := make([]string, 0, len(v))
		for k, x := range v {
			parts = append(parts, textValue(k)+":"+textValue(x))
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(v))
		for k, x := range v {
			parts = append(parts, k+":"+textValue(x))
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, ", ") + "]"
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}
