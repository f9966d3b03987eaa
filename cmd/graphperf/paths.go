package main

import (
	"errors"
	"io"

	"github.com/graphperf/graphperf/internal/outfile"
)

// checkFileFlag checks, before any work, that the file path given to flag
// can be written (see outfile.CheckFile); errors name the flag (exit 2).
func checkFileFlag(flag, path string) error {
	return pathFlagError(flag, outfile.CheckFile(path))
}

// checkDirFlag checks, before any work, that the directory given to flag
// can be written or created (see outfile.CheckDir); errors name the flag.
func checkDirFlag(flag, dir string) error {
	return pathFlagError(flag, outfile.CheckDir(dir))
}

// pathFlagError turns an *outfile.PathError into a usage error naming flag.
func pathFlagError(flag string, err error) error {
	var pe *outfile.PathError
	if errors.As(err, &pe) {
		return usageErrorf("--%s %s: %s", flag, pe.Path, pe.Problem)
	}
	return err
}

// writeFileAtomic is outfile.WriteAtomic.
func writeFileAtomic(name string, write func(io.Writer) error) error {
	return outfile.WriteAtomic(name, write)
}
