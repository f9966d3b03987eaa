package progress_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/graphperf/graphperf/internal/progress"
)

// Anything but a terminal gets no bar: a buffer and a regular file stay
// empty, and the callbacks are safe to call.
func TestNoBarOutsideTerminals(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if progress.IsTerminal(f) || progress.IsTerminal(&buf) {
		t.Fatal("a regular file or a buffer is a terminal")
	}
	for _, w := range []io.Writer{&buf, f} {
		for _, quiet := range []bool{false, true} {
			update, finish := progress.Bar(w, "loading", 10, quiet)
			update(5, "edges")
			finish()
		}
	}
	if st, _ := f.Stat(); buf.Len() != 0 || st.Size() != 0 {
		t.Errorf("bar written outside a terminal: buffer %q, file %d bytes", buf.String(), st.Size())
	}
}
