package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/testenv"
)

func TestParseBindings(t *testing.T) {
	tests := []struct {
		in   []string
		want map[string]any
	}{
		{[]string{"n=42"}, map[string]any{"n": int64(42)}},
		{[]string{"n=-7"}, map[string]any{"n": int64(-7)}},
		{[]string{"x=4.2"}, map[string]any{"x": 4.2}},
		{[]string{"x=1e3"}, map[string]any{"x": 1000.0}},
		{[]string{"b=true", "c=false"}, map[string]any{"b": true, "c": false}},
		{[]string{"s=null"}, map[string]any{"s": nil}},
		{[]string{`s="42"`}, map[string]any{"s": "42"}},
		{[]string{`s="a \"q\" b"`}, map[string]any{"s": `a "q" b`}},
		{[]string{"s=plain text"}, map[string]any{"s": "plain text"}},
		{[]string{"s=NaN"}, map[string]any{"s": "NaN"}},
		{[]string{"s=a=b"}, map[string]any{"s": "a=b"}},
		{[]string{"s="}, map[string]any{"s": ""}},
		{[]string{`l=[1,"a",2.5]`}, map[string]any{"l": []any{int64(1), "a", 2.5}}},
		{[]string{`m={"k":[1,2]}`}, map[string]any{"m": map[string]any{"k": []any{int64(1), int64(2)}}}},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := parseBindings(tt.in)
		if err != nil {
			t.Errorf("parseBindings(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseBindings(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseBindingsErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"novalue", "expected NAME=VALUE"},
		{"=5", "NAME must be a Groovy identifier"},
		{"9x=5", "NAME must be a Groovy identifier"},
		{"a-b=5", "NAME must be a Groovy identifier"},
		{"id=5", "shadows a Gremlin token"},
		{"label=x", "shadows a Gremlin token"},
		{`s="unterminated`, "bad quoted string"},
		{`l=[1,2`, "bad JSON list/map"},
	}
	for _, tt := range tests {
		_, err := parseBindings([]string{tt.in})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.in)) {
			t.Errorf("parseBindings(%q) error = %v, want one naming the binding and containing %q", tt.in, err, tt.want)
		}
	}
	if _, err := parseBindings([]string{"a=1", "a=2"}); err == nil || !strings.Contains(err.Error(), "bound twice") {
		t.Errorf("duplicate binding: error = %v", err)
	}
}

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

func TestRenderJSON(t *testing.T) {
	in := []any{
		client.Vertex{ID: int64(4), Label: "Account", Properties: map[string][]client.VertexProperty{"accountId": {{Value: int64(7)}}}},
		client.Edge{ID: client.RelationIdentifier{RelationID: "2s-4-6c5-8"}, Label: "transfer", OutV: int64(4), InV: int64(8), OutVLabel: "Account", InVLabel: "Account"},
		map[any]any{int64(1): "one", "k": []any{1.5, nil}},
		client.Path{Labels: [][]string{{"a"}, {}}, Objects: []any{int64(1), "x"}},
	}
	var buf bytes.Buffer
	if err := printResults(&buf, in, true); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
	}
	if got[0]["label"] != "Account" || got[0]["properties"].(map[string]any)["accountId"].([]any)[0] != 7.0 {
		t.Errorf("vertex rendered as %v", got[0])
	}
	if got[1]["id"] != "2s-4-6c5-8" || got[1]["outV"] != 4.0 {
		t.Errorf("edge rendered as %v", got[1])
	}
	if got[2]["1"] != "one" {
		t.Errorf("map rendered as %v", got[2])
	}
	if got[3]["type"] != "path" {
		t.Errorf("path rendered as %v", got[3])
	}
	buf.Reset()
	if err := printResults(&buf, in, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"==>v[4]", "==>e[2s-4-6c5-8][4-transfer->8]", "==>[1:one, k:[1.5, null]]", "==>path[1, x]"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text output %q lacks %q", buf.String(), want)
		}
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
