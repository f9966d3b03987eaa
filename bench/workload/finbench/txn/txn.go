// Package txn composes FinBench's transaction workload from a split
// banking dataset: the update stream (the last 3% of the data by time,
// package banking) replayed as writes at its data timestamps × a time
// compression ratio, the reads and the writes the stream lacks
// interleaved at per-type frequencies with parameters curated by package
// paramgen, and every read checked by the oracle (package oracle), which
// applies the same writes to its own copy of the data.
//
// [Prepare] reads the data once (bulk part, update stream, parameters);
// [Workload.Run] executes one open-loop benchmark run on a graph that
// holds the bulk part, [Workload.Validate] runs every operation type once,
// serially, checking each answer exactly (FinBench's validation mode), and
// [Workload.FindMax] bisects the lowest time compression ratio that
// passes the schedule audit. Every run changes the graph: the caller
// restores the bulk part between runs (Config.Reset).
package txn

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
	"github.com/graphperf/graphperf/dataset"
)

// ErrNotSplit is matched (with errors.Is) by the error of [Prepare] for
// data without an update stream.
var ErrNotSplit = errors.New("the data has no update stream (generate it with an update share, e.g. FinBench's 3%)")

// Workload is a prepared FinBench transaction workload: the bulk part the
// graph starts from, the update stream and the curated parameters.
type Workload struct {
	// Fingerprint is the data's identity (dataset.Data.Fingerprint).
	Fingerprint string
	// Bulk is the bulk part, as loaded.
	Bulk []*banking.Batch
	// Updates is the update stream in time order, one element per batch.
	Updates []*banking.Batch
	// Params are the curated parameters.
	Params *paramgen.Params
}

// PrepareConfig configures [Prepare]. The zero value curates parameters
// with paramgen's defaults.
type PrepareConfig struct {
	// Params configures the curation.
	Params paramgen.Config
	// Replay, when set, is used instead of curating: the parameters of an
	// earlier run, so that both runs execute the same lists.
	Replay *paramgen.Params
}

// Prepare reads d's bulk part and update stream and curates the
// parameters (or takes cfg.Replay).
func Prepare(ctx context.Context, d *dataset.Data, cfg PrepareConfig) (*Workload, error) {
	w := &Workload{Fingerprint: d.Fingerprint}
	us, err := d.Updates(ctx)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, fmt.Errorf("txn: %s: %w", d, ErrNotSplit)
	}
	w.Updates = us
	if err := d.Run(ctx, func(b *banking.Batch) error { w.Bulk = append(w.Bulk, b); return nil }); err != nil {
		return nil, err
	}
	if cfg.Replay != nil {
		w.Params = cfg.Replay
		return w, nil
	}
	w.Params, err = paramgen.Curate(w.Model(), cfg.Params)
	if err != nil {
		return nil, err
	}
	w.Params.TW17 = w.spareRemovals(w.Params.TW17)
	return w, nil
}

// spareRemovals keeps the removals (TW17) of accounts that no update of
// the stream references, so that no update fails on a removed account.
func (w *Workload) spareRemovals(ps []finbench.TW17Params) []finbench.TW17Params {
	used := map[int64]bool{}
	for _, b := range w.Updates {
		for _, e := range updateEnds(b) {
			if e.FromLabel == banking.Account {
				used[e.From] = true
			}
			if e.ToLabel == banking.Account {
				used[e.To] = true
			}
		}
	}
	var out []finbench.TW17Params
	for _, p := range ps {
		if !used[p.AccountID] {
			out = append(out, p)
		}
	}
	return out
}

// updateEnds returns the endpoints of an update-stream batch's edges.
func updateEnds(b *banking.Batch) []banking.Ends {
	var out []banking.Ends
	for _, e := range b.Transfers {
		out = append(out, e.Ends)
	}
	for _, e := range b.Money {
		out = append(out, e.Ends)
	}
	for _, e := range b.Notes {
		out = append(out, e.Ends)
	}
	for _, e := range b.Invests {
		out = append(out, e.Ends)
	}
	for _, e := range b.Times {
		out = append(out, e.Ends)
	}
	return out
}

// Model returns a new oracle model of the bulk part: the graph as a run
// starts.
func (w *Workload) Model() *oracle.Graph {
	g := oracle.New()
	for _, b := range w.Bulk {
		g.Add(b)
	}
	return g
}

// Frequency of the operations FinBench's SF10 example does not list, in
// updates per operation (see [Frequencies]).
const (
	// SimpleReadFrequency is the frequency of each simple read TSR1–TSR6.
	SimpleReadFrequency = 10
	// ExtraWriteFrequency is the least frequency of each write the update
	// stream lacks (TW1–TW7, TW17–TW19) and of each read-write TRW1–TRW3;
	// it grows so that no curated write runs twice.
	ExtraWriteFrequency = 100
)

// Frequencies returns the number of updates per operation of every
// non-update type: FinBench's SF10 example for TCR1–TCR12
// (workload.DefaultFrequencies), SimpleReadFrequency for the simple reads
// and ExtraWriteFrequency for the other writes and the read-writes.
func Frequencies() map[string]int {
	f := workload.DefaultFrequencies()
	for i := 1; i <= 6; i++ {
		f[fmt.Sprintf("TSR%d", i)] = SimpleReadFrequency
	}
	for _, t := range extraTypes {
		f[t] = ExtraWriteFrequency
	}
	return f
}

// extraTypes are the scheduled writes and read-writes that do not come
// from the update stream.
var extraTypes = []string{"TW1", "TW2", "TW3", "TW4", "TW5", "TW6", "TW7", "TW17", "TW18", "TW19", "TRW1", "TRW2", "TRW3"}

// sources returns one operation source per type of p that has parameters:
// reads cycle through their list, writes take theirs in order (n of them).
func sources(p *paramgen.Params) map[string]sourceList {
	out := map[string]sourceList{}
	add := func(t string, n int, op func(i int) workload.Operation, write bool) {
		if n > 0 {
			out[t] = sourceList{n: n, op: op, write: write}
		}
	}
	add("TSR1", len(p.TSR1), func(i int) workload.Operation { return finbench.TSR1(p.TSR1[i].ID) }, false)
	add("TSR2", len(p.TSR2), func(i int) workload.Operation { return finbench.TSR2(p.TSR2[i]) }, false)
	add("TSR3", len(p.TSR3), func(i int) workload.Operation { return finbench.TSR3(p.TSR3[i]) }, false)
	add("TSR4", len(p.TSR4), func(i int) workload.Operation { return finbench.TSR4(p.TSR4[i]) }, false)
	add("TSR5", len(p.TSR5), func(i int) workload.Operation { return finbench.TSR5(p.TSR5[i]) }, false)
	add("TSR6", len(p.TSR6), func(i int) workload.Operation { return finbench.TSR6(p.TSR6[i]) }, false)
	addComplexReads(p, add)
	add("TW1", len(p.TW1), func(i int) workload.Operation { return finbench.TW1(p.TW1[i]) }, true)
	add("TW2", len(p.TW2), func(i int) workload.Operation { return finbench.TW2(p.TW2[i]) }, true)
	add("TW3", len(p.TW3), func(i int) workload.Operation { return finbench.TW3(p.TW3[i]) }, true)
	add("TW4", len(p.TW4), func(i int) workload.Operation { return finbench.TW4(p.TW4[i]) }, true)
	add("TW5", len(p.TW5), func(i int) workload.Operation { return finbench.TW5(p.TW5[i]) }, true)
	add("TW6", len(p.TW6), func(i int) workload.Operation { return finbench.TW6(p.TW6[i]) }, true)
	add("TW7", len(p.TW7), func(i int) workload.Operation { return finbench.TW7(p.TW7[i]) }, true)
	add("TW17", len(p.TW17), func(i int) workload.Operation { return finbench.TW17(p.TW17[i]) }, true)
	add("TW18", len(p.TW18), func(i int) workload.Operation { return finbench.TW18(p.TW18[i]) }, true)
	add("TW19", len(p.TW19), func(i int) workload.Operation { return finbench.TW19(p.TW19[i]) }, true)
	add("TRW1", len(p.TRW1), func(i int) workload.Operation { return finbench.TRW1(p.TRW1[i]) }, true)
	add("TRW2", len(p.TRW2), func(i int) workload.Operation { return finbench.TRW2(p.TRW2[i]) }, true)
	add("TRW3", len(p.TRW3), func(i int) workload.Operation { return finbench.TRW3(p.TRW3[i]) }, true)
	return out
}

// sourceList is the curated operations of one type.
type sourceList struct {
	n     int
	op    func(i int) workload.Operation
	write bool
}

// updateOps converts the update stream into timed writes.
func (w *Workload) updateOps() ([]workload.Update, error) {
	out := make([]workload.Update, 0, len(w.Updates))
	for _, b := range w.Updates {
		ops, err := finbench.UpdateOps(b)
		if err != nil {
			return nil, fmt.Errorf("txn: update stream: %w", err)
		}
		ts, _ := b.Time(0)
		for _, op := range ops {
			out = append(out, workload.Update{Time: time.UnixMilli(ts), Op: op})
		}
	}
	return out, nil
}

// ScheduleConfig configures [Workload.Schedule].
type ScheduleConfig struct {
	// TCR is the time compression ratio (see workload.ScheduleConfig).
	TCR float64
	// Frequencies override entries of [Frequencies]; a type absent from
	// both is not scheduled. A frequency of -1 leaves a type out.
	Frequencies map[string]int
	// Duration, when positive, keeps only the operations scheduled within
	// it (a shorter run over the start of the stream).
	Duration time.Duration
}

// Schedule returns the run's schedule: the update stream's writes at their
// data timestamps × TCR, and every other type at its frequency. A curated
// write type runs at most once per parameter set: its frequency is raised
// so that the stream needs no more than were curated.
func (w *Workload) Schedule(cfg ScheduleConfig) (workload.Schedule, error) {
	ups, err := w.updateOps()
	if err != nil {
		return nil, err
	}
	freq := Frequencies()
	maps.Copy(freq, cfg.Frequencies)
	reads := map[string]workload.ReadSource{}
	bf := map[string]int{}
	for _, t := range slices.Sorted(maps.Keys(sources(w.Params))) {
		s := sources(w.Params)[t]
		f, ok := freq[t]
		if !ok || f < 0 {
			continue
		}
		if s.write {
			f = max(f, (len(ups)+s.n-1)/s.n)
		}
		bf[t] = f
		reads[t] = func(i int) workload.Operation { return s.op(i % s.n) }
	}
	s, err := workload.Build(ups, reads, workload.ScheduleConfig{TCR: cfg.TCR, Frequencies: bf})
	if err != nil {
		return nil, err
	}
	if cfg.Duration > 0 {
		n, _ := slices.BinarySearchFunc(s, cfg.Duration, func(it workload.Item, d time.Duration) int {
			if it.At > d {
				return 1
			}
			return -1
		})
		s = s[:n]
	}
	return s, nil
}

// Sample returns the first curated operation of type t (a zero Operation
// when the workload has none), e.g. to show its Gremlin.
func (w *Workload) Sample(t string) workload.Operation {
	if s, ok := sources(w.Params)[t]; ok {
		return s.op(0)
	}
	return workload.Operation{}
}
