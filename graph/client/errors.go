package client

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. A *StatusError matches the sentinel of its status code
// with errors.Is, so callers can branch without inspecting codes:
//
//	if errors.Is(err, client.ErrUnauthorized) { ... }
var (
	// ErrUnauthorized matches 401 (bad credentials) and 407 (the server
	// demands authentication and no credentials were configured).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrTooManyRequests matches 429: the server's queue is full.
	ErrTooManyRequests = errors.New("server too busy")
	// ErrMalformedRequest matches 498 and 499: the server rejected the
	// request message itself.
	ErrMalformedRequest = errors.New("malformed request")
	// ErrServer matches 500: a server-side failure outside the script.
	ErrServer = errors.New("server error")
	// ErrScript matches 597: the script failed to compile or threw.
	ErrScript = errors.New("script evaluation error")
	// ErrServerTimeout matches 598: the server's evaluationTimeout expired.
	ErrServerTimeout = errors.New("server evaluation timeout")
	// ErrSerialization matches 599: the server could not serialize a result.
	ErrSerialization = errors.New("result serialization error")
	// ErrClosed is returned by Submit after Close.
	ErrClosed = errors.New("client: closed")
)

// StatusError is a non-success status returned by Gremlin Server.
type StatusError struct {
	// Code is the Gremlin Server status code (401, 429, 597, ...).
	Code int
	// Message is the server's status message.
	Message string
	// Exception is the first entry of the "exceptions" status attribute
	// (the Java exception class), if any.
	Exception string
	// Attributes are the status attributes, keys stringified.
	Attributes map[string]any
	// Host is the URL of the server that answered.
	Host string
}

// Error formats the code, its meaning, the exception and the server message.
func (e *StatusError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "client: server %s answered %d", e.Host, e.Code)
	if s := statusText(e.Code); s != "" {
		b.WriteString(" (" + s + ")")
	}
	if e.Exception != "" {
		b.WriteString(" " + e.Exception)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code == 407 {
		b.WriteString(": the server requires authentication; set a username and password")
	}
	return b.String()
}

// Is reports whether target is the sentinel error for e's code.
func (e *StatusError) Is(target error) bool {
	return target != nil && target == sentinelFor(e.Code)
}

// Retryable reports whether the same request may be sent again without
// risk: true only for 429 (the server refused it before running it). A 598
// is retried only for requests marked with [Idempotent].
func (e *StatusError) Retryable() bool { return e.Code == 429 }

func sentinelFor(code int) error {
	switch code {
	case 401, 407:
		return ErrUnauthorized
	case 429:
		return ErrTooManyRequests
	case 498, 499:
		return ErrMalformedRequest
	case 500:
		return ErrServer
	case 597:
		return ErrScript
	case 598:
		return ErrServerTimeout
	case 599:
		return ErrSerialization
	}
	return nil
}

func statusText(code int) string {
	switch code {
	case 401:
		return "unauthorized"
	case 407:
		return "authentication required"
	case 429:
		return "too many requests"
	case 498:
		return "request serialization error"
	case 499:
		return "malformed request"
	case 500:
		return "server error"
	case 597:
		return "script evaluation error"
	case 598:
		return "server timeout"
	case 599:
		return "result serialization error"
	}
	return ""
}

// ConnError is a transport failure: dialing, writing or reading a
// connection to one Gremlin Server URL.
type ConnError struct {
	// URL is the ws:// or wss:// address of the server.
	URL string
	// Op is "dial", "write" or "read".
	Op string
	// Sent reports whether the request may have reached the server (the
	// connection was lost after the request was written). Such requests are
	// retried only when marked [Idempotent].
	Sent bool
	// Err is the cause.
	Err error
}

// Error names the URL, the operation and the cause.
func (e *ConnError) Error() string {
	s := "client: " + e.Op + " " + e.URL + ": " + e.Err.Error()
	if e.Sent {
		s += " (connection lost after the request was sent; it may have run)"
	}
	return s
}

// Unwrap returns the cause.
func (e *ConnError) Unwrap() error { return e.Err }

// RequestTooLargeError is returned, before anything is sent, for a request
// whose encoded frame exceeds Config.MaxRequestBytes (Gremlin Server rejects
// frames over its maxContentLength).
type RequestTooLargeError struct {
	// Size is the encoded request size in bytes.
	Size int
	// Max is the configured maximum.
	Max int
}

// Error names both sizes.
func (e *RequestTooLargeError) Error() string {
	return fmt.Sprintf("client: request of %d bytes exceeds the maximum of %d bytes "+
		"(Config.MaxRequestBytes, which must not exceed the server's maxContentLength); send smaller batches",
		e.Size, e.Max)
}
