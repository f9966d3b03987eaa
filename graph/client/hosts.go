package client

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// DefaultReconnectInterval is how often a host marked unavailable is
// dialed in the background until it answers (TinkerPop's Java driver uses
// the same default reconnectInterval).
const DefaultReconnectInterval = time.Second

// host is one configured Gremlin Server: its health and its counters.
//
// Host health works like TinkerPop's drivers: a host whose connection fails
// (a dial refused or timed out, a connection lost) is marked unavailable;
// requests then go to the available hosts only, and a background goroutine
// dials the host every Config.ReconnectInterval until it answers, which
// marks it available again. When every host is unavailable, requests try
// them anyway, so that a single restarted server is found at once.
type host struct {
	url        string
	down       atomic.Bool
	probing    atomic.Bool // a reconnect goroutine runs
	requests   atomic.Int64
	errors     atomic.Int64
	markedDown atomic.Int64
	slots      []*slot
}

// HostStats are one host's counters since [New], from [Client.Stats].
type HostStats struct {
	// Host is the server's URL (ws://host:port/gremlin).
	Host string `json:"host"`
	// Requests is the number of attempts sent to (or tried on) this host:
	// a request retried on another host counts once on each.
	Requests int64 `json:"requests"`
	// Errors is the number of those attempts that failed, whatever the
	// cause (server status, lost connection, refused dial, deadline).
	Errors int64 `json:"errors"`
	// Available is false while the host is marked unavailable after a
	// connection failure (requests avoid it; it is redialed in the
	// background).
	Available bool `json:"available"`
	// MarkedDown is the number of times the host was marked unavailable.
	MarkedDown int64 `json:"marked_down"`
}

// Served returns the attempts this host answered successfully.
func (s HostStats) Served() int64 { return s.Requests - s.Errors }

// Stats returns every configured host's counters, in the order of
// Config.Hosts.
func (c *Client) Stats() []HostStats {
	out := make([]HostStats, len(c.hosts))
	for i, h := range c.hosts {
		out[i] = HostStats{Host: h.url, Requests: h.requests.Load(), Errors: h.errors.Load(),
			Available: !h.down.Load(), MarkedDown: h.markedDown.Load()}
	}
	return out
}

// reconnectHooks replace the reconnect loop's clock and observe its dials,
// so that tests trigger reconnects explicitly instead of waiting for time
// to pass. The zero value uses real time.
type reconnectHooks struct {
	// after replaces time.After for the wait before each reconnect dial.
	after func(time.Duration) <-chan time.Time
	// dialed, when set, is called after each reconnect dial with its
	// error, once the host's state reflects the dial.
	dialed func(url string, err error)
}

func (c *Client) reconnectAfter(d time.Duration) <-chan time.Time {
	if f := c.cfg.reconnect.after; f != nil {
		return f(d)
	}
	return time.After(d)
}

// markDown marks h unavailable after a connection failure (cause) and
// starts its background reconnect. Failures that say nothing about the
// host (the caller's context, the client closing) are ignored.
func (c *Client) markDown(h *host, cause error) {
	if errors.Is(cause, ErrClosed) || errors.Is(cause, context.Canceled) || errors.Is(cause, context.DeadlineExceeded) {
		return
	}
	if !h.down.CompareAndSwap(false, true) {
		return
	}
	h.markedDown.Add(1)
	if !h.probing.CompareAndSwap(false, true) {
		return // the running loop sees the new down state
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		h.probing.Store(false)
		return
	}
	c.wg.Add(1)
	go c.reconnect(h)
}

// markUp marks h available (a connection to it was just established).
func (c *Client) markUp(h *host) { h.down.Store(false) }

// reconnect dials h every Config.ReconnectInterval while it is marked
// unavailable; the first connection that succeeds is handed to one of h's
// idle slots and h is marked available.
func (c *Client) reconnect(h *host) {
	defer c.wg.Done()
	defer h.probing.Store(false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-c.closedC:
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		select {
		case <-c.reconnectAfter(c.cfg.ReconnectInterval):
		case <-c.closedC:
			return
		}
		if !h.down.Load() {
			return // a request reached it meanwhile
		}
		cn, err := c.dial(ctx, h.url, h)
		if err == nil {
			if !c.adopt(h, cn) {
				cn.fail(ErrClosed) // every slot already has a live connection
			}
			c.markUp(h)
		}
		if f := c.cfg.reconnect.dialed; f != nil {
			f(h.url, err) // after the state changed: tests read it next
		}
		if err == nil {
			return
		}
	}
}

// adopt gives cn to a slot of h that has no live connection.
func (c *Client) adopt(h *host, cn *conn) bool {
	for _, s := range h.slots {
		select {
		case s.dialLock <- struct{}{}:
		default:
			continue // a request is dialing it
		}
		cur := s.cur.Load()
		ok := cur == nil || cur.dead.Load()
		if ok {
			s.cur.Store(cn)
		}
		<-s.dialLock
		if ok {
			return true
		}
	}
	return false
}
