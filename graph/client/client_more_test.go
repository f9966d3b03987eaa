package client

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/internal/gremlintest"
)

// TestLargeResponsesRead sends responses larger than the read buffer and
// than the size beyond which it is not kept, on one connection.
func TestLargeResponsesRead(t *testing.T) {
	fs := gremlintest.NewServer(t, echo)
	c := newTestClient(t, fs, Config{PoolSize: 1})
	for _, n := range []int{10, 20 << 10, 1<<20 + 10, 100} {
		want := strings.Repeat("x", n)
		res, err := c.Submit(context.Background(), "x", map[string]any{"x": want})
		if err != nil || len(res) != 1 || res[0] != want {
			t.Fatalf("response of %d bytes: %v", n, err)
		}
	}
	if got := c.Hosts(); len(got) != 1 || got[0] != "ws://"+fs.Host()+"/gremlin" {
		t.Errorf("Hosts() = %v", got)
	}
}

// TestNoHostReachable: New fails with every host's error when none can be
// reached, and with the single error when there is one host.
func TestNoHostReachable(t *testing.T) {
	_, err := New(context.Background(), Config{Hosts: []string{"127.0.0.1:1", "127.0.0.1:2"}})
	var ce *ConnError
	if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "client: no Gremlin Server reachable: ") ||
		!strings.Contains(err.Error(), "127.0.0.1:1") || !strings.Contains(err.Error(), "127.0.0.1:2") {
		t.Errorf("two hosts down: %v", err)
	}
	_, err = New(context.Background(), Config{Hosts: []string{"127.0.0.1:1"}})
	if !errors.As(err, &ce) || strings.Contains(err.Error(), "no Gremlin Server reachable") {
		t.Errorf("one host down: %v, want its *ConnError alone", err)
	}
}
