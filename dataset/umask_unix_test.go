//go:build unix

package dataset

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Dataset files get 0666 less the umask, like other tools' output.
func TestWrittenFilesRespectTheUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o077} {
		old := syscall.Umask(mask)
		dir := filepath.Join(t.TempDir(), "d")
		_, err := Write(context.Background(), dir, newGen(t, 2), WriteOptions{})
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) == 0 {
			t.Fatal(entries, err)
		}
		for _, e := range entries {
			st, err := os.Stat(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if want := os.FileMode(0o666 &^ mask); st.Mode().Perm() != want {
				t.Errorf("umask %03o: %s has mode %v, want %v", mask, e.Name(), st.Mode().Perm(), want)
			}
		}
	}
}
