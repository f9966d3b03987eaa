package client

import (
	"strings"
	"testing"
)

func TestWriteHostStats(t *testing.T) {
	var b strings.Builder
	err := WriteHostStats(&b, []HostStats{
		{Host: "ws://a:8182/gremlin", Requests: 10, Errors: 2, Available: true},
		{Host: "ws://b:8182/gremlin", Requests: 5, Errors: 5, MarkedDown: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || lines[0] != "requests per Gremlin server:" {
		t.Fatalf("got %q", b.String())
	}
	for i, want := range [][]string{{"host", "requests", "served", "errors", "now", "marked down"},
		{"ws://a:8182/gremlin", "10", "8", "2", "available", "0"}, {"ws://b:8182/gremlin", "5", "0", "5", "unavailable", "1"}} {
		if got := strings.Fields(strings.ReplaceAll(lines[i+1], "marked down", "marked_down")); strings.Join(got, " ") !=
			strings.ReplaceAll(strings.Join(want, " "), "marked down", "marked_down") {
			t.Errorf("line %d: %q, want the fields %q", i+1, lines[i+1], want)
		}
	}
}
