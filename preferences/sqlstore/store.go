// Package sqlstore is the one implementation of the preferences Repository, over
// database/sql, shared by the SQLite and PostgreSQL engines. Its SQL is written once,
// with ? placeholders; a Dialect says what differs between the engines.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"regulars/preferences"
)

// Dialect is what the engines do differently under the same SQL.
type Dialect struct {
	// Name is the engine's name: "sqlite" or "postgres".
	Name string
	// Numbered: the engine wants $1, $2… where the SQL here has ?.
	Numbered bool
	// TimeArg turns an instant into the value the engine stores (SQLite: text that
	// sorts as time does; PostgreSQL: timestamptz).
	TimeArg func(time.Time) any
	// IsUnique reports whether err is a unique or primary-key violation.
	IsUnique func(error) bool
	// Storage turns the engine's storage failures (busy, full disk, I/O, damage, lost
	// connection) into EUNAVAILABLE errors; it returns any other error unchanged.
	Storage func(error) error
	// StatementReads: a read runs each statement on its own, outside a transaction.
	// On PostgreSQL (READ COMMITTED) a read-only transaction would give each statement
	// its own snapshot anyway, at two more round trips; a read that needs one view of
	// several tables answers in one statement (the card). SQLite's reads share one
	// snapshot, which costs nothing there.
	StatementReads bool
}

// Store is a preferences.Repository on one database: a pool for writes and one for
// reads (the same pool where the engine needs no split).
type Store struct {
	write, read *sql.DB
	d           Dialect
	bound       sync.Map // query → the query with numbered placeholders

	// The reads the benchmark's card and board rows need kept (see counted).
	board     keptBoard
	freeRooms counted[[]preferences.Room]
}

// New returns the store over the write and read pools.
func New(write, read *sql.DB, d Dialect) *Store {
	return &Store{write: write, read: read, d: d}
}

// Read runs fn in a transaction of its own on the read pool, or statement by statement
// where the dialect says so (StatementReads).
// A read that finds a kept read being refilled by another (see keptRead) waits for it
// with no connection held, then runs again; the last attempt waits holding it.
func (s *Store) Read(ctx context.Context, fn func(preferences.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.readOnce(ctx, fn, attempt < maxReadAttempts)
		var r *refilling
		if !errors.As(err, &r) {
			return err
		}
		r.wait()
	}
}

// maxReadAttempts bounds how often a read gives way to refills.
const maxReadAttempts = 3

func (s *Store) readOnce(ctx context.Context, fn func(preferences.Tx) error, mayYield bool) error {
	if s.d.StatementReads {
		return s.classify(fn(&tx{s: s, q: s.read, reading: true, mayYield: mayYield}))
	}
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return s.classify(err)
	}
	return s.classify(InTransaction(ctx, conn, "BEGIN", func() error { return fn(&tx{s: s, q: conn, reading: true, mayYield: mayYield}) }))
}

// InTransaction runs fn between begin and COMMIT (ROLLBACK when fn fails) on conn, and
// then hands conn back to its pool, or drops it when the transaction could not end.
// database/sql's own Tx watches its context with a goroutine for every statement that
// returns rows (a tenth of a card's time on SQLite); statements on a Conn under a
// context that cannot be cancelled, as a request's, start none.
func InTransaction(ctx context.Context, conn *sql.Conn, begin string, fn func() error) error {
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		conn.Close()
		return err
	}
	err := fn()
	end := "COMMIT"
	if err != nil {
		end = "ROLLBACK"
	}
	if _, endErr := conn.ExecContext(context.WithoutCancel(ctx), end); endErr != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // still in the transaction: not for reuse
		if err == nil {
			err = endErr
		}
		return err
	}
	if closeErr := conn.Close(); err == nil {
		err = closeErr
	}
	return err
}

// In runs fn on q, a connection the engine has put in a transaction shared with other
// callers' changes (SQLite's group commit runs each in a savepoint). Its statements do
// not see their caller's cancellation: SQLite may roll back the whole transaction when
// a statement is interrupted, and the others' changes with it. The error is the domain's.
func (s *Store) In(q *sql.Conn, fn func(preferences.Tx) error) error {
	return s.classify(fn(&tx{s: s, q: q, detached: true}))
}

// Classify maps an engine's error to the domain's (see classify).
func (s *Store) Classify(err error) error { return s.classify(err) }

// Write runs fn in a transaction, committed when fn returns nil.
func (s *Store) Write(ctx context.Context, fn func(preferences.Tx) error) error {
	return s.run(ctx, s.write, nil, fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, opt *sql.TxOptions, fn func(preferences.Tx) error) error {
	q, err := db.BeginTx(ctx, opt)
	if err != nil {
		return s.classify(err)
	}
	if err := fn(&tx{s: s, q: q}); err != nil {
		q.Rollback()
		return s.classify(err)
	}
	return s.classify(q.Commit())
}

// classify maps what the engine said to the domain's errors; domain errors pass.
func (s *Store) classify(err error) error {
	var de *preferences.Error
	if err == nil || errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if s.d.IsUnique(err) {
		return &preferences.Error{Code: preferences.ECONFLICT, Message: "The record exists already.", Err: err}
	}
	return s.d.Storage(err)
}

// bind rewrites ? placeholders for engines that number them, once per query.
func (s *Store) bind(query string) string {
	if !s.d.Numbered {
		return query
	}
	if b, ok := s.bound.Load(query); ok {
		return b.(string)
	}
	b := Numbered(query)
	s.bound.Store(query, b)
	return b
}

// Numbered rewrites the ? placeholders of query as $1, $2… (PostgreSQL's); a ? inside
// quotes is left alone.
func Numbered(query string) string {
	var out strings.Builder
	n, quote := 0, rune(0)
	for _, r := range query {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '?':
			n++
			out.WriteString("$" + strconv.Itoa(n))
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}

// tx is one transaction; the methods of preferences.Tx are defined on it, a file per
// part of the store.
type tx struct {
	s *Store
	q querier
	// reading: a read's transaction, where kept reads are used (see counted).
	reading bool
	// mayYield: a kept read being refilled by another may answer *refilling (Read then
	// waits and runs again) instead of waiting in the transaction.
	mayYield bool
	// detached: the transaction is shared with other callers' changes (see In).
	detached bool
}

// querier is a transaction, or the pool itself for statement reads.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var _ preferences.Tx = (*tx)(nil)

// exec runs a statement. Its error is already the domain's (a unique violation is an
// ECONFLICT *preferences.Error), so a use case can tell a conflict from a failure; on
// PostgreSQL the transaction cannot go on after either.
func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	r, err := t.q.ExecContext(t.context(ctx), t.s.bind(query), args...)
	return r, t.s.classify(err)
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.q.QueryContext(t.context(ctx), t.s.bind(query), args...)
}

func (t *tx) row(ctx context.Context, query string, args ...any) *sql.Row {
	return t.q.QueryRowContext(t.context(ctx), t.s.bind(query), args...)
}

// context is what a statement runs under: the caller's, or in a shared transaction
// (detached) one its caller's cancellation does not reach.
func (t *tx) context(ctx context.Context) context.Context {
	if t.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// at is an instant as the engine stores it.
func (t *tx) at(tm time.Time) any { return t.s.d.TimeArg(tm.UTC().Truncate(time.Microsecond)) }

// atOrNull is a nullable instant: NULL for nil.
func (t *tx) atOrNull(tm *time.Time) any {
	if tm == nil {
		return nil
	}
	return t.at(*tm)
}

// notFound is the ENOTFOUND error for a missing what ("guest", "stay", …).
func notFound(what string) error {
	return &preferences.Error{Code: preferences.ENOTFOUND, Message: fmt.Sprintf("No such %s.", what)}
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
