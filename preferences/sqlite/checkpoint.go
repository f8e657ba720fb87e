package sqlite

import (
	"database/sql"
	"log/slog"
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

type checkpointer struct {
	conn *sql.DB
	log  *slog.Logger
	stop chan struct{}
	done chan struct{}
}

func startCheckpointer(path string, log *slog.Logger) (*checkpointer, error) {
	conn, err := sql.Open(writerDriver, dsn(path, false, 1000)) // a checkpoint needs no page cache
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conn: conn, log: log, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			// With nothing new in the log this reads the log's header and returns.
			if _, err := c.conn.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
				c.log.Warn("sqlite: background checkpoint", "err", err)
			}
		}
	}
}

// close stops the checkpoints (the writer's last connection checkpoints what is left
// when it closes).
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.conn.Close()
}
