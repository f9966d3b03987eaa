package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one WebSocket connection carrying pipelined requests.
type conn struct {
	url   string
	ws    *websocket.Conn
	codec codec

	wmu sync.Mutex // one writer at a time (gorilla's rule)

	mu      sync.Mutex
	pending map[UUID]*call // nil once the connection failed

	dead     atomic.Bool
	done     chan struct{} // closed when the connection failed or closed
	lastRead atomic.Int64  // unix nanoseconds of the last frame or pong

	// lost, when set, is told why the connection failed (the client marks
	// its host unavailable).
	lost func(error)
}

// call is one request waiting for its response frames.
type call struct {
	results []any
	ch      chan error // buffered(1): nil on success
}

// bufferPool adapts sync.Pool to gorilla's BufferPool; each Client has its
// own so write buffers (MaxRequestBytes large) are shared by its connections
// and held only while a frame is written.
type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() any  { return b.p.Get() }
func (b *bufferPool) Put(x any) { b.p.Put(x) }

func newRequestID() UUID {
	var u UUID
	a, b := rand.Uint64(), rand.Uint64()
	for i := range 8 {
		u[i] = byte(a >> (8 * i))
		u[8+i] = byte(b >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// dial opens, authenticates and starts a connection to url, the address of
// h (whose health the connection's failure updates).
func (c *Client) dial(ctx context.Context, url string, h *host) (*conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.DialTimeout)
	defer cancel()
	d := websocket.Dialer{
		HandshakeTimeout: c.cfg.DialTimeout,
		TLSClientConfig:  c.cfg.TLS,
		ReadBufferSize:   32 << 10, //graphperf:nomutate buffer size: frames of any size are read whatever it is
		// One request must be one frame: the buffer holds the largest.
		WriteBufferSize: c.cfg.MaxRequestBytes,
		WriteBufferPool: &c.writeBufs,
	}
	ws, resp, err := d.DialContext(ctx, url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		if resp != nil {
			err = fmt.Errorf("%w (HTTP %s)", err, resp.Status)
		}
		return nil, &ConnError{URL: url, Op: "dial", Err: err}
	}
	cn := &conn{url: url, ws: ws, codec: c.codec, pending: make(map[UUID]*call), done: make(chan struct{}),
		lost: func(err error) { c.markDown(h, err) }}
	cn.lastRead.Store(time.Now().UnixNano())
	if c.cfg.Username != "" || c.cfg.Password != "" {
		if err := c.authenticate(ctx, cn); err != nil {
			ws.Close()
			return nil, err
		}
	}
	ws.SetPongHandler(func(string) error {
		cn.lastRead.Store(time.Now().UnixNano())
		return nil
	})
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		ws.Close()
		return nil, ErrClosed
	}
	c.wg.Add(1)
	go c.readLoop(cn)
	if c.cfg.KeepAlive > 0 {
		c.wg.Add(1)
		go c.keepAlive(cn)
	}
	c.mu.Unlock()
	return cn, nil
}

// authenticate performs SASL PLAIN on a fresh connection, before any other
// request: Gremlin Server answers the first request with 407, expects the
// "authentication" op with the same request id, then runs the first request.
// Requests sent while it negotiates would be refused, so this is serial.
func (c *Client) authenticate(ctx context.Context, cn *conn) error {
	deadline, _ := ctx.Deadline()
	cn.ws.SetReadDeadline(deadline)
	cn.ws.SetWriteDeadline(deadline)
	defer cn.ws.SetReadDeadline(time.Time{})
	defer cn.ws.SetWriteDeadline(time.Time{})
	id := newRequestID()
	probe, err := c.codec.appendRequest(nil, id, "0", nil)
	if err != nil {
		return err
	}
	if err := cn.ws.WriteMessage(websocket.BinaryMessage, probe); err != nil {
		return &ConnError{URL: cn.url, Op: "write", Err: err}
	}
	sentAuth := false
	for {
		_, frame, err := cn.ws.ReadMessage()
		if err != nil {
			return &ConnError{URL: cn.url, Op: "read", Err: fmt.Errorf("during authentication: %w", err)}
		}
		r, err := cn.codec.decodeResponse(frame)
		if err != nil || r.RequestID != id {
			continue
		}
		switch {
		case r.Code == 407 && !sentAuth:
			sentAuth = true
			if err := cn.ws.WriteMessage(websocket.BinaryMessage, c.codec.appendAuth(nil, id, c.cfg.Username, c.cfg.Password)); err != nil {
				return &ConnError{URL: cn.url, Op: "write", Err: err}
			}
		case r.Code == 206:
		case r.Code == 200 || r.Code == 204:
			return nil
		default:
			return statusError(cn.url, r)
		}
	}
}

func statusError(url string, r response) *StatusError {
	e := &StatusError{Code: r.Code, Message: r.Message, Host: url}
	switch attrs := r.Attributes.(type) {
	case map[any]any:
		e.Attributes = make(map[string]any, len(attrs))
		for k, v := range attrs {
			e.Attributes[fmt.Sprint(k)] = v
		}
	case map[string]any:
		e.Attributes = attrs
	}
	switch ex := e.Attributes["exceptions"].(type) {
	case []any:
		if len(ex) > 0 {
			e.Exception, _ = ex[0].(string)
		}
	case string:
		e.Exception = ex
	}
	return e
}

// register adds a call; it fails when the connection is already dead.
func (cn *conn) register(id UUID, cl *call) bool {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	if cn.pending == nil {
		return false
	}
	cn.pending[id] = cl
	return true
}

// unregister removes a call and reports whether it was still pending.
func (cn *conn) unregister(id UUID) bool {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	_, ok := cn.pending[id]
	delete(cn.pending, id)
	return ok
}

// write sends one frame; deadline bounds a stalled TCP write.
func (cn *conn) write(frame []byte, deadline time.Time) error {
	cn.wmu.Lock()
	defer cn.wmu.Unlock()
	cn.ws.SetWriteDeadline(deadline)
	return cn.ws.WriteMessage(websocket.BinaryMessage, frame)
}

// fail marks the connection dead, closes it and fails every pending call
// with err. Only the first call has an effect.
func (cn *conn) fail(err error) {
	if !cn.dead.CompareAndSwap(false, true) {
		return
	}
	cn.mu.Lock()
	pend := cn.pending
	cn.pending = nil
	cn.mu.Unlock()
	close(cn.done)
	if errors.Is(err, ErrClosed) {
		cn.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""),
			time.Now().Add(250*time.Millisecond))
	}
	cn.ws.Close()
	// The host is marked first, so that a retry of a failed call already
	// avoids it.
	if cn.lost != nil {
		cn.lost(err)
	}
	for _, cl := range pend {
		cl.ch <- err
	}
}

func (c *Client) readLoop(cn *conn) {
	defer c.wg.Done()
	var buf []byte
	for {
		_, r, err := cn.ws.NextReader()
		if err != nil {
			cn.fail(&ConnError{URL: cn.url, Op: "read", Sent: true, Err: err})
			return
		}
		buf, err = readAll(buf[:0], r)
		if err != nil {
			cn.fail(&ConnError{URL: cn.url, Op: "read", Sent: true, Err: err})
			return
		}
		cn.lastRead.Store(time.Now().UnixNano())
		cn.dispatch(buf)
		if cap(buf) > 1<<20 { //graphperf:nomutate memory only: readAll reuses or regrows the buffer with the same result
			buf = nil //graphperf:nomutate memory only: do not pin a huge frame's buffer
		}
	}
}

func readAll(buf []byte, r io.Reader) ([]byte, error) {
	if cap(buf) == 0 { //graphperf:nomutate capacity hint: any capacity gives the same result
		buf = make([]byte, 0, 16<<10) //graphperf:nomutate capacity hint: any capacity gives the same result
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// dispatch routes one response frame to its call. Frames for unknown ids
// (late answers to abandoned requests) and frames without a readable id are
// dropped; the connection stays up.
func (cn *conn) dispatch(frame []byte) {
	r, decErr := cn.codec.decodeResponse(frame)
	if !r.HasRequestID {
		return
	}
	cn.mu.Lock()
	cl := cn.pending[r.RequestID]
	if cl == nil {
		cn.mu.Unlock()
		return
	}
	if decErr != nil {
		delete(cn.pending, r.RequestID)
		cn.mu.Unlock()
		cl.ch <- fmt.Errorf("client: response from %s: %w", cn.url, decErr)
		return
	}
	switch r.Code {
	case 200, 206:
		if list, ok := r.Data.([]any); ok {
			cl.results = append(cl.results, list...)
		} else if r.Data != nil {
			cl.results = append(cl.results, r.Data)
		}
		if r.Code == 206 {
			cn.mu.Unlock()
			return
		}
		delete(cn.pending, r.RequestID)
		cn.mu.Unlock()
		cl.ch <- nil
	case 204:
		delete(cn.pending, r.RequestID)
		cn.mu.Unlock()
		cl.ch <- nil
	default:
		delete(cn.pending, r.RequestID)
		cn.mu.Unlock()
		cl.ch <- statusError(cn.url, r)
		if r.Code == 407 {
			// The server now waits for SASL on this connection and would
			// refuse everything else: start afresh.
			cn.fail(&ConnError{URL: cn.url, Op: "read", Sent: true, Err: ErrUnauthorized})
		}
	}
}

func (c *Client) keepAlive(cn *conn) {
	defer c.wg.Done()
	interval := c.cfg.KeepAlive
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-cn.done:
			return
		case now := <-t.C:
			if idle := now.Sub(time.Unix(0, cn.lastRead.Load())); idle > 2*interval {
				cn.fail(&ConnError{URL: cn.url, Op: "read", Sent: true,
					Err: fmt.Errorf("no frame or pong for %v (keepalive)", idle.Round(time.Millisecond))})
				return
			}
			// A generous write deadline: a slow write is not a dead peer;
			// the idle check above is what detects one.
			if err := cn.ws.WriteControl(websocket.PingMessage, nil, now.Add(max(interval, 10*time.Second))); err != nil {
				cn.fail(&ConnError{URL: cn.url, Op: "write", Sent: true, Err: fmt.Errorf("ping: %w", err)})
				return
			}
		}
	}
}
