package graphson

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// AppendRequest appends a complete eval request frame to buf: the mime
// type prefix and the GraphSON v3 request message {"requestId", "op":
// "eval", "processor": "", "args": {"gremlin": script, "language":
// "gremlin-groovy", "bindings"}}. A binding that cannot be encoded fails
// with *gvalue.BindingError naming it.
func AppendRequest(buf []byte, id gvalue.UUID, script string, bindings map[string]any) ([]byte, error) {
	buf = appendHeader(buf, id, "eval")
	buf = append(buf, `"gremlin":`...)
	buf = AppendString(buf, script)
	buf = append(buf, `,"language":"gremlin-groovy","bindings":{`...)
	first := true
	for name, v := range bindings {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = AppendString(buf, name)
		buf = append(buf, ':')
		var err error
		if buf, err = AppendValue(buf, v); err != nil {
			return buf, &gvalue.BindingError{Name: name, Err: err}
		}
	}
	return append(buf, "}}}"...), nil
}

// AppendAuth appends a SASL PLAIN authentication request frame answering
// the challenge of request id.
func AppendAuth(buf []byte, id gvalue.UUID, username, password string) []byte {
	buf = appendHeader(buf, id, "authentication")
	plain := make([]byte, 0, len(username)+len(password)+2) //graphperf:nomutate capacity hint: any capacity gives the same result
	plain = append(append(append(append(plain, 0), username...), 0), password...)
	buf = append(buf, `"saslMechanism":"PLAIN","sasl":"`...)
	buf = base64.StdEncoding.AppendEncode(buf, plain)
	return append(buf, `"}}`...)
}

func appendHeader(buf []byte, id gvalue.UUID, op string) []byte {
	buf = append(buf, byte(len(MimeType)))
	buf = append(buf, MimeType...)
	buf = append(buf, `{"requestId":{"@type":"g:UUID","@value":"`...)
	buf, _ = id.AppendText(buf)
	buf = append(buf, `"},"op":"`...)
	buf = append(buf, op...)
	return append(buf, `","processor":"","args":{`...)
}

// idOffset is where the request id's 36 characters start in a frame made by
// AppendRequest or AppendAuth.
var idOffset = len(appendHeader(nil, gvalue.UUID{}, "eval")) - len(`"},"op":"eval","processor":"","args":{`) - 36

// SetRequestID rewrites, in place, the request id of a frame made by
// [AppendRequest] or [AppendAuth], so that a frame can be resent under a new
// id without encoding it again.
func SetRequestID(frame []byte, id gvalue.UUID) {
	_, _ = id.AppendText(frame[idOffset:idOffset])
}

// Response is one response message, as both codecs decode and encode it.
type Response = gvalue.Response

// DecodeResponse decodes a GraphSON v3 Response message. When the envelope
// (request id and status) is readable but the result is not, it returns the
// envelope together with the *gvalue.DecodeError, so that the waiting
// request can be failed.
func DecodeResponse(frame []byte) (Response, error) {
	return decodeResponseLimit(frame, defaultMaxBulk)
}

// decodeResponseLimit is decodeResponse with a g:BulkSet expansion limit.
func decodeResponseLimit(frame []byte, maxBulk int64) (Response, error) {
	var r Response
	d := decoder{data: frame, maxBulk: maxBulk}
	err := d.envelope(&r, false)
	if err == nil {
		d.ws()
		if d.pos != len(d.data) {
			err = d.errorf("trailing data after response")
		}
	}
	if err != nil {
		// Recover the request id and status, skipping the result.
		var env Response
		d2 := decoder{data: frame, maxBulk: maxBulk}
		if d2.envelope(&env, true) == nil {
			return env, err
		}
		return Response{RequestID: env.RequestID, HasRequestID: env.HasRequestID}, err
	}
	return r, nil
}

func (d *decoder) envelope(r *Response, skipResult bool) error {
	return d.fields(func(k []byte) error {
		switch string(k) {
		case "requestId":
			if c, ok := d.next(); ok && c == '"' { // the usual form: no allocation
				b, err := d.strBytes()
				if err != nil {
					return err
				}
				if err := r.RequestID.UnmarshalText(b); err != nil {
					return d.errorf("invalid requestId")
				}
				r.HasRequestID = true
				return nil
			}
			v, err := d.value()
			if err != nil {
				return err
			}
			switch id := v.(type) {
			case string:
				u, err := gvalue.ParseUUID(id)
				if err != nil {
					return d.errorf("invalid requestId")
				}
				r.RequestID, r.HasRequestID = u, true
			case gvalue.UUID:
				r.RequestID, r.HasRequestID = id, true
			case nil:
			default:
				return d.errorf("invalid requestId")
			}
			return nil
		case "status":
			return d.fields(func(k []byte) error {
				switch string(k) {
				case "code":
					v, err := d.value()
					if err != nil {
						return err
					}
					n, ok := asInt(v)
					if !ok {
						return d.errorf("invalid status code")
					}
					r.Code = int(n)
					return nil
				case "message":
					v, err := d.value()
					r.Message, _ = v.(string)
					return err
				case "attributes":
					if r.Code == 200 || r.Code == 204 || r.Code == 206 {
						return d.skip() // only error statuses use them
					}
					var err error
					r.Attributes, err = d.value()
					return err
				}
				return d.skip()
			})
		case "result":
			if skipResult {
				return d.skip()
			}
			return d.fields(func(k []byte) error {
				if string(k) == "data" {
					var err error
					r.Data, err = d.value()
					r.HasData = true
					return err
				}
				return d.skip()
			})
		}
		return d.skip()
	})
}

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
	// map[string]any of decoded values).
	Args map[string]any
}

// DecodeRequest decodes a request frame made by [AppendRequest] or
// [AppendAuth] (or by any GraphSON v3 driver): the mime type prefix and the
// request message. It is the server's side of the protocol, for test
// servers and proxies.
func DecodeRequest(frame []byte) (Request, error) {
	var req Request
	if len(frame) == 0 || int(frame[0]) >= len(frame) || string(frame[1:1+int(frame[0])]) != MimeType {
		return req, &gvalue.DecodeError{Format: "GraphSON", Msg: "request does not start with the GraphSON v3 mime type"}
	}
	body := frame[1+int(frame[0]):]
	v, err := Decode(body)
	if err != nil {
		if de, ok := err.(*gvalue.DecodeError); ok {
			de.Offset += 1 + int(frame[0])
		}
		return req, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return req, &gvalue.DecodeError{Format: "GraphSON", Msg: fmt.Sprintf("request is %T, want an object", v)}
	}
	switch id := m["requestId"].(type) {
	case gvalue.UUID:
		req.RequestID = id
	case string:
		if req.RequestID, err = gvalue.ParseUUID(id); err != nil {
			return req, &gvalue.DecodeError{Format: "GraphSON", Msg: "invalid requestId"}
		}
	default:
		return req, &gvalue.DecodeError{Format: "GraphSON", Msg: "missing requestId"}
	}
	req.Op, _ = m["op"].(string)
	req.Processor, _ = m["processor"].(string)
	req.Args, _ = m["args"].(map[string]any)
	return req, nil
}

// AppendResponse appends the GraphSON v3 encoding of r to buf: {"requestId",
// "status": {"message", "code", "attributes"}, "result": {"data", "meta"}}.
// Attributes and Data are encoded by [AppendValue] (nil Attributes as an
// empty map); HasRequestID false sends a null requestId. It is the server's
// side of the protocol, for test servers and proxies.
func AppendResponse(buf []byte, r Response) ([]byte, error) {
	buf = append(buf, `{"requestId":`...)
	if r.HasRequestID {
		buf = append(buf, '"')
		buf, _ = r.RequestID.AppendText(buf)
		buf = append(buf, '"')
	} else {
		buf = append(buf, "null"...)
	}
	buf = append(buf, `,"status":{"message":`...)
	buf = AppendString(buf, r.Message)
	buf = append(buf, `,"code":`...)
	buf = strconv.AppendInt(buf, int64(r.Code), 10)
	buf = append(buf, `,"attributes":`...)
	attrs := r.Attributes
	if attrs == nil {
		attrs = map[any]any{}
	}
	var err error
	if buf, err = AppendValue(buf, attrs); err != nil {
		return buf, fmt.Errorf("graphson: response attributes: %w", err)
	}
	buf = append(buf, `},"result":{"data":`...)
	if buf, err = AppendValue(buf, r.Data); err != nil {
		return buf, fmt.Errorf("graphson: response data: %w", err)
	}
	return append(buf, `,"meta":{"@type":"g:Map","@value":[]}}}`...), nil
}
