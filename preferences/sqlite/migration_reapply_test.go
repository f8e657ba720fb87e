package sqlite_test

import (
	"context"
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
	rows, err := db.Reader().Query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? || '%'`, prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var stmts []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, `DROP TRIGGER "`+name+`"`)
	}
	if err := rows.Err(); err != nil || len(stmts) == 0 {
		t.Fatalf("triggers %s*: %v, %v", prefix, stmts, err)
	}
	return stmts
}

// dropColumns returns the statements that drop the columns from table.
func dropColumns(table string, columns ...string) []string {
	stmts := make([]string, len(columns))
	for i, c := range columns {
		stmts[i] = `ALTER TABLE ` + table + ` DROP COLUMN ` + c
	}
	return stmts
}
