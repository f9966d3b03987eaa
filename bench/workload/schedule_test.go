package workload

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// namedOp is an operation that does nothing; its Type carries a label so
// that a schedule can be compared as text.
func namedOp(typ, label string) Operation {
	return Operation{Type: typ + ":" + label, Do: func(context.Context, Executor) (Result, error) { return nil, nil }}
}

func updatesAt(ms ...int64) []Update {
	base := time.UnixMilli(1_600_000_000_000)
	var us []Update
	for i, m := range ms {
		us = append(us, Update{Time: base.Add(time.Duration(m) * time.Millisecond), Op: namedOp("TW12", fmt.Sprint(i))})
	}
	return us
}

func readSource(typ string) ReadSource {
	return func(i int) Operation { return namedOp(typ, fmt.Sprint(i)) }
}

func render(s Schedule) []string {
	var out []string
	for _, it := range s {
		out = append(out, fmt.Sprintf("%v %s", it.At, it.Op.Type))
	}
	return out
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name    string
		updates []Update
		reads   map[string]ReadSource
		cfg     ScheduleConfig
		want    []string
	}{
		{
			name:    "updates at data time x TCR",
			updates: updatesAt(0, 1000, 3000),
			cfg:     ScheduleConfig{TCR: 0.5},
			want:    []string{"0s TW12:0", "500ms TW12:1", "1.5s TW12:2"},
		},
		{
			name:    "unsorted updates are ordered by time, ties keep input order",
			updates: updatesAt(2000, 0, 2000, 1000),
			cfg:     ScheduleConfig{TCR: 1},
			want:    []string{"0s TW12:1", "1s TW12:3", "2s TW12:0", "2s TW12:2"},
		},
		{
			name:    "one read per freq updates, spaced by the mean update gap",
			updates: updatesAt(0, 100, 200, 300, 400, 500, 600),
			reads:   map[string]ReadSource{"TCR1": readSource("TCR1"), "TSR1": readSource("TSR1")},
			cfg:     ScheduleConfig{TCR: 10, Frequencies: map[string]int{"TCR1": 3, "TSR1": 2}},
			// gap 1s, two types: TCR1 (rank 0) every 3s from 1/3 s, TSR1
			// (rank 1) every 2s from 2/3 s.
			want: []string{
				"0s TW12:0", "333.333333ms TCR1:0", "666.666666ms TSR1:0", "1s TW12:1", "2s TW12:2",
				"2.666666666s TSR1:1", "3s TW12:3", "3.333333333s TCR1:1", "4s TW12:4", "4.666666666s TSR1:2",
				"5s TW12:5", "6s TW12:6",
			},
		},
		{
			name: "default SF10 frequencies; types without a source are not scheduled",
			updates: updatesAt(slices.Collect(func(yield func(int64) bool) {
				for i := range int64(13) {
					if !yield(i * 10) {
						return
					}
				}
			})...),
			reads: map[string]ReadSource{"TCR10": readSource("TCR10")},
			cfg:   ScheduleConfig{TCR: 100},
			// 13 updates 1s apart; TCR10 every 6 updates from 1/2 s.
			want: []string{
				"0s TW12:0", "500ms TCR10:0", "1s TW12:1", "2s TW12:2", "3s TW12:3", "4s TW12:4", "5s TW12:5",
				"6s TW12:6", "6.5s TCR10:1", "7s TW12:7", "8s TW12:8", "9s TW12:9", "10s TW12:10",
				"11s TW12:11", "12s TW12:12",
			},
		},
		{
			name:    "an override changes one type and keeps the others",
			updates: updatesAt(0, 100, 200, 300, 400, 500, 600),
			reads:   map[string]ReadSource{"TCR1": readSource("TCR1"), "TCR10": readSource("TCR10")},
			cfg:     ScheduleConfig{TCR: 10, Frequencies: map[string]int{"TCR1": 4}},
			// TCR1 every 4 updates (one read: a second would need 8),
			// TCR10 every 6 (the default).
			want: []string{
				"0s TW12:0", "333.333333ms TCR1:0", "666.666666ms TCR10:0", "1s TW12:1", "2s TW12:2",
				"3s TW12:3", "4s TW12:4", "5s TW12:5", "6s TW12:6",
			},
		},
		{
			name:    "a single update schedules no reads",
			updates: updatesAt(5),
			reads:   map[string]ReadSource{"TCR1": readSource("TCR1")},
			cfg:     ScheduleConfig{TCR: 1},
			want:    []string{"0s TW12:0"},
		},
		{
			name: "no updates",
			cfg:  ScheduleConfig{TCR: 1},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Build(tt.updates, tt.reads, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(s); !slices.Equal(got, tt.want) {
				t.Errorf("schedule\n got %q\nwant %q", got, tt.want)
			}
			again, _ := Build(tt.updates, tt.reads, tt.cfg)
			if !slices.Equal(render(again), render(s)) {
				t.Error("Build is not deterministic")
			}
		})
	}
}

// TestBuildPhases checks on the schedule's virtual clock (Item.At) that no
// two operation types share a start instant — neither types of equal
// frequency (the six simple reads, the curated writes) nor types of
// different ones — and that types of equal frequency are spread over
// their period rather than bunched in one update gap.
func TestBuildPhases(t *testing.T) {
	ms := make([]int64, 2000)
	for i := range ms {
		ms[i] = int64(i) * 1000
	}
	freq := DefaultFrequencies()
	reads := map[string]ReadSource{}
	for typ := range freq {
		reads[typ] = readSource(typ)
	}
	for i := 1; i <= 6; i++ {
		typ := fmt.Sprintf("TSR%d", i)
		freq[typ], reads[typ] = 10, readSource(typ)
	}
	for i := 1; i <= 13; i++ {
		typ := fmt.Sprintf("W%d", i)
		freq[typ], reads[typ] = 100, readSource(typ)
	}
	for _, tcr := range []float64{1, 0.001, 0.0001} {
		s, err := Build(updatesAt(ms...), reads, ScheduleConfig{TCR: tcr, Frequencies: freq})
		if err != nil {
			t.Fatal(err)
		}
		at := map[time.Duration]string{}
		first := map[string]time.Duration{}
		n := 0
		for _, it := range s {
			typ, _, _ := strings.Cut(it.Op.Type, ":")
			if typ == "TW12" {
				continue
			}
			n++
			if _, ok := first[typ]; !ok {
				first[typ] = it.At
			}
			if other, ok := at[it.At]; ok && other != typ {
				t.Errorf("TCR %v: %s and %s both start at %v", tcr, other, typ, it.At)
			}
			at[it.At] = typ
		}
		if len(first) != len(reads) {
			t.Fatalf("TCR %v: %d types scheduled, want %d", tcr, len(first), len(reads))
		}
		// Mean update gap G = 1000 ms × TCR; the six simple reads (period
		// 10 G) must start in distinct gaps, the 13 writes (100 G) too.
		g := time.Duration(float64(time.Second) * tcr)
		for _, group := range [][]string{{"TSR1", "TSR2", "TSR3", "TSR4", "TSR5", "TSR6"},
			{"W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12", "W13"}} {
			gaps := map[time.Duration]string{}
			for _, typ := range group {
				k := first[typ] / g
				if other, ok := gaps[k]; ok {
					t.Errorf("TCR %v: %s and %s both first start in update gap %d", tcr, other, typ, k)
				}
				gaps[k] = typ
			}
		}
		if n == 0 {
			t.Fatalf("TCR %v: no reads scheduled", tcr)
		}
	}
}

func TestBuildDoesNotReorderInput(t *testing.T) {
	us := updatesAt(2000, 0)
	if _, err := Build(us, nil, ScheduleConfig{TCR: 1}); err != nil {
		t.Fatal(err)
	}
	if us[0].Op.Type != "TW12:0" {
		t.Error("Build reordered its input")
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		ups   []Update
		reads map[string]ReadSource
		cfg   ScheduleConfig
		want  string
	}{
		{"zero TCR", updatesAt(0), nil, ScheduleConfig{}, "time compression ratio 0 must be a positive number"},
		{"negative TCR", updatesAt(0), nil, ScheduleConfig{TCR: -1}, "time compression ratio -1"},
		{"read without frequency", updatesAt(0), map[string]ReadSource{"TX": readSource("TX")}, ScheduleConfig{TCR: 1}, "read type TX has no frequency"},
		{"zero frequency", updatesAt(0), map[string]ReadSource{"TCR1": readSource("TCR1")},
			ScheduleConfig{TCR: 1, Frequencies: map[string]int{"TCR1": 0}}, "frequency of TCR1 is 0"},
		{"nil source", updatesAt(0), map[string]ReadSource{"TCR1": nil}, ScheduleConfig{TCR: 1}, "read type TCR1 has a nil source"},
		{"update without Do", []Update{{Time: time.UnixMilli(0).UTC(), Op: Operation{Type: "TW1"}}}, nil, ScheduleConfig{TCR: 1},
			"update TW1 at 1970-01-01T00:00:00Z has no Do"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.ups, tt.reads, tt.cfg)
			if !errors.Is(err, ErrBadSchedule) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrBadSchedule containing %q", err, tt.want)
			}
		})
	}
}

func TestDefaultFrequencies(t *testing.T) {
	f := DefaultFrequencies()
	want := map[string]int{"TCR1": 12, "TCR2": 45, "TCR3": 23, "TCR4": 57, "TCR5": 83, "TCR6": 21,
		"TCR7": 36, "TCR8": 51, "TCR9": 21, "TCR10": 6, "TCR11": 12, "TCR12": 34}
	if len(f) != len(want) {
		t.Fatalf("%d types, want %d", len(f), len(want))
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s: %d, want %d", k, f[k], v)
		}
	}
	f["TCR1"] = 1
	if DefaultFrequencies()["TCR1"] != 12 {
		t.Error("DefaultFrequencies returns a shared map")
	}
}
