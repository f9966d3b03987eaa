package dataset

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/banking"
)

func jsonlOf(bs []*banking.Batch) []string {
	var out []string
	for _, b := range bs {
		for i := range b.Len() {
			out = append(out, b.Label.String()+" "+string(b.Element(i).AppendJSONL(nil)))
		}
	}
	return out
}

// TestSplitDatasetRoundTrip writes a split dataset in both formats and
// checks that the directory streams the generator's bulk part, returns its
// update stream in the same order, records the split in the manifest and
// the fingerprint, and names a tampered update file.
func TestSplitDatasetRoundTrip(t *testing.T) {
	ctx := context.Background()
	cfg := banking.Config{Seed: 5, Scale: 0.003, UpdateShare: banking.FinBenchUpdateShare}
	gen, err := Source{Config: cfg}.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wantBulk []*banking.Batch
	if err := gen.Run(ctx, func(b *banking.Batch) error { wantBulk = append(wantBulk, b); return nil }); err != nil {
		t.Fatal(err)
	}
	wantUpd, err := gen.Updates(ctx)
	if err != nil || len(wantUpd) == 0 {
		t.Fatalf("generator updates: %d, %v", len(wantUpd), err)
	}
	plain, err := Fingerprint(banking.Config{Seed: 5, Scale: 0.003})
	if err != nil {
		t.Fatal(err)
	}
	if gen.Fingerprint == plain {
		t.Errorf("split and unsplit data share fingerprint %s", plain)
	}
	for _, format := range []Format{JSONL, CSV} {
		t.Run(string(format), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "d")
			m, err := Write(ctx, dir, gen.Generator, WriteOptions{Format: format})
			if err != nil {
				t.Fatal(err)
			}
			if m.UpdateStart != gen.Generator.UpdateStart() || m.Config.UpdateShare != cfg.UpdateShare {
				t.Errorf("manifest split %d share %v, want %d %v", m.UpdateStart, m.Config.UpdateShare, gen.Generator.UpdateStart(), cfg.UpdateShare)
			}
			var nUpd int64
			for l, n := range m.UpdateCounts {
				nUpd += n
				if _, err := os.Stat(filepath.Join(dir, UpdateFileName(mustLabel(t, l), format))); err != nil {
					t.Error(err)
				}
			}
			if nUpd != int64(len(wantUpd)) {
				t.Errorf("manifest counts %d updates, generator has %d", nUpd, len(wantUpd))
			}
			d, err := Source{Dir: dir}.Open(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d.Fingerprint != gen.Fingerprint {
				t.Errorf("directory fingerprint %s, generator %s", d.Fingerprint, gen.Fingerprint)
			}
			if err := d.Verify(ctx); err != nil {
				t.Fatal(err)
			}
			var bulk []*banking.Batch
			if err := d.Run(ctx, func(b *banking.Batch) error { bulk = append(bulk, b); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(jsonlOf(bulk), jsonlOf(wantBulk)) {
				t.Error("directory bulk part differs from the generator's")
			}
			upd, err := d.Updates(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(jsonlOf(upd), jsonlOf(wantUpd)) {
				t.Errorf("directory update stream (%d) differs from the generator's (%d) or its order", len(upd), len(wantUpd))
			}

			// A tampered update file is named.
			p := filepath.Join(dir, UpdateFileName(banking.Transfer, format))
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)-3] ^= 1
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = d.Updates(ctx)
			var fe *FileError
			if !errors.As(err, &fe) || !strings.Contains(fe.Path, "updates.transfer") {
				t.Errorf("tampered update file: %v, want a FileError naming it", err)
			}
		})
	}
}

// TestUnsplitDatasetHasNoUpdates checks that a dataset without a split
// is laid out as before: no update file, no split in the manifest.
func TestUnsplitDatasetHasNoUpdates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	m, err := Write(context.Background(), dir, newGen(t, 2), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.UpdateStart != 0 || m.UpdateCounts != nil {
		t.Errorf("manifest split %d %v, want none", m.UpdateStart, m.UpdateCounts)
	}
	for _, f := range m.Files {
		if f.Update || strings.HasPrefix(f.Name, "updates.") {
			t.Errorf("update file %s in an unsplit dataset", f.Name)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "update") {
		t.Errorf("unsplit manifest mentions updates:\n%s", raw)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if us, err := d.Updates(context.Background()); err != nil || len(us) != 0 {
		t.Errorf("Updates of an unsplit dataset: %d, %v", len(us), err)
	}
}

func mustLabel(t *testing.T, name string) banking.Label {
	t.Helper()
	l, ok := banking.ParseLabel(name)
	if !ok {
		t.Fatalf("label %q", name)
	}
	return l
}
