package gremlintest

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/graphperf/graphperf/graph/graphbinary"
	"github.com/graphperf/graphperf/graph/graphson"
	"github.com/graphperf/graphperf/graph/gvalue"
)

// Handler answers one eval request. It runs on the connection's read
// goroutine: a handler that blocks stalls the connection, both the
// requests that follow and the answers to keepalive pings (which are
// handled while reading). To stall one request only, answer it later from
// another goroutine, through the same [Conn]; a handler that never answers
// leaves its request waiting for the client's deadline.
type Handler func(c *Conn, req *Request)

// Options configure a [Server]. The zero value accepts every connection
// without authentication and answers pings.
type Options struct {
	// Username and Password, when Username is set, make the server demand
	// SASL PLAIN authentication (status 407) before the first request of
	// each connection, and answer 401 to wrong credentials.
	Username, Password string
	// IgnorePings makes the server neither answer nor count pings, as a
	// hung server would.
	IgnorePings bool
}

// Server is an in-process Gremlin Server stand-in on a local port.
type Server struct {
	srv      *httptest.Server
	handle   atomic.Pointer[Handler]
	opts     Options
	conns    atomic.Int32
	requests atomic.Int32
	pings    atomic.Int32
}

// Request is one decoded request.
type Request struct {
	// ID is the request id.
	ID gvalue.UUID
	// Op is the operation ("eval").
	Op string
	// Script is the "gremlin" argument.
	Script string
	// Bindings are the request's bindings, decoded to Go values as the
	// serializer's Decode does.
	Bindings map[string]any
	// Args are all the op's arguments, decoded.
	Args map[string]any
	// Size is the request frame's size in bytes.
	Size int
	// MimeType is the serializer the request was sent in
	// (graphson.MimeType or graphbinary.MimeType).
	MimeType string
}

// Conn is one client connection. Its methods are safe for concurrent use.
type Conn struct {
	ws   *websocket.Conn
	mu   sync.Mutex
	mime atomic.Value // string: the serializer of the last request
}

// NewServer starts a server answering every eval request with handle; it
// is closed when the test ends.
func NewServer(tb testing.TB, handle Handler) *Server {
	tb.Helper()
	return NewServerWith(tb, Options{}, handle)
}

// NewServerWith is [NewServer] with options.
func NewServerWith(tb testing.TB, opts Options, handle Handler) *Server {
	tb.Helper()
	s := &Server{opts: opts}
	s.SetHandler(handle)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

// SetHandler replaces the handler for the requests that follow, so that a
// test can script several phases on the same connections.
func (s *Server) SetHandler(h Handler) { s.handle.Store(&h) }

// Host returns the server's "host:port", for client configurations.
func (s *Server) Host() string { return strings.TrimPrefix(s.srv.URL, "http://") }

// Conns returns the number of WebSocket connections accepted so far.
func (s *Server) Conns() int { return int(s.conns.Load()) }

// Requests returns the number of eval requests handed to the handler.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Pings returns the number of pings answered.
func (s *Server) Pings() int { return int(s.pings.Load()) }

// Close shuts the server down and closes its connections.
func (s *Server) Close() { s.srv.CloseClientConnections(); s.srv.Close() }

// CloseConnections tears down every open connection, as a server restart
// does; the server keeps accepting new ones.
func (s *Server) CloseConnections() { s.srv.CloseClientConnections() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/gremlin" {
		http.NotFound(w, r)
		return
	}
	up := websocket.Upgrader{ReadBufferSize: 1 << 16, WriteBufferSize: 1 << 16}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	s.conns.Add(1)
	c := &Conn{ws: ws}
	c.mime.Store(graphson.MimeType)
	ws.SetPingHandler(func(data string) error {
		if s.opts.IgnorePings {
			return nil
		}
		s.pings.Add(1)
		c.mu.Lock()
		defer c.mu.Unlock()
		return ws.WriteMessage(websocket.PongMessage, []byte(data))
	})
	authed := s.opts.Username == ""
	var pending *Request
	for {
		_, frame, err := ws.ReadMessage()
		if err != nil {
			return
		}
		req, err := decodeRequest(frame)
		if req.MimeType != "" {
			c.mime.Store(req.MimeType)
		}
		if err != nil {
			_ = c.Send(req.ID, req.ID != (gvalue.UUID{}), 499, err.Error(), nil, nil)
			continue
		}
		if !authed {
			if req.Op != "authentication" {
				pending = req
				_ = c.Reply(req.ID, 407, nil)
				continue
			}
			sasl, _ := req.Args["sasl"].(string)
			plain, _ := base64.StdEncoding.DecodeString(sasl)
			if pending == nil || string(plain) != "\x00"+s.opts.Username+"\x00"+s.opts.Password {
				id := req.ID
				if pending != nil {
					id = pending.ID
				}
				_ = c.Send(id, true, 401, "Username and/or password are incorrect", nil, nil)
				continue
			}
			authed = true
			req = pending
		}
		s.requests.Add(1)
		(*s.handle.Load())(c, req)
	}
}

// decodeRequest decodes a request frame in whichever serializer its mime
// type names. A frame that is not a request of either fails with its mime
// type (when known) and the id it carries (when readable).
func decodeRequest(frame []byte) (*Request, error) {
	req := &Request{Size: len(frame)}
	if len(frame) == 0 || int(frame[0]) >= len(frame) {
		return req, errors.New("gremlintest: frame has no mime type prefix")
	}
	req.MimeType = string(frame[1 : 1+int(frame[0])])
	var err error
	switch req.MimeType {
	case graphson.MimeType:
		var r graphson.Request
		r, err = graphson.DecodeRequest(frame)
		req.ID, req.Op, req.Args = r.RequestID, r.Op, r.Args
	case graphbinary.MimeType:
		var r graphbinary.Request
		r, err = graphbinary.DecodeRequest(frame)
		req.ID, req.Op, req.Args = r.RequestID, r.Op, r.Args
	default:
		mime := req.MimeType
		req.MimeType = ""
		return req, errors.New("gremlintest: unknown mime type " + mime)
	}
	if err != nil {
		return req, err
	}
	req.Script, _ = req.Args["gremlin"].(string)
	switch b := req.Args["bindings"].(type) {
	case map[string]any:
		req.Bindings = b
	case map[any]any:
		req.Bindings = make(map[string]any, len(b))
		for k, v := range b {
			name, _ := k.(string)
			req.Bindings[name] = v
		}
	}
	return req, nil
}

// Binary reports whether the connection's client speaks GraphBinary (as
// its last request did).
func (c *Conn) Binary() bool { return c.mime.Load() == graphbinary.MimeType }

// Reply answers request id with status code and result data (a Go value
// encoded in the connection's serializer; nil sends null). For 200 or 204
// with a list, and for 206 partials, data is normally a []any.
func (c *Conn) Reply(id gvalue.UUID, code int, data any) error {
	return c.Send(id, true, code, "", nil, data)
}

// Send writes one response message in the connection's serializer.
// hasID false sends a null request id (as Gremlin Server does for a frame
// it cannot read); attrs are the status attributes ("exceptions",
// "stackTrace", ...).
func (c *Conn) Send(id gvalue.UUID, hasID bool, code int, message string, attrs map[any]any, data any) error {
	r := graphson.Response{RequestID: id, HasRequestID: hasID, Code: code, Message: message, Data: data}
	if attrs != nil {
		r.Attributes = attrs
	}
	var frame []byte
	var err error
	if c.Binary() {
		frame, err = graphbinary.AppendResponse(nil, r)
	} else {
		frame, err = graphson.AppendResponse(nil, r)
	}
	if err != nil {
		return err
	}
	return c.WriteFrame(frame)
}

// SendGraphSON answers request id with data given as GraphSON v3 text. A
// GraphSON client receives the text exactly as given (so that types no
// decoder knows, or odd encodings, reach it); a GraphBinary client receives
// it decoded and encoded again, which fails for values GraphBinary cannot
// carry (such as unknown types).
func (c *Conn) SendGraphSON(id gvalue.UUID, code int, message, data string) error {
	if c.Binary() {
		v, err := graphson.Decode([]byte(data))
		if err != nil {
			return err
		}
		return c.Send(id, true, code, message, nil, v)
	}
	frame, err := graphson.AppendResponse(nil, graphson.Response{RequestID: id, HasRequestID: true, Code: code, Message: message})
	if err != nil {
		return err
	}
	// Replace the encoded null data by the given text.
	const tail = `null,"meta":{"@type":"g:Map","@value":[]}}}`
	frame = append(frame[:len(frame)-len(tail)], data...)
	frame = append(frame, tail[len("null"):]...)
	return c.WriteFrame(frame)
}

// WriteFrame writes frame as one WebSocket message, unchanged: a text
// message for a GraphSON client, a binary one for a GraphBinary client.
// Use it for malformed or hand-made frames.
func (c *Conn) WriteFrame(frame []byte) error {
	typ := websocket.TextMessage
	if c.Binary() {
		typ = websocket.BinaryMessage
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteMessage(typ, frame)
}

// Tear closes the connection's TCP connection abruptly, without a
// WebSocket close message, as a crash or a network failure does.
func (c *Conn) Tear() error { return c.ws.UnderlyingConn().Close() }
