//go:build linux || darwin || freebsd

package sqlite

import "syscall"

// freeBytes is the disk space left to an unprivileged writer in dir.
func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}
