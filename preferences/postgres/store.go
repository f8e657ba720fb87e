package postgres

import (
	"errors"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"regulars/preferences"
	"regulars/preferences/sqlstore"
)

// Dialect is PostgreSQL's under the shared SQL: numbered placeholders, timestamptz.
var Dialect = sqlstore.Dialect{
	Name:     "postgres",
	Numbered: true,
	TimeArg:  func(t time.Time) any { return t },
	IsUnique: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505"
	},
	Storage:        StorageError,
	StatementReads: true,
}

// StorageError turns PostgreSQL's storage failures into EUNAVAILABLE errors whose
// reason a client can act on; any other error is returned as it is. The message names
// no server and no SQL: the cause stays in Err, for the log.
func StorageError(err error) error {
	var de *preferences.Error
	if err == nil || errors.As(err, &de) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53100": // disk_full
			return preferences.Unavailable(preferences.ReasonFull, "The disk holding the database is full.", err)
		case pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03", pe.Code == "57014", pe.Code == "53300":
			// serialization failure, deadlock, lock not available, statement timeout, too many connections
			return preferences.Unavailable(preferences.ReasonBusy, "The database is busy with other work; retry in a moment.", err)
		case pe.Code == "XX001", pe.Code == "XX002": // data or index corrupted
			return preferences.Unavailable(preferences.ReasonCorrupt, "The database is damaged; the operator must restore it.", err)
		case len(pe.Code) == 5 && (pe.Code[:2] == "08" || pe.Code[:2] == "57" || pe.Code[:2] == "58"):
			// connection exceptions, operator intervention (shutdown), system errors (I/O)
			return preferences.Unavailable(preferences.ReasonFailed, "The database could not be reached or written.", err)
		}
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) || pgconn.SafeToRetry(err) {
		return preferences.Unavailable(preferences.ReasonFailed, "The database could not be reached.", err)
	}
	return err
}
