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
			// gap 1s: TCR1 at 3s, 6s; TSR1 at 2s, 4s, 6s. Updates first at
			// a tie, then reads by type name.
			want: []string{
				"0s TW12:0", "1s TW12:1", "2s TW12:2", "2s TSR1:0", "3s TW12:3", "3s TCR1:0",
				"4s TW12:4", "4s TSR1:1", "5s TW12:5", "6s TW12:6", "6s TCR1:1", "6s TSR1:2",
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
			// 13 updates 1s apart; TCR10 every 6 updates: at 6s and 12s.
			want: []string{
				"0s TW12:0", "1s TW12:1", "2s TW12:2", "3s TW12:3", "4s TW12:4", "5s TW12:5",
				"6s TW12:6", "6s TCR10:0", "7s TW12:7", "8s TW12:8", "9s TW12:9", "10s TW12:10",
				"11s TW12:11", "12s TW12:12", "12s TCR10:1",
			},
		},
		{
			name:    "an override changes one type and keeps the others",
			updates: updatesAt(0, 100, 200, 300, 400, 500, 600),
			reads:   map[string]ReadSource{"TCR1": readSource("TCR1"), "TCR10": readSource("TCR10")},
			cfg:     ScheduleConfig{TCR: 10, Frequencies: map[string]int{"TCR1": 4}},
			want: []string{
				"0s TW12:0", "1s TW12:1", "2s TW12:2", "3s TW12:3", "4s TW12:4", "4s TCR1:0",
				"5s TW12:5", "6s TW12:6", "6s TCR10:0",
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
