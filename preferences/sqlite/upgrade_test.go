package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
	"regulars/preferences/storetest"
)

// A database made by the migrations before properties (up to 0019) becomes a group of
// one property, MAIN, with every row it had.
func TestUpgradeToProperties(t *testing.T) {
	path := filepath.Join(t.TempDir(), "regulars.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for _, f := range files {
		if filepath.Base(f) >= "0021" { // properties and after
			break
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, filepath.ToSlash(f), "2026-01-01T00:00:00.000000Z"); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Upgrade(t, storetest.OldDatabase{
		Exec: func(t *testing.T, query string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(query, args...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		},
		At: func(tm time.Time) any { return sqlite.Dialect.TimeArg(tm.UTC()) },
		Open: func(t *testing.T) preferences.Repository {
			raw.Close()
			db, err := sqlite.Open(path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			var bad int
			if err := db.Reader().QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&bad); err != nil || bad != 0 {
				t.Fatalf("foreign keys broken by the upgrade: %d, %v", bad, err)
			}
			// The summaries the triggers keep came through the rebuilt stays table.
			var count int
			var open string
			if err := db.Reader().QueryRow(`SELECT (SELECT stays_count FROM guests WHERE id = 'g_ding'),
				(SELECT open_stay_id FROM guests WHERE id = 'g_qin')`).Scan(&count, &open); err != nil || count != 1 || open != "s_open" {
				t.Fatalf("guest summaries after the upgrade: %d stays, open %q, %v", count, open, err)
			}
			return db
		},
	})
}
