package sqlite

import (
	"errors"

	sqlite3 "github.com/mattn/go-sqlite3"

	"regulars/preferences"
)

// StorageError turns SQLite's storage failures (a lock held too long, a full disk, an
// I/O error, a damaged file) into EUNAVAILABLE errors whose reason a client can act on;
// any other error is returned as it is. The message names no file and no SQL: the
// cause stays in Err, for the log.
func StorageError(err error) error {
	var de *preferences.Error
	var se sqlite3.Error
	if err == nil || errors.As(err, &de) || !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return preferences.Unavailable(preferences.ReasonBusy, "The database is locked by other work; retry in a moment.", err)
	case sqlite3.ErrFull:
		return preferences.Unavailable(preferences.ReasonFull, "The disk holding the database is full.", err)
	case sqlite3.ErrIoErr, sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrPerm:
		return preferences.Unavailable(preferences.ReasonFailed, "The database could not be read or written.", err)
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		return errCorrupt(err)
	}
	return err
}

func errCorrupt(err error) *preferences.Error {
	return preferences.Unavailable(preferences.ReasonCorrupt, "The database file is damaged; the operator must restore it.", err)
}
