package main

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/gate"
	"github.com/graphperf/graphperf/bench/loadbench"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/dataset"
)

// qbFingerprint is the fingerprint of the query-bench test dataset.
func qbFingerprint(t *testing.T) string {
	t.Helper()
	fp, err := dataset.Fingerprint(qbConfig())
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// rates returns one loadbench.Rate per value, over a fixed element count.
func rates(elements int64, perSec ...float64) []loadbench.Rate {
	out := make([]loadbench.Rate, len(perSec))
	for i, v := range perSec {
		out[i] = loadbench.Rate{Elements: elements, Elapsed: time.Duration(float64(elements) / v * float64(time.Second)), PerSec: v}
	}
	return out
}

// scaled multiplies every rate by f.
func scaledRates(rs []loadbench.Rate, f float64) []loadbench.Rate {
	out := make([]loadbench.Rate, len(rs))
	for i, r := range rs {
		out[i] = r
		out[i].PerSec = r.PerSec * f
	}
	return out
}

// benchResult is a synthetic load-bench result of 8 rounds whose loader
// rates are multiplied by loaderFactor (references unchanged).
func benchResult(loaderFactor float64) *loadbench.Result {
	return &loadbench.Result{
		Source:     "generator (seed 5, scale 0.002)",
		Loader:     scaledRates(rates(14000, 13100, 12800, 13400, 12950, 13250, 13050, 12700, 13350), loaderFactor),
		Naive:      rates(400, 229, 231, 226, 233, 228, 230, 227, 232),
		ServerSide: rates(14000, 7700, 7750, 7690, 7810, 7720, 7760, 7680, 7790),
	}
}

var lbBenchConfig = loadbench.Config{Rounds: 8, Workers: 4, BatchSize: 500, NaivePerLabel: 50, ServerThreads: 2}

// The conversion of a load-bench result into a run: one operation per
// load, per-round elements/s, higher is better; what was loaded is the
// parameter; the run survives Save/Load.
func TestLoadBenchRun(t *testing.T) {
	res := benchResult(1)
	run := res.BaselineRun(lbBenchConfig, "gen:0123456789abcdef", "--scale 0.002 --seed 5")
	if run.Command != "load-bench" || run.Dataset != "gen:0123456789abcdef" || run.Settings["dataset"] != "--scale 0.002 --seed 5" ||
		run.Settings["rounds"] != "8" || run.Settings["workers"] != "4" {
		t.Errorf("run metadata: %+v", run)
	}
	want := []struct {
		name  string
		rates []loadbench.Rate
		param string
	}{
		{"loader", res.Loader, `{"batch_size":500,"elements":14000,"workers":4}`},
		{"naive", res.Naive, `{"elements":400,"per_label":50}`},
		{"server-side", res.ServerSide, `{"batch_size":500,"elements":14000,"threads":2}`},
	}
	if len(run.Operations) != len(want) {
		t.Fatalf("%d operations, want %d", len(run.Operations), len(want))
	}
	for i, w := range want {
		op := run.Operations[i]
		if op.Name != w.name || op.Unit.Name != "elements/s" || !op.Unit.HigherIsBetter {
			t.Errorf("operation %d: %s in %+v", i, op.Name, op.Unit)
		}
		if len(op.Samples) != len(w.rates) {
			t.Fatalf("%s: %d samples, want %d", w.name, len(op.Samples), len(w.rates))
		}
		for k, r := range w.rates {
			if op.Samples[k] != r.PerSec {
				t.Errorf("%s sample %d = %v, want %v", w.name, k, op.Samples[k], r.PerSec)
			}
		}
		if len(op.Params) != 1 || string(op.Params[0]) != w.param {
			t.Errorf("%s params %s, want [%s]", w.name, op.Params, w.param)
		}
	}
	dir := t.TempDir()
	if _, err := baseline.Save(dir, "x", run); err != nil {
		t.Fatal(err)
	}
	back, err := baseline.Load(dir, "x")
	if err != nil {
		t.Fatal(err)
	}
	if op := back.Operation("server-side"); op == nil || !slices.Equal(op.Samples, run.Operations[2].Samples) || !op.Unit.HigherIsBetter {
		t.Errorf("reloaded run lost the server-side samples: %+v", op)
	}

	var gb bytes.Buffer
	if err := report.WriteGoBench(&gb, run); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Unit elements/s better=higher", "BenchmarkLoad/loader 1 13100 elements/s", "BenchmarkLoad/server-side 1 7700 elements/s"} {
		if !strings.Contains(gb.String(), s) {
			t.Errorf("gobench output lacks %q:\n%s", s, gb.String())
		}
	}
}

// A slower loader (lower elements/s) is a regression that exits 1; a
// faster one, or an unchanged one, is not; the references stay "~".
func TestLoadBenchCompare(t *testing.T) {
	base := benchResult(1).BaselineRun(lbBenchConfig, "gen:1", "d")
	base.Name = "main"
	tests := []struct {
		name      string
		factor    float64
		failOn    string
		verdict   compare.Verdict
		regressed bool
	}{
		{"30% slower", 0.7, "", compare.Slower, true},
		{"30% slower, median:10%", 0.7, "median:10%", compare.Slower, true},
		{"30% slower, median:50%", 0.7, "median:50%", compare.Slower, false},
		{"5% slower, median:10%", 0.95, "median:10%", compare.Slower, false},
		{"30% faster", 1.3, "median:10%", compare.Faster, false},
		{"unchanged", 1, "", compare.Same, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &baselineOptions{spec: loadBenchSpec, gate: gate.Config{Command: loadBenchSpec.command, Base: base}}
			if tt.failOn != "" {
				th, err := compare.ParseThresholds(tt.failOn)
				if err != nil {
					t.Fatal(err)
				}
				o.gate.Compare.FailOn = th
			}
			cur := benchResult(tt.factor).BaselineRun(lbBenchConfig, "gen:1", "d")
			rep, err := o.compareRun(cur)
			if err != nil {
				t.Fatal(err)
			}
			verdicts := map[string]compare.Verdict{}
			for _, r := range rep.Results {
				verdicts[r.Name] = r.Verdict
			}
			if verdicts["loader"] != tt.verdict || verdicts["naive"] != compare.Same || verdicts["server-side"] != compare.Same {
				t.Errorf("verdicts %v, want loader %s and the references ~", verdicts, tt.verdict)
			}
			err = o.finish(io.Discard, cur, rep, true, func(string, ...any) {}, nil, nil)
			var stderr bytes.Buffer
			code := exitCode(err, &stderr)
			switch {
			case tt.regressed && (code != 1 || !strings.Contains(stderr.String(), "load-bench: regression against main: loader")):
				t.Errorf("regression: exit %d, %q", code, stderr.String())
			case !tt.regressed && code != 0:
				t.Errorf("no regression expected: exit %d, %q", code, stderr.String())
			}
		})
	}

	// Another dataset is refused.
	o := &baselineOptions{spec: loadBenchSpec, gate: gate.Config{Command: loadBenchSpec.command, Base: base}}
	if err := o.checkDataset("gen:2"); exitCode(err, &bytes.Buffer{}) != 2 || !strings.Contains(err.Error(), "refusing to compare") {
		t.Errorf("other dataset: %v", err)
	}
}

// Bad input exits 2 before anything is dropped or measured, naming the flag
// or file at fault.
func TestLoadBenchBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, r := range []struct{ name, command, dataset string }{
		{"other", "load-bench", "gen:0000000000000000"},
		{"qb", "query-bench", qbFingerprint(t)},
	} {
		run := baseline.NewRun(r.command)
		run.Dataset = r.dataset
		if _, err := baseline.Save(dir, r.name, run); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no yes", []string{"--save", "x"}, []string{"--yes"}},
		{"missing baseline", []string{"--yes", "--compare", "nosuch"}, []string{filepath.Join(dir, "nosuch.json"), "--save nosuch"}},
		{"malformed fail-on", []string{"--yes", "--compare", "other", "--fail-on", "median:ten%"}, []string{"--fail-on", "accepted grammar", "FIELD", "median:10%"}},
		{"ops on a rate", []string{"--yes", "--compare", "other", "--fail-on", "ops:10%"}, []string{"--fail-on", "rates", "accepted grammar"}},
		{"duration min-delta", []string{"--yes", "--compare", "other", "--min-delta", "1ms+2%"}, []string{"--min-delta", `"1ms" is a duration`}},
		{"bad min-delta", []string{"--yes", "--compare", "other", "--min-delta", "fast"}, []string{"--min-delta", "fast"}},
		{"fail-on without compare", []string{"--yes", "--fail-on", "median:10%"}, []string{"need --compare NAME"}},
		{"json and gobench", []string{"--yes", "--json", "--format", "gobench"}, []string{"exclusive"}},
		{"bad format", []string{"--yes", "--format", "xml"}, []string{"--format"}},
		{"bad save name", []string{"--yes", "--save", "a/b"}, []string{"--save"}},
		{"other dataset", []string{"--yes", "--compare", "other"}, []string{"gen:0000000000000000", "refusing to compare"}},
		{"query-bench baseline", []string{"--yes", "--compare", "qb"}, []string{"saved by query-bench"}},
		{"bad pattern count", []string{"--yes", "--cycles", "-1"}, []string{"--cycles"}},
		{"report in a missing dir", []string{"--yes", "--report", filepath.Join(dir, "missing", "r.html")}, []string{"--report", filepath.Join(dir, "missing")}},
		{"empty compare", []string{"--yes", "--compare", ""}, []string{"--compare is empty"}},
		{"empty save", []string{"--yes", "--save", ""}, []string{"--save is empty"}},
		{"empty profile dir", []string{"--yes", "--profile-dir", ""}, []string{"--profile-dir is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--hosts", "127.0.0.1:1", "load-bench", "--baseline-dir", dir}, qbDataset...)
			code, _, stderr := qbRun(t, append(args, tt.args...)...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
		})
	}
}

// load-bench refuses a baseline of other data before anything is dropped:
// the same generator configuration, from the flags or from a directory
// written by `graphperf generate`, passes the dataset check (and fails only
// at the connection, exit 1). Identity itself: dataset/source_test.go.
func TestLoadBenchDatasetCheck(t *testing.T) {
	data := writeDataset(t) // seed 5, scale 0.001, no patterns
	want, err := dataset.Fingerprint(banking.Config{Seed: 5, Scale: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	run := baseline.NewRun("load-bench")
	run.Dataset = want
	if _, err := baseline.Save(dir, "main", run); err != nil {
		t.Fatal(err)
	}
	noPatterns := []string{"--cycles", "0", "--mule-chains", "0", "--structuring", "0", "--fraud-rings", "0",
		"--blocked-medium-chains", "0", "--fan-in-withdraws", "0", "--guarantee-chains", "0"}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"same flags", append([]string{"--scale", "0.001", "--seed", "5"}, noPatterns...), 1, "connect"},
		{"same data from a directory", []string{"--from", data}, 1, "connect"},
		{"other seed", append([]string{"--scale", "0.001", "--seed", "6"}, noPatterns...), 2, "refusing to compare"},
		{"other patterns", append(append([]string{"--scale", "0.001", "--seed", "5"}, noPatterns...), "--cycles", "1"), 2, "refusing to compare"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--hosts", "127.0.0.1:1", "--timeout", "2s", "load-bench", "--yes", "--baseline-dir", dir,
				"--compare", "main"}, tt.args...)
			code, _, stderr := qbRun(t, args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want %d with %q; stderr: %s", code, tt.code, tt.want, stderr)
			}
		})
	}
}

// The --json document keeps load-bench's own fields next to the shared ones.
func TestLoadBenchJSON(t *testing.T) {
	res := benchResult(1)
	res.NaiveRatio = 57
	run := res.BaselineRun(lbBenchConfig, "gen:1", "d")
	var out bytes.Buffer
	err := gate.Write(&out, gate.JSON, run, nil, res.WriteText, func(d report.Document) any {
		return loadBenchDocument{Result: res, Document: d}
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source     string  `json:"source"`
		NaiveRatio float64 `json:"naiveRatio"`
		Loader     []any   `json:"loader"`
		Run        struct {
			Command    string `json:"command"`
			Operations []struct {
				Name string `json:"name"`
			} `json:"operations"`
		} `json:"run"`
		Failed *bool `json:"failed"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if doc.Source != res.Source || doc.NaiveRatio != 57 || len(doc.Loader) != 8 || doc.Run.Command != "load-bench" ||
		len(doc.Run.Operations) != 3 || doc.Failed == nil || *doc.Failed {
		t.Errorf("document: %+v\n%s", doc, out.String())
	}
}
