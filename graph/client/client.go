package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Client is a pooled, pipelining Gremlin Server client. It is safe for
// concurrent use; a single Client should be shared by all goroutines.
type Client struct {
	cfg   Config
	codec codec // the wire format of Config.Serializer
	urls  []string
	hosts []*host // one per URL, in Config.Hosts order
	slots []*slot
	rr    atomic.Uint64

	writeBufs bufferPool // gorilla write buffers, MaxRequestBytes each
	frames    sync.Pool  // *[]byte request encoding buffers

	mu      sync.Mutex
	closed  bool
	closedC chan struct{}
	wg      sync.WaitGroup // connection goroutines
}

// slot is one connection position of the pool: it owns an in-flight bound
// and (re)dials its connection when needed.
type slot struct {
	url      string
	host     *host
	sem      chan struct{} // in-flight requests
	dialLock chan struct{} // one dial at a time
	cur      atomic.Pointer[conn]
}

// New validates cfg, applies defaults and dials one connection per host
// eagerly (authenticating when credentials are set), so that a wrong
// address or password fails here with a clear error. It fails only when no
// host can be reached; the other pool connections are dialed lazily on first
// use and redialed whenever a connection breaks (e.g. a server restart).
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg, urls, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, codec: cfg.Serializer.codec(), urls: urls, closedC: make(chan struct{})}
	for _, u := range urls {
		c.hosts = append(c.hosts, &host{url: u})
	}
	// Interleave hosts so that consecutive slots are on different hosts.
	for range cfg.PoolSize {
		for _, h := range c.hosts {
			s := &slot{
				url:      h.url,
				host:     h,
				sem:      make(chan struct{}, cfg.MaxInFlight),
				dialLock: make(chan struct{}, 1),
			}
			h.slots = append(h.slots, s)
			c.slots = append(c.slots, s)
		}
	}
	var errs []error
	for i := range urls {
		if _, err := c.conn(ctx, c.slots[i]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == len(urls) {
		c.Close()
		if len(errs) == 1 {
			return nil, errs[0]
		}
		return nil, fmt.Errorf("client: no Gremlin Server reachable: %w", errors.Join(errs...))
	}
	return c, nil
}

// Request is one script evaluation: the unit [Client.Do] sends.
type Request struct {
	// Script is the Gremlin (Groovy) script. Never format user values into
	// it: bind them.
	Script string
	// Bindings are the script's variables, encoded by the configured
	// serializer (see graphson.AppendValue, graphbinary.AppendValue).
	// Gremlin Server accepts at most 16 per request by default; send a
	// batch as one list binding. Names must not shadow Gremlin tokens (id,
	// label, keys, values, ...).
	Bindings map[string]any
	// Idempotent marks the request as one whose running twice, possibly at
	// the same time, is harmless, so that it is also retried after a server
	// timeout (598) and after a connection lost once the request was sent:
	// the first attempt may still be running on the server while the retry
	// runs. Reads qualify, and writes whose concurrent double execution
	// changes nothing (setting properties to constants, dropping).
	// Upserts (fold/coalesce, mergeV, read-then-addVertex) do not:
	// JanusGraph takes no lock for them, so two concurrent runs can both
	// create the key. Send them non-idempotent and, after an ambiguous
	// failure, read back; readers of upserted keys tolerate duplicates.
	// Plain addV/addE is never idempotent.
	Idempotent bool
}

// Submit evaluates script with bindings, as a non-idempotent [Request], and
// returns the result items; see [Client.Do]. Its []any result converts to
// [Result] for the typed accessors: client.Result(items).Int64().
func (c *Client) Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error) {
	return c.Do(ctx, &Request{Script: script, Bindings: bindings})
}

// Do evaluates req on one of the pool's connections and returns all result
// items (206 partial frames joined in order); an answer without items is
// an empty, non-nil Result.
//
// The deadline is ctx's, or Config.RequestTimeout when ctx has none; when
// it expires Do returns an error wrapping ctx.Err() at once, and a late
// answer is dropped. Retryable failures are retried per Config.Retry (see
// [Request.Idempotent]). Errors: *StatusError (server status), *ConnError
// (transport), *RequestTooLargeError, *BindingError (before anything is
// sent), *DecodeError, ErrClosed, or the context's error.
func (c *Client) Do(ctx context.Context, req *Request) (Result, error) {
	script, bindings := req.Script, req.Bindings
	start := time.Now()
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.RequestTimeout)
		defer cancel()
	}
	bp := c.frameBuf()
	defer c.frames.Put(bp)
	frame, err := c.codec.appendRequest((*bp)[:0], UUID{}, script, bindings)
	*bp = frame
	var (
		res      []any
		attempts int
		host     string
	)
	switch {
	case err != nil:
	case len(frame) > c.cfg.MaxRequestBytes:
		err = &RequestTooLargeError{Size: len(frame), Max: c.cfg.MaxRequestBytes}
	default:
		idem := req.Idempotent
		for {
			attempts++
			res, host, err = c.attempt(ctx, frame)
			if err == nil || attempts >= c.cfg.Retry.MaxAttempts || !retryable(err, idem) {
				break
			}
			if werr := c.backoff(ctx, attempts); werr != nil {
				break // keep the last attempt's error
			}
		}
	}
	if c.cfg.OnRequest != nil {
		c.cfg.OnRequest(RequestStats{Script: script, Host: host, Start: start, Duration: time.Since(start),
			Attempts: attempts, Results: len(res), RequestBytes: len(frame), Err: err})
	}
	if err != nil {
		return nil, err
	}
	if res == nil {
		res = Result{}
	}
	return res, nil
}

func (c *Client) frameBuf() *[]byte {
	if bp, ok := c.frames.Get().(*[]byte); ok {
		return bp
	}
	b := make([]byte, 0, 4<<10) //graphperf:nomutate capacity hint: any capacity gives the same result
	return &b
}

func retryable(err error, idempotent bool) bool {
	var ce *ConnError
	if errors.As(err, &ce) {
		return !ce.Sent || idempotent
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Retryable() || (se.Code == 598 && idempotent)
	}
	return false
}

func (c *Client) backoff(ctx context.Context, attempt int) error {
	t := time.NewTimer(c.cfg.Retry.delay(attempt, rand.Int64N))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.closedC:
		return ErrClosed
	}
}

// pick returns the least loaded slot of an available host, starting the
// scan round-robin; when every host is marked unavailable, any slot.
func (c *Client) pick() *slot {
	n := uint64(len(c.slots))
	start := c.rr.Add(1)
	var best *slot
	bestLoad := -1
	for i := range n {
		s := c.slots[(start+i)%n]
		if s.host.down.Load() {
			continue
		}
		if l := len(s.sem); bestLoad < 0 || l < bestLoad {
			best, bestLoad = s, l
			if l == 0 {
				break
			}
		}
	}
	if best == nil { // every host is unavailable: try one anyway
		best = c.slots[start%n]
	}
	return best
}

// attempt sends frame once (the request id is rewritten in place) and
// counts it on the host it went to.
func (c *Client) attempt(ctx context.Context, frame []byte) ([]any, string, error) {
	select {
	case <-c.closedC:
		return nil, "", ErrClosed
	default:
	}
	s := c.pick()
	s.host.requests.Add(1)
	res, err := c.send(ctx, s, frame)
	if err != nil {
		s.host.errors.Add(1)
	}
	return res, s.url, err
}

// send sends frame on slot s and waits for its answer.
func (c *Client) send(ctx context.Context, s *slot, frame []byte) ([]any, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("client: waiting for a free request slot on %s: %w", s.url, ctx.Err())
	case <-c.closedC:
		return nil, ErrClosed
	}
	defer func() { <-s.sem }()
	cn, err := c.conn(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("client: request to %s not sent: %w", s.url, err)
	}
	id := newRequestID()
	c.codec.setID(frame, id)
	cl := &call{ch: make(chan error, 1)}
	if !cn.register(id, cl) {
		return nil, &ConnError{URL: s.url, Op: "write", Err: errors.New("connection closed")}
	}
	// A write that times out leaves a partial frame and kills the shared
	// connection, so one caller's nearly expired deadline must not cut it
	// short: writes get at least minWriteTime.
	deadline, _ := ctx.Deadline()
	deadline = later(deadline, time.Now().Add(minWriteTime))
	if err := cn.write(frame, deadline); err != nil {
		cn.unregister(id)
		cn.fail(&ConnError{URL: s.url, Op: "write", Sent: true, Err: err})
		return nil, &ConnError{URL: s.url, Op: "write", Err: err}
	}
	select {
	case err := <-cl.ch:
		if err != nil {
			return nil, err
		}
		return cl.results, nil
	case <-ctx.Done():
		if !cn.unregister(id) {
			// The answer raced the deadline; take it.
			if err := <-cl.ch; err != nil {
				return nil, err
			}
			return cl.results, nil
		}
		return nil, fmt.Errorf("client: no response from %s for request %s: %w", s.url, id, ctx.Err())
	}
}

// minWriteTime is the least time a request frame is given to be written.
const minWriteTime = 2 * time.Second

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// conn returns the slot's live connection, dialing one when needed.
func (c *Client) conn(ctx context.Context, s *slot) (*conn, error) {
	if cn := s.cur.Load(); cn != nil && !cn.dead.Load() {
		return cn, nil
	}
	select {
	case s.dialLock <- struct{}{}:
	case <-ctx.Done():
		return nil, &ConnError{URL: s.url, Op: "dial", Err: ctx.Err()}
	case <-c.closedC:
		return nil, ErrClosed
	}
	defer func() { <-s.dialLock }()
	if cn := s.cur.Load(); cn != nil && !cn.dead.Load() {
		return cn, nil
	}
	cn, err := c.dial(ctx, s.url, s.host)
	if err != nil {
		if ctx.Err() == nil {
			c.markDown(s.host, err)
		}
		return nil, err
	}
	c.markUp(s.host)
	s.cur.Store(cn)
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		cn.fail(ErrClosed)
		return nil, ErrClosed
	}
	return cn, nil
}

// Close closes every connection, fails pending requests with ErrClosed and
// waits until all of the client's goroutines have exited. Submit after
// Close returns ErrClosed. Close is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.closedC)
	c.mu.Unlock()
	for _, s := range c.slots {
		if cn := s.cur.Load(); cn != nil {
			cn.fail(ErrClosed)
		}
	}
	c.wg.Wait()
	return nil
}

// Serializer returns the wire format the client speaks (Config.Serializer).
func (c *Client) Serializer() Serializer { return c.cfg.Serializer }

// Hosts returns the server URLs the client uses.
func (c *Client) Hosts() []string { return append([]string(nil), c.urls...) }

// Submitter is what the other drivers and the test fakes offer: Submit
// with []any results. *Client is one.
type Submitter interface {
	Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error)
}

// Send sends req through sub: through its Do method when it has one (as
// *Client does), else through Submit, which cannot carry req.Idempotent.
// Libraries that accept any Submitter use it to keep retries of idempotent
// requests when they are given a *Client.
func Send(ctx context.Context, sub Submitter, req *Request) (Result, error) {
	if d, ok := sub.(interface {
		Do(context.Context, *Request) (Result, error)
	}); ok {
		return d.Do(ctx, req)
	}
	return sub.Submit(ctx, req.Script, req.Bindings)
}
