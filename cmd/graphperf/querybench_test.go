package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/internal/gremlintest"
	"github.com/graphperf/graphperf/loader"
)

// qbDataset are the dataset flags of the small graph the query-bench tests
// use (fast to generate; a few instances of every pattern).
var qbDataset = []string{"--scale", "0.002", "--seed", "5", "--cycles", "3", "--mule-chains", "3", "--structuring", "3",
	"--fraud-rings", "3", "--blocked-medium-chains", "3", "--fan-in-withdraws", "3", "--guarantee-chains", "3"}

func qbConfig() banking.Config {
	return banking.Config{Seed: 5, Scale: 0.002, Patterns: banking.PatternCounts{
		TransferCycles: 3, MuleChains: 3, Structuring: 3, FraudRings: 3,
		BlockedMediumChains: 3, FanInWithdraws: 3, GuaranteeChains: 3}}
}

// qbRun runs the CLI in-process. Its deadline only stops a hung command:
// on a loaded 2-core machine one load-bench round can take minutes.
func qbRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	code = run(ctx, append([]string{"graphperf"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// fakeGremlin is a Gremlin Server stand-in (internal/gremlintest, both
// serializers): it answers every request with one list holding the value,
// given as GraphSON text, that answer(script) returns.
func fakeGremlin(t *testing.T, answer func(script string) string) string {
	t.Helper()
	srv := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		if err := c.SendGraphSON(req.ID, 200, "", `{"@type":"g:List","@value":[`+answer(req.Script)+`]}`); err != nil {
			t.Errorf("fake server: %v", err)
		}
	})
	return srv.Host()
}

func TestQueryBenchBadInput(t *testing.T) {
	dir := t.TempDir()
	other := baseline.NewRun("query-bench")
	other.Dataset = "gen:0000000000000000"
	if _, err := baseline.Save(dir, "other", other); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  string
		code int
		want []string
	}{
		{"unknown query", []string{"--queries", "account-lookup,nope"}, "", 2,
			[]string{`unknown query "nope"`, "account-lookup", "mule-chain", "shared-identifier-ring"}},
		{"malformed fail-on", []string{"--compare", "x", "--fail-on", "median:ten%"}, "", 2,
			[]string{"--fail-on", "FIELD", "median:10%"}},
		{"missing baseline", []string{"--compare", "nosuch"}, "", 2,
			[]string{filepath.Join(dir, "nosuch.json")}},
		{"fail-on without compare", []string{"--fail-on", "median:10%"}, "", 2, []string{"need --compare"}},
		{"json and gobench", []string{"--json", "--format", "gobench"}, "", 2, []string{"exclusive"}},
		{"bad format", []string{"--format", "xml"}, "", 2, []string{"--format"}},
		{"bad driver", []string{"--driver", "gremlin-python"}, "", 2, []string{"graphperf", "grammes"}},
		{"bad rounds", []string{"--rounds", "0"}, "", 2, []string{"--rounds"}},
		{"bad ab", []string{"--ab", "same,same"}, "", 2, []string{"--ab"}},
		{"ab with save", []string{"--ab", "a,b", "--save", "c"}, "", 2, []string{"--ab"}},
		{"from with scale", []string{"--from", dir, "--scale", "0.1"}, "", 2, []string{"exclusive"}},
		{"empty compare", []string{"--compare", ""}, "", 2, []string{"--compare is empty"}},
		{"empty save", []string{"--save", ""}, "", 2, []string{"--save is empty"}},
		{"report in a missing dir", []string{"--save", "x", "--report", filepath.Join(dir, "missing", "r.html")}, "", 2,
			[]string{"--report", filepath.Join(dir, "missing", "r.html")}},
		{"unwritable baseline dir", []string{"--save", "x", "--baseline-dir", filepath.Join(file, "sub")}, "", 2,
			[]string{"--save/--baseline-dir", filepath.Join(file, "sub")}},
		{"other dataset", []string{"--compare", "other"}, "", 2, []string{"gen:0000000000000000", "refusing to compare"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--hosts", "127.0.0.1:1", "query-bench", "--baseline-dir", dir}, tt.args...)
			if !strings.Contains(strings.Join(tt.args, " "), "--from") {
				args = append(args, qbDataset...)
			}
			code, _, stderr := qbRun(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
		})
	}
}

// An empty graph, or one holding other data, fails with exit 1 and says
// what to load.
// qbState returns, as GraphSON text, the load state of status the loader
// records for the dataset with identity dataset (default: the qbDataset's).
func qbState(t *testing.T, ds, status string) string {
	t.Helper()
	if ds == "" {
		ds = qbFingerprint(t)
	}
	b, err := json.Marshal(loader.GraphState{Dataset: ds, Source: "generated (test)", Status: status, Vertices: 10, Total: 100})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := json.Marshal(string(b))
	return string(q)
}

// query-bench checks that the dataset is loaded by the load state the
// loader records (an index lookup), never by counting the graph, and its
// error names the dataset and the load command that fixes it.
func TestQueryBenchGraphNotLoaded(t *testing.T) {
	state := func(dataset, status string) string { return qbState(t, dataset, status) }
	one := `{"@type":"g:Int64","@value":1}`
	tests := []struct {
		name   string
		answer string // the answer to every request: [vertex present, states...]
		want   []string
	}{
		{"empty", `{"@type":"g:Int64","@value":0}`, []string{"the graph is empty: run `graphperf load --scale 0.002 --seed 5 --cycles 3"}},
		{"data of unknown origin", one, []string{"the graph records no load of dataset --scale 0.002 --seed 5", "graphperf load --scale 0.002 --seed 5", "--drop --yes"}},
		{"partly loaded", one + "," + state("", loader.StatusLoading), []string{"dataset --scale 0.002 --seed 5", "is not completely loaded", "partly loaded", "--resume`"}},
		{"other dataset", one + "," + state("other", loader.StatusComplete), []string{"the graph records no load of dataset", "holds another dataset", "--drop --yes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := fakeGremlin(t, func(script string) string {
				if strings.Contains(script, "count()") && !strings.Contains(script, "limit(1)") {
					t.Errorf("unbounded count on the way to the first query: %q", script)
				}
				if strings.Contains(script, "has('LoadState', 'loadDataset', ds)") && strings.Contains(tt.answer, `\"other\"`) {
					return one // the index lookup finds no state of this dataset
				}
				return tt.answer
			})
			args := append([]string{"--hosts", host, "query-bench", "--baseline-dir", t.TempDir(), "-q"}, qbDataset...)
			code, _, stderr := qbRun(t, args...)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
		})
	}
}

// A wrong answer fails the bench with exit 1, naming the query, the
// parameter, the expected and the actual answer — before any timing.
func TestQueryBenchWrongAnswer(t *testing.T) {
	loaded := `{"@type":"g:Int64","@value":1},` + qbState(t, "", loader.StatusComplete)
	host := fakeGremlin(t, func(script string) string {
		if strings.Contains(script, "'LoadState'") {
			return loaded
		}
		// Every account looks the same: a wrong answer.
		return `{"@type":"g:Map","@value":["accountId",{"@type":"g:Int64","@value":1},"createTime",{"@type":"g:Int64","@value":2},` +
			`"isBlocked",false,"type","card","accountLevel","basic"]}`
	})
	dir := t.TempDir()
	args := append([]string{"--hosts", host, "query-bench", "--queries", "account-lookup", "--baseline-dir", dir, "--save", "x", "-q"}, qbDataset...)
	code, stdout, stderr := qbRun(t, args...)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
	}
	for _, w := range []string{"wrong answer from account-lookup", `{"aid":`, "expected account", "got [map["} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not contain %q", stderr, w)
		}
	}
	if stdout != "" {
		t.Errorf("a wrong answer still printed results: %s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.json")); !os.IsNotExist(err) {
		t.Errorf("a run with wrong answers was saved (stat: %v)", err)
	}
}
