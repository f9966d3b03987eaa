// Package progress draws a progress bar on a terminal, and nothing
// anywhere else, so that bars never corrupt logs or pipes.
package progress

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar returns a callback drawing a bar of total steps, described by what
// (plus the phase given to the callback, when not ""), on w, and the
// function that clears it. Both do nothing when quiet is set or w is not a
// terminal.
func Bar(w io.Writer, what string, total int64, quiet bool) (update func(done int64, phase string), finish func()) {
	if quiet || !IsTerminal(w) {
		return func(int64, string) {}, func() {}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish())
	return func(done int64, phase string) {
			if phase != "" {
				bar.Describe(what + " " + phase)
			}
			_ = bar.Set64(done)
		}, func() {
			_ = bar.Finish()
		}
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
