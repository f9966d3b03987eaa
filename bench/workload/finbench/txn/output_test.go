package txn

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/workload"
)

func TestParseFrequencies(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    map[string]int
		unknown bool
		bad     bool
	}{
		{in: "", want: nil},
		{in: "TCR1=6,TSR1=-1", want: map[string]int{"TCR1": 6, "TSR1": -1}},
		{in: "TCR1", bad: true},
		{in: "TCR1=0", bad: true},
		{in: "TCR1=-2", bad: true},
		{in: "=3", bad: true},
		{in: "TW12=3", unknown: true},
	} {
		got, err := ParseFrequencies(tc.in)
		var fe *FrequencyError
		switch {
		case tc.bad || tc.unknown:
			if !errors.As(err, &fe) || fe.Unknown != tc.unknown {
				t.Errorf("%q: error %v, want a *FrequencyError with Unknown %v", tc.in, err, tc.unknown)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case len(got) != len(tc.want):
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		default:
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%q: %s=%d, want %d", tc.in, k, got[k], v)
				}
			}
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg   Config
		field string // "" for valid
	}{
		{Config{Schedule: ScheduleConfig{TCR: 0.001}}, ""},
		{Config{Schedule: ScheduleConfig{TCR: 0}}, "Schedule.TCR"},
		{Config{Schedule: ScheduleConfig{TCR: 2e6}}, "Schedule.TCR"},
		{Config{Schedule: ScheduleConfig{TCR: 1, Duration: -time.Second}}, "Schedule.Duration"},
		{Config{Schedule: ScheduleConfig{TCR: 1}, Driver: workload.Config{Warmup: -time.Second}}, "Driver.Warmup"},
		{Config{Schedule: ScheduleConfig{TCR: 1}, Driver: workload.Config{Clients: -1}}, "Driver.Clients"},
	} {
		err := tc.cfg.Validate()
		var ce *ConfigError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: %v", tc.cfg, err)
		case tc.field != "" && (!errors.As(err, &ce) || ce.Field != tc.field):
			t.Errorf("%+v: error %v, want a *ConfigError on %s", tc.cfg, err, tc.field)
		}
	}
}

func TestValidationWriteText(t *testing.T) {
	v := &Validation{Outcomes: []Outcome{
		{Type: "TCR1", Latency: 12 * time.Millisecond},
		{Type: "TW1", Latency: 3 * time.Millisecond, Err: errors.New("wrong count")},
	}}
	var b strings.Builder
	if err := v.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := "TCR1      12ms  ok\nTW1        3ms  FAILED: wrong count\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}
