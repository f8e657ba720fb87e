package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"regulars/preferences"
)

// A database from before the shared store kept the reads' audit in a file beside it:
// the first open moves those entries into the one audit log and removes the file, and
// a guest's audit then shows them.
func TestOldAccessLogMovesIntoTheAuditLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "regulars.db")
	old, err := sql.Open("sqlite3", fileURI(accessLogPath(path)))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE guest_reads (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,
			action TEXT NOT NULL, guest_id TEXT NOT NULL)`,
		`INSERT INTO guest_reads (at, actor, role, action, guest_id) VALUES
			('2025-01-02T03:04:05.000000Z', 'lin', 'frontdesk', 'guest.read', 'g_old'),
			('2025-01-02T03:04:06.000000Z', 'wu', 'manager', 'guest.export', 'g_old')`,
	} {
		if _, err := old.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	db := openTestDB(t, path)
	if _, err := os.Stat(accessLogPath(path)); !os.IsNotExist(err) {
		t.Fatalf("the old access log is still there (%v)", err)
	}
	var entries []preferences.AuditEntry
	err = db.Read(context.Background(), func(tx preferences.Tx) (err error) {
		entries, err = tx.GuestAuditEntries(context.Background(), "g_old")
		return err
	})
	if err != nil || len(entries) != 2 || entries[0].Actor != "lin" || entries[1].Action != preferences.ActionExport ||
		entries[1].At.Second() != 6 {
		t.Fatalf("the guest's audit after the move = %+v, %v", entries, err)
	}
	// Opening again moves nothing twice.
	db.Close()
	db = openTestDB(t, path)
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM audit_log WHERE guest_id = 'g_old'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d entries after a second open (%v), want 2", n, err)
	}
}
