package preferences

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// The audit entries of reads are written in batches, one transaction a second, so that
// a read neither waits for a commit nor turns into a write of its own. A crash loses at
// most the entries of the last second; Close writes the rest.
const (
	readAuditEvery = time.Second
	readAuditBatch = 1000 // written at once when this many wait
	readAuditMax   = 100_000
)

type readAudit struct {
	repo    Repository
	log     *slog.Logger
	mu      sync.Mutex
	pending []AuditEntry
	full    chan struct{} // a batch is waiting
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	writeMu sync.Mutex // one flush at a time, so entries stay in order
}

func startReadAudit(repo Repository, clock clockwork.Clock, log *slog.Logger) *readAudit {
	a := &readAudit{repo: repo, log: log, full: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	ticker := clock.NewTicker(readAuditEvery)
	go func() {
		defer close(a.done)
		defer ticker.Stop()
		for {
			select {
			case <-a.stop:
				return
			case <-ticker.Chan():
			case <-a.full:
			}
			if err := a.flush(context.Background()); err != nil {
				a.log.Error("audit: the reads' entries were not written; retrying", "err", err)
			}
		}
	}()
	return a
}

func (a *readAudit) add(e AuditEntry) {
	a.mu.Lock()
	if len(a.pending) < readAuditMax { // bounded while the store is down; the loss is logged at flush
		a.pending = append(a.pending, e)
	}
	n := len(a.pending)
	a.mu.Unlock()
	if n >= readAuditBatch {
		select {
		case a.full <- struct{}{}:
		default:
		}
	}
}

// flush writes what is pending; on failure the entries stay for the next try.
func (a *readAudit) flush(ctx context.Context) error {
	a.writeMu.Lock()
	defer a.writeMu.Unlock()
	a.mu.Lock()
	batch := a.pending
	a.pending = nil
	a.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := a.repo.Write(ctx, func(tx Tx) error { return tx.AppendAudit(ctx, batch...) })
	if err != nil {
		a.mu.Lock()
		a.pending = append(batch, a.pending...)
		a.mu.Unlock()
	}
	return err
}

func (a *readAudit) close(ctx context.Context) error {
	a.once.Do(func() { close(a.stop) })
	<-a.done
	return a.flush(ctx)
}
