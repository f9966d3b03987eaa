package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/graphperf/graphperf/banking"
)

// Bytes written per unit of scale, measured with `graphperf generate` at
// scales 0.01, 0.05 and 1 (rounded up ~5%): the files grow linearly with
// the scale. Memory is bounded by the batches in flight, not by the scale,
// except for the account→owner tables and validation bits (≈1.3 MB per
// unit of scale): peak RSS is 60–130 MB up to scale 1; the estimate
// doubles the per-scale part for safety.
const (
	jsonlBytesPerScale  = 1.2e9
	csvBytesPerScale    = 0.57e9
	memoryBytesPerScale = 4 << 20
	memoryBaseBytes     = 160 << 20
)

// Estimate is what writing a dataset needs.
type Estimate struct {
	// DiskBytes is the size of the files.
	DiskBytes int64
	// MemoryBytes is the peak resident memory of the generator.
	MemoryBytes int64
}

// EstimateWrite returns what [Write] needs for cfg's data in format f.
func EstimateWrite(cfg banking.Config, f Format) Estimate {
	scale := cfg.Scale
	if scale <= 0 {
		scale = 0.01
	}
	per := jsonlBytesPerScale
	if f == CSV {
		per = csvBytesPerScale
	}
	return Estimate{DiskBytes: int64(per * scale), MemoryBytes: memoryBaseBytes + int64(memoryBytesPerScale*scale)}
}

// Peak resident memory of holding a whole dataset's query index in memory
// (queries.Collect, as query-bench does before timing), measured with
// /usr/bin/time -v of `graphperf query-bench --scale S` at S = 0.01, 0.05
// and 0.2: 27.7, 59.6 and 150.6 MB, i.e. at most 0.8 GB per unit of scale
// plus ≈20 MB; the estimate takes 1.5× the slope for safety.
const (
	indexBytesPerScale = 1.2e9
	indexBaseBytes     = 64 << 20
)

// EstimateIndex returns the memory needed to regenerate cfg's data and
// hold its query index (queries.Collect) in memory; it needs no disk.
func EstimateIndex(cfg banking.Config) Estimate {
	scale := cfg.Scale
	if scale <= 0 {
		scale = 0.01
	}
	return Estimate{MemoryBytes: indexBaseBytes + int64(indexBytesPerScale*scale)}
}

// EstimateStream returns the memory needed to stream cfg's data once
// (loading it, as load and load-bench do): the generator's, as for
// [EstimateWrite], with no disk.
func EstimateStream(cfg banking.Config) Estimate {
	return Estimate{MemoryBytes: EstimateWrite(cfg, JSONL).MemoryBytes}
}

// CheckMemory compares the estimate's memory with the available memory
// (MemAvailable in /proc/meminfo): a *ResourceError when it is short,
// nil when it fits or cannot be measured.
func (e Estimate) CheckMemory() error {
	if avail, ok := availableMemory(); ok && e.MemoryBytes > avail {
		return &ResourceError{Resource: "memory", Need: e.MemoryBytes, Have: avail}
	}
	return nil
}

// ResourceError reports that the machine cannot hold a dataset: Need bytes
// of Resource ("disk space", "memory") where only Have are free.
type ResourceError struct {
	Resource   string
	Path       string // the file system, for disk space
	Need, Have int64
}

// Error implements the error interface.
func (e *ResourceError) Error() string {
	where := ""
	if e.Path != "" {
		where = " on " + e.Path
	}
	return fmt.Sprintf("dataset: needs about %s of %s%s, only %s free", HumanBytes(e.Need), e.Resource, where, HumanBytes(e.Have))
}

// Check compares the estimate with the free space of the file system that
// will hold dir (its nearest existing ancestor) and with the available
// memory. It returns a *ResourceError when either is short; a resource it
// cannot measure is not checked.
func (e Estimate) Check(dir string) error {
	p := filepath.Clean(dir)
	for {
		if _, err := os.Stat(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	if free, ok := freeDisk(p); ok && e.DiskBytes > free {
		return &ResourceError{Resource: "disk space", Path: p, Need: e.DiskBytes, Have: free}
	}
	if avail, ok := availableMemory(); ok && e.MemoryBytes > avail {
		return &ResourceError{Resource: "memory", Need: e.MemoryBytes, Have: avail}
	}
	return nil
}

// availableMemory reads MemAvailable from /proc/meminfo (Linux).
func availableMemory() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// HumanBytes formats n bytes as "1.2 GB".
func HumanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
