package client

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"
)

// fakeServer is an in-process Gremlin Server stand-in for fault injection:
// it speaks the WebSocket framing and GraphSON v3 envelopes, and hands each
// request to handle (called on the connection's read goroutine).
type fakeServer struct {
	srv      *httptest.Server
	handle   func(fc *fakeConn, req fakeRequest)
	conns    atomic.Int32 // connections accepted
	requests atomic.Int32 // eval requests received
	pings    atomic.Int32
	// ignorePings makes the server neither answer nor count pings.
	ignorePings bool
	// auth, when set, makes the server demand SASL PLAIN with these
	// credentials ("\x00user\x00password").
	auth string
}

type fakeRequest struct {
	ID       string
	Op       string
	Gremlin  string
	Bindings map[string]json.RawMessage
	Args     map[string]json.RawMessage
	Size     int
	Binary   bool // sent as GraphBinary
}

type fakeConn struct {
	ws *websocket.Conn
	mu sync.Mutex
	// binary is set when the client speaks GraphBinary: responses are
	// then converted from the handlers' GraphSON to GraphBinary.
	binary atomic.Bool
}

func newFakeServer(t testing.TB, handle func(fc *fakeConn, req fakeRequest)) *fakeServer {
	t.Helper()
	fs := &fakeServer{handle: handle}
	up := websocket.Upgrader{ReadBufferSize: 1 << 16, WriteBufferSize: 1 << 16}
	fs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/gremlin" {
			http.NotFound(w, r)
			return
		}
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		fs.conns.Add(1)
		fc := &fakeConn{ws: ws}
		defer ws.Close()
		ws.SetPingHandler(func(data string) error {
			if fs.ignorePings {
				return nil
			}
			fs.pings.Add(1)
			fc.mu.Lock()
			defer fc.mu.Unlock()
			return ws.WriteMessage(websocket.PongMessage, []byte(data))
		})
		authed := fs.auth == ""
		var pendingAuth fakeRequest
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			req, err := parseFakeRequest(msg)
			if req.Binary {
				fc.binary.Store(true)
			}
			if err != nil {
				fc.send(req.ID, 499, err.Error(), "null")
				continue
			}
			if !authed {
				if req.Op != "authentication" {
					pendingAuth = req
					fc.send(req.ID, 407, "", "null")
					continue
				}
				var sasl string
				json.Unmarshal(req.Args["sasl"], &sasl)
				plain, _ := base64.StdEncoding.DecodeString(sasl)
				if string(plain) != fs.auth {
					fc.send(pendingAuth.ID, 401, "Username and/or password are incorrect", "null")
					continue
				}
				authed = true
				req = pendingAuth
			}
			fs.requests.Add(1)
			fs.handle(fc, req)
		}
	}))
	t.Cleanup(fs.srv.Close)
	return fs
}

// host returns the server's "host:port".
func (fs *fakeServer) host() string { return strings.TrimPrefix(fs.srv.URL, "http://") }

func parseFakeRequest(msg []byte) (fakeRequest, error) {
	if len(msg) > 0 && int(msg[0]) < len(msg) && string(msg[1:1+int(msg[0])]) == binaryMimeType {
		return parseBinaryRequest(msg)
	}
	var req fakeRequest
	req.Size = len(msg)
	if len(msg) == 0 || int(msg[0]) >= len(msg) || string(msg[1:1+int(msg[0])]) != mimeType {
		return req, fmt.Errorf("bad mime prefix")
	}
	var env struct {
		RequestID struct {
			Type  string `json:"@type"`
			Value string `json:"@value"`
		} `json:"requestId"`
		Op   string                     `json:"op"`
		Args map[string]json.RawMessage `json:"args"`
	}
	if err := json.Unmarshal(msg[1+int(msg[0]):], &env); err != nil {
		return req, err
	}
	req.ID, req.Op, req.Args = env.RequestID.Value, env.Op, env.Args
	json.Unmarshal(env.Args["gremlin"], &req.Gremlin)
	json.Unmarshal(env.Args["bindings"], &req.Bindings)
	return req, nil
}

// parseBinaryRequest parses a GraphBinary request frame; args and
// bindings are converted to GraphSON so that handlers see one format.
func parseBinaryRequest(msg []byte) (fakeRequest, error) {
	req := fakeRequest{Size: len(msg), Binary: true}
	d := binDecoder{data: msg, pos: 1 + int(msg[0])}
	if v, err := d.byte1(); err != nil || v != binaryVersion {
		return req, fmt.Errorf("bad version")
	}
	if err := d.need(16); err != nil {
		return req, err
	}
	var id UUID
	copy(id[:], d.data[d.pos:])
	d.pos += 16
	req.ID = id.String()
	var err error
	if req.Op, err = d.str(); err != nil {
		return req, err
	}
	if _, err = d.str(); err != nil { // processor
		return req, err
	}
	args, err := d.gmap()
	if err != nil {
		return req, err
	}
	if d.pos != len(d.data) {
		return req, fmt.Errorf("trailing data")
	}
	req.Args = map[string]json.RawMessage{}
	for k, v := range args {
		if k == "bindings" {
			req.Bindings = map[string]json.RawMessage{}
			for name, b := range v.(map[any]any) {
				js, err := AppendValue(nil, b)
				if err != nil {
					return req, err
				}
				req.Bindings[name.(string)] = js
			}
			continue
		}
		js, err := AppendValue(nil, v)
		if err != nil {
			return req, err
		}
		req.Args[k.(string)] = js
	}
	req.Gremlin, _ = args["gremlin"].(string)
	return req, nil
}

// send writes one response frame; data is raw GraphSON, converted to
// GraphBinary for GraphBinary clients.
func (fc *fakeConn) send(id string, code int, message, data string) error {
	attrs := `{"@type":"g:Map","@value":[]}`
	if code == 597 {
		attrs = `{"@type":"g:Map","@value":["exceptions",{"@type":"g:List","@value":["groovy.lang.MissingPropertyException"]},"stackTrace","groovy.lang.MissingPropertyException: No such property: nope"]}`
	}
	if fc.binary.Load() {
		return fc.sendBinary(id, code, message, attrs, data)
	}
	msg, _ := json.Marshal(message)
	return fc.sendRaw(fmt.Sprintf(`{"requestId":%q,"status":{"message":%s,"code":%d,"attributes":%s},"result":{"data":%s,"meta":{"@type":"g:Map","@value":[]}}}`,
		id, msg, code, attrs, data))
}

func (fc *fakeConn) sendRaw(frame string) error {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.ws.WriteMessage(websocket.TextMessage, []byte(frame))
}

// list wraps raw GraphSON items in a g:List.
func list(items ...string) string {
	return `{"@type":"g:List","@value":[` + strings.Join(items, ",") + `]}`
}

func int64s(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf(`{"@type":"g:Int64","@value":%d}`, i))
	}
	return out
}

// echo answers with the "x" binding, or 1 when there is none.
func echo(fc *fakeConn, req fakeRequest) {
	if x, ok := req.Bindings["x"]; ok {
		fc.send(req.ID, 200, "", list(string(x)))
		return
	}
	fc.send(req.ID, 200, "", list(`{"@type":"g:Int32","@value":1}`))
}

// sendBinary writes a GraphBinary response frame built from GraphSON
// attributes and data.
func (fc *fakeConn) sendBinary(id string, code int, message, attrs, data string) error {
	frame := []byte{binaryVersion}
	if u, err := ParseUUID(id); err == nil {
		frame = append(append(frame, 0), u[:]...)
	} else {
		frame = append(frame, 1)
	}
	frame = binary.BigEndian.AppendUint32(frame, uint32(code))
	frame = appendBinString(append(frame, 0), message)
	for _, m := range []string{attrs, `{"@type":"g:Map","@value":[]}`} {
		v, err := Decode([]byte(m))
		if err != nil {
			return err
		}
		enc, err := AppendBinaryValue(nil, v)
		if err != nil {
			return err
		}
		frame = append(frame, enc[2:]...) // a Map value: no type code or flag
	}
	v, err := Decode([]byte(data))
	if err != nil {
		return err
	}
	if frame, err = AppendBinaryValue(frame, v); err != nil {
		return err
	}
	return fc.sendBinaryRaw(frame)
}

func (fc *fakeConn) sendBinaryRaw(frame []byte) error {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.ws.WriteMessage(websocket.BinaryMessage, frame)
}
