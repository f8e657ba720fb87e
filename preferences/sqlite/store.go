package sqlite

import (
	"time"

	"regulars/preferences/sqlstore"
)

// Dialect is SQLite's under the shared SQL: ? placeholders, instants as fixed-width
// UTC text.
var Dialect = sqlstore.Dialect{
	Name:     "sqlite",
	TimeArg:  func(t time.Time) any { return t.Format(sqlstore.TimeLayout) },
	IsUnique: isUnique,
	Storage:  StorageError,
}
