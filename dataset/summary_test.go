package dataset

import (
	"testing"
	"time"
)

func TestManifestSummary(t *testing.T) {
	m := &Manifest{Format: JSONL, Vertices: 300, Edges: 700, Files: make([]FileEntry, 5)}
	want := "wrote 300 vertices and 700 edges (5 files, jsonl) to out in 2.00s: 500 elements/s"
	if got := m.Summary("out", 2*time.Second); got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}
