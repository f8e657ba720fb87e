package sqlite

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCheckpointsInTheBackground: a committed change reaches the database file itself
// (not only the write-ahead log) within a few checkpointEvery, with the writer idle and
// its log far below the automatic checkpoint's threshold: the background connection
// copied it. The file is read alone, as a copy without its log.
func TestCheckpointsInTheBackground(t *testing.T) {
	db := openWriterTest(t)
	path := filepath.Join(t.TempDir(), "file-alone.db")
	if err := insertName(db, "copied by the checkpointer"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * checkpointEvery)
	for {
		n, err := countInFileAlone(db, path)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the change is still only in the log after %v", 20*checkpointEvery)
		}
		time.Sleep(checkpointEvery / 2)
	}
}

// countInFileAlone copies the database file without its log to path and counts the
// test's rows there (0 while the table itself is not in the file yet).
func countInFileAlone(db *DB, path string) (int, error) {
	var main string
	if err := db.read.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&main); err != nil {
		return 0, err
	}
	b, err := os.ReadFile(main)
	if err != nil {
		return 0, err
	}
	os.Remove(path + "-wal")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return 0, err
	}
	c, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var n int
	err = c.QueryRow(`SELECT count(*) FROM writer_test`).Scan(&n)
	if err != nil && err.Error() == "no such table: writer_test" {
		return 0, nil
	}
	return n, err
}
