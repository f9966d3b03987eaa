package dataset

import (
	"fmt"
	"time"
)

// Summary is the one-line account of a [Write] of m to dir that took
// elapsed: elements, files, format, directory, time and rate.
func (m *Manifest) Summary(dir string, elapsed time.Duration) string {
	return fmt.Sprintf("wrote %d vertices and %d edges (%d files, %s) to %s in %.2fs: %.0f elements/s",
		m.Vertices, m.Edges, len(m.Files), m.Format, dir, elapsed.Seconds(), float64(m.Vertices+m.Edges)/elapsed.Seconds())
}
