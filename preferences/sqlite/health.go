package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"regulars/preferences"
)

// The health of the store: /healthz asks Health, which checks cheaply what requests
// need (a read, the write lock, free disk); a full check of the file (PRAGMA
// quick_check) takes half a minute at a million guests, so it runs once, in the
// background, after Open. Should it fail, the store refuses writes until restarted.

// DefaultMinFree is the free disk below which Health reports the disk full: room for
// the write-ahead log to grow to its checkpoint (about 40 MB, see wal_autocheckpoint).
const DefaultMinFree = 64 << 20

// healthBusy bounds Health's wait for the write lock: a group commit holds it for
// milliseconds, another process's transaction may hold it much longer.
const healthBusy = time.Second

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// checkFile refuses a file that cannot be a database before SQLite opens it: an empty
// file (SQLite would take it for a new database and the hotel would start empty) or
// one without SQLite's header. A missing file is fine: Open creates it.
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && (err == io.EOF || err == nil):
		return fmt.Errorf("sqlite: %s is empty (0 bytes), not a database: restore it from a backup, "+
			"or delete it to start a new, empty database", path)
	case err != nil && err != io.ErrUnexpectedEOF:
		return fmt.Errorf("sqlite: read %s: %w", path, err)
	case string(head[:n]) != sqliteMagic:
		return fmt.Errorf("sqlite: %s is not an SQLite database (its header is wrong): restore it from a backup", path)
	}
	return nil
}

// checkSchema reads the schema, so that a damaged one stops the start with a clear error.
func checkSchema(w *sql.DB, path string) error {
	var n int
	if err := w.QueryRow(`SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: open %s: its schema cannot be read (%v): restore it from a backup", path, err)
	}
	return nil
}

// startIntegrityCheck runs PRAGMA quick_check on a connection of its own; a failure is
// logged and marks the store damaged. Close stops it.
func (db *DB) startIntegrityCheck(path string) {
	ctx, cancel := context.WithCancel(context.Background())
	db.stopCheck, db.checked = cancel, make(chan struct{})
	go func() {
		defer close(db.checked)
		start := time.Now()
		err := quickCheck(ctx, path)
		if ctx.Err() != nil {
			return // closed before the end: nothing learnt
		}
		if err != nil {
			db.log.Error("sqlite: the integrity check failed; writes are refused until the service restarts on a sound file",
				"err", err)
			var de *preferences.Error
			if !errors.As(StorageError(err), &de) {
				de = errCorrupt(err)
			}
			db.damaged.Store(de)
			return
		}
		db.log.Info("sqlite: integrity check passed", "ms", time.Since(start).Milliseconds())
	}()
}

// IntegrityChecked is closed once the background integrity check has ended.
func (db *DB) IntegrityChecked() <-chan struct{} { return db.checked }

func quickCheck(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", dsn(path, true, 2_000)) // it reads every page once: no cache to speak of
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `PRAGMA quick_check(10)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		problems = append(problems, line)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) == 1 && problems[0] == "ok" {
		return nil
	}
	return errors.New("quick_check: " + strings.Join(problems, "; "))
}

// noteWrite records how the writer's last transaction ended on the storage: a failure
// (the log or file unwritable, the disk full) until a commit succeeds again.
func (db *DB) noteWrite(err error) {
	if err == nil {
		if db.failing.Load() != nil {
			db.failing.Store(nil)
		}
		return
	}
	var de *preferences.Error
	if errors.As(StorageError(err), &de) && de.Code == preferences.EUNAVAILABLE {
		db.failing.Store(de)
	}
}

// Health checks what requests need: that the store is not known to be damaged, that a
// table can be read, that the disk has room, and that a write could take the lock now.
// Taking the lock writes nothing, so after a write failed on the storage Health also
// commits a real write (page 1's user_version, unchanged) until one succeeds.
// It returns nil, or an EUNAVAILABLE error whose reason says what is wrong.
func (db *DB) Health(ctx context.Context) error {
	if damaged := db.damaged.Load(); damaged != nil {
		return damaged
	}
	if db.failing.Load() != nil {
		if err := db.rewriteUserVersion(ctx); err != nil {
			return unavailable(err)
		}
	}
	var name string
	err := db.read.QueryRowContext(ctx, `SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1`).Scan(&name)
	if err != nil {
		return unavailable(err)
	}
	if free, err := freeBytes(db.dir); err == nil && free < db.MinFree {
		return preferences.Unavailable(preferences.ReasonFull, "The disk holding the database is (nearly) full.",
			fmt.Errorf("%d bytes free", free))
	}
	return unavailable(db.canWrite(ctx))
}

// canWrite takes the write lock (BEGIN IMMEDIATE) and releases it at once, on the pool's
// connection beside the writer's, waiting at most healthBusy (or a write's own timeout,
// if shorter) for it.
func (db *DB) canWrite(ctx context.Context) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = `+strconv.Itoa(int(min(healthBusy, db.busy).Milliseconds()))); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA busy_timeout = `+strconv.Itoa(int(db.busy.Milliseconds())))
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock)
	if err != nil {
		return err
	}
	return tx.Rollback()
}

// rewriteUserVersion writes the database header's user_version (unused) with its own
// value: a change that reaches the write-ahead log and its fsync, and alters nothing.
func (db *DB) rewriteUserVersion(ctx context.Context) (err error) {
	defer func() { db.noteWrite(err) }()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v int64
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA user_version = `+strconv.FormatInt(v, 10)); err != nil {
		return err
	}
	return tx.Commit()
}

// unavailable is StorageError, with any other failure of a check (a timeout) as failed.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	var de *preferences.Error
	if err = StorageError(err); errors.As(err, &de) {
		return err
	}
	return preferences.Unavailable(preferences.ReasonFailed, "The database does not answer.", err)
}
