package txn

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
	"github.com/graphperf/graphperf/dataset"
)

func prepared(t *testing.T) *Workload {
	t.Helper()
	cfg := banking.Config{Seed: 21, Scale: 0.002, UpdateShare: banking.FinBenchUpdateShare, Patterns: banking.PatternCounts{
		TransferCycles: 2, MuleChains: 2, Structuring: 2, FraudRings: 2, BlockedMediumChains: 2, FanInWithdraws: 2, GuaranteeChains: 2}}
	d, err := dataset.Source{Config: cfg}.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w, err := Prepare(context.Background(), d, PrepareConfig{Params: paramgen.Config{PerType: 5}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestSchedule checks the composition: every update of the stream once,
// at its data time × TCR; every curated type scheduled; no curated write
// scheduled twice; Duration cuts the schedule.
func TestSchedule(t *testing.T) {
	w := prepared(t)
	const tcr = 0.001
	s, err := w.Schedule(ScheduleConfig{TCR: tcr})
	if err != nil {
		t.Fatal(err)
	}
	t0, _ := w.Updates[0].Time(0)
	byType := map[string]int{}
	tw1 := map[int64]bool{}
	var updates []workload.Item
	for _, it := range s {
		byType[it.Op.Type]++
		if p, ok := it.Op.Params.(finbench.TW1Params); ok {
			if tw1[p.ID] {
				t.Errorf("TW1 person %d scheduled twice", p.ID)
			}
			tw1[p.ID] = true
		}
		switch it.Op.Params.(type) {
		case finbench.Transfer, finbench.TW13Params, finbench.TW14Params, finbench.TW15Params, finbench.TW16Params,
			finbench.TW8Params, finbench.TW9Params, finbench.TW10Params, finbench.TW11Params:
			updates = append(updates, it)
		}
	}
	if len(updates) != len(w.Updates) {
		t.Errorf("%d update writes scheduled, the stream has %d", len(updates), len(w.Updates))
	}
	for i, it := range updates {
		ts, _ := w.Updates[i].Time(0)
		if want := time.Duration(float64(time.Duration(ts-t0)*time.Millisecond) * tcr); it.At != want {
			t.Errorf("update %d at %v, want %v", i, it.At, want)
			break
		}
	}
	// All 40 FinBench transaction types: TCR1–12, TSR1–6, TW1–19, TRW1–3.
	var all []string
	for _, g := range []struct {
		prefix string
		n      int
	}{{"TCR", 12}, {"TSR", 6}, {"TW", 19}, {"TRW", 3}} {
		for i := 1; i <= g.n; i++ {
			all = append(all, fmt.Sprintf("%s%d", g.prefix, i))
		}
	}
	// The stream's write types (TW8–TW16) run only if this small stream
	// holds one of them (TW9, Company→Company invest, is rare); every other
	// type is curated and must be scheduled.
	ops, err := w.updateOps()
	if err != nil {
		t.Fatal(err)
	}
	inStream := map[string]bool{}
	for _, u := range ops {
		inStream[u.Op.Type] = true
	}
	want := 0
	for _, typ := range all {
		stream := false
		for i := 8; i <= 16; i++ {
			stream = stream || typ == fmt.Sprintf("TW%d", i)
		}
		if stream && !inStream[typ] {
			t.Logf("%s: none in this update stream", typ)
			continue
		}
		want++
		if byType[typ] == 0 {
			t.Errorf("no %s scheduled (%v)", typ, byType)
		}
	}
	if len(byType) != want {
		t.Errorf("%d types scheduled, want %d: %v", len(byType), want, byType)
	}
	for _, p := range w.Params.TW17 {
		for _, b := range w.Updates {
			for _, e := range updateEnds(b) {
				if e.From == p.AccountID || e.To == p.AccountID {
					t.Errorf("TW17 removes account %d, which update %+v references", p.AccountID, e)
				}
			}
		}
	}
	if n := byType["TW1"]; n > len(w.Params.TW1) {
		t.Errorf("%d TW1 scheduled, %d curated", n, len(w.Params.TW1))
	}
	cut, err := w.Schedule(ScheduleConfig{TCR: tcr, Duration: s.Duration() / 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(cut) == 0 || len(cut) >= len(s) || cut.Duration() > s.Duration()/2 {
		t.Errorf("cut schedule: %d of %d items, last at %v (limit %v)", len(cut), len(s), cut.Duration(), s.Duration()/2)
	}
	left, err := w.Schedule(ScheduleConfig{TCR: tcr, Frequencies: map[string]int{"TSR1": -1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range left {
		if it.Op.Type == "TSR1" {
			t.Fatal("TSR1 scheduled with frequency -1")
		}
	}
}

// TestBaselineReplaysParams checks that a run in the baseline format
// keeps the curated parameters, so that a later run replays them.
func TestBaselineReplaysParams(t *testing.T) {
	w := prepared(t)
	r := &Result{TCR: 0.5, Report: &workload.Report{Elapsed: time.Second, Types: []workload.Stats{
		{Type: "TSR1", Kind: workload.Read, Count: 2, Samples: []time.Duration{time.Millisecond, 2 * time.Millisecond}}}}}
	run, err := w.Baseline(r, 3)
	if err != nil {
		t.Fatal(err)
	}
	op := run.Operation("TSR1")
	if op == nil || len(op.Samples) != 2 || op.Samples[1] != 0.002 || run.Dataset != w.Fingerprint || run.Command != Command {
		t.Fatalf("baseline run %+v", run)
	}
	p, err := ParamsFromRun(run)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, w.Params) {
		t.Errorf("replayed parameters differ from the curated ones")
	}
}
