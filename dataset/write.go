package dataset

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/graphperf/graphperf/banking"
)

// WriteOptions control Write. The zero value writes JSONL into an empty or
// missing directory.
type WriteOptions struct {
	Format Format
	// Force allows writing into a non-empty directory: files of the same
	// names are replaced, other files are left alone.
	Force bool
	// Progress, if set, is called after each batch is written with the
	// number of batches done, the total and the batch's entity count.
	Progress func(done, total, entities int)
}

type outFile struct {
	entry FileEntry
	tmp   string
	f     *os.File
	w     *bufio.Writer
	h     hash.Hash
}

func (o *outFile) write(p []byte) error {
	o.h.Write(p)
	o.entry.Bytes += int64(len(p))
	_, err := o.w.Write(p)
	return err
}

// Write generates g's batches into dir and returns the manifest. Encoding
// runs on the generator's workers; files are hashed as they are written.
// On any failure every temporary file is removed, and so is dir if Write
// created it.
func Write(ctx context.Context, dir string, g *banking.Generator, opts WriteOptions) (m *Manifest, err error) {
	if opts.Format == "" {
		opts.Format = JSONL
	}
	if _, err := ParseFormat(string(opts.Format)); err != nil {
		return nil, err
	}
	created, err := prepareDir(dir, opts.Force)
	if err != nil {
		return nil, err
	}
	var files []*outFile
	defer func() {
		if err == nil {
			return
		}
		for _, o := range files {
			if o.f != nil {
				o.f.Close()
			}
			os.Remove(o.tmp)
		}
		if created {
			os.RemoveAll(dir)
		}
	}()
	// Remove a stale manifest first: the directory must never show a
	// manifest that does not describe its files.
	if err := os.Remove(filepath.Join(dir, ManifestFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &FileError{Path: filepath.Join(dir, ManifestFile), Problem: "cannot remove old manifest", Err: err}
	}
	byLabel := make([]*outFile, banking.NumLabels)
	for _, info := range banking.Labels() {
		name := FileName(info.Label, opts.Format)
		f, err := createTemp(dir, "."+name+".*.tmp")
		if err != nil {
			return nil, &FileError{Path: filepath.Join(dir, name), Problem: "cannot create", Err: err}
		}
		o := &outFile{entry: FileEntry{Name: name, Label: info.Name, Kind: info.Kind.String()}, tmp: f.Name(), f: f,
			w: bufio.NewWriterSize(f, 1<<18), h: sha256.New()}
		files = append(files, o)
		byLabel[info.Label] = o
		if opts.Format == CSV {
			if err := o.write(banking.AppendCSVHeader(nil, info.Label)); err != nil {
				return nil, &FileError{Path: o.tmp, Problem: "write failed", Err: err}
			}
		}
	}
	csv := opts.Format == CSV
	// Encoding buffers are recycled: at scale 1 the encoded stream is over a
	// gigabyte, and fresh buffers per batch cost page faults and GC work.
	var bufs sync.Pool
	encode := func(b *banking.Batch) (*[]byte, error) {
		bp, _ := bufs.Get().(*[]byte)
		if bp == nil {
			bp = new([]byte)
		}
		if csv {
			*bp = b.AppendCSV((*bp)[:0])
		} else {
			*bp = b.AppendJSONL((*bp)[:0])
		}
		return bp, nil
	}
	done, total := 0, g.Batches()
	err = banking.RunPrepared(ctx, g, encode, func(b *banking.Batch, data *[]byte) error {
		o := byLabel[b.Label]
		err := o.write(*data)
		bufs.Put(data)
		if err != nil {
			return &FileError{Path: o.tmp, Problem: "write failed", Err: err}
		}
		o.entry.Rows += int64(b.Len())
		done++
		if opts.Progress != nil {
			opts.Progress(done, total, b.Len())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if g.Split() {
		ufs, err := writeUpdates(ctx, dir, g, opts.Format)
		files = append(files, ufs...)
		if err != nil {
			return nil, err
		}
	}
	gt, err := json.MarshalIndent(g.GroundTruth(), "", " ")
	if err != nil {
		return nil, fmt.Errorf("dataset: encoding ground truth: %w", err)
	}
	gtf, err := createTemp(dir, "."+GroundTruthFile+".*.tmp")
	if err != nil {
		return nil, &FileError{Path: filepath.Join(dir, GroundTruthFile), Problem: "cannot create", Err: err}
	}
	gto := &outFile{entry: FileEntry{Name: GroundTruthFile}, tmp: gtf.Name(), f: gtf, w: bufio.NewWriter(gtf), h: sha256.New()}
	files = append(files, gto)
	if err := gto.write(append(gt, '\n')); err != nil {
		return nil, &FileError{Path: gto.tmp, Problem: "write failed", Err: err}
	}
	cfg := g.Config()
	m = &Manifest{Version: ManifestVersion, Format: opts.Format, Seed: cfg.Seed, Scale: cfg.Scale, Config: cfg,
		Sizes: g.Sizes(), Counts: map[string]int64{}}
	if g.Split() {
		m.UpdateStart = g.UpdateStart()
	}
	for _, o := range files {
		if err := o.w.Flush(); err != nil {
			return nil, &FileError{Path: o.tmp, Problem: "write failed", Err: err}
		}
		if err := o.f.Sync(); err != nil {
			return nil, &FileError{Path: o.tmp, Problem: "sync failed", Err: err}
		}
		if err := o.f.Close(); err != nil {
			return nil, &FileError{Path: o.tmp, Problem: "close failed", Err: err}
		}
		o.f = nil
		o.entry.SHA256 = hex.EncodeToString(o.h.Sum(nil))
		m.Files = append(m.Files, o.entry)
		switch {
		case o.entry.Update:
			if m.UpdateCounts == nil {
				m.UpdateCounts = map[string]int64{}
			}
			m.UpdateCounts[o.entry.Label] = o.entry.Rows
		case o.entry.Label != "":
			m.Counts[o.entry.Label] = o.entry.Rows
			if o.entry.Kind == banking.VertexKind.String() {
				m.Vertices += o.entry.Rows
			} else {
				m.Edges += o.entry.Rows
			}
		}
	}
	for _, o := range files {
		if err := os.Rename(o.tmp, filepath.Join(dir, o.entry.Name)); err != nil {
			return nil, &FileError{Path: filepath.Join(dir, o.entry.Name), Problem: "rename failed", Err: err}
		}
	}
	mj, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return nil, fmt.Errorf("dataset: encoding manifest: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, ManifestFile), append(mj, '\n')); err != nil {
		return nil, err
	}
	return m, nil
}

// writeUpdates writes g's update stream into one temporary file per label
// that has updates, each in stream (time) order, and returns the files
// (also on failure, for the caller to remove).
func writeUpdates(ctx context.Context, dir string, g *banking.Generator, format Format) ([]*outFile, error) {
	us, err := g.Updates(ctx)
	if err != nil {
		return nil, err
	}
	var files []*outFile
	byLabel := make([]*outFile, banking.NumLabels)
	var buf []byte
	for _, u := range us {
		o := byLabel[u.Label]
		if o == nil {
			name := UpdateFileName(u.Label, format)
			f, err := createTemp(dir, "."+name+".*.tmp")
			if err != nil {
				return files, &FileError{Path: filepath.Join(dir, name), Problem: "cannot create", Err: err}
			}
			o = &outFile{entry: FileEntry{Name: name, Label: u.Label.String(), Kind: u.Label.Kind().String(), Update: true},
				tmp: f.Name(), f: f, w: bufio.NewWriter(f), h: sha256.New()}
			files = append(files, o)
			byLabel[u.Label] = o
			if format == CSV {
				if err := o.write(banking.AppendCSVHeader(nil, u.Label)); err != nil {
					return files, &FileError{Path: o.tmp, Problem: "write failed", Err: err}
				}
			}
		}
		if format == CSV {
			buf = u.AppendCSV(buf[:0])
		} else {
			buf = u.AppendJSONL(buf[:0])
		}
		if err := o.write(buf); err != nil {
			return files, &FileError{Path: o.tmp, Problem: "write failed", Err: err}
		}
		o.entry.Rows++
	}
	// Files in label order, whatever order the stream met the labels in.
	slices.SortFunc(files, func(a, b *outFile) int { return strings.Compare(a.entry.Name, b.entry.Name) })
	return files, nil
}

// prepareDir makes sure dir exists and may be written; it reports whether
// it created dir.
func prepareDir(dir string, force bool) (created bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, &FileError{Path: dir, Problem: "cannot create output directory", Err: err}
		}
		return true, nil
	case err != nil:
		return false, &FileError{Path: dir, Problem: "cannot read output directory", Err: err}
	case len(entries) > 0 && !force:
		return false, &NotEmptyError{Dir: dir}
	}
	// Hidden temporary files (".NAME.RANDOM.tmp") are what a killed
	// writer leaves behind; they are never part of a dataset.
	for _, e := range entries {
		if isStaleTemp(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return false, &FileError{Path: filepath.Join(dir, e.Name()), Problem: "cannot remove a stale temporary file", Err: err}
			}
		}
	}
	return false, nil
}

// isStaleTemp reports whether name is one of the temporary files this
// package writes before renaming them into place.
func isStaleTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp") && strings.Count(name, ".") >= 3
}

func writeFileAtomic(path string, data []byte) error {
	f, err := createTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return &FileError{Path: path, Problem: "cannot create", Err: err}
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return &FileError{Path: path, Problem: "write failed", Err: err}
	}
	return nil
}

// createTemp is os.CreateTemp with the mode other tools give new files
// (0666 less the umask, so 0644 by default) instead of 0600: the dataset
// is renamed into place and must be readable like any generated file.
func createTemp(dir, pattern string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, strings.Replace(pattern, "*", strconv.FormatUint(rand.Uint64(), 36), 1))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, pattern), Err: fs.ErrExist}
}
