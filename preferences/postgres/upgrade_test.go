package postgres

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"
	"time"

	"regulars/internal/pgtest"
	"regulars/preferences"
	"regulars/preferences/sqlstore"
	"regulars/preferences/storetest"
)

// A database made by the migrations before properties (up to 0012) becomes a group of
// one property, MAIN, with every row it had.
func TestUpgradeToProperties(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	list, err := migrations(sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.version >= 14 { // properties and after
			break
		}
		body, err := fs.ReadFile(sub, m.file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", m.file, err)
		}
		if _, err := raw.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.file); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Upgrade(t, storetest.OldDatabase{
		Exec: func(t *testing.T, query string, args ...any) {
			t.Helper()
			if _, err := raw.ExecContext(ctx, sqlstore.Numbered(query), args...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		},
		At: func(tm time.Time) any { return tm.UTC() },
		Open: func(t *testing.T) preferences.Repository {
			db, err := Open(ctx, url, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
	})
}
