package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// A backup copied in many steps reads one snapshot throughout: guests created between
// its steps commit at once, are not in the copy, and do not make it start over.
func TestBackupInStepsKeepsItsSnapshot(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	db := openTestDB(t, path)
	svc := serviceOn(t, db)
	for range 60 {
		if _, err := svc.CreateGuest(ctx, testDesk, newGuest("Before")); err != nil {
			t.Fatal(err)
		}
	}
	defer func(n int) { backupStepPages = n }(backupStepPages)
	backupStepPages = 2

	dir := filepath.Join(t.TempDir(), "b")
	var written, steps int
	var copied int64
	files, err := Backup(ctx, path, dir, func(name string, done, total int64) {
		if done == 0 {
			copied = 0
		}
		if done < copied || done > total {
			t.Fatalf("%s: %d of %d bytes copied after %d", name, done, total, copied)
		}
		copied = done
		if name != "regulars.db" || done == total {
			return
		}
		if steps++; steps > 1000 { // 2 pages a step: far more steps than the file has pages
			t.Fatalf("the backup keeps starting over (%d of %d bytes after %d steps)", done, total, steps)
		}
		if _, err := svc.CreateGuest(ctx, testDesk, newGuest("DuringBackup")); err != nil {
			t.Fatalf("a write during the backup: %v", err)
		}
		written++
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "regulars.db" || steps < 10 {
		t.Fatalf("files %+v in %d steps", files, steps)
	}
	copyDB, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "regulars.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var check string
	var inCopy, liveCount int
	if err := copyDB.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	if err := copyDB.QueryRow(`SELECT count(*) FROM guests`).Scan(&inCopy); err != nil {
		t.Fatal(err)
	}
	if err := db.read.QueryRow(`SELECT count(*) FROM guests`).Scan(&liveCount); err != nil {
		t.Fatal(err)
	}
	if inCopy != 60 || liveCount != 60+written {
		t.Errorf("guests: %d in the copy, want 60; %d in the database, want %d", inCopy, liveCount, 60+written)
	}
}
