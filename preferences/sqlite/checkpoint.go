package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strconv"
	"time"
)

// The write-ahead log is copied back into the database file (a checkpoint) mostly by a
// connection of its own, in the background, rather than by the writer. SQLite checkpoints
// automatically inside the commit that takes the log past wal_autocheckpoint pages, and a
// checkpoint ends with an fsync of the database file: at a million guests, under a stream
// of writes, one took 0.6 s, and every write waited for it (a tenth of the requests are
// writes, so within milliseconds every connection did). A PASSIVE checkpoint blocks
// neither the writer nor the readers; run every checkpointEvery, it keeps the log mostly
// copied, so that when the writer's automatic checkpoint comes (kept: it is what lets the
// log start again from its beginning) it has only the last moments to copy.
const checkpointEvery = 250 * time.Millisecond

// After an erasure the log still holds the guest's rows as they were (whole page images),
// until SQLite writes over them; a TRUNCATE checkpoint copies the log into the file and
// empties it. It takes the write lock and then waits for the readers still reading the
// log, so writes wait for it: truncateWait bounds that (the busy timeout of an attempt).
// Readers that outlast it (a long export) make the attempt fail; it is tried again every
// truncateRetry until it succeeds, and the log keeps those page images until then (or
// until the service stops: the last connection to close checkpoints and deletes the log).
const (
	truncateWait  = 100 * time.Millisecond
	truncateRetry = time.Second
)

// errClosed answers a request made after Close.
var errClosed = errors.New("sqlite: the database is closed")

// errLogBusy: readers or a writer kept a TRUNCATE checkpoint from completing.
var errLogBusy = errors.New("sqlite: the write-ahead log is in use; it is emptied later")

type checkpointer struct {
	conn      *sql.DB
	log       *slog.Logger
	truncates chan chan error // requests to empty the log, each answered after its first attempt
	stop      chan struct{}
	done      chan struct{}
}

func startCheckpointer(path string, log *slog.Logger) (*checkpointer, error) {
	conn, err := sql.Open(writerDriver, dsn(path, false, 1000)) // a checkpoint needs no page cache
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conn: conn, log: log, truncates: make(chan chan error),
		stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	var (
		pending bool      // the log is to be emptied
		tried   time.Time // the last attempt
	)
	for {
		var answer chan error // a caller of truncateLog, waiting for this round's attempt
		select {
		case <-c.stop:
			return
		case answer = <-c.truncates:
			pending, tried = true, time.Time{}
		case <-t.C:
		}
		if pending && time.Since(tried) >= truncateRetry {
			retry := !tried.IsZero()
			tried = time.Now()
			err := c.truncate()
			pending = err != nil
			if pending && !errors.Is(err, errLogBusy) {
				c.log.Warn("sqlite: empty the write-ahead log after an erasure", "err", err)
			}
			if !pending && retry { // the erasure's caller heard of the first attempt only
				c.log.Info("sqlite: the write-ahead log is emptied after an erasure")
			}
			if answer != nil {
				answer <- err
			}
			continue
		}
		// With nothing new in the log this reads the log's header and returns.
		if _, err := c.conn.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
			c.log.Warn("sqlite: background checkpoint", "err", err)
		}
	}
}

// truncateLog empties the write-ahead log: at once when nothing holds it up, otherwise
// the checkpointer keeps trying (see truncateRetry). It returns the first attempt's
// outcome.
func (c *checkpointer) truncateLog(ctx context.Context) error {
	answer := make(chan error, 1)
	select {
	case c.truncates <- answer:
	case <-c.done:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-answer // within truncateWait and the copy of what is left in the log
}

// truncate makes one TRUNCATE checkpoint, waiting at most truncateWait for locks.
func (c *checkpointer) truncate() error {
	ctx := context.Background()
	conn, err := c.conn.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = `+strconv.FormatInt(truncateWait.Milliseconds(), 10)); err != nil {
		return err
	}
	var busy, logged, copied int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &copied); err != nil {
		return err
	}
	if busy != 0 {
		return errLogBusy
	}
	return nil
}

// close stops the checkpoints (the writer's last connection checkpoints what is left
// when it closes).
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.conn.Close()
}
