package preferences

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"log/slog"
	"time"

	"github.com/jonboulle/clockwork"
)

// Service holds the use cases staff and guests perform: written once, over a
// Repository, whatever engine stores the data. It records the audit log: a change's
// entry in the change's own transaction, a read's within a second (readAudit).
type Service struct {
	repo   Repository
	sealer *Sealer
	clock  clockwork.Clock
	loc    *time.Location
	log    *slog.Logger
	reads  *readAudit
	hooks  []ErasureHook
}

// ServiceOptions configure NewService.
type ServiceOptions struct {
	Secret   []byte          // keys the document hashes; at least 16 bytes
	Location *time.Location  // the hotel's zone: what "today" is; nil: the machine's
	Clock    clockwork.Clock // nil: the real clock (tests pass a fake one)
	Logger   *slog.Logger    // nil: discard
}

// NewService returns the use cases over repo. Close it to write the pending audit
// entries of reads.
func NewService(repo Repository, opt ServiceOptions) (*Service, error) {
	if len(opt.Secret) < 16 {
		return nil, errors.New("preferences: the service secret must be at least 16 bytes")
	}
	if opt.Location == nil {
		opt.Location = time.Local
	}
	if opt.Clock == nil {
		opt.Clock = clockwork.NewRealClock()
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{repo: repo, sealer: NewSealer(opt.Secret), clock: opt.Clock, loc: opt.Location, log: opt.Logger}
	s.reads = startReadAudit(repo, opt.Clock, opt.Logger)
	return s, nil
}

// Close writes the audit entries of reads still pending.
func (s *Service) Close(ctx context.Context) error { return s.reads.close(ctx) }

// Location is the hotel's zone.
func (s *Service) Location() *time.Location { return s.loc }

// Now is the current instant, in UTC.
func (s *Service) Now() time.Time { return s.clock.Now().UTC() }

// Today is the hotel's calendar date, YYYY-MM-DD.
func (s *Service) Today() string { return s.clock.Now().In(s.loc).Format(DateLayout) }

// OnErase adds a hook run after each erasure has committed.
func (s *Service) OnErase(h ErasureHook) { s.hooks = append(s.hooks, h) }

// audit is the entry of actor doing action on a guest, now.
func (s *Service) audit(actor Actor, guestID, action, detail string) AuditEntry {
	return AuditEntry{At: s.Now(), Actor: actor.Name, Role: actor.Role, Action: action, GuestID: guestID, Detail: detail}
}

// RecordAccess notes that actor read a guest. The entry is written within a second
// (readAudit), so a crash loses at most the reads of the last second.
func (s *Service) RecordAccess(ctx context.Context, actor Actor, guestID, action string) {
	s.reads.add(s.audit(actor, guestID, action, ""))
}

// FlushAudit writes the pending audit entries of reads now.
func (s *Service) FlushAudit(ctx context.Context) error { return s.reads.flush(ctx) }

var idEncoding = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// NewID returns an opaque random identifier with a kind prefix ("g", "s", …), revealing
// no count or order.
func NewID(prefix string) string {
	b := make([]byte, 10)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return prefix + "_" + idEncoding.EncodeToString(b)
}
