package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wneessen/go-mail"

	"regulars/preferences"
)

// deliver sends every queued message that is due, over up to Connections SMTP
// connections at once, at most RatePerSecond a second in all. One feeder hands the due
// messages over, one at a time and paced; each connection has its own worker, opened
// only when a message is ready and every open connection is busy (a slow pace needs
// one). A worker claims its message (sending) in a write transaction that commits
// before the message is handed to the server, so of several instances only one sends
// it. Its outcome is recorded as soon as it is known, so each worker has at most one
// message sending at a time: a crash leaves at most Connections messages sending (unknown after the
// restart), never sent twice, and the messages not yet claimed are sent after the
// restart. A message not sent closes its connection (the next one opens a fresh one)
// and does not stop the others. Cancelling ctx stops at once: no further message is
// begun, and a send in progress is cut off and recorded (outcome).
func (s *Scheduler) deliver(ctx context.Context) (err error) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	// A message whose instance died while sending it is unknown, not sent again.
	if err := s.recover(ctx); err != nil {
		return err
	}
	feed := make(chan outboxItem) // unbuffered: a send succeeds only when a worker is free
	var (
		workers sync.WaitGroup
		errs    = make([]error, s.cfg.Connections)
		started int
		failed  atomic.Bool // a worker could not reach the server, or the store failed
	)
	defer func() {
		close(feed)
		workers.Wait()
		err = errors.Join(err, errors.Join(errs...))
	}()
	for round := 0; round < 1000 && !failed.Load() && ctx.Err() == nil; round++ {
		due, err := s.store.DueOutreach(ctx, s.clock.Now(), s.cfg.BatchSize*s.cfg.Connections)
		if err != nil || len(due) == 0 {
			return err
		}
		var claims sync.WaitGroup // the round's messages handed over and not yet claimed
		for _, m := range due {
			if s.pace(ctx) != nil {
				break
			}
			claims.Add(1)
			item := outboxItem{m, claims.Done}
			select {
			case feed <- item:
				continue
			default: // every worker is busy: open another connection if allowed
			}
			if started < s.cfg.Connections {
				w := started
				started++
				workers.Add(1)
				go func() {
					defer workers.Done()
					errs[w] = s.work(ctx, feed, &failed)
				}()
			}
			feed <- item // workers always take what is fed, until feed closes
		}
		// The next query must not see this round's messages still queued.
		claims.Wait()
	}
	return nil
}

// outboxItem is a due message handed to a worker, and how the worker tells the feeder it
// has claimed it (or given it up).
type outboxItem struct {
	msg     preferences.OutreachMessage
	claimed func()
}

// work sends the messages of feed over one connection until feed closes. When the
// store fails or the server cannot be reached it sets failed (the feeder stops after the
// round) and returns the error once feed closes; meanwhile every message it takes is
// left queued, or, when the server cannot be reached, counts a failed attempt.
func (s *Scheduler) work(ctx context.Context, feed <-chan outboxItem, failed *atomic.Bool) (err error) {
	keep := context.WithoutCancel(ctx) // outcomes are recorded even while stopping
	var (
		conn    MailConn
		onConn  int   // messages sent over conn
		connErr error // the server could not be reached
	)
	// record stores an attempt's outcome at once: a crash after the send leaves the
	// letter "sending", which the next start marks unknown (never sent twice).
	record := func(id string, out preferences.OutreachOutcome) {
		if rerr := s.store.FinishOutreach(keep, id, s.owner, out); rerr != nil {
			err = errors.Join(err, rerr)
			failed.Store(true)
		}
	}
	closeConn := func() {
		if conn != nil {
			conn.Close()
			conn, onConn = nil, 0
		}
	}
	defer closeConn()
	for {
		item, ok := <-feed
		if !ok {
			return errors.Join(err, connErr)
		}
		m := item.msg
		if ctx.Err() != nil || err != nil {
			item.claimed() // left queued: not begun
			continue
		}
		if conn == nil && connErr == nil {
			if conn, connErr = s.mailer.Open(ctx); connErr != nil {
				conn = nil
				if ctx.Err() != nil { // stopping while connecting: not begun, left queued
					connErr = nil
					item.claimed()
					continue
				}
				connErr = fmt.Errorf("outreach: connecting to the mail server: %w", connErr)
				failed.Store(true)
			}
		}
		claimed, cerr := s.store.ClaimOutreach(ctx, m.ID, s.owner, s.clock.Now(), s.cfg.Lease)
		item.claimed()
		if cerr != nil {
			err = cerr
			failed.Store(true)
			continue
		}
		if !claimed {
			continue // another instance has it, or the guest can no longer be written to
		}
		if connErr != nil {
			// Nothing is handed over: the message counts a failed attempt and is retried
			// later, or fails for good after MaxAttempts.
			out := s.outcome(errors.Unwrap(connErr), nil, m.Attempts+1, false)
			record(m.ID, out)
			s.reportLetter(m.Kind, out)
			continue
		}
		msg, berr := s.build(m)
		sendErr := berr
		if berr == nil {
			sendErr = conn.Send(ctx, msg)
		}
		out := s.outcome(sendErr, msg, m.Attempts+1, ctx.Err() != nil)
		record(m.ID, out)
		s.reportLetter(m.Kind, out)
		s.log.Info("outreach: message", "id", m.ID, "kind", string(m.Kind), "status", out.Status, "err", out.Error)
		if onConn++; out.Status != preferences.OutboxSent || onConn >= s.cfg.BatchSize {
			closeConn() // the next message goes over a fresh connection
		}
	}
}

// reportLetter reports an attempt's outcome; a letter queued again is a retry.
func (s *Scheduler) reportLetter(kind preferences.OutreachKind, out preferences.OutreachOutcome) {
	result := out.Status
	if result == preferences.OutboxQueued {
		result = LetterRetry
	}
	s.cfg.OnLetter(kind, result)
}

// paceWait is how long the next message must wait to keep to RatePerSecond.
func (s *Scheduler) paceWait() time.Duration {
	if s.cfg.RatePerSecond <= 0 {
		return 0
	}
	gap := time.Duration(float64(time.Second) / s.cfg.RatePerSecond)
	return s.clock.Until(s.lastSend.Add(gap))
}

// pace waits so that messages leave at most RatePerSecond a second.
func (s *Scheduler) pace(ctx context.Context) error {
	if s.cfg.RatePerSecond <= 0 {
		return nil
	}
	if wait := s.paceWait(); wait > 0 {
		t := s.clock.NewTimer(wait) // the fake clock of the tests spaces the messages
		defer t.Stop()
		select {
		case <-t.Chan():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.lastSend = s.clock.Now()
	return nil
}

// build makes the MIME message: multipart text and HTML, UTF-8 subject, the stored
// Message-ID, the List-Id, the RFC 8058 one-click unsubscribe headers, and a DKIM
// signature when a key is configured.
func (s *Scheduler) build(m preferences.OutreachMessage) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent(), mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
	if err := msg.From(s.cfg.MailFrom); err != nil {
		return nil, fmt.Errorf("REGULARS_MAIL_FROM: %w", err)
	}
	if err := msg.To(m.Email); err != nil {
		return nil, err
	}
	msg.SetGenHeaderPreformatted(mail.HeaderSubject, subject(m.Subject))
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(s.clock.Now())
	msg.SetGenHeaderPreformatted(mail.Header("List-Id"), s.listID)
	msg.SetListUnsubscribe(s.unsub.URL(m.GuestID)) // one URI: a single token, nothing to fold
	msg.SetListUnsubscribePost()
	msg.SetGenHeader(mail.HeaderContentLang, m.Language)
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	if s.cfg.DKIM != nil {
		if err := s.cfg.DKIM.sign(msg); err != nil {
			return nil, err
		}
	}
	return msg, nil
}
