package results

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
)

// A baseline run survives FromBaseline then Baseline, but for what the
// results graph keeps elsewhere (machine, Go version, hosts).
func TestBaselineRoundTrip(t *testing.T) {
	for _, commit := range []string{"", "abc123", "abc123-dirty"} {
		b := &baseline.Run{FormatVersion: baseline.FormatVersion, Name: "main", Command: "load-bench",
			Started: time.Date(2026, 12, 1, 9, 0, 0, 123, time.UTC), Commit: commit, Dataset: "ds", Driver: "graphperf",
			Settings: map[string]string{"rounds": "5"},
			Server:   baseline.Server{JanusGraphVersion: "1.1.0", Config: map[string]string{"storage.backend": "cql"}},
			Machine:  baseline.Machine{GOOS: "linux", GOARCH: "amd64", Cores: 2, Hostname: "h"},
			Operations: []baseline.Operation{{Name: "vertices", Unit: stats.Rate("elements/s"), Samples: []float64{900, 1000},
				Clients: 4, Elapsed: 3 * time.Second, ErrorCount: 1}}}
		r := FromBaseline(b)
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
		if r.Server.Backend != "cql" || r.Machine != "linux/amd64, 2 cores, h" || r.Finished != b.Started.Add(3*time.Second) {
			t.Errorf("FromBaseline: server %+v, machine %q, finished %v", r.Server, r.Machine, r.Finished)
		}
		got := r.Baseline()
		want := *b
		want.Machine = baseline.Machine{}
		if !reflect.DeepEqual(got, &want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(&want)
			t.Errorf("round trip of commit %q:\n%s\nwant\n%s", commit, g, w)
		}
		if RunID(b) != r.ID || RunID(got) == "" {
			t.Errorf("RunID %s, run %s", RunID(b), r.ID)
		}
	}
}
