package querybench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/queries"
)

func TestParseWaits(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]Wait
		err  string
	}{
		{"", map[string]Wait{}, ""},
		{"account-lookup=25%", map[string]Wait{"account-lookup": {Fraction: 0.25}}, ""},
		{"account-lookup=2ms, mule-chain=10%", map[string]Wait{"account-lookup": {Fixed: 2 * time.Millisecond}, "mule-chain": {Fraction: 0.1}}, ""},
		{"nope=1ms", nil, `"nope=1ms"`},
		{"account-lookup", nil, "QUERY=P%"},
		{"account-lookup=x%", nil, "bad percentage"},
		{"account-lookup=-1ms", nil, "bad duration"},
	}
	for _, tt := range tests {
		got, err := ParseWaits(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseWaits(%q) = %v, want an error with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || len(got) != len(tt.want) {
			t.Errorf("ParseWaits(%q) = %v, %v", tt.in, got, err)
		}
		for k, w := range tt.want {
			if got[k] != w {
				t.Errorf("ParseWaits(%q)[%s] = %v, want %v", tt.in, k, got[k], w)
			}
		}
	}
}

// spy records the scripts and bindings it is sent (the decorator is what
// is tested; no graph is involved).
type spy struct {
	scripts  []string
	bindings []map[string]any
	delay    time.Duration
}

func (s *spy) Submit(_ context.Context, script string, b map[string]any) ([]any, error) {
	time.Sleep(s.delay)
	s.scripts = append(s.scripts, script)
	s.bindings = append(s.bindings, b)
	return nil, nil
}

func (s *spy) Close() error { return nil }

// The slowed driver prefixes only the named query's script with the spin,
// for a fixed time or a fraction of the reference's recent median; the
// caller's bindings are never modified.
func TestNewSlowdown(t *testing.T) {
	var lookup, chain string
	for _, q := range queries.Catalogue() {
		switch q.Name {
		case "account-lookup":
			lookup = q.Script
		case "mule-chain":
			chain = q.Script
		}
	}
	d := &spy{delay: 4 * time.Millisecond}
	ref, slow := NewSlowdown(d, map[string]Wait{"account-lookup": {Fraction: 0.5}, "mule-chain": {Fixed: time.Millisecond}})
	ctx := context.Background()
	b := map[string]any{"aid": int64(7)}
	for range 3 {
		if _, err := ref.Submit(ctx, lookup, b); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := slow.Submit(ctx, lookup, b); err != nil {
		t.Fatal(err)
	}
	last := len(d.scripts) - 1
	if !strings.HasPrefix(d.scripts[last], slowPrologue) || !strings.HasSuffix(d.scripts[last], lookup) {
		t.Errorf("slowed script %q", d.scripts[last])
	}
	ns, _ := d.bindings[last]["gpSlowNs"].(int64)
	if ns < int64(2*time.Millisecond) { // half of a median of at least 4ms
		t.Errorf("wait %v, want at least half of the reference's 4ms", time.Duration(ns))
	}
	if _, ok := b["gpSlowNs"]; ok {
		t.Error("the caller's bindings were modified")
	}
	if _, err := slow.Submit(ctx, chain, nil); err != nil {
		t.Fatal(err)
	}
	if ns := d.bindings[len(d.bindings)-1]["gpSlowNs"]; ns != int64(time.Millisecond) {
		t.Errorf("fixed wait %v", ns)
	}
	other := "g.V().count()"
	if _, err := slow.Submit(ctx, other, nil); err != nil || d.scripts[len(d.scripts)-1] != other {
		t.Errorf("an unnamed script was changed: %q", d.scripts[len(d.scripts)-1])
	}
}
