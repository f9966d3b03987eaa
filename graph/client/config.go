package client

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults applied by [New] to zero fields of [Config].
const (
	// DefaultHost is the address scripts/janusgraph.sh binds.
	DefaultHost = "127.0.0.1:8182"
	// DefaultPoolSize is the number of connections per host.
	DefaultPoolSize = 4
	// DefaultMaxInFlight bounds pipelined requests per connection.
	DefaultMaxInFlight = 64
	// DefaultDialTimeout bounds dial, handshake and authentication.
	DefaultDialTimeout = 5 * time.Second
	// DefaultRequestTimeout is the deadline of a Submit without one.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultMaxRequestBytes matches the 8 MiB maxContentLength that
	// scripts/janusgraph.sh configures.
	DefaultMaxRequestBytes = 8 << 20
	// DefaultKeepAlive is the WebSocket ping interval.
	DefaultKeepAlive = 30 * time.Second
	// DefaultMaxAttempts is the number of attempts per Submit.
	DefaultMaxAttempts = 5
	// DefaultBaseDelay is the first retry delay.
	DefaultBaseDelay = 100 * time.Millisecond
	// DefaultMaxDelay caps the retry delay.
	DefaultMaxDelay = 5 * time.Second
)

// Config configures a [Client]. The zero value is usable: every zero field
// takes the default named in its comment.
type Config struct {
	// Hosts are Gremlin Server addresses, "host:port" (port 8182 when
	// omitted) or full ws:// / wss:// URLs. Default [DefaultHost].
	Hosts []string
	// PoolSize is the number of connections per host. Default 4: on a
	// 2-core server more connections only add queueing.
	PoolSize int
	// MaxInFlight bounds the requests outstanding on one connection
	// (pipelined, multiplexed by request id). Default 64.
	MaxInFlight int
	// DialTimeout bounds dialing, the WebSocket handshake and
	// authentication. Default 5s.
	DialTimeout time.Duration
	// RequestTimeout is the deadline of a Submit whose context has none,
	// covering all attempts. Default 30s.
	RequestTimeout time.Duration
	// TLS, when set, makes "host:port" hosts use wss:// with this config.
	TLS *tls.Config
	// Username and Password are sent with SASL PLAIN when set; every new
	// connection authenticates before it carries requests.
	Username, Password string
	// MaxRequestBytes is the largest request frame sent; larger requests
	// fail with *RequestTooLargeError before anything is sent. It must not
	// exceed the server's maxContentLength. Default 8 MiB.
	MaxRequestBytes int
	// Retry is the retry policy for retryable failures.
	Retry RetryPolicy
	// OnRequest, when set, is called once at the end of every Submit (after
	// all attempts) with its statistics. It must be safe for concurrent use
	// and fast: it runs on the caller's goroutine.
	OnRequest func(RequestStats)
	// Serializer is the wire format: [GraphSON] (the zero value) or
	// [GraphBinary]. Both decode results to the same Go values.
	Serializer Serializer
	// KeepAlive is the WebSocket ping interval; a connection that has
	// received nothing (not even a pong) for two intervals is closed.
	// Default 30s; negative disables pings.
	KeepAlive time.Duration
	// ReconnectInterval is how often a host marked unavailable after a
	// connection failure is dialed in the background until it answers;
	// meanwhile requests go to the other hosts. Default 1s
	// ([DefaultReconnectInterval]).
	ReconnectInterval time.Duration

	reconnect reconnectHooks // tests only
}

// RetryPolicy controls retries with exponential backoff and jitter. Only
// retryable failures are retried: a connection failure before the request
// was sent, status 429, and — for requests marked [Idempotent] — status 598
// and a connection lost after the request was sent.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, first included.
	// Default 5; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the delay before the second attempt; it doubles with
	// every attempt. Default 100ms.
	BaseDelay time.Duration
	// MaxDelay caps the delay. Default 5s.
	MaxDelay time.Duration
}

// delay returns the backoff before attempt n+1 (n ≥ 1): the exponential
// delay d capped at MaxDelay, with "equal jitter" (uniform in [d/2, d]).
func (p RetryPolicy) delay(n int, rnd func(int64) int64) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	half := int64(d / 2)
	if half <= 0 {
		return d
	}
	return time.Duration(half + rnd(half+1))
}

// RequestStats describes one Submit, for latency metrics.
type RequestStats struct {
	// Script is the submitted script.
	Script string
	// Host is the URL of the server that ran the last attempt.
	Host string
	// Start is when Submit was called.
	Start time.Time
	// Duration is the total time of Submit, retries and backoff included.
	Duration time.Duration
	// Attempts is the number of attempts made (1 when not retried).
	Attempts int
	// Results is the number of result items returned.
	Results int
	// RequestBytes is the size of the request frame.
	RequestBytes int
	// Err is the error returned by Submit, or nil.
	Err error
}

func (cfg Config) withDefaults() (Config, []string, error) {
	if len(cfg.Hosts) == 0 {
		cfg.Hosts = []string{DefaultHost}
	}
	if cfg.PoolSize <= 0 {
		cfg.PoolSize = DefaultPoolSize
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = DefaultDialTimeout
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if cfg.KeepAlive == 0 {
		cfg.KeepAlive = DefaultKeepAlive
	}
	if cfg.ReconnectInterval <= 0 {
		cfg.ReconnectInterval = DefaultReconnectInterval
	}
	if cfg.Retry.MaxAttempts <= 0 {
		cfg.Retry.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Retry.BaseDelay <= 0 {
		cfg.Retry.BaseDelay = DefaultBaseDelay
	}
	if cfg.Retry.MaxDelay <= 0 {
		cfg.Retry.MaxDelay = DefaultMaxDelay
	}
	cfg.Retry.MaxDelay = max(cfg.Retry.MaxDelay, cfg.Retry.BaseDelay)
	if cfg.Serializer != GraphSON && cfg.Serializer != GraphBinary {
		return cfg, nil, fmt.Errorf("client: Config.Serializer: unknown %v", cfg.Serializer)
	}
	urls := make([]string, 0, len(cfg.Hosts))
	for _, h := range cfg.Hosts {
		u, err := hostURL(h, cfg.TLS != nil)
		if err != nil {
			return cfg, nil, err
		}
		urls = append(urls, u)
	}
	return cfg, urls, nil
}

// HostError reports a Config.Hosts entry that is not a usable address:
// not HOST, HOST:PORT or a ws(s):// URL, or a port outside 1..65535.
// [New] and [Config.Validate] return it before anything is dialed.
type HostError struct {
	// Host is the entry as configured.
	Host string
	// Problem says what is wrong with it.
	Problem string
}

// Error implements the error interface.
func (e *HostError) Error() string {
	return fmt.Sprintf("client: host %q: %s", e.Host, e.Problem)
}

// Validate checks cfg as [New] does before dialing, with defaults applied:
// every host must be an address (a *HostError otherwise) and the
// serializer known.
func (cfg Config) Validate() error {
	_, _, err := cfg.withDefaults()
	return err
}

// hostURL turns a configured host into a ws:// or wss:// URL: HOST (port
// 8182), HOST:PORT, [IPv6]:PORT, a bare IPv6 address, or a ws, wss, http
// or https URL. Problems are *HostError.
func hostURL(h string, useTLS bool) (string, error) {
	orig := h
	bad := func(problem string) (string, error) { return "", &HostError{Host: orig, Problem: problem} }
	h = strings.TrimSpace(h)
	if h == "" {
		return bad("empty host")
	}
	if !strings.Contains(h, "://") {
		host, port, err := net.SplitHostPort(h)
		switch {
		case err != nil && (strings.Count(h, ":") > 1 || !strings.Contains(h, ":")):
			h = net.JoinHostPort(strings.Trim(h, "[]"), "8182") // a bare host name or IPv6 address
		case err != nil:
			return bad("expected HOST:PORT: " + err.Error())
		case host == "":
			return bad("no host name before the port")
		case !validPort(port):
			return bad(fmt.Sprintf("port %q: expected a number from 1 to 65535", port))
		}
		scheme := "ws://"
		if useTLS {
			scheme = "wss://"
		}
		return scheme + h + "/gremlin", nil
	}
	u, err := url.Parse(h)
	if err != nil {
		return bad("not a URL: " + err.Error())
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return bad(fmt.Sprintf("scheme %q: expected ws:// or wss://", u.Scheme))
	}
	if u.Hostname() == "" {
		return bad("no host name")
	}
	if p := u.Port(); p == "" {
		u.Host = net.JoinHostPort(u.Hostname(), "8182")
	} else if !validPort(p) {
		return bad(fmt.Sprintf("port %q: expected a number from 1 to 65535", p))
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/gremlin"
	}
	return u.String(), nil
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}
