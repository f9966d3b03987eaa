package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/graphperf/graphperf/internal/gremlintest"
)

// Ctrl-C while load --drop is dropping leaves the graph partly dropped:
// the message says so and gives the same command, which finishes dropping
// and loads (exit 130).
func TestLoadDropInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	srv := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		if !strings.Contains(req.Script, ".drop()") {
			_ = c.Send(req.ID, true, 500, "unexpected script", nil, nil)
			return
		}
		// The first request of the drop commits 2000 vertices; Ctrl-C
		// arrives during the second, which is never answered.
		first := false
		once.Do(func() { first = true })
		if !first {
			cancel()
			return
		}
		_ = c.Reply(req.ID, 200, []any{int64(2000), int64(0)})
	})
	state := t.TempDir()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"graphperf", "--hosts", srv.Host(), "load", "--scale", "0.01", "--drop", "--yes", "-q", "--state", state}, &out, &errb)
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitInterrupted, errb.String())
	}
	want := "the graph was partly dropped (2000 vertices so far); run the same command again to finish dropping and load:\n    graphperf --hosts " +
		srv.Host() + " load --scale 0.01 --seed 42 --state " + state + " --drop --yes\n"
	if got := errb.String(); !strings.HasSuffix(got, want) || !strings.HasPrefix(got, "graphperf: interrupted: loader: dropping the graph: ") {
		t.Errorf("stderr %q, want it to end with %q", got, want)
	}
}
