package postgres

import (
	"context"
	"testing"

	"regulars/internal/pgtest"
	"regulars/preferences"
	"regulars/preferences/storetest"
)

// The PostgreSQL engine passes the store's conformance suite, on a fresh database each
// time.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) preferences.Repository {
		db, err := Open(context.Background(), pgtest.URL(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// Two instances of the service on one database.
func TestInstances(t *testing.T) {
	storetest.RunInstances(t, func(t *testing.T) (preferences.Repository, preferences.Repository) {
		url := pgtest.URL(t)
		open := func() preferences.Repository {
			db, err := Open(context.Background(), url, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		return open(), open()
	})
}
