package client

import "github.com/graphperf/graphperf/graph/gvalue"

// The values results decode to, and the codec errors a request can fail
// with, live in package gvalue so that both codecs share them; these
// aliases keep them at hand for the client's users.
type (
	// Vertex is a decoded vertex; see [gvalue.Vertex].
	Vertex = gvalue.Vertex
	// Edge is a decoded edge; see [gvalue.Edge].
	Edge = gvalue.Edge
	// VertexProperty is a decoded vertex property; see [gvalue.VertexProperty].
	VertexProperty = gvalue.VertexProperty
	// Property is a decoded edge or meta property; see [gvalue.Property].
	Property = gvalue.Property
	// Path is a decoded path; see [gvalue.Path].
	Path = gvalue.Path
	// T is a decoded T token; see [gvalue.T].
	T = gvalue.T
	// Direction is a decoded direction; see [gvalue.Direction].
	Direction = gvalue.Direction
	// RelationIdentifier is JanusGraph's edge id; see [gvalue.RelationIdentifier].
	RelationIdentifier = gvalue.RelationIdentifier
	// Raw is a GraphSON value of an unknown type; see [gvalue.Raw].
	Raw = gvalue.Raw
	// UUID is a decoded UUID and the type of request ids; see [gvalue.UUID].
	UUID = gvalue.UUID
	// DecodeError is a response frame that could not be decoded; it fails
	// only the request the frame belongs to. See [gvalue.DecodeError].
	DecodeError = gvalue.DecodeError
	// BindingError is a binding value the configured serializer cannot
	// encode, returned before anything is sent. See [gvalue.BindingError].
	BindingError = gvalue.BindingError
)
