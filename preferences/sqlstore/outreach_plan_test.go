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

// The card's last contacts read the guest's letters by guest, not every letter sent: with
// no statistics SQLite preferred the index on the outbox's status (17 ms a card at 1M
// guests with the day's 10,000 letters sent).
func TestGuestContactsReadLettersByGuestOnSQLite(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "plan.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan := queryPlan(t, db.Reader(), sqlstore.GuestContactsQuery)
	if !slices.ContainsFunc(plan, func(step string) bool {
		return strings.HasPrefix(step, "SEARCH outreach_messages USING") && strings.Contains(step, "(guest_id=?")
	}) {
		t.Errorf("the letters are not read by guest:\n%s", strings.Join(plan, "\n"))
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
