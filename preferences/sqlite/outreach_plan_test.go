package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The day's selections read indexes only: no full scan of guests, stays, arrivals or
// the outbox, whatever their size.
func TestOutreachSelectionsUseIndexes(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "plan.db"), Options{Secret: []byte("0123456789abcdef0123")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, q := range map[string]string{
		"birthday":  birthdayQuery(2),
		"lapse":     lapseQuery,
		"explain":   candidateSelect + ` WHERE g.id = ?3`,
		"due":       `SELECT id FROM outreach_messages WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 100`,
		"by status": `SELECT id FROM outreach_messages WHERE status = ? ORDER BY created_at DESC, id LIMIT 100`,
		"oldest":    oldestQueuedQuery,
	} {
		n := strings.Count(q, "?,") + 4
		args := make([]any, n)
		for i := range args {
			args[i] = "x"
		}
		rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, line := range plan {
			if strings.HasPrefix(line, "SCAN ") {
				t.Errorf("%s scans a table:\n%s", name, strings.Join(plan, "\n"))
			}
		}
	}
}
