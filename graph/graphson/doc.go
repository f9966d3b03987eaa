// Package graphson is the GraphSON v3 codec of the Gremlin wire protocol
// ("application/vnd.gremlin-v3.0+json"), with JanusGraph's
// RelationIdentifier type: values ([AppendValue], [Decode]), the JSON
// string escaper ([AppendString]), and request and response messages for
// both sides of a connection ([AppendRequest], [AppendAuth],
// [SetRequestID] and [DecodeResponse] for clients; [DecodeRequest] and
// [AppendResponse] for servers and test fakes).
//
// Values decode to the Go types of package gvalue and to plain Go scalars,
// lists and maps. An unknown @type decodes to [gvalue.Raw] and never fails
// the rest of a frame; malformed input fails with *gvalue.DecodeError at its
// byte offset, never with a panic. The encoder appends to a caller's
// buffer and allocates nothing for the common batch shapes.
package graphson
