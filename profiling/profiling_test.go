package profiling_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/graphperf/graphperf/profiling"
)

func TestStartStop(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir")
	tests := []struct {
		name     string
		cfg      profiling.Config
		wantKind profiling.Kind // "" for success
		files    []string
	}{
		{"nothing", profiling.Config{}, "", nil},
		{"both", profiling.Config{CPU: filepath.Join(dir, "c.pprof"), Heap: filepath.Join(dir, "h.pprof")}, "", []string{"c.pprof", "h.pprof"}},
		{"heap only", profiling.Config{Heap: filepath.Join(dir, "h2.pprof")}, "", []string{"h2.pprof"}},
		{"cpu unwritable", profiling.Config{CPU: filepath.Join(missing, "c.pprof")}, profiling.CPU, nil},
		{"heap unwritable", profiling.Config{CPU: filepath.Join(dir, "c3.pprof"), Heap: filepath.Join(missing, "h.pprof")}, profiling.Heap, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := profiling.Start(tt.cfg)
			if tt.wantKind != "" {
				var pe *profiling.Error
				if !errors.As(err, &pe) || pe.Kind != tt.wantKind {
					t.Fatalf("Start: %v, want a %s *Error", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Stop(); err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.files {
				st, err := os.Stat(filepath.Join(dir, f))
				if err != nil || st.Size() == 0 {
					t.Errorf("%s: %v (size %v)", f, err, st)
				}
			}
		})
	}
	// A failed start leaves the CPU profiler free for the next session.
	s, err := profiling.Start(profiling.Config{CPU: filepath.Join(dir, "again.pprof")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
}
