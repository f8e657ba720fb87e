package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"regulars/preferences"
)

var testDesk = preferences.Actor{Name: "desk", Role: preferences.RoleFrontDesk}

// openTestDB opens the database at path, closed when t ends.
func openTestDB(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openWriterTest opens a database in t.TempDir() with a table for the tests' writes.
func openWriterTest(t *testing.T) *DB {
	t.Helper()
	db := openTestDB(t, filepath.Join(t.TempDir(), "regulars.db"))
	if _, err := db.write.Exec(`CREATE TABLE writer_test (name TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// insertName writes one row of the tests' table on the writing connection.
func insertName(db *DB, name string) error {
	_, err := db.write.Exec(`INSERT INTO writer_test (name) VALUES (?)`, name)
	return err
}

// serviceOn returns the use cases over db, closed when t ends.
func serviceOn(t *testing.T, db *DB) *preferences.Service {
	t.Helper()
	s, err := preferences.NewService(db, preferences.ServiceOptions{Secret: []byte("0123456789abcdef0123"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func newGuest(family string) preferences.GuestFields {
	return preferences.GuestFields{FamilyName: &family}
}
