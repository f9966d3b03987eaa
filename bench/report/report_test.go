package report

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
)

func logNormal(r *rand.Rand, n int, median, sigma, factor float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = factor * median * math.Exp(sigma*r.NormFloat64())
	}
	return out
}

// fixture returns a baseline and a current query-bench run: "account-lookup"
// 25% slower in the current run, "in-out-summary" unchanged.
func fixture(t *testing.T) (base, cur *baseline.Run) {
	t.Helper()
	r := rand.New(rand.NewPCG(11, 12))
	mk := func(name, commit string, slow float64) *baseline.Run {
		run := &baseline.Run{
			FormatVersion: baseline.FormatVersion, Name: name, Command: "query-bench",
			Started:   time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			Machine:   baseline.Machine{GOOS: "linux", GOARCH: "amd64", CPUModel: "Test CPU @ 2GHz", Cores: 2, Hostname: "ci"},
			GoVersion: "go1.26", Commit: commit, Dataset: "banking-sf0.01-seed42", Driver: "graphperf",
			Server: baseline.Server{JanusGraphVersion: "1.1.0", Hosts: []string{"127.0.0.1:8182"}, Config: map[string]string{"storage.backend": "inmemory"}},
		}
		run.Operations = []baseline.Operation{
			{Name: "account-lookup", Unit: stats.Latency(), Samples: logNormal(r, 40, 0.008, 0.1, slow),
				Params: []json.RawMessage{json.RawMessage(`{"accountId":1}`)}},
			{Name: "in-out-summary", Unit: stats.Latency(), Samples: logNormal(r, 40, 0.020, 0.1, 1), ErrorCount: 0},
		}
		return run
	}
	return mk("main", "aaaa", 1), mk("", "bbbb", 1.25)
}

func compareFixture(t *testing.T) (*baseline.Run, *compare.Report) {
	t.Helper()
	base, cur := fixture(t)
	th, err := compare.ParseThresholds("median:10%")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := compare.Compare(base, cur, compare.Config{FailOn: th})
	if err != nil {
		t.Fatal(err)
	}
	return cur, rep
}

func TestWriteCompareTable(t *testing.T) {
	_, rep := compareFixture(t)
	var buf bytes.Buffer
	if err := WriteCompareTable(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"account-lookup", "slower  REGRESSION", "in-out-summary", "~",
		"FAIL: 1 regression(s): account-lookup", "fail-on median:10%", "Holm over 2 operations",
		"dataset:  banking-sf0.01-seed42",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "in-out-summary") && strings.Contains(line, "REGRESSION") {
			t.Errorf("unchanged operation flagged: %s", line)
		}
	}
}

func TestWriteRunTable(t *testing.T) {
	_, cur := fixture(t)
	cur.Operations = append(cur.Operations, baseline.Operation{Name: "broken", Unit: stats.Latency(), ErrorCount: 3})
	var buf bytes.Buffer
	if err := WriteRunTable(&buf, cur); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 { // header line, column header, three operations
		t.Fatalf("got %d lines, want 5:\n%s", len(lines), out)
	}
	if !strings.Contains(lines[2], "account-lookup") || !strings.Contains(lines[2], "ms") {
		t.Errorf("row for account-lookup: %q", lines[2])
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[4]), "broken") || !strings.HasSuffix(strings.TrimSpace(lines[4]), "3") {
		t.Errorf("row for the failed operation should show 3 errors: %q", lines[4])
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		u    stats.Unit
		want string
	}{
		{0.001234, stats.Latency(), "1.234ms"},
		{2.5, stats.Latency(), "2.500s"},
		{0.0000005, stats.Latency(), "500.0ns"},
		{12345, stats.Rate("elements/s"), "12.35k elements/s"},
		{math.Inf(1), stats.Latency(), "∞"},
		{math.NaN(), stats.Latency(), "-"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.v, tt.u); got != tt.want {
			t.Errorf("FormatValue(%v, %s) = %q, want %q", tt.v, tt.u.Name, got, tt.want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	cur, rep := compareFixture(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, cur, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Run struct {
			Dataset    string `json:"dataset"`
			Operations []struct {
				Name  string        `json:"name"`
				Stats stats.Summary `json:"stats"`
			} `json:"operations"`
		} `json:"run"`
		Comparison struct {
			Regressions []string `json:"regressions"`
			Results     []struct {
				Name    string  `json:"name"`
				Verdict string  `json:"verdict"`
				P       float64 `json:"adjusted_p"`
			} `json:"results"`
		} `json:"comparison"`
		Failed bool `json:"failed"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.String())
	}
	if !doc.Failed || len(doc.Comparison.Regressions) != 1 || doc.Comparison.Regressions[0] != "account-lookup" {
		t.Errorf("failed=%v regressions=%v", doc.Failed, doc.Comparison.Regressions)
	}
	if len(doc.Run.Operations) != 2 || doc.Run.Operations[0].Stats.N != 40 || doc.Run.Operations[0].Stats.Median <= 0 {
		t.Errorf("run operations %+v", doc.Run.Operations)
	}
	if doc.Comparison.Results[0].Verdict != "slower" || doc.Comparison.Results[1].Verdict != "~" {
		t.Errorf("verdicts %+v", doc.Comparison.Results)
	}
}

func TestWriteJSONWithInfiniteCheck(t *testing.T) {
	base := &baseline.Run{FormatVersion: 1, Dataset: "d", Operations: []baseline.Operation{{Name: "q", Unit: stats.Latency(), Samples: []float64{0, 0, 0}}}}
	cur := &baseline.Run{FormatVersion: 1, Dataset: "d", Operations: []baseline.Operation{{Name: "q", Unit: stats.Latency(), Samples: []float64{1, 1, 1}}}}
	th, _ := compare.ParseThresholds("min:10%")
	rep, err := compare.Compare(base, cur, compare.Config{FailOn: th})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, cur, rep); err != nil {
		t.Fatalf("JSON with an infinitely worse check: %v", err)
	}
	if !strings.Contains(buf.String(), `"worse": null`) {
		t.Errorf("infinite worsening should encode as null:\n%s", buf.String())
	}
}

// readGoBench parses gobench output with benchfmt and returns values per
// benchmark name and unit metadata.
func readGoBench(t *testing.T, data []byte) (map[string][]benchfmt.Value, benchfmt.UnitMetadataMap, map[string]string) {
	t.Helper()
	rd := benchfmt.NewReader(bytes.NewReader(data), "gobench.txt")
	vals := map[string][]benchfmt.Value{}
	cfg := map[string]string{}
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Fatalf("benchfmt syntax error: %v", rec)
		case *benchfmt.Result:
			if rec.Iters != 1 {
				t.Errorf("iters = %d, want 1", rec.Iters)
			}
			vals[string(rec.Name)] = append(vals[string(rec.Name)], rec.Values...)
			for _, c := range rec.Config {
				cfg[c.Key] = string(c.Value)
			}
		}
	}
	if err := rd.Err(); err != nil {
		t.Fatal(err)
	}
	return vals, rd.Units(), cfg
}

func TestWriteGoBenchParsesWithBenchfmt(t *testing.T) {
	_, cur := fixture(t)
	var buf bytes.Buffer
	if err := WriteGoBench(&buf, cur); err != nil {
		t.Fatal(err)
	}
	vals, _, cfg := readGoBench(t, buf.Bytes())
	got := vals["Query/account-lookup"]
	if len(got) != len(cur.Operations[0].Samples) {
		t.Fatalf("got %d account-lookup results, want one per sample (%d)\n%s", len(got), len(cur.Operations[0].Samples), buf.String())
	}
	for i, v := range got {
		// benchfmt tidies ns/op into sec/op.
		if v.Unit != "sec/op" || math.Abs(v.Value-cur.Operations[0].Samples[i]) > 1e-9 {
			t.Fatalf("sample %d = %v %s, want %v sec/op", i, v.Value, v.Unit, cur.Operations[0].Samples[i])
		}
	}
	if cfg["dataset"] != "banking-sf0.01-seed42" || cfg["goos"] != "linux" || cfg["cpu"] != "Test CPU @ 2GHz" {
		t.Errorf("file config %v", cfg)
	}
	if _, ok := cfg["commit"]; ok {
		t.Errorf("commit must not be file config (benchstat would split baseline and current into separate tables): %v", cfg)
	}
	if !strings.Contains(buf.String(), "BenchmarkQuery/account-lookup 1 ") || strings.Contains(buf.String(), "e+06") {
		t.Errorf("want integer ns/op values:\n%s", buf.String()[:300])
	}
}

func TestWriteGoBenchRates(t *testing.T) {
	run := &baseline.Run{FormatVersion: 1, Command: "load-bench", Dataset: "d",
		Operations: []baseline.Operation{{Name: "vertices", Unit: stats.Rate("elements/s"), Samples: []float64{1000, 1100, 1050}}}}
	var buf bytes.Buffer
	if err := WriteGoBench(&buf, run); err != nil {
		t.Fatal(err)
	}
	vals, units, _ := readGoBench(t, buf.Bytes())
	if got := vals["Load/vertices"]; len(got) != 3 || got[1].Value != 1100 || got[1].Unit != "elements/s" {
		t.Errorf("values %+v\n%s", got, buf.String())
	}
	if units.GetBetter("elements/s") != 1 {
		t.Errorf("elements/s should be declared higher-is-better:\n%s", buf.String())
	}
}

// TestGoBenchWithBenchstat runs the real benchstat (golang.org/x/perf
// /cmd/benchstat at the version in go.mod) on the gobench output of a
// baseline and a 25%-slower run, and checks that it agrees.
func TestGoBenchWithBenchstat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	base, cur := fixture(t)
	dir := t.TempDir()
	for name, run := range map[string]*baseline.Run{"base.txt": base, "current.txt": cur} {
		var buf bytes.Buffer
		if err := WriteGoBench(&buf, run); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goTool, "run", "golang.org/x/perf/cmd/benchstat", "-format", "csv",
		filepath.Join(dir, "base.txt"), filepath.Join(dir, "current.txt"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("benchstat: %v\n%s", err, stderr.String())
	}
	text := string(out)
	var lookup, summary string
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "Query/account-lookup,"):
			lookup = line
		case strings.HasPrefix(line, "Query/in-out-summary,"):
			summary = line
		}
	}
	if lookup == "" || summary == "" {
		t.Fatalf("benchstat output lacks our benchmarks:\n%s", text)
	}
	// CSV columns: name, base sec/op, CI, current sec/op, CI, vs base, P.
	if !strings.Contains(lookup, "+2") || strings.Contains(lookup, ",~,") {
		t.Errorf("benchstat should see account-lookup ~25%% slower: %s", lookup)
	}
	if !strings.Contains(summary, ",~,") {
		t.Errorf("benchstat should see no change in in-out-summary: %s", summary)
	}
}

func TestWriteHTML(t *testing.T) {
	cur, rep := compareFixture(t)
	tests := []struct {
		name     string
		rep      *compare.Report
		wantSVGs int
		want     []string
	}{
		{name: "with baseline", rep: rep, wantSVGs: 2, want: []string{"FAIL: 1 regression(s): account-lookup", "baseline", "aaaa", "bbbb", "storage.backend=inmemory"}},
		{name: "run only", rep: nil, wantSVGs: 2, want: []string{"account-lookup", "in-out-summary", "bbbb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteHTML(&buf, cur, tt.rep); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			if strings.Contains(out, "http://") && !strings.Contains(out, `xmlns="http://www.w3.org/2000/svg"`) || strings.Contains(out, "<script src") || strings.Contains(out, "<link") {
				t.Error("report references external resources")
			}
			svgs, paths := countSVG(t, out)
			if svgs != tt.wantSVGs {
				t.Errorf("got %d <svg>, want one per operation (%d)", svgs, tt.wantSVGs)
			}
			wantPaths := tt.wantSVGs
			if tt.rep != nil {
				wantPaths *= 2 // baseline and current ECDF per operation
			}
			if paths != wantPaths {
				t.Errorf("got %d ECDF paths with data, want %d", paths, wantPaths)
			}
		})
	}
}

// countSVG counts svg elements and ECDF path elements with data.
func countSVG(t *testing.T, doc string) (svgs, paths int) {
	t.Helper()
	if strings.Count(doc, "<svg ") != strings.Count(doc, "</svg>") {
		t.Fatalf("unbalanced <svg> elements")
	}
	for _, m := range pathRE.FindAllStringSubmatch(doc, -1) {
		if strings.Count(m[1], "H") > 5 {
			paths++
		}
	}
	return strings.Count(doc, "<svg "), paths
}

var pathRE = regexp.MustCompile(`<path d="([^"]*)"`)

func TestTrimZeros(t *testing.T) {
	tests := map[string]string{
		"8.000ms":           "8ms",
		"12.50k elements/s": "12.5k elements/s",
		"10.00ms":           "10ms",
		"100ms":             "100ms",
		"1.234ms":           "1.234ms",
		"∞":                 "∞",
	}
	for in, want := range tests {
		if got := trimZeros(in); got != want {
			t.Errorf("trimZeros(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlotScales(t *testing.T) {
	tests := []struct {
		name    string
		base    []float64
		cur     []float64
		wantLog bool
	}{
		{name: "narrow range is linear", base: []float64{0.008, 0.009, 0.010}, cur: []float64{0.010, 0.011}, wantLog: false},
		{name: "two decades is log", base: []float64{0.001, 0.002}, cur: []float64{0.2, 0.3}, wantLog: true},
		{name: "constant samples do not divide by zero", base: []float64{0.005, 0.005}, cur: []float64{0.005}, wantLog: false},
		{name: "no samples at all", base: []float64{}, cur: nil, wantLog: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPlot(tt.base, tt.cur, stats.Latency())
			if p.Log != tt.wantLog {
				t.Errorf("log = %v, want %v", p.Log, tt.wantLog)
			}
			if len(p.Series) != 2 {
				t.Fatalf("series %d, want baseline and current", len(p.Series))
			}
			for _, s := range p.Series {
				b := s.Box
				if !b.HasData {
					continue
				}
				for _, v := range []float64{b.WLo, b.Q1, b.Med, b.Q3, b.WHi} {
					if math.IsNaN(v) || v < p.Left-0.01 || v > p.Right+0.01 {
						t.Errorf("%s box coordinate %v outside [%v, %v]", s.Name, v, p.Left, p.Right)
					}
				}
				if !(b.WLo <= b.Q1 && b.Q1 <= b.Med && b.Med <= b.Q3 && b.Q3 <= b.WHi) {
					t.Errorf("%s box out of order: %+v", s.Name, b)
				}
			}
			if len(p.Ticks) == 0 {
				t.Error("no x ticks")
			}
		})
	}
}
