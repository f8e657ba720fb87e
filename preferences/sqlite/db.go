// Package sqlite is the SQLite backend of the preferences store: one file in WAL mode,
// a single writer connection and a pool of readers.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base32"
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
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	sqlite3 "github.com/mattn/go-sqlite3"

	"regulars/preferences"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// TimeLayout is how instants are stored: UTC, fixed width, so text order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// DB is an open store. It implements the store interfaces of package preferences.
type DB struct {
	write  *sql.DB
	read   *sql.DB
	sealer *preferences.Sealer
	log    *slog.Logger
	writer *writer       // runs every change, in group commits
	ckpt   *checkpointer // copies the write-ahead log into the file, in the background
	access *accessLog    // the audit entries of reads, in a file of their own
	loc    *time.Location
	reads  readCache     // reads kept until the next committed change
	gate   readGate      // the hot reads' turns at the read pool
	dir    string        // the database's folder, for its free space
	busy   time.Duration // how long a write waits for the lock

	damaged   atomic.Pointer[preferences.Error] // the integrity check failed: writes are refused
	failing   atomic.Pointer[preferences.Error] // the last write transaction failed on the storage
	checked   chan struct{}                     // closed when the integrity check has ended
	stopCheck context.CancelFunc                // stops the integrity check

	eraseHooks []preferences.ErasureHook // run after an erasure (OnErase)

	// Now returns the current time; tests replace it.
	Now func() time.Time
	// MinFree is the free disk space below which Health reports the disk full
	// (DefaultMinFree); tests raise it.
	MinFree uint64
}

// Options configure Open.
type Options struct {
	Secret []byte       // key for document hashes; required
	Logger *slog.Logger // nil: discard
	// Location is the hotel's time zone: it decides what "today" is for arrivals and
	// check-in. nil: the machine's zone.
	Location *time.Location
	// BusyTimeout is how long a write waits for a lock another process holds before it
	// fails as busy. 0: 5 s.
	BusyTimeout time.Duration
	// clock times the writer's group commit; nil: the real clock (tests set a fake one)
	clock clockwork.Clock
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
	if len(opt.Secret) < 16 {
		return nil, errors.New("sqlite: the service secret must be at least 16 bytes")
	}
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
	w.SetMaxOpenConns(2) // the writer's own, and one for writes outside it (see writer.begin)
	w.SetMaxIdleConns(2)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil { // the writer creates the file and switches it to WAL
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// SQLite stays in its rollback journal where the file system cannot share the WAL
	// index (some network file systems); the readers beside the writer and the writer's
	// own fsync of the log (logSync) need WAL.
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
	if opt.Location == nil {
		opt.Location = time.Local
	}
	access, err := openAccessLog(AccessLogPath(path), opt.Logger)
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	db := &DB{write: w, read: r, access: access, sealer: preferences.NewSealer(opt.Secret), log: opt.Logger, loc: opt.Location,
		gate: newReadGate(readConns), Now: time.Now, dir: filepath.Dir(path), busy: opt.BusyTimeout, MinFree: DefaultMinFree}
	if opt.clock == nil {
		opt.clock = clockwork.NewRealClock()
	}
	db.writer = newWriter(db, path, opt.clock)
	if db.ckpt, err = startCheckpointer(path, opt.Logger); err != nil {
		db.writer.close()
		return nil, errors.Join(err, access.close(), r.Close(), w.Close())
	}
	if err := db.migrate(context.Background()); err != nil {
		db.writer.close()
		return nil, errors.Join(err, db.ckpt.close(), access.close(), r.Close(), w.Close())
	}
	db.startIntegrityCheck(path)
	return db, nil
}

// Close flushes pending audit entries and closes the database.
func (db *DB) Close() error {
	db.stopCheck()
	<-db.checked
	db.writer.close()
	return errors.Join(db.ckpt.close(), db.access.close(), db.read.Close(), db.write.Close())
}

// Writer and Reader expose the connections to sibling packages of the same backend
// (demo data, benchmarks). Domain code goes through the methods.
func (db *DB) Writer() *sql.DB { return db.write }

// Reader returns the read pool.
func (db *DB) Reader() *sql.DB { return db.read }

// Pools are the store's connection pools by name (the database's writer and readers, the
// access log's), for their statistics.
func (db *DB) Pools() map[string]*sql.DB {
	return map[string]*sql.DB{"write": db.write, "read": db.read, "access_write": db.access.write, "access_read": db.access.read}
}

func (db *DB) now() time.Time { return db.Now().UTC() }

func (db *DB) nowText() string { return db.now().Format(TimeLayout) }

// Location returns the hotel's time zone.
func (db *DB) Location() *time.Location { return db.loc }

// today returns the hotel's current calendar date as YYYY-MM-DD.
func (db *DB) today() string { return db.now().In(db.loc).Format(preferences.DateLayout) }

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

// Each migration waits for the one before: inTxPrompt, so that none lingers for others.
func (db *DB) applyMigration(ctx context.Context, name string) error {
	return db.inTxPrompt(ctx, func(ctx context.Context, tx *sql.Tx) error {
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
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, db.nowText())
		return err
	})
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

var idEncoding = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// newID returns an opaque random identifier with a kind prefix, revealing no count or order.
func newID(prefix string) string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + "_" + idEncoding.EncodeToString(b)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// parseTime reads a stored time (TimeLayout); the zero time when s is not one. A card
// reads half a dozen, so the fixed-width form is read by hand: time.Parse walks the
// layout each time.
func parseTime(s string) time.Time {
	if t, ok := parseStoredTime(s); ok {
		return t
	}
	t, _ := time.Parse(TimeLayout, s)
	return t
}

// parseStoredTime reads exactly "YYYY-MM-DDTHH:MM:SS.ffffffZ"; ok is false for anything
// else, including out-of-range fields (time.Parse then decides).
func parseStoredTime(s string) (t time.Time, ok bool) {
	if len(s) != len(TimeLayout) {
		return t, false
	}
	num := func(from, to int) int {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	for _, sep := range [...]struct {
		at int
		c  byte
	}{{4, '-'}, {7, '-'}, {10, 'T'}, {13, ':'}, {16, ':'}, {19, '.'}, {26, 'Z'}} {
		if s[sep.at] != sep.c {
			return t, false
		}
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec, micro := num(11, 13), num(14, 16), num(17, 19), num(20, 26)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || sec < 0 || sec > 59 || micro < 0 {
		return t, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, micro*1000, time.UTC)
	return t, t.Day() == day // a day past the month's end would roll over
}

func nullTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}

// likeEscape escapes LIKE wildcards in user text.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func notFound(what string) error {
	return preferences.Errorf(preferences.ENOTFOUND, "%s not found", what)
}
