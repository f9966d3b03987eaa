package loader

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// JournalFile is the journal's file name inside the state directory.
const JournalFile = "journal.jsonl"

// journalVersion is the record layout version.
const journalVersion = 1

// JournalHeader identifies the load a journal belongs to. A resumed load
// must present the same fingerprint, batch size and byte cap, so that it
// cuts the same batches.
type JournalHeader struct {
	Version     int    `json:"version"`
	Fingerprint string `json:"fingerprint"`
	Source      string `json:"source"`
	BatchSize   int    `json:"batchSize"`
	BatchBytes  int    `json:"batchBytes"`
	// Serializer is the wire format batches were sized in: "" for
	// GraphSON (journals written before it was recorded), "graphbinary".
	Serializer string `json:"serializer,omitempty"`
	Created    string `json:"created"`
	// ID identifies this journal (random), so that the graph's load state
	// can tell whether this journal wrote it last.
	ID string `json:"id,omitempty"`
}

// Journal operations, one JSON object per line.
const (
	opHeader = "header"
	opBegin  = "begin"  // the batch is about to be sent
	opCommit = "commit" // the server committed it (vertex ids for vertices)
	opAbort  = "abort"  // the server rejected it: nothing was committed
)

type record struct {
	Op     string         `json:"op"`
	Header *JournalHeader `json:"header,omitempty"`
	Key    string         `json:"key,omitempty"`
	Sum    string         `json:"sum,omitempty"`
	VIDs   []int64        `json:"vids,omitempty"`
	// T is when the record was written (Unix milliseconds).
	T int64 `json:"t,omitempty"`
}

// batchState is what the journal knows about one batch key.
type batchState struct {
	sum       uint64
	committed bool
	pending   bool // begun, neither committed nor aborted: ambiguous
	begun     time.Time
	vids      []int64
}

// Journal is the append-only record of the batches a load has begun and
// committed. Every record is written and fsynced before the loader moves
// on, so after a crash the journal never claims a batch the server did not
// commit; a batch begun but not resolved is "pending" and is checked
// against the graph on resume.
type Journal struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	header JournalHeader
	state  map[string]*batchState
	buf    []byte
}

// JournalExistsError is returned when a new (not resumed) load finds the
// journal of an earlier load in its state directory.
type JournalExistsError struct{ Path string }

// Error says how to continue or start over.
func (e *JournalExistsError) Error() string {
	return "loader: " + e.Path + " holds the journal of an earlier load: resume that load, " +
		"or empty the graph and reset the journal to start over"
}

// NoJournalError is returned by a resumed load that finds no journal.
type NoJournalError struct{ Path string }

// Error names the missing file.
func (e *NoJournalError) Error() string {
	return "loader: nothing to resume: no journal at " + e.Path + " and the graph records no load of this dataset"
}

// JournalMismatchError is returned when a resumed load does not match the
// load its journal recorded (other data, batch size or byte cap).
type JournalMismatchError struct {
	Path, Field, Journal, Now string
}

// Error names the field that differs.
func (e *JournalMismatchError) Error() string {
	return fmt.Sprintf("loader: journal %s was written for %s %s, this load has %s: resume with the same data and batch size, or empty the graph and start over",
		e.Path, e.Field, e.Journal, e.Now)
}

// openJournal opens the journal in dir. A fresh load (resume false) starts a
// new journal, refusing to overwrite one with records unless reset; a
// resumed load replays the existing one and checks its header against h.
func openJournal(dir string, h JournalHeader, resume, reset bool) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("loader: state directory: %w", err)
	}
	path := filepath.Join(dir, JournalFile)
	h.Version = journalVersion
	j := &Journal{path: path, state: map[string]*batchState{}}
	if resume {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &NoJournalError{Path: path}
		}
		if err != nil {
			return nil, fmt.Errorf("loader: journal: %w", err)
		}
		old, end, err := j.replay(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		// The data is identified by its fingerprint alone: the same data
		// read from the generator or from a directory resumes either way.
		for _, c := range []struct {
			field, was, now string
			differ          bool
		}{
			{"data", old.Source + " (" + old.Fingerprint + ")", h.Source + " (" + h.Fingerprint + ")", old.Fingerprint != h.Fingerprint},
			{"batch size", strconv.Itoa(old.BatchSize), strconv.Itoa(h.BatchSize), old.BatchSize != h.BatchSize},
			{"batch byte cap", strconv.Itoa(old.BatchBytes), strconv.Itoa(h.BatchBytes), old.BatchBytes != h.BatchBytes},
			{"serializer", serializerName(old.Serializer), serializerName(h.Serializer), old.Serializer != h.Serializer},
		} {
			if c.differ {
				f.Close()
				return nil, &JournalMismatchError{Path: path, Field: c.field, Journal: c.was, Now: c.now}
			}
		}
		// Drop a torn last line left by a crash mid-write.
		if err := f.Truncate(end); err != nil {
			f.Close()
			return nil, fmt.Errorf("loader: journal: %w", err)
		}
		if _, err := f.Seek(end, io.SeekStart); err != nil {
			f.Close()
			return nil, fmt.Errorf("loader: journal: %w", err)
		}
		j.f, j.header = f, *old
		return j, nil
	}
	if st, err := os.Stat(path); err == nil && st.Size() > 0 && !reset {
		return nil, &JournalExistsError{Path: path}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("loader: journal: %w", err)
	}
	if h.Created == "" {
		h.Created = time.Now().UTC().Format(time.RFC3339)
	}
	if h.ID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
		h.ID = hex.EncodeToString(b[:])
	}
	j.f, j.header = f, h
	if err := j.append(record{Op: opHeader, Header: &h}); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

// replay reads every complete record; it returns the header and the offset
// after the last complete line.
func (j *Journal) replay(f *os.File) (*JournalHeader, int64, error) {
	r := bufio.NewReaderSize(f, 1<<16)
	var (
		h    *JournalHeader
		end  int64
		line int
	)
	for {
		b, err := r.ReadBytes('\n')
		if err == io.EOF {
			break // a torn (unterminated) last line is ignored
		}
		if err != nil {
			return nil, 0, fmt.Errorf("loader: reading journal %s: %w", j.path, err)
		}
		line++
		var rec record
		if err := json.Unmarshal(bytes.TrimSpace(b), &rec); err != nil {
			return nil, 0, fmt.Errorf("loader: journal %s line %d is corrupt: %w", j.path, line, err)
		}
		end += int64(len(b))
		if rec.Op == opHeader {
			if rec.Header == nil || rec.Header.Version != journalVersion {
				return nil, 0, fmt.Errorf("loader: journal %s: unsupported header on line %d", j.path, line)
			}
			h = rec.Header
			continue
		}
		if h == nil {
			return nil, 0, fmt.Errorf("loader: journal %s has no header", j.path)
		}
		sum, err := strconv.ParseUint(rec.Sum, 16, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("loader: journal %s line %d: bad checksum %q", j.path, line, rec.Sum)
		}
		st := j.state[rec.Key]
		if st == nil {
			st = &batchState{}
			j.state[rec.Key] = st
		}
		st.sum = sum
		switch rec.Op {
		case opBegin:
			if !st.committed {
				st.pending = true
				st.begun = time.UnixMilli(rec.T)
			}
		case opCommit:
			st.committed, st.pending, st.vids = true, false, rec.VIDs
		case opAbort:
			st.pending = false
		default:
			return nil, 0, fmt.Errorf("loader: journal %s line %d: unknown op %q", j.path, line, rec.Op)
		}
	}
	if h == nil {
		return nil, 0, fmt.Errorf("loader: journal %s has no header", j.path)
	}
	return h, end, nil
}

// append writes one record and fsyncs it. Callers hold no lock.
func (j *Journal) append(rec record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.appendLocked(rec)
}

func (j *Journal) appendLocked(rec record) error {
	if j.f == nil {
		return errors.New("loader: journal closed")
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	j.buf = append(append(j.buf[:0], b...), '\n')
	if _, err := j.f.Write(j.buf); err != nil {
		return fmt.Errorf("loader: writing journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("loader: syncing journal %s: %w", j.path, err)
	}
	return nil
}

func sumText(sum uint64) string { return strconv.FormatUint(sum, 16) }

// lookup returns the recorded state of key, or nil.
func (j *Journal) lookup(key string) *batchState {
	j.mu.Lock()
	defer j.mu.Unlock()
	if st := j.state[key]; st != nil {
		cp := *st
		return &cp
	}
	return nil
}

// begin records that the batch is about to be sent.
func (j *Journal) begin(key string, sum uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now()
	if err := j.appendLocked(record{Op: opBegin, Key: key, Sum: sumText(sum), T: now.UnixMilli()}); err != nil {
		return err
	}
	st := j.state[key]
	if st == nil {
		st = &batchState{}
		j.state[key] = st
	}
	st.sum, st.pending, st.begun = sum, true, now
	return nil
}

// commit records that the server committed the batch.
func (j *Journal) commit(key string, sum uint64, vids []int64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.appendLocked(record{Op: opCommit, Key: key, Sum: sumText(sum), VIDs: vids}); err != nil {
		return err
	}
	j.state[key] = &batchState{sum: sum, committed: true, vids: vids}
	return nil
}

// abort records that the server rejected the batch (nothing committed).
func (j *Journal) abort(key string, sum uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.appendLocked(record{Op: opAbort, Key: key, Sum: sumText(sum)}); err != nil {
		return err
	}
	if st := j.state[key]; st != nil {
		st.pending = false
	}
	return nil
}

// counts returns the number of committed and pending batches.
func (j *Journal) counts() (committed, pending int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, st := range j.state {
		if st.committed {
			committed++
		} else if st.pending {
			pending++
		}
	}
	return committed, pending
}

// Path returns the journal file's path.
func (j *Journal) Path() string { return j.path }

// Close closes the journal file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// serializerName names a JournalHeader.Serializer value.
func serializerName(s string) string {
	if s == "" {
		return "graphson"
	}
	return s
}
