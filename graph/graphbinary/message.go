package graphbinary

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// AppendRequest appends a complete GraphBinary eval request frame to buf:
// the mime type prefix and the request message {0x81}{request id}{op
// "eval"}{processor ""}{args: gremlin, language "gremlin-groovy",
// bindings}. A binding that cannot be encoded fails with
// *gvalue.BindingError naming it.
func AppendRequest(buf []byte, id gvalue.UUID, script string, bindings map[string]any) ([]byte, error) {
	buf = appendHeader(buf, id, "eval", 3)
	buf = appendBinString(append(appendBinString(append(buf, gbString, 0), "gremlin"), gbString, 0), script)
	buf = appendBinString(append(appendBinString(append(buf, gbString, 0), "language"), gbString, 0), "gremlin-groovy")
	buf = appendBinString(append(buf, gbString, 0), "bindings")
	buf = binary.BigEndian.AppendUint32(append(buf, gbMap, 0), uint32(len(bindings)))
	for name, v := range bindings {
		buf = appendBinString(append(buf, gbString, 0), name)
		var err error
		if buf, err = AppendValue(buf, v); err != nil {
			return buf, &gvalue.BindingError{Name: name, Err: err}
		}
	}
	return buf, nil
}

// AppendAuth appends a SASL PLAIN authentication request frame answering
// the challenge of request id.
func AppendAuth(buf []byte, id gvalue.UUID, username, password string) []byte {
	buf = appendHeader(buf, id, "authentication", 2)
	plain := make([]byte, 0, len(username)+len(password)+2) //graphperf:nomutate capacity hint: any capacity gives the same result
	plain = append(append(append(append(plain, 0), username...), 0), password...)
	buf = appendBinString(append(appendBinString(append(buf, gbString, 0), "saslMechanism"), gbString, 0), "PLAIN")
	buf = appendBinString(append(buf, gbString, 0), "sasl")
	return appendBinString(append(buf, gbString, 0), base64.StdEncoding.EncodeToString(plain))
}

// appendHeader appends the mime prefix, version, request id, op, an
// empty processor and the args map's entry count.
func appendHeader(buf []byte, id gvalue.UUID, op string, nargs int) []byte {
	buf = append(buf, byte(len(MimeType)))
	buf = append(buf, MimeType...)
	buf = append(buf, binaryVersion)
	buf = append(buf, id[:]...)
	buf = appendBinString(buf, op)
	buf = appendBinString(buf, "")
	return binary.BigEndian.AppendUint32(buf, uint32(nargs))
}

// SetRequestID rewrites, in place, the request id of a frame made by
// [AppendRequest] or [AppendAuth], so that a frame can be resent under a new
// id without encoding it again.
func SetRequestID(frame []byte, id gvalue.UUID) { copy(frame[idOffset:], id[:]) }

// Request is a decoded request message, as a server reads it.
type Request struct {
	// RequestID is the request's id.
	RequestID gvalue.UUID
	// Op is the operation: "eval", "authentication", ...
	Op string
	// Processor is the op processor ("" for sessionless requests).
	Processor string
	// Args are the op's arguments, decoded as [Decode] does: for "eval",
	// "gremlin" (the script, a string), "language" and "bindings" (a
	// map[any]any of decoded values keyed by name).
	Args map[string]any
}

// DecodeRequest decodes a request frame made by [AppendRequest] or
// [AppendAuth] (or by any GraphBinary v1 driver): the mime type prefix and
// the request message {0x81}{request id}{op}{processor}{args Map}. It is the
// server's side of the protocol, for test servers and proxies.
func DecodeRequest(frame []byte) (Request, error) {
	var req Request
	if len(frame) == 0 || int(frame[0]) >= len(frame) || string(frame[1:1+int(frame[0])]) != MimeType {
		return req, &gvalue.DecodeError{Format: "GraphBinary", Msg: "request does not start with the GraphBinary v1 mime type"}
	}
	d := binDecoder{data: frame, pos: 1 + int(frame[0])}
	v, err := d.byte1()
	if err != nil {
		return req, err
	}
	if v != binaryVersion {
		d.pos--
		return req, d.errorf("request version 0x%02x, want 0x%02x", v, binaryVersion)
	}
	if err := d.need(16); err != nil {
		return req, err
	}
	copy(req.RequestID[:], d.data[d.pos:])
	d.pos += 16
	if req.Op, err = d.str(); err != nil {
		return req, err
	}
	if req.Processor, err = d.str(); err != nil {
		return req, err
	}
	args, err := d.gmap()
	if err != nil {
		return req, err
	}
	if d.pos != len(d.data) {
		return req, d.errorf("trailing data after request")
	}
	req.Args = make(map[string]any, len(args))
	for k, v := range args {
		name, ok := k.(string)
		if !ok {
			return req, &gvalue.DecodeError{Format: "GraphBinary", Offset: d.pos, Msg: fmt.Sprintf("request argument key %T, want a String", k)}
		}
		req.Args[name] = v
	}
	return req, nil
}

// AppendResponse appends the GraphBinary v1 encoding of r to buf:
// {0x81}{request id}{status code}{status message}{status attributes Map}
// {result meta Map}{result data}. Attributes (a map; nil is empty) and
// Data are encoded by [AppendValue]; HasRequestID false sends a null
// request id. It is the server's side of the protocol, for test servers and
// proxies.
func AppendResponse(buf []byte, r Response) ([]byte, error) {
	buf = append(buf, binaryVersion)
	if r.HasRequestID {
		buf = append(append(buf, 0), r.RequestID[:]...)
	} else {
		buf = append(buf, 1)
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(int32(r.Code)))
	buf = appendBinString(append(buf, 0), r.Message)
	attrs := r.Attributes
	if attrs == nil {
		attrs = map[any]any{}
	}
	start := len(buf)
	buf, err := AppendValue(buf, attrs)
	if err != nil {
		return buf, fmt.Errorf("graphbinary: response attributes: %w", err)
	}
	if len(buf)-start < 2 || buf[start] != gbMap {
		return buf, fmt.Errorf("graphbinary: response attributes are %T, want a map", attrs)
	}
	buf = append(buf[:start], buf[start+2:]...) // a bare Map: no type code or flag
	buf = binary.BigEndian.AppendUint32(buf, 0) // result meta: an empty Map
	if buf, err = AppendValue(buf, r.Data); err != nil {
		return buf, fmt.Errorf("graphbinary: response data: %w", err)
	}
	return buf, nil
}
