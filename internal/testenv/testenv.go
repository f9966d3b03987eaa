// Package testenv tells integration tests where the real JanusGraph server
// is, and whether its absence is a failure or a reason to skip.
//
// Integration tests call [Hosts] (or [RequireServer]) at their start. When no
// server answers, the test is skipped on a developer's plain `go test`, but
// fails when CI=true or GRAPHPERF_REQUIRE_SERVER=1 (set by `make test`), so a
// CI run can never go green by skipping its integration tests.
package testenv

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// DefaultHost is the address scripts/janusgraph.sh binds by default.
const DefaultHost = "127.0.0.1:8182"

// HostList returns the Gremlin Server addresses from GRAPHPERF_HOSTS
// (comma-separated host:port), or [DefaultHost].
func HostList() []string {
	v := strings.TrimSpace(os.Getenv("GRAPHPERF_HOSTS"))
	if v == "" {
		return []string{DefaultHost}
	}
	var hosts []string
	for _, h := range strings.Split(v, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// Required reports whether a missing server must fail the test rather than
// skip it.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("GRAPHPERF_REQUIRE_SERVER") == "1"
}

// RequireServer returns the server addresses when the first one accepts a TCP
// connection. Otherwise it skips the test, or fails it when [Required].
func RequireServer(tb testing.TB) []string {
	tb.Helper()
	hosts := HostList()
	conn, err := net.DialTimeout("tcp", hosts[0], 3*time.Second)
	if err != nil {
		msg := "JanusGraph is not reachable at " + hosts[0] + ": " + err.Error() +
			" (start it with `scripts/janusgraph.sh start`, or run `make test`)"
		if Required() {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	conn.Close()
	return hosts
}
