//go:build unix

package dataset

import "syscall"

// freeDisk returns the bytes an unprivileged user may still write on the
// file system holding path.
func freeDisk(path string) (int64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}
