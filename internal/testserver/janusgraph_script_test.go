package testserver

// Tests of scripts/janusgraph.sh, the script this package drives.

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/internal/testenv"
)

func script(t *testing.T, env []string, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(filepath.Join(Root(t), "scripts", "janusgraph.sh"), args...)
	cmd.Env = append(cmd.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func TestJanusGraphScriptUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, "unknown command 'frobnicate'"},
		{[]string{"start", "--backend", "cassandra"}, 2, "--backend must be inmemory, berkeleyje or cql, got 'cassandra'"},
		{[]string{"start", "--bogus"}, 2, "unknown option --bogus"},
		{[]string{"status"}, 3, "not running (port 8179)"},
		{[]string{"stop"}, 0, "no server started by this script on port 8179"},
	}
	// The usage checks start nothing; the port (shifted like every test port)
	// only has to be free of a server started by the script.
	port := strconv.Itoa(8179 + PortOffset())
	for _, tt := range tests {
		tt.want = strings.ReplaceAll(tt.want, "8179", port)
		out, code := script(t, []string{"GRAPHPERF_JANUSGRAPH_PORT=" + port}, "", tt.args...)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("janusgraph.sh %v: exit %d, output %q; want exit %d and %q", tt.args, code, out, tt.code, tt.want)
		}
	}
}

// TestIntegrationConsole drives the real Gremlin console against the shared
// server: the console must come up connected, evaluate remotely and exit.
func TestIntegrationConsole(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches the Gremlin console jars on first use")
	}
	hosts := testenv.RequireServer(t)
	port := hosts[0][strings.LastIndex(hosts[0], ":")+1:]
	out, code := script(t, []string{"GRAPHPERF_JANUSGRAPH_PORT=" + port}, "g.inject(41).map{it.get()+1}\n:exit\n", "console")
	if code != 0 {
		t.Fatalf("console: exit %d\n%s", code, out)
	}
	for _, want := range []string{"All scripts will now be sent to Gremlin Server", "42"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
}
