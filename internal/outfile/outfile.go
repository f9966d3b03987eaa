// Package outfile checks output paths before a long run starts and writes
// output files atomically: a failure or Ctrl-C never leaves a truncated
// file and never destroys an older one.
package outfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// PathError reports an output path that cannot be written.
type PathError struct {
	// Path is the path as given.
	Path string
	// Problem is a one-line cause, such as "directory out does not exist".
	Problem string
}

// Error implements the error interface.
func (e *PathError) Error() string { return e.Path + ": " + e.Problem }

// CheckFile checks that a file can be created at path: path is not a
// directory, its directory exists and accepts new files. An empty path is
// not checked. Errors are *PathError.
func CheckFile(path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return &PathError{Path: path, Problem: "is a directory, expected a file name"}
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return &PathError{Path: path, Problem: fmt.Sprintf("directory %s does not exist", dir)}
	}
	if err := probeDir(dir); err != nil {
		return &PathError{Path: path, Problem: fmt.Sprintf("cannot write in %s: %v", dir, errors.Unwrap(err))}
	}
	return nil
}

// CheckDir checks that dir can hold new files: it exists and accepts new
// files, or its nearest existing parent does (dir will be created). An
// empty dir is not checked. Errors are *PathError.
func CheckDir(dir string) error {
	if dir == "" {
		return nil
	}
	p := filepath.Clean(dir)
	for {
		st, err := os.Stat(p)
		if err == nil {
			if !st.IsDir() {
				return &PathError{Path: dir, Problem: fmt.Sprintf("%s is not a directory", p)}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return &PathError{Path: dir, Problem: err.Error()}
		}
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	if err := probeDir(p); err != nil {
		return &PathError{Path: dir, Problem: fmt.Sprintf("cannot write in %s: %v", p, errors.Unwrap(err))}
	}
	return nil
}

// probeDir creates and removes a file in dir: the only sure way to know
// that dir accepts new files (permissions, read-only mounts, ACLs).
func probeDir(dir string) error {
	f, err := os.CreateTemp(dir, ".graphperf-probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// WriteAtomic writes the file name through write under a temporary name in
// the same directory and renames it into place only when write and Close
// succeed. On failure the temporary file is removed and any older file
// named name is left as it was. The file gets mode 0666 less the umask,
// like other tools' output.
func WriteAtomic(name string, write func(io.Writer) error) (err error) {
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp-"+strconv.Itoa(os.Getpid()))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
