package loadbench

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/loader"
)

func testSource(t *testing.T) *loader.Source {
	t.Helper()
	src, err := loader.GeneratorSource(context.Background(), banking.Config{Seed: 3, Scale: 0.002,
		Patterns: banking.PatternCounts{TransferCycles: 2, MuleChains: 2, GuaranteeChains: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestBenchInputs(t *testing.T) {
	src := testSource(t)
	for _, perLabel := range []int{5, 40} {
		slice, templates, err := benchInputs(context.Background(), src, perLabel)
		if err != nil {
			t.Fatal(err)
		}
		chosen := map[banking.Label]map[int64]bool{}
		edges := 0
		for _, c := range slice {
			if c.label.Kind() == banking.VertexKind {
				if edges > 0 {
					t.Fatal("a vertex chunk follows edges in the naive slice")
				}
				if len(c.props) == 0 || len(c.props) > perLabel {
					t.Errorf("%s: %d vertices, want 1..%d", c.label, len(c.props), perLabel)
				}
				chosen[c.label] = map[int64]bool{}
				for _, id := range c.ids {
					chosen[c.label][id] = true
				}
				continue
			}
			for _, e := range c.ends {
				if !chosen[e.FromLabel][e.From] || !chosen[e.ToLabel][e.To] {
					t.Errorf("naive %s edge %v has an endpoint outside the slice", c.label, e)
				}
				edges++
			}
		}
		if edges == 0 || edges > 4*perLabel {
			t.Errorf("perLabel %d: %d naive edges, want 1..%d", perLabel, edges, 4*perLabel)
		}
		var total int64
		for _, tm := range templates {
			total += tm.count
			if _, ok := tm.props[tm.label.IDKey()]; ok && tm.label.Kind() == banking.VertexKind {
				t.Errorf("%s template keeps the id key", tm.label)
			}
			if len(tm.props) == 0 {
				t.Errorf("%s template has no properties", tm.label)
			}
		}
		if total != src.Total() {
			t.Errorf("templates cover %d elements, source has %d", total, src.Total())
		}
	}
}

// rates returns one Rate per value, over a fixed element count.
func rates(elements int64, perSec ...float64) []Rate {
	out := make([]Rate, len(perSec))
	for i, v := range perSec {
		out[i] = Rate{Elements: elements, Elapsed: time.Duration(float64(elements) / v * float64(time.Second)), PerSec: v}
	}
	return out
}

// The conversion of a result into a run: one operation per load,
// per-round elements/s, higher is better; what was loaded is the
// parameter; the run survives Save/Load and prints in Go benchmark format.
func TestBaselineRun(t *testing.T) {
	res := &Result{
		Source:     "generator (seed 5, scale 0.002)",
		Loader:     rates(14000, 13100, 12800, 13400),
		Naive:      rates(400, 229, 231, 226),
		ServerSide: rates(14000, 7700, 7750, 7690),
	}
	res.summarize()
	if res.NaiveRatio < 50 || res.ServerRatio < 1.5 {
		t.Errorf("ratios %v %v", res.NaiveRatio, res.ServerRatio)
	}
	cfg := Config{Rounds: 3, Workers: 4, BatchSize: 500}
	run := res.BaselineRun(cfg, "gen:0123456789abcdef", "--scale 0.002 --seed 5")
	if run.Command != Command || run.Dataset != "gen:0123456789abcdef" || run.Settings["dataset"] != "--scale 0.002 --seed 5" ||
		run.Settings["rounds"] != "3" || run.Settings["workers"] != "4" || run.Settings["naive-per-label"] != "50" {
		t.Errorf("run metadata: %+v", run)
	}
	want := []struct {
		name  string
		rates []Rate
		param string
	}{
		{OpLoader, res.Loader, `{"batch_size":500,"elements":14000,"workers":4}`},
		{OpNaive, res.Naive, `{"elements":400,"per_label":50}`},
		{OpServerSide, res.ServerSide, `{"batch_size":500,"elements":14000,"threads":2}`},
	}
	if len(run.Operations) != len(want) {
		t.Fatalf("%d operations, want %d", len(run.Operations), len(want))
	}
	for i, w := range want {
		op := run.Operations[i]
		if op.Name != w.name || op.Unit.Name != "elements/s" || !op.Unit.HigherIsBetter || len(op.Samples) != len(w.rates) {
			t.Fatalf("operation %d: %+v", i, op)
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
	if op := back.Operation(OpServerSide); op == nil || !slices.Equal(op.Samples, run.Operations[2].Samples) {
		t.Errorf("reloaded run lost the server-side samples: %+v", op)
	}
	var gb bytes.Buffer
	if err := report.WriteGoBench(&gb, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(gb.String(), "BenchmarkLoad/loader 1 13100 elements/s") {
		t.Errorf("gobench output:\n%s", gb.String())
	}
	var txt bytes.Buffer
	if err := res.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(txt.String(), "target") || !strings.Contains(txt.String(), "loader/naive") {
		t.Errorf("text output reports project targets or lacks the ratios:\n%s", txt.String())
	}
}

// A batch size that cannot fit under the request limit is refused.
func TestValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
	err := Config{BatchSize: 10_000_000}.Validate()
	var be *loader.BatchSizeError
	if !errors.As(err, &be) || be.Max < 1 {
		t.Errorf("huge batch: %v", err)
	}
}
