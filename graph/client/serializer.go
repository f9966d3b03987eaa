package client

import (
	"fmt"
	"strconv"
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
		return binaryMimeType
	}
	return mimeType
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

// codec is the request encoding and response decoding of one serializer.
type codec interface {
	appendRequest(buf []byte, id UUID, script string, bindings map[string]any) ([]byte, error)
	appendAuth(buf []byte, id UUID, username, password string) []byte
	// setID rewrites the request id of a frame made by appendRequest.
	setID(frame []byte, id UUID)
	decodeResponse(frame []byte) (response, error)
}

func (s Serializer) codec() codec {
	if s == GraphBinary {
		return binaryCodec{}
	}
	return graphsonCodec{}
}

type graphsonCodec struct{}

func (graphsonCodec) appendRequest(buf []byte, id UUID, script string, bindings map[string]any) ([]byte, error) {
	return appendRequest(buf, id, script, bindings)
}

func (graphsonCodec) appendAuth(buf []byte, id UUID, username, password string) []byte {
	return appendAuth(buf, id, username, password)
}

func (graphsonCodec) setID(frame []byte, id UUID) { encodeUUID(frame[idOffset:idOffset+36], id) }

func (graphsonCodec) decodeResponse(frame []byte) (response, error) { return decodeResponse(frame) }

type binaryCodec struct{}

func (binaryCodec) appendRequest(buf []byte, id UUID, script string, bindings map[string]any) ([]byte, error) {
	return appendBinaryRequest(buf, id, script, bindings)
}

func (binaryCodec) appendAuth(buf []byte, id UUID, username, password string) []byte {
	return appendBinaryAuth(buf, id, username, password)
}

func (binaryCodec) setID(frame []byte, id UUID) { copy(frame[binaryIDOffset:], id[:]) }

func (binaryCodec) decodeResponse(frame []byte) (response, error) { return decodeBinaryResponse(frame) }
