package dataset

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/banking"
)

func newGen(t testing.TB, workers int) *banking.Generator {
	t.Helper()
	g, err := banking.New(banking.Config{Seed: 42, Scale: 0.005, Patterns: banking.PatternCounts{TransferCycles: 2, MuleChains: 2, FraudRings: 1, GuaranteeChains: 1}, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// generated returns every entity of the generator, merged per label.
func generated(t *testing.T, g *banking.Generator) map[banking.Label]*banking.Batch {
	t.Helper()
	out := map[banking.Label]*banking.Batch{}
	err := g.Run(context.Background(), func(b *banking.Batch) error { merge(out, b); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func merge(into map[banking.Label]*banking.Batch, b *banking.Batch) {
	m := into[b.Label]
	if m == nil {
		m = &banking.Batch{Label: b.Label}
		into[b.Label] = m
	}
	m.Persons = append(m.Persons, b.Persons...)
	m.Companies = append(m.Companies, b.Companies...)
	m.Accounts = append(m.Accounts, b.Accounts...)
	m.Loans = append(m.Loans, b.Loans...)
	m.Media = append(m.Media, b.Media...)
	m.Addresses = append(m.Addresses, b.Addresses...)
	m.Transfers = append(m.Transfers, b.Transfers...)
	m.Money = append(m.Money, b.Money...)
	m.Times = append(m.Times, b.Times...)
	m.Notes = append(m.Notes, b.Notes...)
	m.Invests = append(m.Invests, b.Invests...)
}

func TestWriteThenReadRoundTrip(t *testing.T) {
	for _, format := range []Format{JSONL, CSV} {
		t.Run(string(format), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			g := newGen(t, 2)
			var progress int
			m, err := Write(context.Background(), dir, g, WriteOptions{Format: format, Progress: func(done, total, _ int) { progress = done }})
			if err != nil {
				t.Fatal(err)
			}
			if progress != g.Batches() {
				t.Errorf("progress ended at %d of %d", progress, g.Batches())
			}
			if len(m.Files) != banking.NumLabels+1 || m.Vertices == 0 || m.Edges == 0 || m.Seed != 42 {
				t.Fatalf("manifest %+v", m)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
			d, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Verify(context.Background()); err != nil {
				t.Fatal(err)
			}
			gt, err := d.GroundTruth()
			if err != nil || !reflect.DeepEqual(gt, g.GroundTruth()) {
				t.Fatalf("ground truth differs (err %v)", err)
			}
			read := map[banking.Label]*banking.Batch{}
			batches := 0
			if err := d.Read(context.Background(), 500, func(b *banking.Batch) error {
				if b.Len() > 500 {
					t.Fatalf("batch of %d rows, want ≤ 500", b.Len())
				}
				batches++
				merge(read, b)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			want := generated(t, newGen(t, 1))
			for l := range banking.Label(banking.NumLabels) {
				if !reflect.DeepEqual(read[l], want[l]) {
					t.Errorf("%s: read back differs from generated (%d vs %d rows)", l, lenOf(read[l]), lenOf(want[l]))
				}
				if int64(lenOf(read[l])) != m.Counts[l.String()] {
					t.Errorf("%s: manifest count %d, read %d", l, m.Counts[l.String()], lenOf(read[l]))
				}
			}
		})
	}
}

func lenOf(b *banking.Batch) int {
	if b == nil {
		return 0
	}
	return b.Len()
}

func TestSameBytesWhateverTheWorkers(t *testing.T) {
	var sums []string
	for _, workers := range []int{1, 3} {
		m, err := Write(context.Background(), filepath.Join(t.TempDir(), "d"), newGen(t, workers), WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, f := range m.Files {
			all = append(all, f.Name+"="+f.SHA256)
		}
		sums = append(sums, strings.Join(all, ","))
	}
	if sums[0] != sums[1] {
		t.Fatalf("file hashes differ by worker count:\n%s\n%s", sums[0], sums[1])
	}
}

func TestWriteRefusesNonEmptyDirUnlessForced(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(context.Background(), dir, newGen(t, 2), WriteOptions{})
	var ne *NotEmptyError
	if !errors.As(err, &ne) || ne.Dir != dir {
		t.Fatalf("Write into non-empty dir = %v", err)
	}
	if _, err := Write(context.Background(), dir, newGen(t, 2), WriteOptions{Force: true}); err != nil {
		t.Fatalf("forced write: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.txt")); err != nil {
		t.Errorf("unrelated file removed: %v", err)
	}
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
}

func TestWriteFailureLeavesNothingBehind(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	g := newGen(t, 2)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Write(ctx, dir, g, WriteOptions{Progress: func(int, int, int) {
		if calls++; calls == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("created directory left behind after failure: %v", err)
	}
	// Unwritable directory: the error names the path.
	ro := filepath.Join(parent, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		t.Skip("root can write into read-only directories")
	}
	_, err = Write(context.Background(), ro, newGen(t, 2), WriteOptions{})
	var fe *FileError
	if !errors.As(err, &fe) || !strings.HasPrefix(fe.Path, ro) {
		t.Fatalf("Write into read-only dir = %v", err)
	}
}

func TestOpenAndReadNameTamperedFiles(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	if _, err := Write(context.Background(), src, newGen(t, 2), WriteOptions{Format: CSV}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		damage func(dir string) error
		file   string
		stage  string // where the damage must be caught: open, verify
	}{
		{"missing file", func(dir string) error { return os.Remove(filepath.Join(dir, "transfer.csv")) }, "transfer.csv", "open"},
		{"truncated file", func(dir string) error { return os.Truncate(filepath.Join(dir, "Person.csv"), 10) }, "Person.csv", "open"},
		{"same-size edit", func(dir string) error {
			p := filepath.Join(dir, "Account.csv")
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			i := len(b) - 2
			b[i] ^= 1
			return os.WriteFile(p, b, 0o644)
		}, "Account.csv", "verify"},
		{"missing manifest", func(dir string) error { return os.Remove(filepath.Join(dir, ManifestFile)) }, ManifestFile, "open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "d")
			if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			if err := tc.damage(dir); err != nil {
				t.Fatal(err)
			}
			d, err := Open(dir)
			if tc.stage == "verify" {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				err = d.Verify(context.Background())
				if rerr := d.Read(context.Background(), 0, func(*banking.Batch) error { return nil }); rerr == nil || !strings.Contains(rerr.Error(), tc.file) {
					t.Errorf("Read did not name %s: %v", tc.file, rerr)
				}
			}
			var fe *FileError
			if !errors.As(err, &fe) || filepath.Base(fe.Path) != tc.file {
				t.Fatalf("err = %v, want a FileError naming %s", err, tc.file)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{{"jsonl", true}, {"csv", true}, {"json", false}, {"", false}} {
		if _, err := ParseFormat(tc.in); (err == nil) != tc.ok {
			t.Errorf("ParseFormat(%q) = %v", tc.in, err)
		}
	}
}

// A writer killed with SIGKILL leaves its hidden temporary files; a forced
// write into that directory removes them and leaves only the dataset.
func TestForcedWriteRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	stale := []string{".Person.jsonl.3k2j1.tmp", ".manifest.json.x9.tmp"}
	for _, name := range append(stale, "notes.txt") {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Write(context.Background(), dir, newGen(t, 2), WriteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s survived a forced write: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("a file that is not ours was removed: %v", err)
	}
}
