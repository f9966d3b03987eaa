package loader

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
)

func TestDefaultStateDir(t *testing.T) {
	tests := []struct {
		src  dataset.Source
		want string
	}{
		{dataset.Source{Dir: "data/sf001"}, filepath.Join("data/sf001", ".load-state")},
		{dataset.Source{Config: banking.Config{Seed: 42, Scale: 0.01}}, filepath.Join(".graphperf", "load-seed42-scale0.01")},
	}
	for _, tt := range tests {
		if got := DefaultStateDir(tt.src); got != tt.want {
			t.Errorf("DefaultStateDir(%+v) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// failingSubmitter fails every request: the fault a Job must report as a
// SetupError naming the step, before any batch.
type failingSubmitter struct{ calls int }

func (f *failingSubmitter) Submit(context.Context, string, map[string]any) ([]any, error) {
	f.calls++
	return nil, errors.New("server gone")
}

func TestJobSetupError(t *testing.T) {
	for _, tt := range []struct {
		drop bool
		step string
	}{{true, "drop"}, {false, "schema"}} {
		sub := &failingSubmitter{}
		job := Job{Config: Config{StateDir: t.TempDir(), MaxAttempts: 1}, Drop: tt.drop}
		out, err := job.Run(context.Background(), sub, nil)
		var se *SetupError
		if out != nil || !errors.As(err, &se) || se.Step != tt.step || !strings.Contains(err.Error(), "server gone") {
			t.Errorf("drop %v: %v, %v; want a SetupError at step %s", tt.drop, out, err, tt.step)
		}
	}
	// A configuration the loader refuses is not a setup failure.
	_, err := Job{}.Run(context.Background(), &failingSubmitter{}, nil)
	if err == nil || errors.As(err, new(*SetupError)) {
		t.Errorf("no StateDir: %v, want a configuration error", err)
	}
}
