package workload

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// passingFrom is a fake runner whose audit passes at ratios ≥ threshold.
func passingFrom(threshold float64, tried *[]float64) func(context.Context, float64) (Audit, error) {
	return func(_ context.Context, tcr float64) (Audit, error) {
		*tried = append(*tried, tcr)
		a := Audit{Operations: 100, OnTime: 50, MinOnTime: 0.95}
		if tcr >= threshold {
			a.OnTime = 100
		}
		return a, nil
	}
}

func TestFindMax(t *testing.T) {
	tests := []struct {
		name      string
		threshold float64
		cfg       FindMaxConfig
		wantLow   float64 // the result is in [threshold, wantHigh]
		wantHigh  float64
		maxProbes int
	}{
		{"bisects to 5%", 0.037, FindMaxConfig{Low: 0.001, High: 1}, 0.037, 0.037 * 1.05, 20},
		{"bisects to 1%", 0.5, FindMaxConfig{Low: 0.01, High: 10, Precision: 0.01}, 0.5, 0.505, 20},
		{"low passes", 0.0001, FindMaxConfig{Low: 0.001, High: 1}, 0.001, 0.001, 2},
		{"probe limit", 0.037, FindMaxConfig{Low: 0.001, High: 1, MaxProbes: 4}, 0.037, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tried []float64
			res, err := FindMax(context.Background(), tt.cfg, passingFrom(tt.threshold, &tried))
			if err != nil {
				t.Fatal(err)
			}
			if res.TCR < tt.wantLow || res.TCR > tt.wantHigh {
				t.Errorf("TCR %v, want in [%v, %v]", res.TCR, tt.wantLow, tt.wantHigh)
			}
			if len(res.Probes) != len(tried) || len(tried) > tt.maxProbes {
				t.Errorf("%d probes recorded, %d run, limit %d", len(res.Probes), len(tried), tt.maxProbes)
			}
			if tried[0] != tt.cfg.High || tried[1] != tt.cfg.Low {
				t.Errorf("first probes %v, want high then low", tried[:2])
			}
			// The answer is a probed ratio that passed, and every probed
			// ratio below it failed.
			found := false
			for _, p := range res.Probes {
				if p.TCR == res.TCR {
					found = p.Audit.Passed()
				}
				if p.TCR < res.TCR && p.Audit.Passed() {
					t.Errorf("probe %v passed below the answer %v", p.TCR, res.TCR)
				}
			}
			if !found {
				t.Errorf("answer %v is not a passing probe", res.TCR)
			}
		})
	}
}

func TestFindMaxErrors(t *testing.T) {
	var tried []float64
	failing := passingFrom(100, &tried)
	boom := errors.New("boom")
	tests := []struct {
		name    string
		cfg     FindMaxConfig
		run     func(context.Context, float64) (Audit, error)
		is      error
		message string
	}{
		{"nothing passes", FindMaxConfig{Low: 0.1, High: 1}, failing, ErrNoPassingTCR, "the highest ratio 1 failed"},
		{"bad range", FindMaxConfig{Low: 1, High: 1}, failing, ErrBadConfig, "search range [1, 1]"},
		{"zero low", FindMaxConfig{High: 1}, failing, ErrBadConfig, "0 < low < high"},
		{"one probe", FindMaxConfig{Low: 0.1, High: 1, MaxProbes: 1}, failing, ErrBadConfig, "probe limit 1"},
		{"run error", FindMaxConfig{Low: 0.1, High: 1}, func(context.Context, float64) (Audit, error) { return Audit{}, boom }, boom, "run at TCR 1: boom"},
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FindMax(cancelled, FindMaxConfig{Low: 0.1, High: 1}, failing); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled search: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FindMax(context.Background(), tt.cfg, tt.run)
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %v, want %v containing %q", err, tt.is, tt.message)
			}
		})
	}
}
