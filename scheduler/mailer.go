package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"regulars/preferences"
)

// Mailer opens a connection for a batch of messages.
type Mailer interface {
	// Open connects to the mail server (or prepares the outbox folder).
	Open(ctx context.Context) (MailConn, error)
}

// MailConn sends messages over one connection until closed.
type MailConn interface {
	Send(ctx context.Context, m *mail.Msg) error
	Close() error
}

// NewMailer returns the mailer for REGULARS_SMTP_URL, or one writing .eml files into dir
// when rawURL is empty. The URL is smtp://[user:pass@]host:port[?tls=none|starttls|tls];
// without tls= STARTTLS is used when the server offers it.
func NewMailer(rawURL, dir string) (Mailer, error) {
	if rawURL == "" {
		return &FileMailer{Dir: dir}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, errors.New("REGULARS_SMTP_URL: must look like smtp://[user:pass@]host:port[?tls=none|starttls|tls]")
	}
	opts := []mail.Option{mail.WithTimeout(30 * time.Second), mail.WithHELO(helo(u.Hostname()))}
	port := 0
	switch tls := u.Query().Get("tls"); tls {
	case "none":
		opts, port = append(opts, mail.WithTLSPolicy(mail.NoTLS)), 25
	case "starttls":
		opts, port = append(opts, mail.WithTLSPolicy(mail.TLSMandatory)), 587
	case "tls":
		opts, port = append(opts, mail.WithSSL()), 465
	case "":
		opts, port = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic)), 587
	default:
		return nil, fmt.Errorf("REGULARS_SMTP_URL: tls=%q must be none, starttls or tls", tls)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, errors.New("REGULARS_SMTP_URL: the port must be a number from 1 to 65535")
		}
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		// Over TLS the best mechanism the server offers; with tls=none the URL asked for a
		// plain connection, so PLAIN is sent without encryption (a local relay).
		auth := mail.SMTPAuthAutoDiscover
		if u.Query().Get("tls") == "none" {
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	host := u.Hostname()
	if _, err := mail.NewClient(host, opts...); err != nil {
		return nil, fmt.Errorf("REGULARS_SMTP_URL: %w", err)
	}
	return SMTPMailer{host: host, opts: opts}, nil
}

func helo(host string) string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return host
}

// SMTPMailer sends through an SMTP server with go-mail, one connection per batch.
type SMTPMailer struct {
	host string
	opts []mail.Option
}

// Open dials the server. Until Close, cancelling ctx closes the connection at once, even
// under a command the server does not answer: a send in progress then fails (outcome
// tells whether its content was handed over). go-mail v0.8 has no context for sending.
func (s SMTPMailer) Open(ctx context.Context) (MailConn, error) {
	c, err := mail.NewClient(s.host, s.opts...)
	if err != nil {
		return nil, err
	}
	type dialed struct {
		sc  *smtp.Client
		err error
	}
	ch := make(chan dialed, 1)
	go func() {
		sc, err := c.DialToSMTPClientWithContext(ctx) // ctx ends the dial, not the greeting
		ch <- dialed{sc, err}
	}()
	select {
	case d := <-ch:
		if d.err != nil {
			return nil, d.err
		}
		// Text.Close, not sc.Close: a command waiting for its answer holds sc's lock.
		return smtpConn{c: c, sc: d.sc, stop: context.AfterFunc(ctx, func() { d.sc.Text.Close() })}, nil
	case <-ctx.Done():
		go func() { // a greeting that hangs is abandoned, and closed when it ends
			if d := <-ch; d.err == nil {
				d.sc.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

type smtpConn struct {
	c    *mail.Client
	sc   *smtp.Client
	stop func() bool // stops closing the connection when Open's ctx ends
}

func (s smtpConn) Send(_ context.Context, m *mail.Msg) error { return s.c.SendWithSMTPClient(s.sc, m) }

func (s smtpConn) Close() error {
	err := s.c.CloseWithSMTPClient(s.sc)
	s.stop()
	return err
}

// FileMailer writes each message as an .eml file into Dir (the outbox folder beside the
// database) when no SMTP server is configured.
type FileMailer struct {
	Dir string

	mu sync.Mutex
	// erased holds the file names of erased guests' letters: a letter claimed before its
	// guest was erased and written after is removed as it lands.
	erased map[string]bool
}

// Open creates the folder.
func (f *FileMailer) Open(context.Context) (MailConn, error) {
	if err := os.MkdirAll(f.Dir, 0o750); err != nil {
		return nil, err
	}
	return f, nil
}

// Send writes the message atomically, named after its Message-ID.
func (f *FileMailer) Send(_ context.Context, m *mail.Msg) error {
	name := emlName(m.GetMessageID())
	tmp := filepath.Join(f.Dir, "."+name+".tmp")
	if err := m.WriteToFile(tmp); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.erased[name] {
		return os.Remove(tmp)
	}
	return os.Rename(tmp, filepath.Join(f.Dir, name))
}

// Erase removes the .eml files of the letters with these Message-IDs.
func (f *FileMailer) Erase(messageIDs []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.erased == nil {
		f.erased = map[string]bool{}
	}
	var errs []error
	for _, id := range messageIDs {
		name := emlName(id)
		f.erased[name] = true
		if err := os.Remove(filepath.Join(f.Dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// emlName is the outbox file of a Message-ID (with or without its angle brackets).
func emlName(messageID string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '@' {
			return r
		}
		return '_'
	}, strings.Trim(messageID, "<>")) + ".eml"
}

// Close does nothing.
func (f *FileMailer) Close() error { return nil }

// EraseLetters removes the copies of an erased guest's letters that the mailer keeps
// (the .eml files); an SMTP mailer keeps none. It is the store's erasure hook.
func (s *Scheduler) EraseLetters(_ context.Context, e preferences.Erased) error {
	if f, ok := s.mailer.(*FileMailer); ok {
		return f.Erase(e.MessageIDs)
	}
	return nil
}

// outcome decides what a send error means for a message on its attempt-th try: sent,
// retry later (the server refused or was not reached, so it cannot have been delivered),
// failed (a permanent refusal, or too many tries), or unknown (the message was handed
// over but the server's answer was lost: it may have been delivered, so never retried).
// stopped: the send was cut off by a shutdown; unless handed over, it is due again at
// once (the next start sends it).
func (s *Scheduler) outcome(err error, m *mail.Msg, attempt int, stopped bool) preferences.OutreachOutcome {
	now := s.clock.Now()
	if err == nil || m != nil && m.IsDelivered() {
		return preferences.OutreachOutcome{Status: preferences.OutboxSent}
	}
	msg := err.Error()
	var se *mail.SendError
	if errors.As(err, &se) {
		if se.Reason == mail.ErrSMTPDataClose && se.ErrorCode() == 0 {
			return preferences.OutreachOutcome{Status: preferences.OutboxUnknown, Error: msg}
		}
		if code := se.ErrorCode(); code >= 500 {
			return preferences.OutreachOutcome{Status: preferences.OutboxFailed, Error: msg}
		}
	}
	if stopped {
		return preferences.OutreachOutcome{Status: preferences.OutboxQueued, NextAttemptAt: &now,
			Error: "stopped by a shutdown before the message was handed over: " + msg}
	}
	if attempt >= s.cfg.MaxAttempts {
		return preferences.OutreachOutcome{Status: preferences.OutboxFailed, Error: fmt.Sprintf("gave up after %d attempts: %s", attempt, msg)}
	}
	next := now.Add(s.cfg.RetryAfter << (attempt - 1))
	return preferences.OutreachOutcome{Status: preferences.OutboxQueued, Error: msg, NextAttemptAt: &next}
}
