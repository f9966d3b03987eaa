package client

import (
	"encoding/base64"
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
}

type fakeConn struct {
	ws *websocket.Conn
	mu sync.Mutex
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

// send writes one response frame; data is raw GraphSON.
func (fc *fakeConn) send(id string, code int, message, data string) error {
	attrs := `{"@type":"g:Map","@value":[]}`
	if code == 597 {
		attrs = `{"@type":"g:Map","@value":["exceptions",{"@type":"g:List","@value":["groovy.lang.MissingPropertyException"]},"stackTrace","groovy.lang.MissingPropertyException: No such property: nope"]}`
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
