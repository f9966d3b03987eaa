package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/graph/client"
)

type fixedStats []client.HostStats

func (f fixedStats) Stats() []client.HostStats { return f }

func TestHostSplit(t *testing.T) {
	two := fixedStats{
		{Host: "ws://127.0.0.1:8182/gremlin", Requests: 120, Errors: 3, Available: false, MarkedDown: 1},
		{Host: "ws://127.0.0.1:8183/gremlin", Requests: 200, Available: true},
	}
	tests := []struct {
		name      string
		sub       any
		wantText  []string // lines that must appear after the table
		wantHosts int      // entries of the JSON "hosts" member (0: absent)
	}{
		{"another driver", struct{}{}, nil, 0},
		{"one host", fixedStats{{Host: "ws://h:1/gremlin", Requests: 5}}, nil, 0},
		{"two hosts", two, []string{
			"requests per Gremlin server:",
			"ws://127.0.0.1:8182/gremlin  120       117     3       unavailable  1",
			"ws://127.0.0.1:8183/gremlin  200       200     0       available    0",
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := hostsOf(tt.sub)
			var out bytes.Buffer
			table := h.table(func(w io.Writer) error { _, err := io.WriteString(w, "TABLE\n"); return err })
			if err := table(&out); err != nil {
				t.Fatal(err)
			}
			text := out.String()
			if !strings.HasPrefix(text, "TABLE\n") {
				t.Errorf("the report's own table must come first: %q", text)
			}
			if tt.wantText == nil && text != "TABLE\n" {
				t.Errorf("printed %q, want the table alone", text)
			}
			for _, line := range tt.wantText {
				if !strings.Contains(text, line) {
					t.Errorf("text lacks %q:\n%s", line, text)
				}
			}
			for _, inner := range []func(report.Document) any{nil, func(d report.Document) any {
				return struct {
					Extra int `json:"extra"`
					report.Document
				}{7, d}
			}} {
				b, err := json.Marshal(h.doc(inner)(report.Document{Failed: true}))
				if err != nil {
					t.Fatal(err)
				}
				var m map[string]json.RawMessage
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatalf("not a JSON object: %s", b)
				}
				if string(m["failed"]) != "true" || (inner != nil && string(m["extra"]) != "7") {
					t.Errorf("the document's own members are lost: %s", b)
				}
				var hosts []client.HostStats
				if raw, ok := m["hosts"]; ok {
					if err := json.Unmarshal(raw, &hosts); err != nil {
						t.Fatal(err)
					}
				}
				if len(hosts) != tt.wantHosts {
					t.Errorf("hosts member %v, want %d entries", hosts, tt.wantHosts)
				}
				if tt.wantHosts > 0 && (hosts[0] != two[0] || hosts[1] != two[1]) {
					t.Errorf("hosts member %+v, want %+v", hosts, two)
				}
			}
		})
	}
}
