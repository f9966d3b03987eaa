package dataset

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/graphperf/graphperf/banking"
)

// Dataset is an opened dataset directory.
type Dataset struct {
	Dir      string
	Manifest Manifest
}

// Open reads dir's manifest and checks that every file it lists exists with
// the recorded size. A missing or resized file is reported as a *FileError
// naming it; content is checked by Verify and by Read.
func Open(dir string) (*Dataset, error) {
	mp := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(mp)
	if err != nil {
		problem := "cannot read manifest"
		if errors.Is(err, fs.ErrNotExist) {
			problem = "manifest missing (not a complete graphperf dataset)"
		}
		return nil, &FileError{Path: mp, Problem: problem, Err: err}
	}
	d := &Dataset{Dir: dir}
	if err := json.Unmarshal(data, &d.Manifest); err != nil {
		return nil, &FileError{Path: mp, Problem: "malformed manifest", Err: err}
	}
	m := &d.Manifest
	if m.Version != ManifestVersion {
		return nil, &FileError{Path: mp, Problem: fmt.Sprintf("manifest version %d, want %d", m.Version, ManifestVersion)}
	}
	if _, err := ParseFormat(string(m.Format)); err != nil {
		return nil, &FileError{Path: mp, Problem: "bad format", Err: err}
	}
	for _, f := range m.Files {
		if f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." {
			return nil, &FileError{Path: mp, Problem: fmt.Sprintf("bad file name %q", f.Name)}
		}
		if f.Label != "" {
			if _, ok := banking.ParseLabel(f.Label); !ok {
				return nil, &FileError{Path: mp, Problem: fmt.Sprintf("unknown label %q", f.Label)}
			}
		}
		p := filepath.Join(dir, f.Name)
		st, err := os.Stat(p)
		if err != nil {
			return nil, &FileError{Path: p, Problem: "missing", Err: err}
		}
		if st.Size() != f.Bytes {
			return nil, &FileError{Path: p, Problem: fmt.Sprintf("size %d, manifest says %d (tampered or truncated)", st.Size(), f.Bytes)}
		}
	}
	return d, nil
}

// Verify hashes every file and compares it with the manifest.
func (d *Dataset) Verify(ctx context.Context) error {
	for _, f := range d.Manifest.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(d.Dir, f.Name)
		fh, err := os.Open(p)
		if err != nil {
			return &FileError{Path: p, Problem: "cannot open", Err: err}
		}
		h := sha256.New()
		_, err = io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return &FileError{Path: p, Problem: "read failed", Err: err}
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
			return &FileError{Path: p, Problem: "sha256 " + got + " does not match the manifest (tampered)"}
		}
	}
	return nil
}

// GroundTruth reads and decodes ground-truth.json, checking its hash.
func (d *Dataset) GroundTruth() (*banking.GroundTruth, error) {
	p := filepath.Join(d.Dir, GroundTruthFile)
	var want string
	for _, f := range d.Manifest.Files {
		if f.Name == GroundTruthFile {
			want = f.SHA256
		}
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, &FileError{Path: p, Problem: "cannot read", Err: err}
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != want {
		return nil, &FileError{Path: p, Problem: "sha256 does not match the manifest (tampered)"}
	}
	var gt banking.GroundTruth
	if err := json.Unmarshal(data, &gt); err != nil {
		return nil, &FileError{Path: p, Problem: "malformed ground truth", Err: err}
	}
	return &gt, nil
}

// Read streams the data files in manifest order (vertex labels first) as
// typed batches of at most batchSize rows (≤ 0 means banking.PartitionSize),
// validating them as the generator does. Each file is hashed while it is
// read; a mismatch with the manifest is reported when the file ends, before
// its last batch is passed to fn, so that nothing of a tampered file's tail
// is delivered. Earlier batches of that file have been delivered: call
// Verify first to reject a tampered dataset before loading anything.
func (d *Dataset) Read(ctx context.Context, batchSize int, fn func(*banking.Batch) error) error {
	if batchSize <= 0 {
		batchSize = banking.PartitionSize
	}
	v := banking.NewValidator(d.Manifest.Sizes)
	for _, f := range d.Manifest.Files {
		if f.Label == "" || f.Update {
			continue
		}
		if err := d.readFile(ctx, f, batchSize, v, fn); err != nil {
			return err
		}
	}
	return nil
}

// Updates reads the update stream of a split dataset: one-element batches
// in time order (banking.SortUpdates), each file checked against the
// manifest. It is empty without a split.
func (d *Dataset) Updates(ctx context.Context) ([]*banking.Batch, error) {
	var us []*banking.Batch
	// The bulk part's vertices are not in these files: endpoints are not
	// checked here (the generator's stream is), rows and values are.
	for _, f := range d.Manifest.Files {
		if !f.Update {
			continue
		}
		l, _ := banking.ParseLabel(f.Label)
		if l.Kind() != banking.EdgeKind {
			return nil, &FileError{Path: filepath.Join(d.Dir, f.Name), Problem: "update stream of vertex label " + f.Label}
		}
		err := d.readFile(ctx, f, 1, nil, func(b *banking.Batch) error {
			us = append(us, b)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	banking.SortUpdates(us)
	return us, nil
}

func (d *Dataset) readFile(ctx context.Context, f FileEntry, batchSize int, v *banking.Validator, fn func(*banking.Batch) error) error {
	l, _ := banking.ParseLabel(f.Label)
	p := filepath.Join(d.Dir, f.Name)
	fh, err := os.Open(p)
	if err != nil {
		return &FileError{Path: p, Problem: "cannot open", Err: err}
	}
	defer fh.Close()
	h := sha256.New()
	src := bufio.NewReaderSize(io.TeeReader(fh, h), 1<<18)
	var next func() ([]string, error)
	if d.Manifest.Format == CSV {
		next, err = csvRows(src, l)
	} else {
		next = jsonRows(src, l)
	}
	if err != nil {
		return &FileError{Path: p, Problem: "bad header", Err: err}
	}
	var rows int64
	part := 0
	b := &banking.Batch{Label: l}
	flush := func() error {
		if v != nil {
			if err := v.Check(b); err != nil {
				return &FileError{Path: p, Problem: "invalid data", Err: err}
			}
		}
		if err := fn(b); err != nil {
			return err
		}
		part++
		b = &banking.Batch{Label: l, Partition: part}
		return nil
	}
	for {
		vals, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &FileError{Path: p, Problem: "line " + strconv.FormatInt(rows+1, 10), Err: err}
		}
		if err := b.AppendRow(vals); err != nil {
			return &FileError{Path: p, Problem: "row " + strconv.FormatInt(rows+1, 10), Err: err}
		}
		rows++
		if b.Len() == batchSize {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := checkSum(p, h, f); err != nil {
		return err
	}
	if rows != f.Rows {
		return &FileError{Path: p, Problem: fmt.Sprintf("%d rows, manifest says %d", rows, f.Rows)}
	}
	if b.Len() > 0 {
		return flush()
	}
	return nil
}

func checkSum(p string, h hash.Hash, f FileEntry) error {
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
		return &FileError{Path: p, Problem: "sha256 " + got + " does not match the manifest (tampered)"}
	}
	return nil
}

func csvRows(r io.Reader, l banking.Label) (func() ([]string, error), error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cols := l.Columns()
	cr.FieldsPerRecord = len(cols)
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		if head[i] != c {
			return nil, fmt.Errorf("column %d is %q, want %q", i+1, head[i], c)
		}
	}
	return cr.Read, nil
}

func jsonRows(r *bufio.Reader, l banking.Label) func() ([]string, error) {
	cols := l.Columns()
	vals := make([]string, len(cols))
	var obj map[string]json.RawMessage
	return func() ([]string, error) {
		line, err := r.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		clear(obj)
		if err := json.Unmarshal(line, &obj); err != nil {
			return nil, err
		}
		if len(obj) != len(cols) {
			return nil, fmt.Errorf("%d keys, want %d (%v)", len(obj), len(cols), cols)
		}
		for i, c := range cols {
			raw, ok := obj[c]
			if !ok {
				return nil, fmt.Errorf("missing key %q", c)
			}
			if len(raw) > 0 && raw[0] == '"' {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					return nil, fmt.Errorf("key %q: %w", c, err)
				}
				vals[i] = s
			} else {
				vals[i] = string(bytes.TrimSpace(raw))
			}
		}
		return vals, nil
	}
}
