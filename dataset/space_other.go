//go:build !unix

package dataset

// freeDisk cannot measure free space on this platform.
func freeDisk(string) (int64, bool) { return 0, false }
