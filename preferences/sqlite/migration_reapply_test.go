package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"regulars/preferences/sqlite"
)

// reapply undoes a migration on the database at path while keeping the data (the undo
// statements, then the migration's record), closes db and opens the database again,
// which applies the migration once more to the rows already stored.
func reapply(t *testing.T, db *sqlite.DB, path string, now time.Time, migration string, undo ...string) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	undo = append(undo, `DELETE FROM schema_migrations WHERE name LIKE '%`+migration+`%'`)
	for _, stmt := range undo {
		if _, err := db.Writer().ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()
	db = openAt(t, path, now)
	t.Cleanup(func() { db.Close() })
	return db
}

// dropTriggers returns the statements that drop the triggers whose names begin with prefix.
func dropTriggers(t *testing.T, db *sqlite.DB, prefix string) []string {
	t.Helper()
	names := queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? || '%'`, prefix)
	if len(names) == 0 {
		t.Fatalf("no triggers %s*", prefix)
	}
	stmts := make([]string, len(names))
	for i, name := range names {
		stmts[i] = `DROP TRIGGER "` + name + `"`
	}
	return stmts
}

// queryStrings returns the one text column of every row query returns.
func queryStrings(t *testing.T, db *sqlite.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Reader().Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dropColumns returns the statements that drop the columns from table.
func dropColumns(table string, columns ...string) []string {
	stmts := make([]string, len(columns))
	for i, c := range columns {
		stmts[i] = `ALTER TABLE ` + table + ` DROP COLUMN ` + c
	}
	return stmts
}

// undoStayTriggers returns the statements that undo migration 0012, whose stays triggers
// keep columns of 0008 and 0010 (a column a trigger names cannot be dropped): re-applying
// 0008 or 0010 with them re-applies 0012 after it, as on a database that had neither.
func undoStayTriggers(t *testing.T, db *sqlite.DB) []string {
	t.Helper()
	return append(dropTriggers(t, db, "guest_stays_"), `DELETE FROM schema_migrations WHERE name LIKE '%0012_%'`)
}

// wantSchemaTriggers checks that db has the same triggers as a new database, so that
// re-applying migrations left none out, none twice and none of the replaced ones.
func wantSchemaTriggers(t *testing.T, db *sqlite.DB) {
	t.Helper()
	list := func(db *sqlite.DB) map[string]string {
		rows, err := db.Reader().Query(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		triggers := map[string]string{}
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				t.Fatal(err)
			}
			triggers[name] = def
		}
		return triggers
	}
	got, want := list(db), list(mustOpen(t, time.Now()))
	if !reflect.DeepEqual(got, want) {
		for name := range want {
			if got[name] != want[name] {
				t.Errorf("trigger %s missing or different after re-applying", name)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("trigger %s left over after re-applying", name)
			}
		}
	}
}

// wantStaysKept checks, after migrations were re-applied, that db has a new database's
// triggers and that they keep the stays columns through a check-in and a check-out of
// the guest (not in house) in room (free): a trigger left twice would count twice.
func wantStaysKept(t *testing.T, db *sqlite.DB, guestID, room string) {
	t.Helper()
	wantSchemaTriggers(t, db)
	ctx := context.Background()
	before, err := db.Recognition(ctx, guestID)
	if err != nil {
		t.Fatal(err)
	}
	stay, err := db.CheckIn(ctx, desk, guestID, room, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkCard(t, db, guestID, "checked in after re-applying")
	now := db.Now()
	db.Now = func() time.Time { return now.Add(20 * time.Hour) }
	if _, err := db.CheckOut(ctx, desk, stay.ID, "300.00"); err != nil {
		t.Fatal(err)
	}
	checkCard(t, db, guestID, "checked out after re-applying")
	if r, err := db.Recognition(ctx, guestID); err != nil || r.StaysCount != before.StaysCount+1 || r.LastStay == nil || r.LastStay.ID != stay.ID {
		t.Errorf("after a stay: %d stays, last %+v (%v), want %d, %s", r.StaysCount, r.LastStay, err, before.StaysCount+1, stay.ID)
	}
}
