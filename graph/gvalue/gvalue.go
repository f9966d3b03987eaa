package gvalue

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Vertex is a decoded g:Vertex.
type Vertex struct {
	ID         any
	Label      string
	Properties map[string][]VertexProperty
}

// Edge is a decoded g:Edge. JanusGraph edge ids decode to [RelationIdentifier].
type Edge struct {
	ID        any
	Label     string
	InV       any
	OutV      any
	InVLabel  string
	OutVLabel string
	// Properties maps a property key to its decoded value (the g:Property
	// wrapper is removed).
	Properties map[string]any
}

// VertexProperty is a decoded g:VertexProperty.
type VertexProperty struct {
	ID    any
	Label string
	Value any
	// Properties holds meta-properties, when the server sent any.
	Properties map[string]any
}

// Property is a decoded g:Property (an edge or meta property).
type Property struct {
	Key   string
	Value any
}

// Path is a decoded g:Path: Labels[i] are the step labels of Objects[i].
type Path struct {
	Labels  [][]string
	Objects []any
}

// T is a decoded g:T token such as "id" or "label".
type T string

// Direction is a decoded g:Direction such as "OUT", "IN" or "BOTH".
type Direction string

// RelationIdentifier is JanusGraph's edge id (janusgraph:RelationIdentifier).
// It can be sent back as a binding, e.g. g.E(eid).
type RelationIdentifier struct {
	RelationID string
}

// String returns the relation id as JanusGraph prints it.
func (r RelationIdentifier) String() string { return r.RelationID }

// Raw is a value whose GraphSON @type the decoder does not know. Value holds
// the @value JSON exactly as the server sent it. Raw values can be sent back
// as bindings unchanged.
type Raw struct {
	Type  string
	Value json.RawMessage
}

// UUID is a decoded g:UUID (and the type used for request ids).
type UUID [16]byte

// String formats u in the canonical 8-4-4-4-12 form.
func (u UUID) String() string {
	var b [36]byte
	encodeUUID(b[:], u)
	return string(b[:])
}

// AppendText appends the canonical 36-character form of u to b (it
// implements encoding.TextAppender and never fails).
func (u UUID) AppendText(b []byte) ([]byte, error) {
	var t [36]byte
	encodeUUID(t[:], u)
	return append(b, t[:]...), nil
}

// UnmarshalText parses the canonical 36-character form of a UUID (it
// implements encoding.TextUnmarshaler without allocating).
func (u *UUID) UnmarshalText(text []byte) error {
	v, err := parseUUIDBytes(text)
	if err != nil {
		return fmt.Errorf("gvalue: %q: %w", text, errBadUUID)
	}
	*u = v
	return nil
}

// errBadUUID is returned by ParseUUID for malformed text.
var errBadUUID = errors.New("malformed UUID")

// ParseUUID parses the canonical 36-character text form of a UUID.
func ParseUUID(s string) (UUID, error) {
	u, err := parseUUIDBytes([]byte(s))
	if err != nil {
		return UUID{}, fmt.Errorf("gvalue: %q: %w", s, errBadUUID)
	}
	return u, nil
}

func parseUUIDBytes(s []byte) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, errBadUUID
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
			continue
		}
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return UUID{}, errBadUUID
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// encodeUUID writes the 36-byte canonical form of u into b.
func encodeUUID(b []byte, u UUID) {
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
}

// Hashable reports whether v can be a Go map key without panicking. The
// decoders replace map keys that are not (lists, maps, graph elements, raw
// values) by their GraphSON text.
func Hashable(v any) bool {
	switch v.(type) {
	case nil, string, bool, int8, int16, int32, int64, int, float32, float64,
		time.Time, UUID, T, Direction, RelationIdentifier:
		return true
	}
	return false
}

// DecodeError is a value or message that could not be decoded. A client
// fails only the request whose frame it was; the connection stays usable.
type DecodeError struct {
	// Format is "GraphSON" or "GraphBinary".
	Format string
	// Offset is the byte offset in the input where decoding failed.
	Offset int
	// Msg describes the problem.
	Msg string
}

// Error names the format, the offset and the problem.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s decode error at byte %d: %s", e.Format, e.Offset, e.Msg)
}

// ErrUnsupported is wrapped by the encoders' errors for a value of a type
// the format cannot carry (a channel, a uint64 over math.MaxInt64, ...).
var ErrUnsupported = errors.New("unsupported type")

// BindingError is a binding value of a request that cannot be encoded.
type BindingError struct {
	// Name is the binding name.
	Name string
	// Err describes the value that failed.
	Err error
}

// Error names the binding and the cause.
func (e *BindingError) Error() string {
	return "binding " + e.Name + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *BindingError) Unwrap() error { return e.Err }

// Response is one Gremlin Server response message, the same whatever the
// serializer: graph/graphson and graph/graphbinary decode and encode it.
type Response struct {
	// RequestID is the id of the request answered; HasRequestID is false
	// when the server sent none (null), as it does for a request it could
	// not read.
	RequestID    UUID
	HasRequestID bool
	// Code is the status code: 200, 204 and 206 (a partial result: more
	// frames follow for the same request) are successes.
	Code int
	// Message is the status message.
	Message string
	// Attributes are the status attributes of an error status (nil for
	// 200, 204 and 206), such as "exceptions" and "stackTrace".
	Attributes any
	// Data is the decoded result data (as the codecs' Decode gives it); HasData reports
	// whether the message had any.
	Data    any
	HasData bool
}
