package testkit

import (
	"database/sql"
	"testing"

	"regulars/internal/app"
	"regulars/internal/shiftclock"
	"regulars/preferences/sqlstore"
)

// StoreClock is the clock of a's use cases, which tests shift to another day.
func StoreClock(a *app.App) *shiftclock.Clock { return a.Config.StoreClock.(*shiftclock.Clock) }

// QueryRow runs query (written with ? placeholders) on a's database, whichever its
// engine, for a test that checks what is stored.
func QueryRow(t testing.TB, a *app.App, query string, args ...any) *sql.Row {
	t.Helper()
	return pool(t, a, "read").QueryRow(Bind(a, query), args...)
}

// Count returns the single number query selects.
func Count(t testing.TB, a *app.App, query string, args ...any) int {
	t.Helper()
	var n int
	if err := QueryRow(t, a, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// DB is a's database pool for writes, for tests that alter what is stored directly
// (bind the statements with Bind).
func DB(t testing.TB, a *app.App) *sql.DB {
	t.Helper()
	return pool(t, a, "write")
}

// pool is SQLite's pool of that name, or PostgreSQL's one pool.
func pool(t testing.TB, a *app.App, name string) *sql.DB {
	t.Helper()
	pools := a.Store.Pools()
	if db, ok := pools[name]; ok {
		return db
	}
	if db, ok := pools["pool"]; ok {
		return db
	}
	t.Fatal("testkit: the store has no pool " + name)
	return nil
}

// Bind rewrites query's ? placeholders for a's engine.
func Bind(a *app.App, query string) string {
	if a.Store.Engine == "postgres" {
		return sqlstore.Numbered(query)
	}
	return query
}
