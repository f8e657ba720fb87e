package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"regulars/preferences/sqlite"
	"regulars/preferences/sqlstore"
)

// On SQLite the day's selections and the sender's queries read indexes only: no full scan
// of guests, stays, arrivals or the outbox, whatever their size.
func TestOutreachQueriesUseIndexesOnSQLite(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "plan.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := map[string]string{
		"birthday": sqlstore.OutreachBirthdayQuery,
		"lapse":    sqlstore.OutreachSQLiteLapseQuery,
		"explain":  sqlstore.OutreachCandidateQuery,
		"due":      sqlstore.OutreachDueQuery,
		"oldest":   sqlstore.OutreachOldestQuery,
	}
	for name, q := range queries {
		plan := queryPlan(t, db.Reader(), q)
		if slices.ContainsFunc(plan, func(step string) bool { return strings.HasPrefix(step, "SCAN ") }) {
			t.Errorf("%s scans a table:\n%s", name, strings.Join(plan, "\n"))
		}
	}
}

// queryPlan is the steps of SQLite's plan for q, every parameter "x".
func queryPlan(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	args := make([]any, strings.Count(q, "?"))
	for i := range args {
		args[i] = "x"
	}
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var step string
		if err := rows.Scan(&id, &parent, &unused, &step); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, step)
	}
	return steps
}
