package client

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/gvalue"
)

func TestStatusErrorTextAndSentinels(t *testing.T) {
	sentinels := []error{ErrUnauthorized, ErrTooManyRequests, ErrMalformedRequest, ErrServer, ErrScript,
		ErrServerTimeout, ErrSerialization}
	tests := []struct {
		err  StatusError
		want string
		is   error // nil: matches no sentinel
	}{
		{StatusError{Code: 401, Host: "ws://h/gremlin", Message: "bad"}, "client: server ws://h/gremlin answered 401 (unauthorized): bad", ErrUnauthorized},
		{StatusError{Code: 407, Host: "h"}, "client: server h answered 407 (authentication required): the server requires authentication; set a username and password", ErrUnauthorized},
		{StatusError{Code: 429, Host: "h"}, "client: server h answered 429 (too many requests)", ErrTooManyRequests},
		{StatusError{Code: 498, Host: "h"}, "client: server h answered 498 (request serialization error)", ErrMalformedRequest},
		{StatusError{Code: 499, Host: "h"}, "client: server h answered 499 (malformed request)", ErrMalformedRequest},
		{StatusError{Code: 500, Host: "h"}, "client: server h answered 500 (server error)", ErrServer},
		{StatusError{Code: 597, Host: "h", Exception: "E", Message: "m"}, "client: server h answered 597 (script evaluation error) E: m", ErrScript},
		{StatusError{Code: 598, Host: "h"}, "client: server h answered 598 (server timeout)", ErrServerTimeout},
		{StatusError{Code: 599, Host: "h"}, "client: server h answered 599 (result serialization error)", ErrSerialization},
		{StatusError{Code: 0, Host: "h"}, "client: server h answered 0", nil},
		{StatusError{Code: 302, Host: "h", Exception: "X"}, "client: server h answered 302 X", nil},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.err.Code), func(t *testing.T) {
			e := tt.err
			if got := e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			for _, s := range sentinels {
				if got := errors.Is(&e, s); got != (s == tt.is) {
					t.Errorf("errors.Is(%d, %v) = %v", e.Code, s, got)
				}
			}
			if e.Is(nil) {
				t.Error("Is(nil) = true")
			}
			if got := e.Retryable(); got != (e.Code == 429) {
				t.Errorf("Retryable() = %v", got)
			}
		})
	}
}

func TestErrorTexts(t *testing.T) {
	cause := errors.New("boom")
	tests := []struct {
		err    error
		want   string
		unwrap error
	}{
		{&ConnError{URL: "ws://h/gremlin", Op: "dial", Err: cause}, "client: dial ws://h/gremlin: boom", cause},
		{&ConnError{URL: "u", Op: "read", Sent: true, Err: io.EOF},
			"client: read u: EOF (connection lost after the request was sent; it may have run)", io.EOF},
		{&RequestTooLargeError{Size: 10, Max: 5}, "client: request of 10 bytes exceeds the maximum of 5 bytes " +
			"(Config.MaxRequestBytes, which must not exceed the server's maxContentLength); send smaller batches", nil},
		{&DecodeError{Format: "GraphBinary", Offset: 3, Msg: "x"}, "GraphBinary decode error at byte 3: x", nil},
		{&DecodeError{Format: "GraphSON", Offset: 4, Msg: "bad"}, "GraphSON decode error at byte 4: bad", nil},
		{&BindingError{Name: "b", Err: cause}, "binding b: boom", cause},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if tt.unwrap != nil && errors.Unwrap(tt.err) != tt.unwrap {
			t.Errorf("%T unwraps to %v, want %v", tt.err, errors.Unwrap(tt.err), tt.unwrap)
		}
	}
}

func TestSerializerNames(t *testing.T) {
	tests := []struct {
		in   string
		want Serializer
		ok   bool
	}{
		{"graphson", GraphSON, true}, {"GraphSON", GraphSON, true}, {"graphson3", GraphSON, true},
		{"graphbinary", GraphBinary, true}, {"GraphBinary", GraphBinary, true},
		{"", GraphSON, false}, {"gryo", GraphSON, false},
	}
	for _, tt := range tests {
		got, err := ParseSerializer(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseSerializer(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if want := fmt.Sprintf("client: unknown serializer %q (want graphson or graphbinary)", tt.in); !tt.ok && err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	}
	if s := Serializer(7).String(); s != "Serializer(7)" {
		t.Errorf("String() = %q", s)
	}
	if _, ok := GraphSON.codec().(graphsonCodec); !ok {
		t.Error("GraphSON codec is not graphsonCodec")
	}
	if _, ok := GraphBinary.codec().(binaryCodec); !ok {
		t.Error("GraphBinary codec is not binaryCodec")
	}
}

// TestRequestIDsAreRandom checks that every byte of a request id varies
// (apart from the version and variant bits), so ids do not collide.
func TestRequestIDsAreRandom(t *testing.T) {
	var seen [16]map[byte]bool
	for i := range seen {
		seen[i] = map[byte]bool{}
	}
	for range 200 {
		id := newRequestID()
		for i, b := range id {
			seen[i][b] = true
		}
	}
	for i, m := range seen {
		if len(m) < 8 {
			t.Errorf("byte %d of request ids took only %d values in 200 ids", i, len(m))
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	cfg, urls, err := Config{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Hosts: []string{DefaultHost}, PoolSize: 4, MaxInFlight: 64, DialTimeout: 5 * time.Second,
		RequestTimeout: 30 * time.Second, MaxRequestBytes: 8 << 20, KeepAlive: 30 * time.Second, ReconnectInterval: time.Second,
		Retry: RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: 5 * time.Second}}
	if fmt.Sprint(cfg) != fmt.Sprint(want) || len(urls) != 1 || urls[0] != "ws://127.0.0.1:8182/gremlin" {
		t.Errorf("defaults = %+v %v\nwant %+v", cfg, urls, want)
	}
	neg := Config{PoolSize: -1, MaxInFlight: -1, DialTimeout: -1, RequestTimeout: -1, MaxRequestBytes: -1, ReconnectInterval: -1,
		Retry: RetryPolicy{MaxAttempts: -1, BaseDelay: -1, MaxDelay: -1}}
	if cfg, _, _ := neg.withDefaults(); fmt.Sprint(cfg) != fmt.Sprint(want) {
		t.Errorf("negative values: %+v, want the defaults", cfg)
	}
	// The smallest valid values are kept; a negative KeepAlive disables pings.
	small := Config{Hosts: []string{"a:1", "b:2"}, PoolSize: 1, MaxInFlight: 1, DialTimeout: 1, RequestTimeout: 1,
		MaxRequestBytes: 1, KeepAlive: -1, ReconnectInterval: 1, Retry: RetryPolicy{MaxAttempts: 1, BaseDelay: 1, MaxDelay: 1}}
	cfg, urls, err = small.withDefaults()
	if err != nil || fmt.Sprint(cfg) != fmt.Sprint(small) || strings.Join(urls, " ") != "ws://a:1/gremlin ws://b:2/gremlin" {
		t.Errorf("small values: %+v %v %v, want them kept", cfg, urls, err)
	}
	// MaxDelay is at least BaseDelay.
	cfg, _, _ = Config{Retry: RetryPolicy{BaseDelay: 10 * time.Second}}.withDefaults()
	if cfg.Retry.MaxDelay != 10*time.Second {
		t.Errorf("MaxDelay = %v, want BaseDelay 10s", cfg.Retry.MaxDelay)
	}
	if _, _, err := (Config{Serializer: 5}).withDefaults(); err == nil || err.Error() != "client: Config.Serializer: unknown Serializer(5)" {
		t.Errorf("unknown serializer: %v", err)
	}
	if _, _, err := (Config{Hosts: []string{"ok:1", "ftp://x"}}).withDefaults(); err == nil || !strings.Contains(err.Error(), "ftp://x") {
		t.Errorf("bad host: %v", err)
	}
	if _, _, err := (Config{Hosts: []string{"h"}, TLS: nil}).withDefaults(); err != nil {
		t.Error(err)
	}
}

func TestHostURLErrors(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"http://h", "ws://h:8182/gremlin", ""},
		{"https://h:1", "wss://h:1/gremlin", ""},
		{"ws://h:1", "ws://h:1/gremlin", ""},
		{"ws://h:1/", "ws://h:1/gremlin", ""},
		{"ws://h:1/x", "ws://h:1/x", ""},
		{"[::1]", "ws://[::1]:8182/gremlin", ""},
		{" h:2 ", "ws://h:2/gremlin", ""},
		{"", "", `client: host "": empty host`},
		{"ftp://h", "", `client: host "ftp://h": scheme "ftp": expected ws:// or wss://`},
		{"ws://", "", `client: host "ws://": no host name`},
		{"ws://h:1/%zz", "", `client: host "ws://h:1/%zz": not a URL: parse "ws://h:1/%zz": invalid URL escape "%zz"`},
		{"h:0", "", `client: host "h:0": port "0": expected a number from 1 to 65535`},
	}
	for _, tt := range tests {
		got, err := hostURL(tt.in, false)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.wantErr {
			t.Errorf("hostURL(%q) = %q, %q; want %q, %q", tt.in, got, gotErr, tt.want, tt.wantErr)
		}
	}
}

func TestRetryDelayEdges(t *testing.T) {
	zero := func(int64) int64 { return 0 }
	top := func(n int64) int64 { return n - 1 }
	tests := []struct {
		p       RetryPolicy
		attempt int
		rnd     func(int64) int64
		want    time.Duration
	}{
		{RetryPolicy{BaseDelay: 1, MaxDelay: 1}, 1, top, 1},      // too small to halve: no jitter
		{RetryPolicy{BaseDelay: 3, MaxDelay: 100}, 1, zero, 1},   // half of 3 is 1
		{RetryPolicy{BaseDelay: 3, MaxDelay: 100}, 1, top, 2},    // 1 + [0, 1]
		{RetryPolicy{BaseDelay: 10, MaxDelay: 100}, 2, top, 20},  // doubled once
		{RetryPolicy{BaseDelay: 10, MaxDelay: 100}, 3, zero, 20}, // doubled twice: 40/2
		{RetryPolicy{BaseDelay: 10, MaxDelay: 40}, 9, top, 40},   // capped
		{RetryPolicy{BaseDelay: 10, MaxDelay: 30}, 3, top, 30},   // capped between doublings
		{RetryPolicy{BaseDelay: time.Second, MaxDelay: time.Hour}, 4, zero, 4 * time.Second},
	}
	for _, tt := range tests {
		if got := tt.p.delay(tt.attempt, tt.rnd); got != tt.want {
			t.Errorf("%+v.delay(%d) = %v, want %v", tt.p, tt.attempt, got, tt.want)
		}
	}
}

func TestRequestIDs(t *testing.T) {
	for range 20 {
		id := newRequestID()
		if id[6]>>4 != 4 || id[8]>>6 != 2 {
			t.Fatalf("request id %s is not a version 4 UUID", id)
		}
		if u, err := gvalue.ParseUUID(id.String()); err != nil || u != id {
			t.Fatalf("request id %s does not round-trip: %v", id, err)
		}
	}
}
