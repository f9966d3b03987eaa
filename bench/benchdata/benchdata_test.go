package benchdata_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/benchdata"
	"github.com/graphperf/graphperf/dataset"
)

// A directory written from a configuration has that configuration's
// fingerprint and the same data; a missing directory is a *DirError.
func TestDirMatchesGenerator(t *testing.T) {
	ctx := context.Background()
	cfg := banking.Config{Seed: 5, Scale: 0.001}
	dir := filepath.Join(t.TempDir(), "d")
	g, err := banking.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dataset.Write(ctx, dir, g, dataset.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	gen, fromDir := benchdata.Spec{Gen: cfg}, benchdata.Spec{Dir: dir}
	a, err := gen.Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	b, err := fromDir.Fingerprint()
	if err != nil || a != b {
		t.Errorf("fingerprints %s and %s (%v)", a, b, err)
	}
	da, err := gen.Data(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, err := fromDir.Data(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for l, n := range da.ElementCounts() {
		if db.ElementCounts()[l] != n {
			t.Errorf("%s: %d from the generator, %d from the directory", l, n, db.ElementCounts()[l])
		}
	}
	if _, err := fromDir.Source(ctx); err != nil {
		t.Fatal(err)
	}
	missing := benchdata.Spec{Dir: filepath.Join(t.TempDir(), "nope")}
	var de *benchdata.DirError
	if _, err := missing.Fingerprint(); !errors.As(err, &de) {
		t.Errorf("missing directory: %v", err)
	}
	if _, err := missing.Source(ctx); !errors.As(err, &de) {
		t.Errorf("missing directory Source: %v", err)
	}
}
