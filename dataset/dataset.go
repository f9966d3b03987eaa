// Package dataset writes a generated banking graph to a directory and reads
// it back.
//
// A dataset directory holds one file per vertex label and per edge label
// ("Person.jsonl", "transfer.csv", ...), ground-truth.json (the injected
// patterns) and manifest.json (format, seed, config, counts and the sha256
// of every file). Files are written to temporary names and renamed into
// place only when complete; the manifest is renamed last, so a directory
// with a manifest is complete. Reading verifies the manifest and names any
// missing or tampered file.
//
// A split dataset (banking.Config.UpdateShare > 0) holds the bulk part in
// the label files and its update stream in one file per edge label
// ("updates.transfer.jsonl", ...), each in time order; the manifest
// records the split time and the update counts, and [Dataset.Read] (so
// [Data.Run], and every load) streams the bulk part only. [Data.Updates]
// returns the update stream.
package dataset

import (
	"fmt"

	"github.com/graphperf/graphperf/banking"
)

// Format is a data file format.
type Format string

// Supported formats.
const (
	JSONL Format = "jsonl"
	CSV   Format = "csv"
)

// Formats lists the accepted format names.
func Formats() []string { return []string{string(JSONL), string(CSV)} }

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case JSONL, CSV:
		return Format(s), nil
	}
	return "", fmt.Errorf("dataset: unknown format %q (accepted: jsonl, csv)", s)
}

// File names of the metadata files.
const (
	ManifestFile    = "manifest.json"
	GroundTruthFile = "ground-truth.json"
)

// ManifestVersion is the manifest layout version written by this package.
const ManifestVersion = 1

// FileEntry describes one file of a dataset.
type FileEntry struct {
	Name string `json:"name"`
	// Label is the vertex or edge label of a data file ("" for ground truth).
	Label string `json:"label,omitempty"`
	Kind  string `json:"kind,omitempty"`
	// Update marks a file of the update stream of a split dataset.
	Update bool   `json:"update,omitempty"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Manifest describes a dataset directory.
type Manifest struct {
	Version int            `json:"version"`
	Format  Format         `json:"format"`
	Seed    uint64         `json:"seed"`
	Scale   float64        `json:"scale"`
	Config  banking.Config `json:"config"`
	Sizes   banking.Sizes  `json:"sizes"`
	// Counts is the number of rows per label.
	Counts   map[string]int64 `json:"counts"`
	Vertices int64            `json:"vertices"`
	Edges    int64            `json:"edges"`
	// UpdateStart is the split time of a split dataset (epoch ms): the
	// update stream holds the elements at or after it. 0 without a split.
	UpdateStart int64 `json:"updateStart,omitempty"`
	// UpdateCounts is the number of update-stream elements per label of a
	// split dataset (Counts, Vertices and Edges count the bulk part).
	UpdateCounts map[string]int64 `json:"updateCounts,omitempty"`
	// Files lists the data files in stream order (vertex labels first),
	// then ground-truth.json.
	Files []FileEntry `json:"files"`
}

// FileName returns the data file name of label l in format f.
func FileName(l banking.Label, f Format) string { return l.String() + "." + string(f) }

// UpdateFileName returns the update-stream file name of label l in format
// f ("updates.transfer.jsonl").
func UpdateFileName(l banking.Label, f Format) string { return "updates." + FileName(l, f) }

// FileError names a dataset file that is missing, unreadable, malformed or
// does not match the manifest.
type FileError struct {
	Path    string
	Problem string
	Err     error
}

// Error implements the error interface.
func (e *FileError) Error() string {
	msg := "dataset: " + e.Path + ": " + e.Problem
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *FileError) Unwrap() error { return e.Err }

// NotEmptyError is returned by Write when the directory holds files and
// WriteOptions.Force is false.
type NotEmptyError struct{ Dir string }

// Error implements the error interface.
func (e *NotEmptyError) Error() string {
	return "dataset: output directory " + e.Dir + " is not empty"
}
