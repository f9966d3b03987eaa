// Package benchdata selects and identifies the dataset a benchmark runs on:
// the banking generator's stream for a configuration, or a directory
// written by `graphperf generate`. It is the one place where query-bench
// and load-bench choose their data, so that both fingerprint it alike.
package benchdata

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/queries"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/loader"
)

// Spec names a dataset: Dir when set, else the generator with Gen.
type Spec struct {
	// Dir is a dataset directory written by `graphperf generate`.
	Dir string
	// Gen configures the generator (when Dir is empty).
	Gen banking.Config
}

// DirError reports a dataset directory that cannot be used.
type DirError struct {
	Dir string
	Err error
}

// Error implements the error interface.
func (e *DirError) Error() string { return fmt.Sprintf("benchdata: dataset %s: %v", e.Dir, e.Err) }

// Unwrap returns the cause.
func (e *DirError) Unwrap() error { return e.Err }

// config returns the generator configuration of the data (with defaults
// applied), and the opened directory when Dir is set. It is cheap: no data
// is generated or read.
func (s Spec) config() (banking.Config, *dataset.Dataset, error) {
	if s.Dir == "" {
		g, err := banking.New(s.Gen)
		if err != nil {
			return banking.Config{}, nil, err
		}
		return g.Config(), nil, nil
	}
	d, err := dataset.Open(s.Dir)
	if err != nil {
		return banking.Config{}, nil, &DirError{Dir: s.Dir, Err: err}
	}
	g, err := banking.New(d.Manifest.Config)
	if err != nil {
		return banking.Config{}, nil, &DirError{Dir: s.Dir, Err: fmt.Errorf("manifest config: %w", err)}
	}
	return g.Config(), d, nil
}

// Fingerprint identifies the data by its generator configuration, as the
// loader does for generated data: the same seed, scale and pattern counts
// give the same fingerprint whether the data comes from the generator or
// from a directory it wrote. It generates nothing.
func (s Spec) Fingerprint() (string, error) {
	cfg, _, err := s.config()
	if err != nil {
		return "", err
	}
	key, _ := json.Marshal(cfg)
	sum := sha256.Sum256(key)
	return "gen:" + hex.EncodeToString(sum[:8]), nil
}

// Data collects what query-bench needs to curate parameters and check
// answers (the whole dataset, in memory).
func (s Spec) Data(ctx context.Context) (*queries.Data, error) {
	_, d, err := s.config()
	if err != nil {
		return nil, err
	}
	if d == nil {
		g, err := banking.New(s.Gen)
		if err != nil {
			return nil, err
		}
		return queries.Collect(ctx, g.GroundTruth(), g.Run)
	}
	gt, err := d.GroundTruth()
	if err != nil {
		return nil, &DirError{Dir: s.Dir, Err: err}
	}
	data, err := queries.Collect(ctx, gt, func(ctx context.Context, emit func(*banking.Batch) error) error {
		return d.Read(ctx, 0, emit)
	})
	if err != nil {
		return nil, &DirError{Dir: s.Dir, Err: err}
	}
	return data, nil
}

// Source returns the data as the loader streams it (a directory is
// verified first).
func (s Spec) Source(ctx context.Context) (*loader.Source, error) {
	if s.Dir == "" {
		return loader.GeneratorSource(ctx, s.Gen)
	}
	d, err := dataset.Source{Dir: s.Dir}.Open(ctx)
	if err != nil {
		return nil, &DirError{Dir: s.Dir, Err: err}
	}
	if err := d.Verify(ctx); err != nil {
		return nil, &DirError{Dir: s.Dir, Err: err}
	}
	return loader.FromData(ctx, d)
}
