//go:build cgo

package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// SQLite runs without its allocation counters (and their global mutex): with them on,
// an open store with a table written and read would count hundreds of KB.
func TestSQLiteCountsNoAllocations(t *testing.T) {
	db := openWriterTest(t)
	if err := db.inTx(context.Background(), insertName("counted")); err != nil {
		t.Fatal(err)
	}
	if n := sqliteMemoryCounted(); n != 0 {
		t.Fatalf("SQLite counted %d bytes: SQLITE_CONFIG_MEMSTATUS is on", n)
	}
}

// Every connection has SQLite's query planner stability guarantee on: a statement's plan
// does not depend on the values bound to it. Without it SQLite re-prepares any join that
// has a bound parameter each time it runs (the check-out's stay took 19–22 µs instead of
// 7; a staff session and a kiosk's device are joins too), because a new value might
// change the plan. Seen from outside, a LIKE with a bound prefix no longer searches an
// index on the column.
func TestPlansDoNotDependOnBoundValues(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE planned (name TEXT COLLATE NOCASE);
		CREATE INDEX planned_name ON planned (name)`); err != nil {
		t.Fatal(err)
	}
	for _, pool := range []*sql.DB{db.write, db.read} {
		var id, parent, unused int
		var plan string
		if err := pool.QueryRowContext(ctx, `EXPLAIN QUERY PLAN SELECT name FROM planned WHERE name LIKE ?`, "ab%").
			Scan(&id, &parent, &unused, &plan); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plan, "name>") {
			t.Fatalf("the plan uses the bound value (%q): the planner stability guarantee is off", plan)
		}
	}
}
