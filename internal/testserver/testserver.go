// Package testserver starts private JanusGraph servers for integration tests
// that would disturb the shared one (drop, kill -9, restart, slow schema
// changes), through scripts/janusgraph.sh on a port of their own.
//
// Ports in use by the test suite (each test package owns its ports, so
// packages may run in parallel): 8184 graph/schema, 8185 cmd/graphperf
// load-bench, 8191-8192 graph/client, 8193-8196 loader, 8197 cmd/graphperf
// query-bench, 8198 bench/queries; 8179 is only asked for its status by the
// janusgraph.sh usage test (no server starts there).
//
// GRAPHPERF_TEST_PORT_OFFSET (an integer, default 0) is added to every port
// passed to [Start], so that two checkouts of the repository can run their
// suites side by side on one machine.
package testserver

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/graphperf/graphperf/internal/testenv"
)

// Backends accepted by [Start].
const (
	InMemory   = "inmemory"
	BerkeleyJE = "berkeleyje"
)

// Root returns the repository root (the directory holding go.mod).
func Root(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("testserver: cannot locate the repository")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Server is a private JanusGraph server started by [Start].
type Server struct {
	tb      testing.TB
	root    string
	Port    int
	Backend string
}

// Hosts returns the server's address for client.Config.Hosts.
func (s *Server) Hosts() []string { return []string{"127.0.0.1:" + strconv.Itoa(s.Port)} }

func (s *Server) script(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(s.root, "scripts", "janusgraph.sh"), args...)
	cmd.Env = append(os.Environ(), "GRAPHPERF_JANUSGRAPH_PORT="+strconv.Itoa(s.Port))
	cmd.Dir = s.root
	return cmd.CombinedOutput()
}

// Start starts a fresh server (its data wiped) on port with backend, and
// stops it when the test ends. Without Java, Maven or the script, the test
// is skipped, or fails when testenv.Required. Tests that take a few
// minutes should not use it under -short.
func Start(tb testing.TB, port int, backend string) *Server {
	tb.Helper()
	if testing.Short() {
		tb.Skip("starts a private JanusGraph server; skipped with -short")
	}
	port += PortOffset()
	s := &Server{tb: tb, root: Root(tb), Port: port, Backend: backend}
	if _, err := os.Stat(filepath.Join(s.root, "scripts", "janusgraph.sh")); err != nil {
		missing(tb, "scripts/janusgraph.sh is missing: "+err.Error())
	}
	for _, bin := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(bin); err != nil {
			missing(tb, bin+" is not installed: cannot start a private JanusGraph")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, _ = s.script(ctx, "stop") // a server left by an aborted run
	if out, err := s.script(ctx, "start", "--backend", backend, "--fresh"); err != nil {
		tb.Fatalf("testserver: starting JanusGraph (%s) on port %d: %v\n%s", backend, port, err, out)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if out, err := s.script(ctx, "stop"); err != nil {
			tb.Logf("testserver: stopping JanusGraph on port %d: %v\n%s", port, err, out)
		}
	})
	return s
}

func missing(tb testing.TB, msg string) {
	tb.Helper()
	if testenv.Required() {
		tb.Fatal("testserver: " + msg)
	}
	tb.Skip("testserver: " + msg)
}

// Kill kills the server with SIGKILL (no shutdown, no flush) and waits
// until its port is closed.
func (s *Server) Kill() {
	s.tb.Helper()
	pidFile := filepath.Join(s.root, ".cache", "janusgraph", "run-"+strconv.Itoa(s.Port), "server.pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		s.tb.Fatalf("testserver: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		s.tb.Fatalf("testserver: pid file %s: %v", pidFile, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		s.tb.Fatalf("testserver: kill -9 %d: %v", pid, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", s.Hosts()[0], 200*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(100 * time.Millisecond)
	}
	s.tb.Fatalf("testserver: port %d still open after kill -9", s.Port)
}

// Restart starts the server again on the same data (no --fresh).
func (s *Server) Restart() {
	s.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := s.script(ctx, "start", "--backend", s.Backend); err != nil {
		s.tb.Fatalf("testserver: restarting JanusGraph on port %d: %v\n%s", s.Port, err, out)
	}
}

// String describes the server.
func (s *Server) String() string {
	return fmt.Sprintf("JanusGraph %s on 127.0.0.1:%d", s.Backend, s.Port)
}

// PortOffset returns GRAPHPERF_TEST_PORT_OFFSET as an integer (0 when unset
// or not a number).
func PortOffset() int {
	n, err := strconv.Atoi(strings.TrimSpace(os.Getenv("GRAPHPERF_TEST_PORT_OFFSET")))
	if err != nil {
		return 0
	}
	return n
}
