package gate_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/gate"
	"github.com/graphperf/graphperf/bench/stats"
)

func run(command string, samples ...float64) *baseline.Run {
	r := baseline.NewRun(command)
	r.Dataset = "gen:1"
	r.Operations = []baseline.Operation{{Name: "q", Unit: stats.Latency(), Samples: samples}}
	return r
}

// Outputs that cannot be written are found before any work.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	other := run("load-bench")
	other.Name = "lb"
	tests := []struct {
		name string
		cfg  gate.Config
		kind string // OutputError kind; "cmd" a CommandMismatchError; "" no error
	}{
		{"zero", gate.Config{}, ""},
		{"fine", gate.Config{Dir: filepath.Join(dir, "new"), Save: "x", HTML: filepath.Join(dir, "r.html")}, ""},
		{"report in a missing dir", gate.Config{HTML: filepath.Join(dir, "missing", "r.html")}, "report"},
		{"baseline dir under a file", gate.Config{Dir: filepath.Join(file, "sub"), Save: "x"}, "save"},
		{"other command", gate.Config{Command: "query-bench", Base: other}, "cmd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Check()
			var oe *gate.OutputError
			var ce *gate.CommandMismatchError
			switch tt.kind {
			case "":
				if err != nil {
					t.Fatal(err)
				}
			case "cmd":
				if !errors.As(err, &ce) {
					t.Fatalf("Check = %v, want *CommandMismatchError", err)
				}
			default:
				if !errors.As(err, &oe) || oe.Kind != tt.kind {
					t.Fatalf("Check = %v, want a %s *OutputError", err, tt.kind)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.html")); !os.IsNotExist(err) {
		t.Error("Check left a file behind")
	}
	if err := (gate.Config{Save: "../x"}).Check(); !errors.As(err, new(*baseline.InvalidNameError)) {
		t.Errorf("bad save name: %v", err)
	}
}

// An output that fails late does not stop the others; a failed run is not
// saved; the verdict is a *RegressionError only on a regression.
func TestFinish(t *testing.T) {
	dir := t.TempDir()
	cur := run("query-bench", 2, 2.1, 2.2, 2.05, 2.15, 2.12, 2.08, 2.11)
	cfg := gate.Config{Command: "query-bench", Dir: dir, Save: "x", HTML: filepath.Join(dir, "gone", "r.html")}
	out, err := cfg.Finish(cur, nil, true)
	var oe *gate.OutputError
	if !errors.As(err, &oe) || oe.Kind != "report" || !strings.Contains(err.Error(), "r.html") {
		t.Errorf("Finish = %v, want the report's *OutputError", err)
	}
	if out.Saved == "" {
		t.Fatal("the run was not saved because the report failed")
	}
	if _, err := os.Stat(out.Saved); err != nil {
		t.Fatal(err)
	}
	cfg.HTML, cfg.Save = "", "failed"
	if out, err := cfg.Finish(cur, nil, false); err != nil || out.Saved != "" {
		t.Errorf("a failed run: %+v, %v; want nothing saved", out, err)
	}

	base := run("query-bench", 1, 1.1, 1.05, 1.02, 1.08, 1.01, 1.03, 1.04)
	base.Name = "main"
	cfg = gate.Config{Command: "query-bench", Base: base}
	rep, err := cfg.CompareRun(cur)
	if err != nil {
		t.Fatal(err)
	}
	var re *gate.RegressionError
	if err := cfg.Verdict(rep); !errors.As(err, &re) || re.BaseName != "main" || re.Regressions[0] != "q" {
		t.Errorf("Verdict = %v, want a regression of q against main", err)
	}
	if err := cfg.Verdict(nil); err != nil {
		t.Errorf("Verdict(nil) = %v", err)
	}
	// Nothing in common: the comparison errs rather than passing.
	disjoint := run("query-bench", 1, 2, 3)
	disjoint.Operations[0].Name = "other"
	if _, err := cfg.CompareRun(disjoint); !errors.As(err, new(*compare.NothingComparedError)) {
		t.Errorf("disjoint runs: %v", err)
	}
	if err := cfg.CheckDataset("gen:2"); !errors.As(err, new(*compare.DatasetMismatchError)) {
		t.Errorf("CheckDataset: %v", err)
	}
}

func TestParseCompare(t *testing.T) {
	tests := []struct {
		failOn, minDelta string
		s                gate.Samples
		setting, want    string // "" setting: no error
	}{
		{"median:10%,p95:25%", "1ms+2%", gate.Latencies, "", ""},
		{"median:10%", "500+2%", gate.Rates, "", ""},
		{"ops:5%", "", gate.Latencies, "", ""},
		{"median:ten%", "", gate.Latencies, "fail-on", "accepted grammar"},
		{"ops:5%", "", gate.Rates, "fail-on", "applies to latencies"},
		{"", "1ms", gate.Rates, "min-delta", `"1ms" is a duration`},
		{"", "fast", gate.Latencies, "min-delta", ""},
	}
	for _, tt := range tests {
		cfg, err := gate.ParseCompare(tt.failOn, tt.minDelta, tt.s)
		var se *gate.SettingError
		switch {
		case tt.setting == "" && err != nil:
			t.Errorf("ParseCompare(%q, %q): %v", tt.failOn, tt.minDelta, err)
		case tt.setting == "" && (tt.failOn != "" && cfg.FailOn == nil || tt.minDelta != "" && cfg.MinDelta == nil):
			t.Errorf("ParseCompare(%q, %q) = %+v: a setting was lost", tt.failOn, tt.minDelta, cfg)
		case tt.setting != "" && (!errors.As(err, &se) || se.Setting != tt.setting || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("ParseCompare(%q, %q) error %v, want a *SettingError for %s containing %q", tt.failOn, tt.minDelta, err, tt.setting, tt.want)
		}
	}
}

func TestCanFail(t *testing.T) {
	base := &baseline.Run{Operations: []baseline.Operation{{Name: "a", Samples: make([]float64, 5)}, {Name: "b", Samples: make([]float64, 3)}}}
	tests := []struct {
		name      string
		cfg       gate.Config
		rounds    int
		wantRound int
		wantOK    bool
	}{
		{"nothing compared", gate.Config{}, 2, 2, true},
		{"saved, 3 rounds of 3 loads", gate.Config{Save: "x"}, 3, 3, false},
		{"saved, 5 rounds of 3 loads", gate.Config{Save: "x"}, 5, 5, true},
		{"base with an operation of 3 samples", gate.Config{Base: base}, 3, 3, false},
		{"base with 3 samples, 10 rounds", gate.Config{Base: base}, 10, 3, true},
	}
	for _, tt := range tests {
		n1, ok := tt.cfg.CanFail(tt.rounds, 3)
		if n1 != tt.wantRound || ok != tt.wantOK {
			t.Errorf("%s: CanFail = %d, %v; want %d, %v", tt.name, n1, ok, tt.wantRound, tt.wantOK)
		}
	}
}
