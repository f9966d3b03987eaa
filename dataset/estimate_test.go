package dataset_test

import (
	"errors"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
)

// The in-memory index estimate grows with the scale, covers the measured
// peaks (scale 0.2: 150.6 MB RSS), and an absurd one is refused with a
// *ResourceError naming memory.
func TestEstimateIndex(t *testing.T) {
	small := dataset.EstimateIndex(banking.Config{Scale: 0.01})
	mid := dataset.EstimateIndex(banking.Config{Scale: 0.2})
	if small.DiskBytes != 0 || !(small.MemoryBytes < mid.MemoryBytes) || mid.MemoryBytes < 150_600<<10 {
		t.Errorf("EstimateIndex: 0.01 → %+v, 0.2 → %+v", small, mid)
	}
	var re *dataset.ResourceError
	err := dataset.Estimate{MemoryBytes: 1 << 62}.CheckMemory()
	if !errors.As(err, &re) || re.Resource != "memory" || re.Need != 1<<62 {
		t.Errorf("CheckMemory of 4 EiB = %v, want a memory *ResourceError", err)
	}
	if err := (dataset.Estimate{}).CheckMemory(); err != nil {
		t.Errorf("CheckMemory of nothing = %v", err)
	}
}
