package sqlite_test

import (
	"path/filepath"
	"testing"

	"regulars/preferences"
	"regulars/preferences/sqlite"
	"regulars/preferences/storetest"
)

// The SQLite engine passes the store's conformance suite, on a fresh file each time.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) preferences.Repository {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "regulars.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// Two handles on one file, as two processes (the service and a command) have.
func TestInstances(t *testing.T) {
	storetest.RunInstances(t, func(t *testing.T) (preferences.Repository, preferences.Repository) {
		path := filepath.Join(t.TempDir(), "regulars.db")
		open := func() preferences.Repository {
			db, err := sqlite.Open(path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		return open(), open()
	})
}
