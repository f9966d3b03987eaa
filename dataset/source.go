package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/graphperf/graphperf/banking"
)

// Source selects the data of a run: the dataset directory Dir written by
// [Write], or, when Dir is "", the banking generator configured by Config.
// It is the one place that switches between the two, so that every
// command reads, describes and identifies data the same way.
type Source struct {
	// Dir is a dataset directory; when set, Config is ignored.
	Dir string
	// Config configures the generator when Dir is "".
	Config banking.Config
}

// Data is an opened [Source]: the generator configuration of the data,
// its identity and a way to stream it.
type Data struct {
	// Source is what was opened.
	Source Source
	// Config is the generator configuration of the data with defaults
	// applied: Source.Config, or the manifest's with a directory.
	Config banking.Config
	// Fingerprint is the data's identity (see [Fingerprint]).
	Fingerprint string
	// Dataset is the opened directory; nil for the generator.
	Dataset *Dataset
	// Generator generates the data (with a directory: the data the
	// manifest's configuration generates, for its sizes and ground truth).
	Generator *banking.Generator
}

// Fingerprint returns the identity of the data generator configuration cfg
// produces: the same for every configuration that produces the same data
// (defaults applied, workers ignored), whether the data comes from the
// generator or from a directory written in any format. Stored benchmark
// runs and load journals compare fingerprints to refuse mixing datasets.
func Fingerprint(cfg banking.Config) (string, error) {
	g, err := banking.New(cfg)
	if err != nil {
		return "", err
	}
	return fingerprintOf(g.Config()), nil
}

func fingerprintOf(full banking.Config) string {
	key, _ := json.Marshal(full)
	sum := sha256.Sum256(key)
	return "gen:" + hex.EncodeToString(sum[:8])
}

// Open opens the source: with Dir it reads and checks the manifest (file
// contents are checked by [Data.Verify] and while streaming), otherwise it
// validates Config and prepares the generator. Errors are a *FileError for
// a directory, a *banking.ConfigError or banking.ErrTooManyPatterns for a
// configuration.
func (s Source) Open(ctx context.Context) (*Data, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := &Data{Source: s}
	cfg := s.Config
	if s.Dir != "" {
		ds, err := Open(s.Dir)
		if err != nil {
			return nil, err
		}
		d.Dataset = ds
		cfg = ds.Manifest.Config
		cfg.Workers = s.Config.Workers
	}
	g, err := banking.New(cfg)
	if err != nil {
		if d.Dataset != nil {
			return nil, &FileError{Path: s.Dir + "/" + ManifestFile, Problem: "unusable generator configuration", Err: err}
		}
		return nil, err
	}
	d.Generator, d.Config = g, g.Config()
	d.Fingerprint = fingerprintOf(d.Config)
	return d, nil
}

// Fingerprint opens the source and returns the identity of its data.
func (s Source) Fingerprint(ctx context.Context) (string, error) {
	d, err := s.Open(ctx)
	if err != nil {
		return "", err
	}
	return d.Fingerprint, nil
}

// String describes the source for people: "dir data/sf001" or
// "generator (seed 42, scale 0.01)".
func (s Source) String() string {
	if s.Dir != "" {
		return "dir " + s.Dir
	}
	return fmt.Sprintf("generator (seed %d, scale %g)", s.Config.Seed, s.Config.Scale)
}

// String describes the data for people, with the generator's defaults
// applied: "dir data/sf001" or "generator (seed 42, scale 0.01)".
func (d *Data) String() string {
	s := d.Source
	s.Config = d.Config
	return s.String()
}

// Verify hashes every file of a directory against its manifest; it does
// nothing for the generator, whose output is a pure function of Config.
func (d *Data) Verify(ctx context.Context) error {
	if d.Dataset == nil {
		return nil
	}
	return d.Dataset.Verify(ctx)
}

// GroundTruth returns the injected patterns of the data.
func (d *Data) GroundTruth() (*banking.GroundTruth, error) {
	if d.Dataset != nil {
		return d.Dataset.GroundTruth()
	}
	return d.Generator.GroundTruth(), nil
}

// Updates returns the update stream of split data
// (banking.Config.UpdateShare > 0): one-element batches in time order,
// the same from a directory as from the generator. It is empty without a
// split.
func (d *Data) Updates(ctx context.Context) ([]*banking.Batch, error) {
	if d.Dataset != nil {
		return d.Dataset.Updates(ctx)
	}
	return d.Generator.Updates(ctx)
}

// Run streams the data's batches to emit: vertex labels first, then edges,
// as the generator emits them; for split data, the bulk part only. A directory's files are checked against the
// manifest while they are read.
func (d *Data) Run(ctx context.Context, emit func(*banking.Batch) error) error {
	if d.Dataset != nil {
		return d.Dataset.Read(ctx, banking.PartitionSize, emit)
	}
	return d.Generator.Run(ctx, emit)
}
