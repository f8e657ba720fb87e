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
	return DB(t, a).QueryRow(Bind(a, query), args...)
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

// DB is a's database pool, for tests that read or alter what is stored directly.
func DB(t testing.TB, a *app.App) *sql.DB {
	t.Helper()
	for _, name := range []string{"write", "pool"} { // SQLite's writer sees every commit
		if db, ok := a.Store.Pools()[name]; ok {
			return db
		}
	}
	t.Fatal("testkit: the store has no pool")
	return nil
}

// Bind rewrites query's ? placeholders for a's engine.
func Bind(a *app.App, query string) string {
	if a.Store.Engine == "postgres" {
		return sqlstore.Numbered(query)
	}
	return query
}
