// Package testserver starts private JanusGraph servers for integration tests
// that would disturb the shared one (drop, kill -9, restart, slow schema
// changes), through scripts/janusgraph.sh on a port of their own.
//
// Ports in use by the test suite (each test package owns its ports, so
// packages may run in parallel): 8184 graph/schema, 8185 cmd/graphperf
// load-bench, 8186-8187 bench/loadbench (in-memory, BerkeleyJE), 8188
// results/web, 8191-8192 graph/client, 8193-8195 loader, 8196
// cmd/graphperf load, 8197 cmd/graphperf query-bench, 8198 bench/queries,
// 8199 internal/cqltest (CQL), 8201-8203 internal/cqltest (clusters, build
// tag cluster: a 2-node ring under 8201-8202, a 3-node ring under 8203),
// 8204 bench/querybench, 8211 bench/workload/finbench/oracle; 8179 is only
// asked for its status by the janusgraph.sh
// usage test (no server starts there).
//
// A [CQL] server on port P also runs Apache Cassandra: CQL native transport
// on P+1000 and inter-node storage on P+2000 (8199 -> 9199, 10199), node i
// of a [StartCluster] ring on 127.0.0.i with the ports of the cluster's
// first server. JMX is off.
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
	// CQL is JanusGraph's CQL backend on a private single-node Apache
	// Cassandra that the server's port owns (see the package doc for its ports).
	CQL = "cql"
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
	checkTools(tb, s.root)
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout(backend))
	defer cancel()
	_, _ = s.script(ctx, "stop") // a server left by an aborted run
	// Registered before the start: a start cut short by the timeout leaves
	// a JVM behind that must not outlive the test.
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if out, err := s.script(ctx, "stop"); err != nil {
			tb.Logf("testserver: stopping JanusGraph on port %d: %v\n%s", port, err, out)
		}
	})
	if out, err := s.script(ctx, "start", "--backend", backend, "--fresh"); err != nil {
		tb.Fatalf("testserver: starting JanusGraph (%s) on port %d: %v\n%s", backend, port, err, out)
	}
	return s
}

// startTimeout bounds a start: a CQL server starts Cassandra first, which on
// a loaded 2-core machine takes minutes.
func startTimeout(backend string) time.Duration {
	if backend == CQL {
		return 12 * time.Minute
	}
	return 5 * time.Minute
}

func checkTools(tb testing.TB, root string) {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(root, "scripts", "janusgraph.sh")); err != nil {
		missing(tb, "scripts/janusgraph.sh is missing: "+err.Error())
	}
	for _, bin := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(bin); err != nil {
			missing(tb, bin+" is not installed: cannot start a private JanusGraph")
		}
	}
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
	killPidFile(s.tb, filepath.Join(s.root, ".cache", "janusgraph", "run-"+strconv.Itoa(s.Port), "server.pid"), s.Hosts()[0])
}

// killPidFile sends SIGKILL to the process in pidFile and waits until addr
// refuses connections.
func killPidFile(tb testing.TB, pidFile, addr string) {
	tb.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		tb.Fatalf("testserver: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		tb.Fatalf("testserver: pid file %s: %v", pidFile, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		tb.Fatalf("testserver: kill -9 %d: %v", pid, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("testserver: %s still open after kill -9 of pid %d", addr, pid)
}

// CassandraAddr returns the CQL address (host:port) of the server's first
// Cassandra node; it is meaningful for the [CQL] backend only.
func (s *Server) CassandraAddr() string {
	return "127.0.0.1:" + strconv.Itoa(s.Port+1000)
}

// StopCassandra stops the server's Cassandra node(s) cleanly (SIGTERM)
// and leaves JanusGraph running, as an operator's restart or an outage of
// the storage would.
func (s *Server) StopCassandra() {
	s.tb.Helper()
	s.cassandra("stop")
}

// StartCassandra starts the server's Cassandra node(s) again on their data
// and waits until they answer CQL clients.
func (s *Server) StartCassandra() {
	s.tb.Helper()
	s.cassandra("start")
}

func (s *Server) cassandra(verb string) {
	s.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout(CQL))
	defer cancel()
	if out, err := s.script(ctx, "cassandra", verb); err != nil {
		s.tb.Fatalf("testserver: cassandra %s for port %d: %v\n%s", verb, s.Port, err, out)
	}
}

// Restart starts the server again on the same data (no --fresh).
func (s *Server) Restart() {
	s.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout(s.Backend))
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
