// Package graphbinary is the GraphBinary v1 codec of the Gremlin wire
// protocol ("application/vnd.graphbinary-v1.0"), with JanusGraph's
// RelationIdentifier custom type: values ([AppendValue], [Decode]) and
// request and response messages for both sides of a connection
// ([AppendRequest], [AppendAuth], [SetRequestID] and [DecodeResponse] for
// clients; [DecodeRequest] and [AppendResponse] for servers and test
// fakes).
//
// It decodes to the same Go values as package graphson, so that callers
// need not know which serializer a connection speaks. Unlike GraphSON,
// GraphBinary cannot skip a value of an unknown type: such a value fails
// its frame with *gvalue.DecodeError.
package graphbinary
