package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"

	"regulars/preferences"
)

// deliver sends every queued message that is due, in batches over one connection each,
// at most RatePerSecond a second. Each message is claimed (sending) in a write
// transaction that commits before it is handed over, so of several instances only one
// sends it. Its outcome is recorded in the transaction that claims the next message (one
// commit a message), or on its own at the end of the batch, on a failure, when stopping
// and before waiting for the pace. A crash before the outcome is recorded leaves it
// sending (unknown after the restart), never sent twice; messages not yet claimed are
// sent after the restart. Cancelling ctx stops before the next message; the one in
// flight is still recorded.
func (s *Scheduler) deliver(ctx context.Context) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	for round := 0; round < 1000; round++ {
		due, err := s.store.DueOutreach(ctx, s.clock.Now(), s.cfg.BatchSize)
		if err != nil || len(due) == 0 {
			return err
		}
		again, err := s.deliverBatch(ctx, due)
		if err != nil || !again {
			return err
		}
	}
	return nil
}

// deliverBatch sends due over one connection. It reports whether to go on with a fresh
// connection: after a message that was not sent (the connection may be unusable), or
// after a full batch. It stops when it cannot connect or ctx ends. The last outcome is
// recorded before it returns.
func (s *Scheduler) deliverBatch(ctx context.Context, due []preferences.OutreachMessage) (again bool, err error) {
	keep := context.WithoutCancel(ctx) // outcomes are recorded even while stopping
	conn, err := s.mailer.Open(ctx)
	if err != nil {
		// Nothing was handed over: each message counts a failed attempt and is retried
		// later, or fails for good after MaxAttempts.
		for _, m := range due {
			if err := s.attemptFailed(keep, m, err); err != nil {
				return false, err
			}
		}
		return false, fmt.Errorf("outreach: connecting to the mail server: %w", err)
	}
	defer conn.Close()
	var done *preferences.OutreachResult // the last outcome, not yet recorded
	record := func() error {
		if done == nil {
			return nil
		}
		err := s.store.FinishOutreach(keep, done.ID, s.owner, done.Outcome)
		done = nil
		return err
	}
	defer func() {
		if rerr := record(); err == nil {
			err = rerr
		}
	}()
	for _, m := range due {
		if ctx.Err() != nil {
			return false, nil
		}
		if s.paceWait() > 0 {
			if err := record(); err != nil { // never leave an outcome unrecorded while waiting
				return false, err
			}
		}
		if err := s.pace(ctx); err != nil {
			return false, nil
		}
		claimed, err := s.store.ClaimOutreach(ctx, m.ID, s.owner, s.clock.Now(), done)
		if err != nil {
			return false, err // done is still set: the deferred record tries again
		}
		done = nil
		if !claimed {
			continue // another instance has it, or the guest can no longer be written to
		}
		msg, err := s.build(m)
		var sendErr error
		if err == nil {
			sendErr = conn.Send(ctx, msg)
		} else {
			sendErr = err
		}
		out := s.outcome(sendErr, msg, m.Attempts+1)
		done = &preferences.OutreachResult{ID: m.ID, Outcome: out}
		s.log.Info("outreach: message", "id", m.ID, "kind", string(m.Kind), "status", out.Status, "err", out.Error)
		if out.Status != preferences.OutboxSent {
			return true, nil // the rest goes over a fresh connection
		}
	}
	return len(due) == s.cfg.BatchSize, nil
}

// attemptFailed claims m and records a failed attempt with err.
func (s *Scheduler) attemptFailed(ctx context.Context, m preferences.OutreachMessage, err error) error {
	claimed, cerr := s.store.ClaimOutreach(ctx, m.ID, s.owner, s.clock.Now(), nil)
	if cerr != nil || !claimed {
		return cerr
	}
	return s.store.FinishOutreach(ctx, m.ID, s.owner, s.outcome(err, nil, m.Attempts+1))
}

// paceWait is how long the next message must wait to keep to RatePerSecond.
func (s *Scheduler) paceWait() time.Duration {
	if s.cfg.RatePerSecond <= 0 {
		return 0
	}
	gap := time.Duration(float64(time.Second) / s.cfg.RatePerSecond)
	return time.Until(s.lastSend.Add(gap))
}

// pace waits so that messages leave at most RatePerSecond a second.
func (s *Scheduler) pace(ctx context.Context) error {
	if s.cfg.RatePerSecond <= 0 {
		return nil
	}
	if wait := s.paceWait(); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.lastSend = time.Now()
	return nil
}

// build makes the MIME message: multipart text and HTML, UTF-8 subject, the stored
// Message-ID, and the RFC 8058 one-click unsubscribe headers.
func (s *Scheduler) build(m preferences.OutreachMessage) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent(), mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
	if err := msg.From(s.cfg.MailFrom); err != nil {
		return nil, fmt.Errorf("REGULARS_MAIL_FROM: %w", err)
	}
	if err := msg.To(m.Email); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(s.clock.Now())
	msg.SetListUnsubscribe(s.unsub.URL(m.GuestID))
	msg.SetListUnsubscribePost()
	msg.SetGenHeader(mail.HeaderContentLang, m.Language)
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	return msg, nil
}
