package bench

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/wneessen/go-mail"

	"regulars/internal/app"
	"regulars/internal/smtpsink"
	"regulars/preferences"
	"regulars/scheduler"
)

// MailConnections is the outbox's SMTP connections in row 8.
const MailConnections = 16

// outreachOn opens the working database in-process (the service stopped) with the
// outreach service sending to smtpURL. The caller closes db.
func outreachOn(dbPath, smtpURL string) (s *scheduler.Scheduler, db *app.Store, ac app.Config, err error) {
	if ac, err = benchConfig(dbPath, smtpURL); err != nil {
		return nil, nil, ac, err
	}
	if db, err = app.OpenStore(ac, slog.New(slog.DiscardHandler)); err != nil {
		return nil, nil, ac, err
	}
	if s, err = app.NewOutreach(ac, db, slog.New(slog.DiscardHandler)); err != nil {
		db.Close()
		return nil, nil, ac, err
	}
	return s, db, ac, nil
}

// benchConfig is the service's configuration of the bench's in-process runs.
func benchConfig(dbPath, smtpURL string) (app.Config, error) {
	ac := app.FromEnv(func(string) string { return "" })
	ac.DBPath, ac.Secret, ac.SMTPURL = dbPath, Secret, smtpURL
	ac.MailRate = 1e9 // measure capacity, not the configured pace
	// As a hotel sending a season's greetings through its relay would set
	// REGULARS_MAIL_CONNECTIONS: each claim waits for a durable commit before its send,
	// and more connections in flight share those commits.
	ac.MailConnections = MailConnections
	ac.Location, _ = time.LoadLocation(Zone)
	return ac, ac.Resolve()
}

// runSelections times the day's birthday and lapse selections (row 7), in-process on
// the working database before the service runs: the service sends the day's letters at
// start-up (runService), after which the day would have few left to select.
func runSelections(ctx context.Context, cfg Config, dbPath string, res *Results) error {
	s, db, ac, err := outreachOn(dbPath, "smtp://127.0.0.1:1?tls=none") // a dry run sends nothing
	if err != nil {
		return err
	}
	defer db.Close()
	day := time.Now().In(ac.Location).Format(preferences.DateLayout)
	if res.SelectBirthdayMS, res.BirthdayRows, err = medianRun(ctx, func() (int, error) {
		r, err := s.Run(ctx, preferences.OutreachBirthday, day, true)
		return len(r), err
	}); err != nil {
		return err
	}
	if res.SelectLapseMS, res.LapseRows, err = medianRun(ctx, func() (int, error) {
		r, err := s.Run(ctx, preferences.OutreachLapse, day, true)
		return len(r), err
	}); err != nil {
		return err
	}
	cfg.logf("selection      birthday %.1f ms (%d rows), lapse %.1f ms (%d rows)", res.SelectBirthdayMS, res.BirthdayRows,
		res.SelectLapseMS, res.LapseRows)
	return nil
}

// runOutbox measures, in-process on the working database (the service stopped), outbox
// delivery to a loopback SMTP server (row 8) and go-mail alone sending the same
// messages over one connection (C).
func runOutbox(ctx context.Context, cfg Config, dbPath string, res *Results) error {
	sink, err := smtpsink.Listen("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer sink.Close()
	s, db, ac, err := outreachOn(dbPath, "smtp://"+sink.Addr+"?tls=none")
	if err != nil {
		return err
	}
	defer db.Close()
	today := time.Now().In(ac.Location)
	// Row 8: the birthday letters of the coming days are queued (row 7 times the
	// selection), then the outbox delivers them, timed, as baseline C sends the same
	// composed messages. (Messages the service's own scheduler queued during the load
	// rows were sent by it.)
	sentBefore, _, err := outboxCounts(ctx, db)
	if err != nil {
		return err
	}
	queued := 0
	for d := 0; queued < cfg.MailMessages && d < 366; d++ {
		r, err := s.Queue(ctx, preferences.OutreachBirthday, today.AddDate(0, 0, d).Format(preferences.DateLayout))
		if err != nil {
			return err
		}
		queued += len(r)
	}
	start := time.Now()
	if err := s.Deliver(ctx); err != nil {
		return err
	}
	elapsed := time.Since(start)
	sentAfter, pending, err := outboxCounts(ctx, db)
	if err != nil {
		return err
	}
	if got := sink.Count(); got != sentAfter-sentBefore || got < queued || pending != 0 {
		return fmt.Errorf("bench: outbox not exact: %d queued, %d received, %d rows became sent, %d left unsent",
			queued, got, sentAfter-sentBefore, pending)
	}
	res.MailMessages = sink.Count()
	res.MailPerS = float64(res.MailMessages) / elapsed.Seconds()
	// The outbox lists at most 1,000 messages at a time: C sends those in turn until it
	// has sent as many as the outbox did.
	msgs, err := db.OutreachMessages(ctx, preferences.System, preferences.OutboxSent, min(res.MailMessages, 1000))
	if err != nil {
		return err
	}
	res.MailBaselinePerS, err = sendDirect(ctx, msgs, res.MailMessages, ac.MailFrom)
	cfg.logf("mail           outbox %.0f/s (%d messages), go-mail alone %.0f/s", res.MailPerS, res.MailMessages, res.MailBaselinePerS)
	return err
}

// outboxCounts returns how many outbox messages are sent and how many are still queued
// or sending; the outbox is exact when every message handed over was received once.
func outboxCounts(ctx context.Context, db *app.Store) (sent, pending int, err error) {
	err = storeSQL(db).queryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'sent'),
		count(*) FILTER (WHERE status IN ('queued', 'sending')) FROM outreach_messages`).Scan(&sent, &pending)
	return sent, pending, err
}

// medianRun runs fn three times and returns the median time in ms and its result.
func medianRun(ctx context.Context, fn func() (int, error)) (float64, int, error) {
	var ms []float64
	n := 0
	for range 3 {
		start := time.Now()
		var err error
		if n, err = fn(); err != nil {
			return 0, 0, err
		}
		ms = append(ms, float64(time.Since(start).Microseconds())/1000)
	}
	sort.Float64s(ms)
	return ms[1], n, ctx.Err()
}

// sendDirect is baseline C: go-mail alone sends n of the messages, in turn, to a fresh
// loopback SMTP server over one connection, building each message as the outbox does.
func sendDirect(ctx context.Context, msgs []preferences.OutreachMessage, n int, from string) (float64, error) {
	sink, err := smtpsink.Listen("127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer sink.Close()
	c, err := mail.NewClient("127.0.0.1", mail.WithPort(sink.Port), mail.WithTLSPolicy(mail.NoTLS), mail.WithHELO("localhost"))
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := c.DialWithContext(ctx); err != nil {
		return 0, err
	}
	for i := range n {
		m := msgs[i%len(msgs)]
		msg := mail.NewMsg(mail.WithNoDefaultUserAgent(), mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
		if err := msg.From(from); err != nil {
			return 0, err
		}
		if err := msg.To(m.Email); err != nil {
			return 0, err
		}
		msg.Subject(m.Subject)
		msg.SetMessageIDWithValue(m.MessageID)
		msg.SetDate()
		msg.SetGenHeader(mail.HeaderContentLang, m.Language)
		msg.SetBodyString(mail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
		if err := c.Send(msg); err != nil {
			return 0, err
		}
	}
	if err := c.Close(); err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	if sink.Count() != n {
		return 0, fmt.Errorf("bench: baseline C: %d of %d messages received", sink.Count(), n)
	}
	return float64(n) / elapsed.Seconds(), nil
}
