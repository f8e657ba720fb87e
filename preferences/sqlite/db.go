// Package sqlite is the embedded SQLite engine of the preferences store: one file in
// WAL mode, a single writing connection and a pool of readers, under the shared SQL of
// package sqlstore. It adds what only a file needs: checks of the file at open, a
// background integrity check, checkpoints (and emptying the log after an erasure),
// health and backup.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"regulars/preferences"
	"regulars/preferences/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open SQLite database. It is a preferences.Repository.
type DB struct {
	store  *sqlstore.Store
	writer *groupWriter
	write  *sql.DB // one connection: writes queue in Go, not in SQLite's busy loop
	read   *sql.DB
	log    *slog.Logger
	ckpt   *checkpointer // copies the write-ahead log into the file, in the background
	dir    string        // the database's folder, for its free space
	busy   time.Duration // how long a write waits for the lock another process holds

	damaged   atomic.Pointer[preferences.Error] // the integrity check failed: writes are refused
	failing   atomic.Pointer[preferences.Error] // the last write transaction failed on the storage
	checked   chan struct{}                     // closed when the integrity check has ended
	stopCheck context.CancelFunc                // stops the integrity check
	closeOnce sync.Once
	closeErr  error

	// MinFree is the free disk space below which Health reports the disk full
	// (DefaultMinFree); tests raise it.
	MinFree uint64
}

// Options configure Open.
type Options struct {
	Logger *slog.Logger // nil: discard
	// BusyTimeout is how long a write waits for a lock another process holds before it
	// fails as busy. 0: 5 s.
	BusyTimeout time.Duration
}

// defaultBusy is how long a connection waits for another's lock.
const defaultBusy = 5 * time.Second

// DSN returns the go-sqlite3 connection string for path with a 20 MB page cache a
// connection. The pragmas are applied on every new connection, so all pooled
// connections share them.
func DSN(path string, readOnly bool) string { return dsn(path, readOnly, 20_000) }

func dsn(path string, readOnly bool, cacheKiB int) string {
	return dsnBusy(path, readOnly, cacheKiB, defaultBusy)
}

// The store's read pool: on a small machine a few connections keep the CPUs busy, and
// what bounds the service's memory is their page caches together (each connection has
// its own), so fewer connections can each hold more of the hot pages.
//
// 8 MB a connection holds the interior pages of the trees a card or a look-up descends
// (at a million guests about 1,000 pages, estimated from the rows' sizes: the guests
// table, its id index and the documents' index) with room for some leaves; the other
// leaves are spread over the whole file (1.6 GB), so a larger cache adds few hits, and
// every commit empties all of them anyway. With 16 MB, freed pages of the larger caches
// stayed with malloc: after 7 minutes of the bench's cycled load the service's peak RSS
// was 192 MiB, with 8 MB 144 MiB. With 4 MB (124 MiB) the card fell to 50 % of B in two
// runs of make bench (52-59 % with 16 MB the same day), likely because those interior
// pages no longer fit.
const (
	readConns    = 4
	readCacheKiB = 8_000
)

func dsnBusy(path string, readOnly bool, cacheKiB int, busy time.Duration) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	v.Set("_foreign_keys", "on")
	// A writing transaction takes the write lock at BEGIN, so it never fails to
	// upgrade a read lock halfway; a reading one takes no lock it does not need.
	v.Set("_txlock", "immediate")
	if readOnly {
		v.Set("_txlock", "deferred")
	}
	// Deleted and overwritten content is zeroed, and freed pages with it: an erased
	// guest's values must not stay readable in the file's free space.
	v.Set("_secure_delete", "on")
	// database/sql hands a connection to one goroutine at a time, so SQLite need not lock
	// each connection on every call (step, every column read) as it does by default.
	v.Set("_mutex", "no")
	v.Set("_cache_size", "-"+strconv.Itoa(cacheKiB))
	v.Set("_stmt_cache_size", "64") // every query is prepared once per connection
	if readOnly {
		v.Set("_synchronous", "NORMAL")
		v.Set("_query_only", "on")
	} else {
		// An acknowledged write must survive a power cut.
		v.Set("_synchronous", "FULL")
	}
	return fileURI(path) + "?" + v.Encode()
}

// fileURI returns path as a "file:" URI for SQLite. In a URI filename "?" and "#" end
// the path: they are escaped (and "%") so any file name works.
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// writerDriver is the driver of the writing connections (the database's and the access
// log's): it runs connectPragmas when one opens (go-sqlite3's DSN has no parameter for
// these).
const writerDriver = "sqlite3-regulars-writer"

func init() {
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: connectPragmas(
		// Checkpoint every ~40 MB of log instead of 4 MB: audit batches touch index pages
		// all over their file, and a page rewritten many times between checkpoints is
		// copied once.
		`PRAGMA wal_autocheckpoint = 10000`,
		// Statement and savepoint journals (every grouped change runs in a savepoint, every
		// multi-row audit INSERT needs one) in memory rather than in a temporary file: a
		// write syscall for each page they save otherwise.
		`PRAGMA temp_store = MEMORY`,
	)})
}

func connectPragmas(pragmas ...string) func(*sqlite3.SQLiteConn) error {
	return func(c *sqlite3.SQLiteConn) error {
		for _, p := range pragmas {
			if _, err := c.Exec(p, nil); err != nil {
				return fmt.Errorf("sqlite: %s: %w", p, err)
			}
		}
		return nil
	}
}

// Open opens (creating if needed) the database at path and applies pending migrations.
func Open(path string, opt Options) (*DB, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = defaultBusy
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create folder: %w", err)
		}
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	w, err := sql.Open(writerDriver, dsnBusy(path, false, 20_000, opt.BusyTimeout))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil { // the writer creates the file and switches it to WAL
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// SQLite stays in its rollback journal where the file system cannot share the WAL
	// index (some network file systems); the readers beside the writer need WAL.
	var mode string
	if err := w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: the database must be in WAL mode, it is in %q (%v)", path, mode, err)
	}
	if err := checkSchema(w, path); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, true, readCacheKiB))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	db := &DB{write: w, read: r, log: opt.Logger, dir: filepath.Dir(path), busy: opt.BusyTimeout, MinFree: DefaultMinFree}
	db.store = sqlstore.New(w, r, Dialect)
	if db.ckpt, err = startCheckpointer(path, opt.Logger); err != nil {
		return nil, errors.Join(err, r.Close(), w.Close())
	}
	ctx := context.Background()
	if err := db.migrate(ctx); err != nil {
		return nil, errors.Join(err, db.ckpt.close(), r.Close(), w.Close())
	}
	if err := db.adoptAccessLog(ctx, path); err != nil {
		return nil, errors.Join(err, db.ckpt.close(), r.Close(), w.Close())
	}
	db.writer = startGroupWriter(w, db.store)
	db.startIntegrityCheck(path)
	return db, nil
}

// Read runs fn in a read-only transaction on the read pool.
func (db *DB) Read(ctx context.Context, fn func(preferences.Tx) error) error {
	return db.store.Read(ctx, fn)
}

// Write runs fn in a transaction on the writing connection, shared with the other
// changes waiting (see groupWriter); a store found damaged refuses it, and a failure on
// the storage is remembered for Health.
func (db *DB) Write(ctx context.Context, fn func(preferences.Tx) error) error {
	if damaged := db.damaged.Load(); damaged != nil {
		return damaged
	}
	err := db.writer.Write(ctx, fn)
	db.noteWrite(err)
	return err
}

// AfterErase empties the write-ahead log once an erasure has committed: until then it
// holds the erased rows' page images. Readers holding the log make it wait; the
// checkpointer retries each second (see truncateRetry).
func (db *DB) AfterErase(ctx context.Context, _ preferences.Erased) error {
	if err := db.ckpt.truncateLog(ctx); err != nil && !errors.Is(err, errLogBusy) {
		return err
	}
	return nil
}

// Close stops the background work and closes the database; closing again does nothing.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.stopCheck()
		<-db.checked
		db.writer.close()
		db.closeErr = errors.Join(db.ckpt.close(), db.read.Close(), db.write.Close())
	})
	return db.closeErr
}

// Writer and Reader are the connection pools, for bulk loaders (the benchmark's data)
// and tests; everything else goes through Read and Write.
func (db *DB) Writer() *sql.DB { return db.write }

// Reader is the read pool (see Writer).
func (db *DB) Reader() *sql.DB { return db.read }

// Engine names the engine: "sqlite".
func (db *DB) Engine() string { return "sqlite" }

// Pools are the database's connection pools by name, for their statistics.
func (db *DB) Pools() map[string]*sql.DB {
	return map[string]*sql.DB{"write": db.write, "read": db.read}
}

// migrate applies every embedded migration not yet recorded, each in its own transaction.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.applyMigration(ctx, name); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, time.Now().UTC().Format(sqlstore.TimeLayout)); err != nil {
		return err
	}
	return tx.Commit()
}

// AppliedMigrations lists the recorded migrations with the time each was applied.
func (db *DB) AppliedMigrations(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, at string
		if err := rows.Scan(&n, &at); err != nil {
			return nil, err
		}
		out[n] = at
	}
	return out, rows.Err()
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}
