package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"sort"
	"testing"
)

// 0023 rebuilds the outbox to allow the status suppressed: a database made before it
// keeps every letter, with all its columns, and its indexes.
func TestBounceMigrationKeepsTheOutbox(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	w, err := sql.Open(writerDriver, dsn(path, false, 2000))
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{write: w}
	if _, err := w.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(names)
	for _, name := range names {
		if name >= "migrations/0023" {
			break
		}
		if err := old.applyMigration(ctx, name); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	at := "2026-12-01T01:00:00.000000Z"
	for _, q := range []string{
		`INSERT INTO guests (id, family_name, email, created_at, updated_at) VALUES ('g_1', 'Ding', 'ding@example.cn', '` + at + `', '` + at + `')`,
		`INSERT INTO outreach_messages (id, guest_id, occasion, period, email, address, language, subject, body_text, body_html,
			message_id, status, attempts, last_error, next_attempt_at, claimed_by, created_at, updated_at, sent_at)
			VALUES ('ob_1', 'g_1', 'birthday', '2026', 'ding@example.cn', 'ding@example.cn', 'zh', 's', 't', '<p>h</p>',
			'ob_1@hotel.example', 'sent', 1, '', NULL, 'i1', '` + at + `', '` + at + `', '` + at + `')`,
	} {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	db := openTestDB(t, path)
	var got [8]string
	err = db.read.QueryRow(`SELECT id, guest_id, address, status, claimed_by, sent_at, subject || body_text || body_html, message_id
		FROM outreach_messages`).Scan(&got[0], &got[1], &got[2], &got[3], &got[4], &got[5], &got[6], &got[7])
	if err != nil {
		t.Fatal(err)
	}
	if want := [8]string{"ob_1", "g_1", "ding@example.cn", "sent", "i1", at, "st<p>h</p>", "ob_1@hotel.example"}; got != want {
		t.Fatalf("after the migration: %v, want %v", got, want)
	}
	if _, err := db.write.Exec(`UPDATE outreach_messages SET status = 'suppressed' WHERE id = 'ob_1'`); err != nil {
		t.Fatalf("the status suppressed: %v", err)
	}
	if _, err := db.write.Exec(`UPDATE outreach_messages SET status = 'lost' WHERE id = 'ob_1'`); err == nil {
		t.Fatal("the status check is gone")
	}
	var indexes int
	if err := db.read.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outreach_messages'
		AND name IN ('outreach_messages_status', 'outreach_messages_address')`).Scan(&indexes); err != nil || indexes != 2 {
		t.Fatalf("indexes: %d (%v)", indexes, err)
	}
}
