// Package gvalue holds the Go values of the Gremlin wire formats that both
// codecs (graph/graphson and graph/graphbinary) decode to and encode from:
// graph elements ([Vertex], [Edge], [VertexProperty], [Property], [Path]),
// tokens ([T], [Direction]), JanusGraph's edge id ([RelationIdentifier]),
// [UUID] and [Raw] (a GraphSON value of a type no decoder knows), plus the
// errors of encoding and decoding them ([BindingError], [DecodeError]).
//
// Scalars need no type of their own: int64, int32, float64, string, bool,
// time.Time, []any, map[any]any and so on are used as they are.
package gvalue
