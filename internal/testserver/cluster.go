package testserver

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Cluster is a private local JanusGraph cluster started by [StartCluster]:
// a ring of Cassandra nodes on 127.0.0.1, 127.0.0.2, … and several Gremlin
// servers on consecutive ports over one keyspace.
type Cluster struct {
	tb   testing.TB
	root string
	// Port is the first Gremlin server's port; server i (from 0) listens on Port+i.
	Port int
	// Nodes is the number of Cassandra nodes; the replication factor is min(Nodes, 3).
	Nodes int
	// Servers is the number of Gremlin servers.
	Servers int
}

// StartCluster starts a fresh cluster of nodes Cassandra nodes and servers
// Gremlin servers, the first on port (plus [PortOffset]), and stops it when
// the test ends. It skips or fails like [Start] without Java or Maven.
func StartCluster(tb testing.TB, port, nodes, servers int) *Cluster {
	tb.Helper()
	if testing.Short() {
		tb.Skip("starts a private JanusGraph cluster; skipped with -short")
	}
	c := &Cluster{tb: tb, root: Root(tb), Port: port + PortOffset(), Nodes: nodes, Servers: servers}
	checkTools(tb, c.root)
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(nodes+servers)*startTimeout(CQL))
	defer cancel()
	_, _ = c.script(ctx, "cluster", "stop") // a cluster left by an aborted run
	// Registered before the start: a start cut short leaves JVMs behind.
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if out, err := c.script(ctx, "cluster", "stop"); err != nil {
			tb.Logf("testserver: stopping %s: %v\n%s", c, err, out)
		}
	})
	if out, err := c.script(ctx, "cluster", "start", "--cassandra-nodes", strconv.Itoa(nodes),
		"--servers", strconv.Itoa(servers), "--fresh"); err != nil {
		tb.Fatalf("testserver: starting %s: %v\n%s", c, err, out)
	}
	return c
}

func (c *Cluster) script(ctx context.Context, args ...string) ([]byte, error) {
	return c.scriptOn(ctx, c.Port, args...)
}

// scriptOn runs janusgraph.sh for the server on port. Each JVM of a
// cluster may take up to 10 minutes to start (the script's default is 4):
// measured here, the third Cassandra node of a ring took over 4 minutes
// with a load average of 50 on 2 cores.
func (c *Cluster) scriptOn(ctx context.Context, port int, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.root, "scripts", "janusgraph.sh"), args...)
	cmd.Env = append(os.Environ(), "GRAPHPERF_JANUSGRAPH_PORT="+strconv.Itoa(port))
	if os.Getenv("GRAPHPERF_JANUSGRAPH_START_TIMEOUT") == "" {
		cmd.Env = append(cmd.Env, "GRAPHPERF_JANUSGRAPH_START_TIMEOUT=600")
	}
	cmd.Dir = c.root
	return cmd.CombinedOutput()
}

// Hosts returns every Gremlin server's address, for client.Config.Hosts.
func (c *Cluster) Hosts() []string {
	hosts := make([]string, c.Servers)
	for i := range hosts {
		hosts[i] = "127.0.0.1:" + strconv.Itoa(c.Port+i)
	}
	return hosts
}

// KillServer kills Gremlin server i (from 0) with SIGKILL and waits until
// its port is closed.
func (c *Cluster) KillServer(i int) {
	c.tb.Helper()
	killPidFile(c.tb, filepath.Join(c.root, ".cache", "janusgraph", "run-"+strconv.Itoa(c.Port+i), "server.pid"), c.Hosts()[i])
}

// KillNode kills Cassandra node i (from 1, on 127.0.0.i) with SIGKILL and
// waits until its CQL port is closed.
func (c *Cluster) KillNode(i int) {
	c.tb.Helper()
	pidFile := filepath.Join(c.root, ".cache", "janusgraph", "run-"+strconv.Itoa(c.Port), "cassandra-"+strconv.Itoa(i), "cassandra.pid")
	killPidFile(c.tb, pidFile, fmt.Sprintf("127.0.0.%d:%d", i, c.Port+1000))
}

// String describes the cluster.
func (c *Cluster) String() string {
	return fmt.Sprintf("JanusGraph cluster of %d Gremlin servers from 127.0.0.1:%d on %d Cassandra nodes", c.Servers, c.Port, c.Nodes)
}

// RestartServer starts Gremlin server i (from 0) again on the cluster's
// ring, after [Cluster.KillServer].
func (c *Cluster) RestartServer(i int) {
	c.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout(CQL))
	defer cancel()
	if out, err := c.scriptOn(ctx, c.Port+i, "start", "--backend", CQL); err != nil {
		c.tb.Fatalf("testserver: restarting Gremlin server %d of %s: %v\n%s", i, c, err, out)
	}
}

// StartNodes starts the cluster's Cassandra nodes that are not running
// (after [Cluster.KillNode]) on their data and waits until they answer.
func (c *Cluster) StartNodes() {
	c.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout(CQL))
	defer cancel()
	if out, err := c.script(ctx, "cassandra", "start"); err != nil {
		c.tb.Fatalf("testserver: starting the Cassandra nodes of %s: %v\n%s", c, err, out)
	}
}
