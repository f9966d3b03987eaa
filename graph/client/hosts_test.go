package client

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/graphperf/graphperf/internal/gremlintest"
)

// manualClock drives a client's background reconnects: each wait of the
// reconnect loop is handed to the test, which fires it explicitly.
type manualClock struct {
	waits  chan chan time.Time
	dialed chan error
}

func newManualClock() *manualClock {
	return &manualClock{waits: make(chan chan time.Time, 16), dialed: make(chan error, 16)}
}

func (m *manualClock) hooks() reconnectHooks {
	return reconnectHooks{
		after: func(time.Duration) <-chan time.Time {
			ch := make(chan time.Time, 1)
			m.waits <- ch
			return ch
		},
		dialed: func(_ string, err error) { m.dialed <- err },
	}
}

// wait returns the next pending reconnect wait.
func (m *manualClock) wait(t *testing.T) chan time.Time {
	t.Helper()
	return receive(t, m.waits, "no reconnect was scheduled")
}

// fire lets the pending reconnect dial and returns the dial's error.
func (m *manualClock) fire(t *testing.T) error {
	t.Helper()
	m.wait(t) <- time.Now()
	return receive(t, m.dialed, "the reconnect did not dial")
}

// receive returns the next value of ch, failing the test with what when
// none comes within a minute (a hang guard, not a timing assumption).
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute): //graphperf:nomutate a hang guard, not a timing assumption
		t.Fatal(what)
		var zero T
		return zero
	}
}

func twoHostClient(t *testing.T, a, b string, clock *manualClock) *Client {
	t.Helper()
	c, err := New(context.Background(), Config{Hosts: []string{a, b}, PoolSize: 1,
		Retry: RetryPolicy{BaseDelay: time.Millisecond}, reconnect: clock.hooks()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func statsOf(c *Client, hostPort string) HostStats {
	for _, s := range c.Stats() {
		if s.Host == "ws://"+hostPort+"/gremlin" {
			return s
		}
	}
	return HostStats{}
}

// A connection lost mid-request marks its host unavailable: an idempotent
// request is retried on the other host, a non-idempotent one fails (it may
// have run) and is not sent again; later requests avoid the host until a
// background reconnect reaches it.
func TestHostMarkedDownOnLostConnection(t *testing.T) {
	tests := []struct {
		name       string
		idempotent bool
		wantErr    bool
	}{
		{"idempotent request retried on the other host", true, false},
		{"non-idempotent request not resent", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dying := gremlintest.NewServer(t, func(fc *gremlintest.Conn, _ *gremlintest.Request) { fc.Tear() })
			healthy := gremlintest.NewServer(t, echo)
			clock := newManualClock()
			c := twoHostClient(t, dying.Host(), healthy.Host(), clock)

			// Round-robin reaches the dying host within a few requests.
			var failed []error
			ok := 0
			for i := 0; i < 10 && dying.Requests() == 0; i++ {
				res, err := c.Do(context.Background(), &Request{Script: "x", Bindings: map[string]any{"x": int64(i)}, Idempotent: tt.idempotent})
				if err != nil {
					failed = append(failed, err)
					continue
				}
				if !reflect.DeepEqual(res, Result{int64(i)}) {
					t.Fatalf("request %d answered %v", i, res)
				}
				ok++
			}
			if dying.Requests() != 1 {
				t.Fatalf("the dying host got %d requests, want 1", dying.Requests())
			}
			if tt.wantErr {
				var ce *ConnError
				if len(failed) != 1 || !errors.As(failed[0], &ce) || !ce.Sent {
					t.Fatalf("errors %v, want one *ConnError with Sent", failed)
				}
				if healthy.Requests() != ok {
					t.Errorf("the healthy host got %d requests for %d answered ones: the failed request was resent", healthy.Requests(), ok)
				}
			} else if len(failed) != 0 {
				t.Fatalf("idempotent requests failed: %v", failed)
			}
			st := statsOf(c, dying.Host())
			if st.Available || st.MarkedDown != 1 || st.Requests != 1 || st.Errors != 1 {
				t.Errorf("dying host stats %+v, want unavailable, marked down once, 1 request, 1 error", st)
			}

			// Unavailable: no request goes there.
			for i := range 10 {
				if _, err := c.Do(context.Background(), &Request{Script: "x", Bindings: map[string]any{"x": int64(i)}}); err != nil {
					t.Fatalf("request %d with one host down: %v", i, err)
				}
			}
			if n := dying.Requests(); n != 1 {
				t.Errorf("the unavailable host got %d requests, want still 1", n)
			}

			// The background reconnect brings it back.
			dying.SetHandler(echo)
			if err := clock.fire(t); err != nil {
				t.Fatalf("reconnect: %v", err)
			}
			if !statsOf(c, dying.Host()).Available {
				t.Fatal("host still unavailable after a successful reconnect")
			}
			for i := 0; i < 10 && dying.Requests() == 1; i++ {
				if _, err := c.Do(context.Background(), &Request{Script: "x", Bindings: map[string]any{"x": int64(i)}}); err != nil {
					t.Fatalf("request %d after the reconnect: %v", i, err)
				}
			}
			if dying.Requests() == 1 {
				t.Error("no request went to the host after it came back")
			}
			var total int64
			for _, s := range c.Stats() {
				total += s.Requests
			}
			if want := int64(dying.Requests() + healthy.Requests()); total != want {
				t.Errorf("Stats count %d requests, the servers saw %d", total, want)
			}
		})
	}
}

// A host that refuses connections is skipped, and its background
// reconnect keeps trying while it stays unreachable.
func TestUnreachableHostSkippedAndRedialed(t *testing.T) {
	gone := gremlintest.NewServer(t, echo)
	goneHost := gone.Host()
	gone.Close()
	healthy := gremlintest.NewServer(t, echo)
	clock := newManualClock()
	c := twoHostClient(t, goneHost, healthy.Host(), clock)
	for i := range 10 {
		if _, err := c.Submit(context.Background(), "x", map[string]any{"x": i}); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	st := statsOf(c, goneHost)
	if st.Available || st.Requests != 0 || st.MarkedDown != 1 {
		t.Errorf("unreachable host stats %+v, want unavailable, no request, marked down once", st)
	}
	if hs := statsOf(c, healthy.Host()); hs.Requests != 10 || hs.Served() != 10 || !hs.Available {
		t.Errorf("healthy host stats %+v, want 10 requests served", hs)
	}
	for range 2 {
		var ce *ConnError
		if err := clock.fire(t); !errors.As(err, &ce) || ce.Op != "dial" {
			t.Fatalf("reconnect to a closed server: %v, want a dial *ConnError", err)
		}
	}
	clock.wait(t) // and it keeps trying
	if st := statsOf(c, goneHost); st.Available || st.MarkedDown != 1 {
		t.Errorf("after failed reconnects: %+v, want unavailable, marked down once", st)
	}
}
