package main

import (
	"encoding/json"
	"io"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/graph/client"
)

// hostSplit reads the per-host split of a client's requests, printed by
// load, query-bench and load-bench when --hosts names several servers.
type hostSplit struct {
	c interface{ Stats() []client.HostStats } // nil: another driver
}

// hostsOf returns the split of sub's requests; sub need not be a
// *client.Client (query-bench's comparison drivers are not).
func hostsOf(sub any) hostSplit {
	c, _ := sub.(interface{ Stats() []client.HostStats })
	return hostSplit{c: c}
}

// stats returns the hosts' counters, or nil with one host (nothing to split).
func (h hostSplit) stats() []client.HostStats {
	if h.c == nil {
		return nil
	}
	if st := h.c.Stats(); len(st) > 1 {
		return st
	}
	return nil
}

// write prints the split as a small table (nothing with one host).
func (h hostSplit) write(w io.Writer) error {
	st := h.stats()
	if st == nil {
		return nil
	}
	return client.WriteHostStats(w, st)
}

// runTable is the benchmark run's table followed by the split.
func (h hostSplit) runTable(run *baseline.Run) func(io.Writer) error {
	return h.table(func(w io.Writer) error { return report.WriteRunTable(w, run) })
}

// table is table followed by the split.
func (h hostSplit) table(table func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		if err := table(w); err != nil {
			return err
		}
		return h.write(w)
	}
}

// doc is doc (the shared document when nil) with a "hosts" member added.
func (h hostSplit) doc(doc func(report.Document) any) func(report.Document) any {
	return func(d report.Document) any {
		var v any = d
		if doc != nil {
			v = doc(d)
		}
		return withHosts{v: v, hosts: h.stats()}
	}
}

// withHosts is a JSON object with a "hosts" member added (omitted when nil).
type withHosts struct {
	v     any
	hosts []client.HostStats
}

// MarshalJSON implements json.Marshaler.
func (x withHosts) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(x.v)
	if err != nil || x.hosts == nil || len(b) < 2 || b[len(b)-1] != '}' {
		return b, err
	}
	hb, err := json.Marshal(x.hosts)
	if err != nil {
		return nil, err
	}
	if len(b) > 2 {
		b = append(b[:len(b)-1], ',')
	} else {
		b = b[:1]
	}
	b = append(b, `"hosts":`...)
	b = append(b, hb...)
	return append(b, '}'), nil
}
