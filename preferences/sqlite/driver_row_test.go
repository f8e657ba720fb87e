package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// The values the driver returns for each storage class, read through readRow (the
// driver directly) and scanRow (database/sql), alike.
func TestDriverRowReadsEachStorageClass(t *testing.T) {
	db := openTestDB(t, filepath.Join(t.TempDir(), "r.db"))
	ctx := context.Background()
	const query = `SELECT 'text', x'c3a9', 42, NULL, ?, ? WHERE ? = 'yes'`
	check := func(how string, r driverRow) {
		t.Helper()
		if r.text(0) != "text" || r.text(1) != "é" || r.integer(2) != 42 || r.text(4) != "bound" || r.integer(5) != 7 {
			t.Errorf("%s: values %#v", how, r)
		}
		if n := r.nullText(3); n.Valid || n.String != "" {
			t.Errorf("%s: NULL read as text %#v", how, n)
		}
		if n := r.nullInteger(3); n.Valid || n.Int64 != 0 {
			t.Errorf("%s: NULL read as an integer %#v", how, n)
		}
		if n := r.nullText(1); !n.Valid || n.String != "é" {
			t.Errorf("%s: a BLOB read as %#v", how, n)
		}
		if n := r.nullInteger(2); !n.Valid || n.Int64 != 42 {
			t.Errorf("%s: an integer read as %#v", how, n)
		}
	}
	r := make(driverRow, 6)
	if err := db.readRow(ctx, r, query, "bound", int64(7), "yes"); err != nil {
		t.Fatal(err)
	}
	check("readRow", r)
	s := make(driverRow, 6)
	if err := scanRow(db.read.QueryRowContext(ctx, query, "bound", 7, "yes"), s); err != nil {
		t.Fatal(err)
	}
	check("scanRow", s)

	if err := db.readRow(ctx, r, query, "bound", int64(7), "no"); err != sql.ErrNoRows {
		t.Errorf("no row: %v, want sql.ErrNoRows", err)
	}
	if err := db.readRow(ctx, r[:5], query, "bound", int64(7), "yes"); err == nil {
		t.Error("six columns were read into a row of five")
	}
	if err := db.readRow(ctx, r, `SELECT nonsense FROM nowhere`); err == nil {
		t.Error("a bad query read a row")
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := db.readRow(canceled, r, query, "bound", int64(7), "yes"); err == nil {
		t.Error("a canceled context read a row")
	}
	// Every failure gave its connection back: all of them still serve.
	for i := 0; i < 2*readConns; i++ {
		if err := db.readRow(ctx, r, query, "bound", int64(7), "yes"); err != nil {
			t.Fatal(err)
		}
	}
}
