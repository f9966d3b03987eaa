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

// Every command's failure paths print a reason: whenever the exit code is
// not zero, stderr holds a "graphperf: ..." line saying why. The faults:
// no server, a server failing every request, a server tearing every
// connection, and Ctrl-C before the command starts.
func TestEveryFailureSaysWhy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command against failing servers")
	}
	failing := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		_ = c.Send(req.ID, true, 500, "injected failure", nil, nil)
	})
	tearing := gremlintest.NewServer(t, func(c *gremlintest.Conn, _ *gremlintest.Request) { _ = c.Tear() })
	faults := []struct {
		name   string
		hosts  string
		cancel bool
	}{
		{"no server", "127.0.0.1:1", false},
		{"server fails", failing.Host(), false},
		{"connection torn", tearing.Host(), false},
		{"interrupted", "127.0.0.1:1", true},
	}
	small := []string{"--scale", "0.002", "--seed", "5"}
	commands := []struct {
		name   string
		args   func(dir string) []string
		server bool // the command needs the server: every fault fails it
	}{
		{"ping", func(string) []string { return []string{"ping"} }, true},
		{"gremlin", func(string) []string { return []string{"gremlin", "g.V().count()"} }, true},
		{"schema apply", func(string) []string { return []string{"schema", "apply"} }, true},
		{"schema show --check", func(string) []string { return []string{"schema", "show", "--check"} }, true},
		{"load", func(dir string) []string { return append([]string{"load", "-q", "--state", dir}, small...) }, true},
		{"load --drop", func(dir string) []string {
			return append([]string{"load", "-q", "--drop", "--yes", "--batch-size", "100", "--state", dir}, small...)
		}, true},
		{"load-bench", func(dir string) []string {
			return append([]string{"load-bench", "--yes", "--rounds", "1", "--baseline-dir", dir}, small...)
		}, true},
		{"query-bench", func(dir string) []string {
			return append([]string{"query-bench", "-q", "--baseline-dir", dir}, qbDataset...)
		}, true},
		{"generate", func(dir string) []string { return append([]string{"generate", "--out", dir + "/data"}, small...) }, false},
	}
	for _, cmd := range commands {
		for _, f := range faults {
			if !cmd.server && !f.cancel {
				continue
			}
			t.Run(cmd.name+"/"+f.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if f.cancel {
					cancel()
				}
				args := append([]string{"graphperf", "--hosts", f.hosts, "--timeout", "5s"}, cmd.args(t.TempDir())...)
				var out, errb bytes.Buffer
				code := run(ctx, args, &out, &errb)
				if code == exitOK {
					if cmd.server {
						t.Fatalf("exit 0 against a failing server; stdout %q", out.String())
					}
					return
				}
				first, _, _ := strings.Cut(errb.String(), "\n")
				if !strings.HasPrefix(first, "graphperf: ") || len(strings.TrimSpace(strings.TrimPrefix(first, "graphperf: "))) == 0 {
					t.Errorf("exit %d with no reason on stderr: %q (stdout %q)", code, errb.String(), out.String())
				}
				if f.cancel && code != exitInterrupted {
					t.Errorf("interrupted: exit %d, want %d; stderr %q", code, exitInterrupted, errb.String())
				}
			})
		}
	}
}
