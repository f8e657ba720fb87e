//go:build !(linux || darwin || freebsd)

package sqlite

import "errors"

// freeBytes is not known here: Health skips the check.
func freeBytes(string) (uint64, error) { return 0, errors.New("free disk space unknown") }
