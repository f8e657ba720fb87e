// Package smtpsink is a real SMTP server (emersion/go-smtp) for tests: it listens on
// 127.0.0.1, keeps every message it accepts, and can refuse or hold messages on demand.
package smtpsink

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the sink accepted.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Parse parses the message with net/mail.
func (m Message) Parse() (*mail.Message, error) { return mail.ReadMessage(bytes.NewReader(m.Data)) }

// Sink is a running SMTP server.
type Sink struct {
	srv  *smtp.Server
	ln   net.Listener
	Addr string // host:port
	Port int

	mu       sync.Mutex
	msgs     []Message
	refuse   int // refuse this many next messages at DATA with 451
	holdAt   int // hold the reply to the holdAt-th accepted message (1-based); 0: none
	held     chan struct{}
	release  chan struct{}
	stall    bool          // StallMail: MAIL FROM waits for Release
	stalled  chan struct{} // closed when a MAIL FROM first waits
	stallOne sync.Once
	sessions int
	open     int        // sessions not yet ended
	ended    *sync.Cond // signalled when a session ends (on s.mu)
	user     string     // when set, AUTH PLAIN with user and pass is required
	pass     string
}

// Start starts a sink on a free port of 127.0.0.1 and stops it when the test ends.
func Start(t testing.TB) *Sink { return StartAt(t, "127.0.0.1:0") }

// StartAt starts a sink on addr (e.g. a port a client was refused on before).
func StartAt(t testing.TB, addr string) *Sink {
	t.Helper()
	s, err := Listen(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Listen starts a sink on addr; Close stops it.
func Listen(addr string) (*Sink, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Sink{ln: ln, Addr: ln.Addr().String(), Port: ln.Addr().(*net.TCPAddr).Port,
		held: make(chan struct{}), release: make(chan struct{}), stalled: make(chan struct{})}
	s.ended = sync.NewCond(&s.mu)
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.sessions++
		s.open++
		s.mu.Unlock()
		return &session{sink: s}, nil
	}))
	s.srv.Domain = "sink.localhost"
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.AllowInsecureAuth = true
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server, releasing a held message.
func (s *Sink) Close() error {
	s.Release()
	return s.srv.Close()
}

// Messages returns a copy of the messages accepted so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Count returns how many messages were accepted.
func (s *Sink) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

// Sessions returns how many SMTP connections were opened.
func (s *Sink) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// WaitSessionsEnded waits until every connection opened so far has ended (a client
// quit or its connection closed), so that each message it delivered is recorded.
func (s *Sink) WaitSessionsEnded() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.open > 0 {
		s.ended.Wait()
	}
}

// RefuseNext makes the next n messages fail at DATA with a temporary 451 error.
func (s *Sink) RefuseNext(n int) {
	s.mu.Lock()
	s.refuse = n
	s.mu.Unlock()
}

// RequireAuth makes the server demand AUTH PLAIN with these credentials.
func (s *Sink) RequireAuth(user, pass string) {
	s.mu.Lock()
	s.user, s.pass = user, pass
	s.mu.Unlock()
}

// HoldReply makes the server keep the n-th accepted message (counting from 1 over the
// sink's life) but withhold its "250 OK" until Release: the client cannot know it was
// delivered. Held returns a channel closed once it is held.
func (s *Sink) HoldReply(n int) {
	s.mu.Lock()
	s.holdAt = n
	s.mu.Unlock()
}

// Held is closed when the message chosen by HoldReply has arrived and is being held.
func (s *Sink) Held() <-chan struct{} { return s.held }

// StallMail makes the server stop answering MAIL FROM, before any DATA, until Release
// (or Close): a client waits there with nothing handed over. After Release it answers
// as usual.
func (s *Sink) StallMail() {
	s.mu.Lock()
	s.stall = true
	s.mu.Unlock()
}

// Stalled is closed when a client first waits at MAIL FROM (StallMail).
func (s *Sink) Stalled() <-chan struct{} { return s.stalled }

// Release lets a held reply go, and stalled MAIL FROMs.
func (s *Sink) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

type session struct {
	sink   *Sink
	from   string
	to     []string
	authed bool
}

func (x *session) Reset() { x.from, x.to = "", nil }
func (x *session) Logout() error {
	s := x.sink
	s.mu.Lock()
	s.open--
	s.mu.Unlock()
	s.ended.Broadcast()
	return nil
}

// AuthMechanisms offers PLAIN.
func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

// Auth checks PLAIN credentials against RequireAuth's.
func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		x.sink.mu.Lock()
		ok := x.sink.user != "" && user == x.sink.user && pass == x.sink.pass
		x.sink.mu.Unlock()
		if !ok {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication failed"}
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.sink.mu.Lock()
	needAuth := x.sink.user != "" && !x.authed
	stall := x.sink.stall
	x.sink.mu.Unlock()
	if needAuth {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	if stall {
		x.sink.stallOne.Do(func() { close(x.sink.stalled) })
		<-x.sink.release
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := x.sink
	s.mu.Lock()
	if s.refuse > 0 {
		s.refuse--
		s.mu.Unlock()
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	s.msgs = append(s.msgs, Message{From: x.from, To: append([]string(nil), x.to...), Data: b})
	hold := s.holdAt > 0 && len(s.msgs) == s.holdAt
	s.mu.Unlock()
	if hold {
		close(s.held)
		<-s.release
		return errors.New("held message released without a reply")
	}
	return nil
}
