package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphperf/graphperf/internal/gremlintest"
)

func newTestClient(t *testing.T, fs *gremlintest.Server, cfg Config) *Client {
	t.Helper()
	cfg.Hosts = []string{fs.Host()}
	if cfg.Retry.BaseDelay == 0 {
		cfg.Retry.BaseDelay = time.Millisecond
	}
	if cfg.reconnect.after == nil {
		// No background reconnect: these tests count the connections
		// their requests open.
		cfg.reconnect.after = func(time.Duration) <-chan time.Time { return nil }
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestPartialFramesAssembledInOrder(t *testing.T) {
	forSerializers(t, testPartialFramesAssembledInOrder)
}

func testPartialFramesAssembledInOrder(t *testing.T, ser Serializer) {
	// Each request gets its answer in several 206 frames then a 200, sent
	// from concurrent goroutines so that the frames of different requests
	// interleave on the connection.
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		base := int(req.Bindings["x"].(int64))
		go func() {
			for i := 0; i < 300; i += 64 {
				code := 206
				if i+64 >= 300 {
					code = 200
				}
				fc.SendGraphSON(req.ID, code, "", list(int64s(base+i, base+min(i+64, 300))...))
				time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
			}
		}()
	})
	c := newTestClient(t, fs, Config{Serializer: ser, PoolSize: 1})
	var wg sync.WaitGroup
	for r := range 8 {
		wg.Go(func() {
			base := r * 1000
			res, err := c.Submit(context.Background(), "g.V()", map[string]any{"x": base})
			if err != nil {
				t.Errorf("request %d: %v", r, err)
				return
			}
			if len(res) != 300 {
				t.Errorf("request %d: %d results, want 300", r, len(res))
				return
			}
			for i, v := range res {
				if v != int64(base+i) {
					t.Errorf("request %d: result %d = %v, want %d", r, i, v, base+i)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := fs.Conns(); n != 1 {
		t.Errorf("server saw %d connections, want 1 (pipelined)", n)
	}
}

func TestTornConnectionThenRecovery(t *testing.T) { forSerializers(t, testTornConnectionThenRecovery) }

func testTornConnectionThenRecovery(t *testing.T, ser Serializer) {
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		if req.Script == "torn" {
			fc.SendGraphSON(req.ID, 206, "", list(int64s(0, 64)...))
			fc.Tear() // mid-response
			return
		}
		echo(fc, req)
	})
	c := newTestClient(t, fs, Config{Serializer: ser, PoolSize: 1})
	_, err := c.Submit(context.Background(), "torn", nil)
	var ce *ConnError
	if !errors.As(err, &ce) || !ce.Sent || ce.URL != "ws://"+fs.Host()+"/gremlin" {
		t.Fatalf("torn response: got %v, want *ConnError with Sent and the URL", err)
	}
	if n := fs.Requests(); n != 1 {
		t.Errorf("non-idempotent request sent %d times after a torn connection, want 1", n)
	}
	res, err := c.Submit(context.Background(), "again", map[string]any{"x": "ok"})
	if err != nil || len(res) != 1 || res[0] != "ok" {
		t.Fatalf("after reconnect: %v %v, want [ok]", res, err)
	}
	if n := fs.Conns(); n != 2 {
		t.Errorf("connections = %d, want 2 (one redial)", n)
	}
}

func TestIdempotentRetriedAfterTornConnection(t *testing.T) {
	var torn atomic.Bool
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		if torn.CompareAndSwap(false, true) {
			fc.Tear()
			return
		}
		echo(fc, req)
	})
	c := newTestClient(t, fs, Config{PoolSize: 1})
	res, err := c.Do(context.Background(), &Request{Script: "read", Bindings: map[string]any{"x": int64(7)}, Idempotent: true})
	if err != nil || !reflect.DeepEqual(res, Result{int64(7)}) {
		t.Fatalf("idempotent request: %v %v, want [7] after a retry", res, err)
	}
	if n := fs.Requests(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestStalledServerDeadline(t *testing.T) { forSerializers(t, testStalledServerDeadline) }

func testStalledServerDeadline(t *testing.T, ser Serializer) {
	release := make(chan struct{})
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		if req.Script == "stall" {
			go func() { // answer late, after the client gave up
				<-release
				fc.SendGraphSON(req.ID, 200, "", list(`"late"`))
			}()
			return
		}
		echo(fc, req)
	})
	c := newTestClient(t, fs, Config{Serializer: ser, PoolSize: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Submit(ctx, "stall", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("stalled request: %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("deadline error after %v, want promptly after 100ms", took)
	}
	close(release)
	res, err := c.Submit(context.Background(), "next", map[string]any{"x": "fresh"})
	if err != nil || !reflect.DeepEqual(res, []any{"fresh"}) {
		t.Fatalf("after the late answer: %v %v, want [fresh]", res, err)
	}
	if n := fs.Conns(); n != 1 {
		t.Errorf("connections = %d, want 1 (the late answer must not break it)", n)
	}
}

func TestRequestTimeoutAppliesWithoutDeadline(t *testing.T) {
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {})
	c := newTestClient(t, fs, Config{RequestTimeout: 50 * time.Millisecond})
	_, err := c.Submit(context.Background(), "stall", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error from Config.RequestTimeout", err)
	}
}

func TestMalformedFramesAndUnknownTypes(t *testing.T) {
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		switch req.Script {
		case "unknown":
			fc.WriteFrame([]byte("this is not json{"))
			fc.WriteFrame([]byte(`{"requestId":"00000000-0000-4000-8000-000000000000","status":{"code":200},"result":{"data":null}}`))
			fc.WriteFrame([]byte(`{"requestId":` + fmt.Sprintf("%q", req.ID.String()) + `,"status":{"code":200,`)) // truncated
			fc.SendGraphSON(req.ID, 200, "", list(`{"@type":"acme:Widget","@value":{"x":[1,2]}}`))
		case "badvalue":
			fc.SendGraphSON(req.ID, 200, "", list(`{"@type":"g:Int64","@value":"abc"}`))
		default:
			echo(fc, req)
		}
	})
	c := newTestClient(t, fs, Config{PoolSize: 1})
	tests := []struct {
		script  string
		want    []any
		wantErr bool
	}{
		{"unknown", []any{Raw{Type: "acme:Widget", Value: []byte(`{"x":[1,2]}`)}}, true},
		{"badvalue", nil, true},
		{"echo", []any{int32(1)}, false},
	}
	for _, tt := range tests {
		res, err := c.Submit(context.Background(), tt.script, nil)
		switch tt.script {
		case "unknown":
			// The truncated frame has a readable id: that request fails
			// with a decode error; the next frame for it is dropped.
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("%s: %v, want *DecodeError", tt.script, err)
			}
		case "badvalue":
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), "64-bit integer") {
				t.Errorf("%s: %v, want *DecodeError naming the bad integer", tt.script, err)
			}
		default:
			if err != nil || !reflect.DeepEqual(res, tt.want) {
				t.Errorf("%s: %#v %v, want %#v", tt.script, res, err, tt.want)
			}
		}
	}
	// Unknown types alone decode to Raw and keep the connection.
	fs.SetHandler(func(fc *gremlintest.Conn, req *gremlintest.Request) {
		fc.WriteFrame([]byte("garbage"))
		fc.SendGraphSON(req.ID, 200, "", list(`{"@type":"acme:Widget","@value":{"x":[1,2]}}`, `{"@type":"g:Int32","@value":5}`))
	})
	res, err := c.Submit(context.Background(), "raw", nil)
	want := []any{Raw{Type: "acme:Widget", Value: []byte(`{"x":[1,2]}`)}, int32(5)}
	if err != nil || !reflect.DeepEqual(res, want) {
		t.Errorf("unknown type: %#v %v, want %#v", res, err, want)
	}
	if n := fs.Conns(); n != 1 {
		t.Errorf("connections = %d, want 1 (bad frames must not break it)", n)
	}
}

func TestStatusRetries(t *testing.T) { forSerializers(t, testStatusRetries) }

func testStatusRetries(t *testing.T, ser Serializer) {
	tests := []struct {
		name         string
		code         int // status of the first `failures` attempts
		failures     int
		idempotent   bool
		maxAttempts  int
		wantAttempts int
		wantErr      error
	}{
		{name: "429 retried with backoff", code: 429, failures: 2, wantAttempts: 3},
		{name: "429 until attempts exhausted", code: 429, failures: 10, maxAttempts: 3, wantAttempts: 3, wantErr: ErrTooManyRequests},
		{name: "598 not retried by default", code: 598, failures: 1, wantAttempts: 1, wantErr: ErrServerTimeout},
		{name: "598 retried when idempotent", code: 598, failures: 1, idempotent: true, wantAttempts: 2},
		{name: "597 never retried", code: 597, failures: 1, idempotent: true, wantAttempts: 1, wantErr: ErrScript},
		{name: "500 never retried", code: 500, failures: 1, wantAttempts: 1, wantErr: ErrServer},
		{name: "499 never retried", code: 499, failures: 1, wantAttempts: 1, wantErr: ErrMalformedRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
				if int(n.Add(1)) <= tt.failures {
					fc.SendGraphSON(req.ID, tt.code, fmt.Sprintf("failure %d", n.Load()), "null")
					return
				}
				echo(fc, req)
			})
			var stats RequestStats
			c := newTestClient(t, fs, Config{Serializer: ser,
				Retry:     RetryPolicy{MaxAttempts: tt.maxAttempts, BaseDelay: 2 * time.Millisecond},
				OnRequest: func(s RequestStats) { stats = s },
			})
			start := time.Now()
			res, err := c.Do(context.Background(), &Request{Script: "q", Idempotent: tt.idempotent})
			if tt.wantErr == nil && (err != nil || !reflect.DeepEqual(res, Result{int32(1)})) {
				t.Fatalf("got %v %v, want [1]", res, err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if got := int(n.Load()); got != tt.wantAttempts || stats.Attempts != tt.wantAttempts {
				t.Errorf("server saw %d attempts, stats %d, want %d", got, stats.Attempts, tt.wantAttempts)
			}
			// Equal jitter: each backoff is at least half the exponential delay.
			minBackoff := time.Duration(0)
			for i := 1; i < tt.wantAttempts; i++ {
				minBackoff += (2 * time.Millisecond << (i - 1)) / 2
			}
			if took := time.Since(start); took < minBackoff {
				t.Errorf("took %v, want at least %v of backoff", took, minBackoff)
			}
			if !errors.Is(stats.Err, tt.wantErr) || stats.Err != err {
				t.Errorf("stats.Err = %v, want the returned error %v", stats.Err, err)
			}
		})
	}
}

func TestScriptErrorTyped(t *testing.T) { forSerializers(t, testScriptErrorTyped) }

func testScriptErrorTyped(t *testing.T, ser Serializer) {
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		fc.Send(req.ID, true, 597, "No such property: nope for class: Script1", map[any]any{
			"exceptions": []any{"groovy.lang.MissingPropertyException"},
			"stackTrace": "groovy.lang.MissingPropertyException: No such property: nope"}, nil)
	})
	c := newTestClient(t, fs, Config{Serializer: ser})
	_, err := c.Submit(context.Background(), "nope", nil)
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want *StatusError", err)
	}
	if se.Code != 597 || se.Message != "No such property: nope for class: Script1" ||
		se.Exception != "groovy.lang.MissingPropertyException" || se.Retryable() {
		t.Errorf("StatusError = %+v", se)
	}
	if !errors.Is(err, ErrScript) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("errors.Is mismatch for %v", err)
	}
	for _, want := range []string{"597", "No such property: nope", "MissingPropertyException"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if st, _ := se.Attributes["stackTrace"].(string); !strings.Contains(st, "nope") {
		t.Errorf("attributes = %v, want the stackTrace", se.Attributes)
	}
}

func TestRequestTooLargeRefusedBeforeSending(t *testing.T) {
	forSerializers(t, testRequestTooLargeRefusedBeforeSending)
}

func testRequestTooLargeRefusedBeforeSending(t *testing.T, ser Serializer) {
	fs := gremlintest.NewServer(t, echo)
	var stats RequestStats
	c := newTestClient(t, fs, Config{Serializer: ser, MaxRequestBytes: 4096, OnRequest: func(s RequestStats) { stats = s }})
	_, err := c.Submit(context.Background(), "x", map[string]any{"x": strings.Repeat("a", 5000)})
	var tl *RequestTooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("got %v, want *RequestTooLargeError", err)
	}
	if tl.Max != 4096 || tl.Size <= 5000 || tl.Size > 5300 {
		t.Errorf("sizes = %d/%d, want ~5200/4096", tl.Size, tl.Max)
	}
	for _, want := range []string{fmt.Sprint(tl.Size), "4096"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if n := fs.Requests(); n != 0 {
		t.Errorf("server received %d requests, want 0", n)
	}
	if stats.Attempts != 0 || stats.RequestBytes != tl.Size {
		t.Errorf("stats = %+v, want 0 attempts and the request size", stats)
	}
	// Just under the limit is one unfragmented frame the server accepts.
	big := strings.Repeat("b", 4096-300)
	res, err := c.Submit(context.Background(), "x", map[string]any{"x": big})
	if err != nil || len(res) != 1 || res[0] != big {
		t.Errorf("request under the limit failed: %v", err)
	}
}

func TestBindingErrorNamesBinding(t *testing.T) {
	fs := gremlintest.NewServer(t, echo)
	c := newTestClient(t, fs, Config{})
	_, err := c.Submit(context.Background(), "x", map[string]any{"bad": make(chan int)})
	var be *BindingError
	if !errors.As(err, &be) || be.Name != "bad" || !strings.Contains(err.Error(), "chan int") {
		t.Fatalf("got %v, want *BindingError naming bad and chan int", err)
	}
}

func TestNoGoroutineLeftAfterClose(t *testing.T) {
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		if req.Script == "stall" {
			return
		}
		echo(fc, req)
	})
	before := runtime.NumGoroutine()
	c, err := New(context.Background(), Config{Hosts: []string{fs.Host()}, PoolSize: 3, KeepAlive: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() { c.Submit(context.Background(), "q", map[string]any{"x": i}) })
	}
	wg.Wait()
	stalled := make(chan error, 1)
	go func() {
		_, err := c.Submit(context.Background(), "stall", nil)
		stalled <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-stalled; !errors.Is(err, ErrClosed) {
		t.Errorf("pending request after Close: %v, want ErrClosed", err)
	}
	if _, err := c.Submit(context.Background(), "q", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Submit after Close: %v, want ErrClosed", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

func TestConcurrentSubmitsMatchedToTheirRequests(t *testing.T) {
	forSerializers(t, testConcurrentSubmitsMatchedToTheirRequests)
}

func testConcurrentSubmitsMatchedToTheirRequests(t *testing.T, ser Serializer) {
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		go func() { // answer out of order
			time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
			echo(fc, req)
		}()
	})
	c := newTestClient(t, fs, Config{Serializer: ser, PoolSize: 4, MaxInFlight: 16})
	var wg sync.WaitGroup
	var bad atomic.Int32
	for i := range 1000 {
		wg.Go(func() {
			want := fmt.Sprintf("request-%d", i)
			res, err := c.Submit(context.Background(), "x", map[string]any{"x": want})
			if err != nil || len(res) != 1 || res[0] != want {
				bad.Add(1)
				t.Errorf("request %d: %v %v", i, res, err)
			}
		})
	}
	wg.Wait()
	if bad.Load() == 0 && fs.Requests() != 1000 {
		t.Errorf("server saw %d requests, want 1000", fs.Requests())
	}
	if n := fs.Conns(); n > 4 {
		t.Errorf("connections = %d, want at most the pool size 4", n)
	}
}

func TestAuthentication(t *testing.T) { forSerializers(t, testAuthentication) }

func testAuthentication(t *testing.T, ser Serializer) {
	tests := []struct {
		name, user, password string
		wantErr              error
	}{
		{"right password", "graphperf", "graphperf-secret", nil},
		{"wrong password", "graphperf", "wrong", ErrUnauthorized},
		{"no credentials", "", "", ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := gremlintest.NewServerWith(t, gremlintest.Options{Username: "graphperf", Password: "graphperf-secret"}, echo)
			c, err := New(context.Background(), Config{Serializer: ser, Hosts: []string{fs.Host()}, Username: tt.user, Password: tt.password})
			if err == nil {
				defer c.Close()
				_, err = c.Submit(context.Background(), "x", map[string]any{"x": 1})
			}
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil && !strings.Contains(err.Error(), "40") {
				t.Errorf("error %q does not name the status", err)
			}
			if tt.password == "wrong" && !strings.Contains(err.Error(), "incorrect") {
				t.Errorf("error %q lacks the server's message", err)
			}
		})
	}
}

func TestKeepAlive(t *testing.T) {
	t.Run("pings", func(t *testing.T) {
		fs := gremlintest.NewServer(t, echo)
		newTestClient(t, fs, Config{PoolSize: 1, KeepAlive: 10 * time.Millisecond})
		deadline := time.Now().Add(5 * time.Second)
		for fs.Pings() < 3 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if n := fs.Pings(); n < 3 {
			t.Errorf("server saw %d pings, want ≥3", n)
		}
	})
	t.Run("dead connection detected", func(t *testing.T) {
		fs := gremlintest.NewServerWith(t, gremlintest.Options{IgnorePings: true},
			func(fc *gremlintest.Conn, req *gremlintest.Request) {}) // never answers
		c := newTestClient(t, fs, Config{PoolSize: 1, KeepAlive: 10 * time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := c.Submit(ctx, "q", nil)
		var ce *ConnError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "keepalive") {
			t.Fatalf("got %v, want a keepalive *ConnError well before the 10s deadline", err)
		}
	})
}

func TestUnreachableHost(t *testing.T) {
	start := time.Now()
	_, err := New(context.Background(), Config{Hosts: []string{"127.0.0.1:1"}, DialTimeout: 2 * time.Second})
	var ce *ConnError
	if !errors.As(err, &ce) || ce.Op != "dial" || ce.URL != "ws://127.0.0.1:1/gremlin" {
		t.Fatalf("got %v, want a dial *ConnError naming ws://127.0.0.1:1/gremlin", err)
	}
	if !strings.Contains(err.Error(), "ws://127.0.0.1:1/gremlin") || !strings.Contains(err.Error(), "refused") {
		t.Errorf("error %q must name the URL and the cause", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("took %v, want within the dial timeout", time.Since(start))
	}
}

func TestSecondHostUsedWhenFirstIsDown(t *testing.T) {
	fs := gremlintest.NewServer(t, echo)
	c, err := New(context.Background(), Config{Hosts: []string{"127.0.0.1:1", fs.Host()}, PoolSize: 2,
		Retry: RetryPolicy{BaseDelay: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 20 {
		if _, err := c.Submit(context.Background(), "x", map[string]any{"x": i}); err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
	}
}

func TestHostURL(t *testing.T) {
	tests := []struct {
		in      string
		tls     bool
		want    string
		wantErr bool
	}{
		{"127.0.0.1:8182", false, "ws://127.0.0.1:8182/gremlin", false},
		{"db.example", false, "ws://db.example:8182/gremlin", false},
		{"db.example:9000", true, "wss://db.example:9000/gremlin", false},
		{"[::1]:8182", false, "ws://[::1]:8182/gremlin", false},
		{"ws://h:1/gremlin", false, "ws://h:1/gremlin", false},
		{"wss://h", false, "wss://h:8182/gremlin", false},
		{"https://h:443/custom", false, "wss://h:443/custom", false},
		{"::1", false, "ws://[::1]:8182/gremlin", false},
		{"ftp://h", false, "", true},
		{" ", false, "", true},
		{"h:0", false, "", true},
		{"h:65536", false, "", true},
		{"h:http", false, "", true},
		{":8182", false, "", true},
		{"ws://h:99999", false, "", true},
		{"ws://:1", false, "", true},
	}
	for _, tt := range tests {
		got, err := hostURL(tt.in, tt.tls)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("hostURL(%q, %v) = %q, %v; want %q, err %v", tt.in, tt.tls, got, err, tt.want, tt.wantErr)
		}
		var he *HostError
		if err != nil && (!errors.As(err, &he) || he.Host != tt.in) {
			t.Errorf("hostURL(%q) error %v, want a *HostError naming the host", tt.in, err)
		}
	}
	// New refuses a bad host before dialing, with the typed error.
	_, err := New(context.Background(), Config{Hosts: []string{"127.0.0.1:1", "h:70000"}})
	var he *HostError
	if !errors.As(err, &he) || he.Host != "h:70000" {
		t.Errorf("New with a bad port: %v, want a *HostError", err)
	}
	if err := (Config{Hosts: []string{"h:0"}}).Validate(); !errors.As(err, &he) {
		t.Errorf("Validate with port 0: %v, want a *HostError", err)
	}
}

func TestRetryDelay(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	tests := []struct {
		attempt  int
		lo, hi   time.Duration
		rnd      func(int64) int64
		describe string
	}{
		{1, 50 * time.Millisecond, 50 * time.Millisecond, func(int64) int64 { return 0 }, "min jitter"},
		{1, 100 * time.Millisecond, 100 * time.Millisecond, func(n int64) int64 { return n - 1 }, "max jitter"},
		{3, 200 * time.Millisecond, 400 * time.Millisecond, rand.Int64N, "doubles"},
		{10, 500 * time.Millisecond, time.Second, rand.Int64N, "capped"},
	}
	for _, tt := range tests {
		if d := p.delay(tt.attempt, tt.rnd); d < tt.lo || d > tt.hi {
			t.Errorf("%s: delay(%d) = %v, want in [%v, %v]", tt.describe, tt.attempt, d, tt.lo, tt.hi)
		}
	}
}

func TestExpiredContextDoesNotHurtSharedConnection(t *testing.T) {
	release := make(chan struct{})
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		if req.Script == "slow" {
			go func() { <-release; echo(fc, req) }()
			return
		}
		echo(fc, req)
	})
	c := newTestClient(t, fs, Config{PoolSize: 1})
	other := make(chan error, 1)
	go func() {
		_, err := c.Submit(context.Background(), "slow", map[string]any{"x": 1})
		other <- err
	}()
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := c.Submit(ctx, "q", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("expired context: %v, want DeadlineExceeded", err)
	}
	close(release)
	if err := <-other; err != nil {
		t.Errorf("another request on the same connection failed: %v", err)
	}
	if n := fs.Conns(); n != 1 {
		t.Errorf("connections = %d, want 1", n)
	}
}
