package txn

import (
	"context"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/workload"
)

// serviceTime is a fake server on a virtual clock: every request takes
// d of simulated time and writes one element (the update stream's writes
// answer 1). With one client the run is deterministic: a lower TCR packs
// the same operations into less simulated time, until the server, busy d
// per operation, falls behind its schedule.
type serviceTime struct {
	clock *workload.VirtualClock
	d     time.Duration
}

func (s serviceTime) Submit(context.Context, workload.Request) ([]any, error) {
	s.clock.Advance(s.d)
	return []any{int64(1)}, nil
}

// TestFindMax runs Workload.FindMax on the update stream against a fake
// server with a fixed service time on a virtual clock, and checks that the
// answer is the lowest passing ratio: its run passes, a run at a ratio
// lower by the search's precision fails, every probe below the answer
// failed, and the graph was restored before every probe.
func TestFindMax(t *testing.T) {
	w := prepared(t)
	// Only the update stream: the fake server cannot answer reads.
	off := map[string]int{}
	for typ := range maps.Keys(Frequencies()) {
		off[typ] = -1
	}
	const precision = 0.05
	var resets atomic.Int64
	cfgAt := func(tcr float64) (Config, serviceTime) {
		clock := workload.NewVirtualClock(time.Unix(1_700_000_000, 0))
		return Config{
			Schedule: ScheduleConfig{TCR: tcr, Frequencies: off},
			Driver:   workload.Config{Clients: 1, Clock: clock},
			Reset:    func(context.Context) error { resets.Add(1); return nil },
		}, serviceTime{clock: clock, d: 50 * time.Millisecond}
	}
	// The probes share one clock: each run starts at its current reading.
	cfg, ex := cfgAt(0)
	res, err := w.FindMax(context.Background(), ex, cfg, workload.FindMaxConfig{Low: 1e-7, High: 1, Precision: precision})
	if err != nil {
		t.Fatal(err)
	}
	if res.Best == nil || !res.Best.Passed() || res.Best.TCR != res.TCR {
		t.Fatalf("best run %+v at TCR %v, want the passing run at the answer", res.Best, res.TCR)
	}
	if res.TCR <= 1e-7 || res.TCR >= 1 {
		t.Fatalf("TCR %v: want strictly inside the search range (the low end must fail, the high end pass)", res.TCR)
	}
	if got := resets.Load(); got != int64(len(res.Probes)) {
		t.Errorf("%d resets for %d probes", got, len(res.Probes))
	}
	for _, p := range res.Probes {
		if p.TCR < res.TCR && p.Audit.Passed() {
			t.Errorf("probe %v passed below the answer %v", p.TCR, res.TCR)
		}
	}
	// Independently: a run just below the answer (by the precision) fails,
	// the answer itself passes.
	for _, c := range []struct {
		tcr  float64
		pass bool
	}{{res.TCR, true}, {res.TCR / (1 + precision), false}} {
		cfg, ex := cfgAt(c.tcr)
		r, err := w.Run(context.Background(), ex, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.Passed() != c.pass {
			t.Errorf("run at TCR %v (answer %v): passed %v, want %v (audit %+v)", c.tcr, res.TCR, r.Passed(), c.pass, r.Report.Audit)
		}
	}
	t.Logf("lowest passing TCR %v after %d probes", res.TCR, len(res.Probes))
}
