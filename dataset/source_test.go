package dataset

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/banking"
)

// The same data has one identity, whether generated or read from a
// directory in either format; other data has another.
func TestSourceFingerprintIsTheDataIdentity(t *testing.T) {
	ctx := context.Background()
	cfg := banking.Config{Seed: 42, Scale: 0.005, Patterns: banking.PatternCounts{TransferCycles: 2, MuleChains: 2, FraudRings: 1, GuaranteeChains: 1}}
	gen, err := Source{Config: cfg}.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{JSONL, CSV} {
		dir := filepath.Join(t.TempDir(), "d")
		if _, err := Write(ctx, dir, newGen(t, 3), WriteOptions{Format: f}); err != nil {
			t.Fatal(err)
		}
		got, err := Source{Dir: dir}.Fingerprint(ctx)
		if err != nil || got != gen {
			t.Errorf("%s directory fingerprint %s, %v; generator %s", f, got, err, gen)
		}
	}
	withDefaults := cfg
	withDefaults.Locale, withDefaults.Workers = "en", 7
	if got, _ := Fingerprint(withDefaults); got != gen {
		t.Errorf("explicit defaults and workers change the fingerprint: %s vs %s", got, gen)
	}
	for _, other := range []banking.Config{
		{Seed: 43, Scale: cfg.Scale, Patterns: cfg.Patterns},
		{Seed: 42, Scale: 0.006, Patterns: cfg.Patterns},
		{Seed: 42, Scale: cfg.Scale},
	} {
		if got, _ := Fingerprint(other); got == gen {
			t.Errorf("config %+v has the fingerprint of %+v", other, cfg)
		}
	}
}

// Data streams the same batches and ground truth from either source.
func TestDataRunsTheSameFromEitherSource(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "d")
	g := newGen(t, 2)
	if _, err := Write(ctx, dir, g, WriteOptions{Format: CSV}); err != nil {
		t.Fatal(err)
	}
	counts := func(src Source) map[banking.Label]int {
		d, err := src.Open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Verify(ctx); err != nil {
			t.Fatal(err)
		}
		n := map[banking.Label]int{}
		if err := d.Run(ctx, func(b *banking.Batch) error { n[b.Label] += b.Len(); return nil }); err != nil {
			t.Fatal(err)
		}
		gt, err := d.GroundTruth()
		if err != nil || len(gt.TransferCycles) != 2 {
			t.Fatalf("ground truth %v, %v", gt, err)
		}
		return n
	}
	a, b := counts(Source{Config: g.Config()}), counts(Source{Dir: dir})
	if len(a) != banking.NumLabels || len(a) != len(b) {
		t.Fatalf("labels: generator %d, directory %d", len(a), len(b))
	}
	for l, n := range a {
		if b[l] != n {
			t.Errorf("%s: generator %d, directory %d", l, n, b[l])
		}
	}
}

func TestSourceOpenErrors(t *testing.T) {
	ctx := context.Background()
	_, err := Source{Dir: t.TempDir()}.Open(ctx)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), ManifestFile) {
		t.Errorf("empty dir: %v", err)
	}
	_, err = Source{Config: banking.Config{Scale: -1}}.Open(ctx)
	var ce *banking.ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("bad scale: %v", err)
	}
}

func TestEstimateRefusesWhatTheMachineCannotHold(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet")
	small := EstimateWrite(banking.Config{Scale: 0.001}, JSONL)
	if err := small.Check(dir); err != nil {
		t.Errorf("scale 0.001 refused: %v", err)
	}
	if csv, jsonl := EstimateWrite(banking.Config{Scale: 1}, CSV), EstimateWrite(banking.Config{Scale: 1}, JSONL); csv.DiskBytes >= jsonl.DiskBytes {
		t.Errorf("csv %d bytes, jsonl %d", csv.DiskBytes, jsonl.DiskBytes)
	}
	free, ok := freeDisk(filepath.Dir(filepath.Dir(dir)))
	if !ok {
		t.Skip("cannot measure free disk space here")
	}
	huge := Estimate{DiskBytes: free + 1<<40}
	var re *ResourceError
	if err := huge.Check(dir); !errors.As(err, &re) || re.Resource != "disk space" || !strings.Contains(err.Error(), "needs about") {
		t.Errorf("%d bytes more than free: %v", huge.DiskBytes, err)
	}
	if _, ok := availableMemory(); ok {
		if err := (Estimate{MemoryBytes: 1 << 62}).Check(dir); !errors.As(err, &re) || re.Resource != "memory" {
			t.Errorf("4 EiB of memory: %v", err)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{999, "999 B"}, {1000, "1.0 kB"}, {1_200_000_000, "1.2 GB"}, {3_400_000_000_000, "3.4 TB"}} {
		if got := HumanBytes(tc.n); got != tc.want {
			t.Errorf("HumanBytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
