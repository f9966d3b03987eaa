package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, problem string
	}{
		{"", ""},
		{filepath.Join(dir, "new.json"), ""},
		{file, ""},
		{dir, "is a directory, expected a file name"},
		{filepath.Join(dir, "missing", "x.json"), "directory " + filepath.Join(dir, "missing") + " does not exist"},
		{filepath.Join(file, "x.json"), "directory " + file + " does not exist"},
	} {
		err := CheckFile(tc.path)
		if tc.problem == "" {
			if err != nil {
				t.Errorf("CheckFile(%q) = %v, want nil", tc.path, err)
			}
			continue
		}
		var pe *PathError
		if !errors.As(err, &pe) || pe.Path != tc.path || pe.Problem != tc.problem {
			t.Errorf("CheckFile(%q) = %#v, want PathError %q", tc.path, err, tc.problem)
		}
	}
}

func TestCheckDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, problem string
	}{
		{"", ""},
		{dir, ""},
		{filepath.Join(dir, "a", "b"), ""},
		{file, file + " is not a directory"},
		{filepath.Join(file, "sub"), file + " is not a directory"},
	} {
		err := CheckDir(tc.path)
		if tc.problem == "" {
			if err != nil {
				t.Errorf("CheckDir(%q) = %v, want nil", tc.path, err)
			}
			continue
		}
		var pe *PathError
		if !errors.As(err, &pe) || pe.Path != tc.path || pe.Problem != tc.problem {
			t.Errorf("CheckDir(%q) = %#v, want PathError %q", tc.path, err, tc.problem)
		}
	}
}

func TestCheckUnwritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	if err := CheckFile(filepath.Join(dir, "x")); err == nil || !strings.Contains(err.Error(), "cannot write in "+dir+": "+syscall.EACCES.Error()) {
		t.Errorf("CheckFile in read-only dir = %v", err)
	}
	if err := CheckDir(filepath.Join(dir, "sub")); err == nil || !strings.Contains(err.Error(), "cannot write in "+dir+": "+syscall.EACCES.Error()) {
		t.Errorf("CheckDir under read-only dir = %v", err)
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.txt")
	write := func(s string, fail error) func(io.Writer) error {
		return func(w io.Writer) error {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
			return fail
		}
	}
	if err := WriteAtomic(name, write("old", nil)); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := WriteAtomic(name, write("half", boom)); !errors.Is(err, boom) {
		t.Fatalf("failing write: err = %v, want boom", err)
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != "old" {
		t.Errorf("after a failed write: %q, %v; want the old content", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only out.txt (temporary file left?)", len(entries))
	}
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	old := syscall.Umask(0)
	syscall.Umask(old)
	if want := os.FileMode(0o666 &^ old); st.Mode().Perm() != want {
		t.Errorf("mode %v, want %v (0666 less the umask)", st.Mode().Perm(), want)
	}
}
