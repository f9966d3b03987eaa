package main

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/internal/testenv"
)

// runCLI runs the whole CLI in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code = run(ctx, append([]string{"graphperf"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"gremlin"}, "exactly one SCRIPT"},
		{[]string{"gremlin", "  "}, "SCRIPT is empty"},
		{[]string{"gremlin", "--bind", "oops", "g.V()"}, `--bind "oops"`},
		{[]string{"gremlin", "--no-such-flag", "g.V()"}, "no-such-flag"},
		{[]string{"ping", "--count", "0"}, "--count must be between 1 and"},
		{[]string{"--timeout", "0s", "ping"}, "--timeout must be a positive duration"},
		{[]string{"--username", "u", "ping"}, "--username and --password go together"},
		{[]string{"--tls-ca", "/nonexistent.pem", "ping"}, "--tls-ca"},
		{[]string{"--serializer", "xml", "ping"}, "want graphson or graphbinary"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("graphperf %q: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestUnreachableHostExit1(t *testing.T) {
	start := time.Now()
	code, _, stderr := runCLI(t, "--hosts", "127.0.0.1:1", "--timeout", "3s", "ping")
	if code != exitFailure {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "ws://127.0.0.1:1/gremlin") || !strings.Contains(stderr, "refused") {
		t.Errorf("stderr %q should name the URL and the cause", stderr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v, want within the 3s timeout (+ slack)", d)
	}
}

func TestIntegrationPingAndGremlin(t *testing.T) {
	hosts := testenv.RequireServer(t)
	h := strings.Join(hosts, ",")
	code, stdout, stderr := runCLI(t, "--hosts", h, "ping", "--json", "-n", "3")
	if code != 0 {
		t.Fatalf("ping: exit %d: %s", code, stderr)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(stdout), &p); err != nil || p["count"] != 3.0 || p["median_ms"].(float64) <= 0 {
		t.Fatalf("ping --json = %q (%v)", stdout, err)
	}

	code, stdout, stderr = runCLI(t, "--hosts", h, "gremlin", "--json",
		"--bind", "n=2", "--bind", "x=4.5", "--bind", `s="it's $x \\ \"q\""`, "--bind", "b=true",
		"[n + 1, x * 2, s, !b]")
	if code != 0 {
		t.Fatalf("gremlin: exit %d: %s", code, stderr)
	}
	var got []any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := []any{3.0, 9.0, `it's $x \ "q"`, false}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("gremlin results = %#v, want %#v", got, want)
	}

	code, stdout, stderr = runCLI(t, "--hosts", h, "--serializer", "graphbinary", "gremlin", "--json", "--bind", "n=2", "[n + 1, 'x']")
	if code != 0 || strings.Join(strings.Fields(stdout), "") != `[3,"x"]` {
		t.Errorf("graphbinary: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	code, _, stderr = runCLI(t, "--hosts", h, "gremlin", "g.V(")
	if code != exitFailure || !strings.Contains(stderr, "597") {
		t.Errorf("script error: exit %d, stderr %q; want exit 1 naming 597", code, stderr)
	}
}
