package preferences

import (
	"context"
	"strconv"
	"time"
)

// The last errors the outbox writes itself.
const (
	outboxUnreachable = "not sent: the guest withdrew consent, changed address or was erased"
	outboxInterrupted = "interrupted while sending: delivery unknown, not retried"
)

// OutreachCandidate returns one guest (erased ones included) as the outreach rules see
// them on day, with their letters of kind; ENOTFOUND for an unknown ID.
func (s *Service) OutreachCandidate(ctx context.Context, kind OutreachKind, guestID, day string) (OutreachCandidate, error) {
	var c OutreachCandidate
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if c, err = tx.OutreachCandidateByID(ctx, kind, guestID, day); err != nil {
			return err
		}
		c.Suppressed, err = s.mailSuppression(ctx, tx, c.Guest.Email)
		return err
	})
	return c, err
}

// BirthdayCandidates returns contactable guests whose birthday falls on one of monthDays
// ("MM-DD") and who have no birthday letter for period yet.
func (s *Service) BirthdayCandidates(ctx context.Context, monthDays []string, period, day string) ([]OutreachCandidate, error) {
	var out []OutreachCandidate
	err := s.repo.Read(ctx, func(tx Tx) (err error) { out, err = tx.BirthdayCandidates(ctx, monthDays, period, day); return err })
	return out, err
}

// LapseCandidates returns contactable guests whose last check-out lies in [from, to).
func (s *Service) LapseCandidates(ctx context.Context, from, to time.Time, day string) ([]OutreachCandidate, error) {
	var out []OutreachCandidate
	err := s.repo.Read(ctx, func(tx Tx) (err error) { out, err = tx.LapseCandidates(ctx, from, to, day); return err })
	return out, err
}

// OutreachEligible returns the guests who get the letter of kind on day (the hotel's
// date, YYYY-MM-DD, within OutreachDateWindowYears of today), one per address, with the
// period each letter is for.
func (s *Service) OutreachEligible(ctx context.Context, kind OutreachKind, day string, rules OutreachRules) ([]OutreachPick, error) {
	d, err := s.outreachDay(kind, day)
	if err != nil {
		return nil, err
	}
	var picks []OutreachPick
	err = s.repo.Read(ctx, func(tx Tx) (err error) { picks, err = rules.Eligible(ctx, tx, kind, d); return err })
	return picks, err
}

// ExplainOutreach tells whether the guest would get the letter of kind on day, and every
// reason they would not; the staff member's read is audited. ENOTFOUND for an unknown
// guest.
func (s *Service) ExplainOutreach(ctx context.Context, actor Actor, kind OutreachKind, guestID, day string, rules OutreachRules) (OutreachExplanation, error) {
	d, err := s.outreachDay(kind, day)
	if err != nil {
		return OutreachExplanation{}, err
	}
	var ex OutreachExplanation
	err = s.repo.Read(ctx, func(tx Tx) error {
		c, err := tx.OutreachCandidateByID(ctx, kind, guestID, day)
		if err != nil {
			return err
		}
		if c.Suppressed, err = s.mailSuppression(ctx, tx, c.Guest.Email); err != nil {
			return err
		}
		ex, err = rules.Explain(ctx, tx, kind, c, d)
		return err
	})
	if err == nil {
		s.RecordAccess(ctx, actor, guestID, ActionOutreachRead)
	}
	return ex, err
}

// outreachDay checks kind and reads day in the hotel's zone.
func (s *Service) outreachDay(kind OutreachKind, day string) (time.Time, error) {
	if _, err := ParseOutreachKind(string(kind)); err != nil {
		return time.Time{}, err
	}
	return ParseOutreachDay(day, s.Today(), s.loc)
}

// QueueOutreach stores the messages as queued, due now, in one transaction, and returns
// those it created: a message whose (guest, occasion, period) or (address, occasion,
// period) exists already is skipped, so no second run, restart, instance or duplicate
// guest record creates it twice. A message to an address stopped by bounces is stored
// suppressed instead, never to be sent. The caller sets ID and MessageID.
func (s *Service) QueueOutreach(ctx context.Context, msgs []OutreachMessage) ([]OutreachMessage, error) {
	var v Invalid
	for i, m := range msgs {
		if _, err := ParseOutreachKind(string(m.Kind)); err != nil {
			v.Merge("messages["+strconv.Itoa(i)+"]", err)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.Now()
	var created []OutreachMessage
	err := s.repo.Write(ctx, func(tx Tx) error {
		created = []OutreachMessage{}
		for _, m := range msgs {
			// A guest erased since the selection gets no letter (and keeps no address).
			if err := tx.LockGuest(ctx, m.GuestID); ErrorCode(err) == ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			m.Status, m.Attempts, m.LastError = OutboxQueued, 0, ""
			m.NextAttemptAt, m.CreatedAt, m.UpdatedAt, m.SentAt = &now, now, now, nil
			ok, err := tx.InsertOutreachMessage(ctx, m, AddressKey(m.Email))
			if err != nil {
				return err
			}
			if ok {
				if err := s.suppressQueued(ctx, tx, &m); err != nil {
					return err
				}
				created = append(created, m)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// DueOutreach returns up to limit queued messages whose next attempt is due at now,
// the earliest first.
func (s *Service) DueOutreach(ctx context.Context, now time.Time, limit int) ([]OutreachMessage, error) {
	var out []OutreachMessage
	err := s.repo.Read(ctx, func(tx Tx) (err error) { out, err = tx.DueOutreachMessages(ctx, now, limit); return err })
	return out, err
}

// ClaimOutreach moves a queued message due at now to sending for owner, leased to it for
// lease, and counts the attempt, so that of several senders (and instances) exactly one
// claims it. It returns false when the message is no longer queued and due, when another
// sender is claiming it, or when its guest has meanwhile withdrawn consent, changed
// address or been erased (the message is then failed), or when its address has meanwhile
// been stopped by bounces (the message is then suppressed).
func (s *Service) ClaimOutreach(ctx context.Context, id, owner string, now time.Time, lease time.Duration) (bool, error) {
	claimed := false
	err := s.repo.Write(ctx, func(tx Tx) error {
		m, err := tx.OutreachMessageByID(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		if m.Status != OutboxQueued || m.NextAttemptAt == nil || m.NextAttemptAt.After(now) {
			return nil
		}
		g, err := tx.GuestByID(ctx, m.GuestID)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
		if err != nil || !g.MarketingConsent || g.Email != m.Email {
			return tx.FailQueuedOutreachMessage(ctx, id, outboxUnreachable, s.Now())
		}
		if stopped, err := s.stopClaimed(ctx, tx, m); stopped || err != nil {
			return err
		}
		claimed, err = tx.ClaimOutreachMessage(ctx, id, owner, now, now.Add(lease))
		return err
	})
	return claimed && err == nil, err
}

// FinishOutreach records how owner's attempt at message id ended. A message that a
// start-up marked unknown meanwhile still gets the known outcome.
func (s *Service) FinishOutreach(ctx context.Context, id, owner string, out OutreachOutcome) error {
	switch out.Status {
	case OutboxSent, OutboxFailed, OutboxUnknown:
		out.NextAttemptAt = nil
	case OutboxQueued:
		if out.NextAttemptAt == nil {
			return FieldErr("next_attempt_at", "is required when the message is queued again")
		}
	default:
		return FieldErr("status", "must be sent, queued, failed or unknown")
	}
	now := s.Now()
	var sentAt *time.Time
	if out.Status == OutboxSent {
		sentAt = &now
	}
	return s.repo.Write(ctx, func(tx Tx) error { return tx.FinishOutreachMessage(ctx, id, owner, out, sentAt, now) })
}

// RecoverOutreach marks every message left sending by a process that stopped mid-send,
// its lease ended at now, as unknown: it may or may not have reached the mail server, so
// it is never retried. A message still leased to a live instance is left to it.
func (s *Service) RecoverOutreach(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.repo.Write(ctx, func(tx Tx) (err error) {
		n, err = tx.MarkSendingOutreachUnknown(ctx, outboxInterrupted, now)
		return err
	})
	return n, err
}

// OutreachMessage returns one outbox message; ENOTFOUND when there is none.
func (s *Service) OutreachMessage(ctx context.Context, id string) (OutreachMessage, error) {
	var m OutreachMessage
	err := s.repo.Read(ctx, func(tx Tx) (err error) { m, err = tx.OutreachMessageByID(ctx, id); return err })
	return m, err
}

// OutreachMessages lists up to limit (1 to 1000) outbox messages, newest first, all or
// those with status; the staff member's read of each message's guest is audited.
func (s *Service) OutreachMessages(ctx context.Context, actor Actor, status string, limit int) ([]OutreachMessage, error) {
	if err := CheckOutboxStatus(status); err != nil {
		return nil, err
	}
	if limit < 1 || limit > 1000 {
		return nil, FieldErr("limit", "must be a number from 1 to 1000")
	}
	var msgs []OutreachMessage
	err := s.repo.Read(ctx, func(tx Tx) (err error) { msgs, err = tx.OutreachMessagesByStatus(ctx, status, limit); return err })
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		s.RecordAccess(ctx, actor, m.GuestID, ActionOutreachRead)
	}
	return msgs, nil
}

// OutreachCounts counts the outbox messages by status.
func (s *Service) OutreachCounts(ctx context.Context) (map[string]int, error) {
	var n map[string]int
	err := s.repo.Read(ctx, func(tx Tx) (err error) { n, err = tx.OutreachCountsByStatus(ctx); return err })
	return n, err
}

// OldestQueuedOutreach is when the oldest message still queued was created; the zero
// time when none is queued.
func (s *Service) OldestQueuedOutreach(ctx context.Context) (time.Time, error) {
	var at *time.Time
	err := s.repo.Read(ctx, func(tx Tx) (err error) { at, err = tx.OldestQueuedOutreachAt(ctx); return err })
	if err != nil || at == nil {
		return time.Time{}, err
	}
	return *at, nil
}
