package sqlite

import (
	"log/slog"
	"os"

	"regulars/preferences"
)

// The writer commits with synchronous=NORMAL: SQLite writes a group's frames to the
// write-ahead log without an fsync, and logSync makes them durable (one fsync for every
// group committed meanwhile) before their callers hear the outcome, while the writer
// already runs the next group. Committing with synchronous=FULL, the fsync and the wait
// for a CPU after it were a third to half of the writer's cycle under the mixed load, and
// every write waited for whole cycles. An acknowledged change is as durable as before;
// what changes is that another connection may read a change up to one fsync before it is
// durable (a power cut then loses it, as it loses every unacknowledged change).
type logSync struct {
	walPath string
	log     *slog.Logger
	groups  chan []*change // committed groups whose callers wait for the fsync
	done    chan struct{}
	sync    func() error // syncWAL; tests replace it
	failed  func(error)  // told of a failed fsync (DB.noteWrite)
}

func newLogSync(dbPath string, log *slog.Logger, failed func(error)) *logSync {
	s := &logSync{walPath: dbPath + "-wal", log: log, groups: make(chan []*change, groupMax), done: make(chan struct{}),
		failed: failed}
	s.sync = s.syncWAL
	go s.run()
	return s
}

// close answers what is queued and stops; the writer has stopped sending.
func (s *logSync) close() {
	close(s.groups)
	<-s.done
}

func (s *logSync) run() {
	defer close(s.done)
	for group := range s.groups {
		waiting := [][]*change{group}
		for more := true; more; {
			select {
			case g, ok := <-s.groups:
				if !ok {
					more = false
					break
				}
				waiting = append(waiting, g)
			default:
				more = false
			}
		}
		// Every group here committed before the fsync starts, so the fsync covers it.
		err := s.sync()
		if err != nil {
			s.log.Error("sqlite: fsync of the write-ahead log", "groups", len(waiting), "err", err)
			err = preferences.Unavailable(preferences.ReasonFailed,
				"The change may have been stored, but it could not be made durable.", err)
			s.failed(err)
		}
		for _, g := range waiting {
			for _, c := range g {
				c.done <- err
			}
		}
	}
}

// syncWAL fsyncs the write-ahead log. It opens the file each time: SQLite removes and
// creates it again when the last connection to the database closes and another opens.
// Read-only is enough for an fsync: opened for writing, a log made unwritable while
// SQLite still wrote it through its own descriptor failed every change already stored.
func (s *logSync) syncWAL() error {
	f, err := os.Open(s.walPath)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
