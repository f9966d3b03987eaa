package client

import (
	"fmt"
	"strconv"

	"github.com/graphperf/graphperf/graph/graphbinary"
	"github.com/graphperf/graphperf/graph/graphson"
)

// Serializer selects the wire format a [Client] speaks with Gremlin Server.
type Serializer int

const (
	// GraphSON is GraphSON v3 ("application/vnd.gremlin-v3.0+json"), the
	// default. An unknown GraphSON type decodes to [Raw] and the rest of
	// the frame stays readable.
	GraphSON Serializer = iota
	// GraphBinary is GraphBinary v1 ("application/vnd.graphbinary-v1.0"),
	// with JanusGraph's RelationIdentifier custom type. It decodes to the
	// same Go values as GraphSON and costs the server less CPU per request,
	// but a type the decoder does not know (an unregistered custom type,
	// for example) cannot be skipped: the request whose frame holds it
	// fails with *DecodeError; the connection and other requests go on.
	GraphBinary
)

// String returns the serializer's name.
func (s Serializer) String() string {
	switch s {
	case GraphSON:
		return "graphson"
	case GraphBinary:
		return "graphbinary"
	}
	return "Serializer(" + strconv.Itoa(int(s)) + ")"
}

// MimeType returns the mime type the serializer announces in requests.
func (s Serializer) MimeType() string {
	if s == GraphBinary {
		return graphbinary.MimeType
	}
	return graphson.MimeType
}

// AppendValue appends the encoding of v in the serializer to buf, as a
// binding value is sent (see graphson.AppendValue and
// graphbinary.AppendValue); its length is what v adds to a request.
func (s Serializer) AppendValue(buf []byte, v any) ([]byte, error) {
	return s.codec().appendValue(buf, v)
}

// ParseSerializer parses "graphson" or "graphbinary" (as printed by
// [Serializer.String]), for command-line flags.
func ParseSerializer(s string) (Serializer, error) {
	switch s {
	case "graphson", "GraphSON", "graphson3":
		return GraphSON, nil
	case "graphbinary", "GraphBinary":
		return GraphBinary, nil
	}
	return 0, fmt.Errorf("client: unknown serializer %q (want graphson or graphbinary)", s)
}

// response is one decoded response frame, whatever the serializer.
type response = graphson.Response

// codec is the request encoding and response decoding of one serializer.
type codec interface {
	appendRequest(buf []byte, id UUID, script string, bindings map[string]any) ([]byte, error)
	appendAuth(buf []byte, id UUID, username, password string) []byte
	// setID rewrites the request id of a frame made by appendRequest.
	setID(frame []byte, id UUID)
	decodeResponse(frame []byte) (response, error)
	// appendValue appends the encoding of one value, as in a binding.
	appendValue(buf []byte, v any) ([]byte, error)
}

func (s Serializer) codec() codec {
	if s == GraphBinary {
		return binaryCodec{}
	}
	return graphsonCodec{}
}

type graphsonCodec struct{}

func (graphsonCodec) appendRequest(buf []byte, id UUID, script string, bindings map[string]any) ([]byte, error) {
	return graphson.AppendRequest(buf, id, script, bindings)
}

func (graphsonCodec) appendAuth(buf []byte, id UUID, username, password string) []byte {
	return graphson.AppendAuth(buf, id, username, password)
}

func (graphsonCodec) setID(frame []byte, id UUID) { graphson.SetRequestID(frame, id) }

func (graphsonCodec) decodeResponse(frame []byte) (response, error) {
	return graphson.DecodeResponse(frame)
}

func (graphsonCodec) appendValue(buf []byte, v any) ([]byte, error) {
	return graphson.AppendValue(buf, v)
}

type binaryCodec struct{}

func (binaryCodec) appendRequest(buf []byte, id UUID, script string, bindings map[string]any) ([]byte, error) {
	return graphbinary.AppendRequest(buf, id, script, bindings)
}

func (binaryCodec) appendAuth(buf []byte, id UUID, username, password string) []byte {
	return graphbinary.AppendAuth(buf, id, username, password)
}

func (binaryCodec) setID(frame []byte, id UUID) { graphbinary.SetRequestID(frame, id) }

func (binaryCodec) decodeResponse(frame []byte) (response, error) {
	return graphbinary.DecodeResponse(frame)
}

func (binaryCodec) appendValue(buf []byte, v any) ([]byte, error) {
	return graphbinary.AppendValue(buf, v)
}
