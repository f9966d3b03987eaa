package mutation

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// copyFixture copies testdata/<name> into a fresh temporary directory and
// returns that directory.
func copyFixture(t testing.TB, name string) string {
	t.Helper()
	dst := t.TempDir()
	if err := copyDir(filepath.Join("testdata", name), dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
