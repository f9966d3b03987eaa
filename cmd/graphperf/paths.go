package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// checkFileFlag checks, before any work, that the file path given to flag
// can be written: its directory exists and accepts new files. An empty
// path is not checked.
func checkFileFlag(flag, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usageErrorf("--%s %s: is a directory, expected a file name", flag, path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return usageErrorf("--%s %s: directory %s does not exist", flag, path, dir)
	}
	if err := probeDir(dir); err != nil {
		return usageErrorf("--%s %s: cannot write in %s: %v", flag, path, dir, errors.Unwrap(err))
	}
	return nil
}

// checkDirFlag checks, before any work, that the directory given to flag
// can be written: it exists and accepts new files, or its nearest existing
// parent does (it will be created).
func checkDirFlag(flag, dir string) error {
	if dir == "" {
		return nil
	}
	p := filepath.Clean(dir)
	for {
		st, err := os.Stat(p)
		if err == nil {
			if !st.IsDir() {
				return usageErrorf("--%s %s: %s is not a directory", flag, dir, p)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return usageErrorf("--%s %s: %v", flag, dir, err)
		}
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	if err := probeDir(p); err != nil {
		return usageErrorf("--%s %s: cannot write in %s: %v", flag, dir, p, errors.Unwrap(err))
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

// writeFileAtomic writes a file through write under a temporary name in
// the same directory and renames it into place only when complete, so that
// a failure or Ctrl-C never leaves a truncated file (and never destroys an
// older one). The file gets 0666 less the umask, like other tools' output.
func writeFileAtomic(name string, write func(io.Writer) error) (err error) {
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
