package frontdesk_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/internal/testkit"
	"regulars/preferences"
)

// signInLine is the real service on a 127.0.0.1 listener whose sign-in throttles run on
// a fake clock, and browsers on other loopback addresses (127.0.0.x) to sign in from.
type signInLine struct {
	t     *testing.T
	base  string
	clock *clockwork.FakeClock
}

func newSignInLine(t *testing.T) (*signInLine, string) {
	cfg := testkit.Config(t)
	clock := clockwork.NewFakeClock()
	cfg.SignInClock = clock
	a, _ := testkit.Start(t, &cfg)
	pw := staffUser(t, a, "frontdesk", preferences.RoleFrontDesk)
	return &signInLine{t: t, base: testkit.Serve(t, a), clock: clock}, pw
}

// from returns a browser whose connections come from the loopback address ip.
func (l *signInLine) from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// signIn posts the sign-in form and expects the service to hold it back exactly wait on
// its clock (none for 0) before it answers with status want.
func (l *signInLine) signIn(c *http.Client, name, password string, wait time.Duration, want int) *http.Response {
	l.t.Helper()
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := c.PostForm(l.base+"/login", url.Values{"name": {name}, "password": {password}})
		if err != nil {
			l.t.Error(err)
		} else {
			resp.Body.Close()
		}
		done <- resp
	}()
	// A guard against a hang, not a measure: every wait here is on the fake clock.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if wait > 0 {
		if err := l.clock.BlockUntilContext(ctx, 1); err != nil {
			select {
			case resp := <-done:
				if resp != nil {
					l.t.Fatalf("sign-in as %s: answered %d at once, want held back %v", name, resp.StatusCode, wait)
				}
			default:
			}
			l.t.Fatalf("sign-in as %s: not held back (%v)", name, err)
		}
		l.clock.Advance(wait - time.Millisecond)
		if err := l.clock.BlockUntilContext(ctx, 1); err != nil {
			l.t.Fatal(err)
		}
		select {
		case <-done:
			l.t.Fatalf("sign-in as %s answered before %v", name, wait)
		default: // still held back a millisecond before the end
		}
		l.clock.Advance(time.Millisecond)
	}
	var resp *http.Response
	select {
	case resp = <-done:
	case <-ctx.Done():
		l.t.Fatalf("sign-in as %s: no answer without advancing the clock", name)
	}
	if resp == nil {
		l.t.FailNow()
	}
	if resp.StatusCode != want {
		l.t.Fatalf("sign-in as %s after %v: status %d, want %d", name, wait, resp.StatusCode, want)
	}
	return resp
}

// Five wrong passwords for a name from one address block that address for the name,
// but not the real user elsewhere: the name alone is only slowed down, right and wrong
// passwords alike, 1 s doubling to at most 10 s.
func TestSignInGuessingANameSlowsItDownButDoesNotLockItsUserOut(t *testing.T) {
	l, pw := newSignInLine(t)
	attacker, desk, other := l.from("127.0.0.2"), l.from("127.0.0.3"), l.from("127.0.0.4")
	for i := 0; i < 5; i++ {
		l.signIn(attacker, "frontdesk", "guess", 0, http.StatusUnauthorized)
	}
	r := l.signIn(attacker, "frontdesk", pw, 0, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The real user at the desk signs in, after a second.
	r = l.signIn(desk, "frontdesk", pw, time.Second, http.StatusSeeOther)
	if !strings.Contains(r.Header.Get("Set-Cookie"), "regulars_staff=") {
		t.Fatalf("no session after the slow sign-in: %v", r.Header)
	}
	// A success does not reset the name's count; each failure doubles the wait.
	for _, wait := range []time.Duration{1, 2, 4, 8, 10} {
		l.signIn(other, "frontdesk", "guess", wait*time.Second, http.StatusUnauthorized)
	}
	l.signIn(attacker, "frontdesk", pw, 0, http.StatusTooManyRequests) // blocked answers do not wait
	l.signIn(other, "frontdesk", pw, 0, http.StatusTooManyRequests)    // 5 from this address too
	l.signIn(desk, "frontdesk", pw, 10*time.Second, http.StatusSeeOther)
	// Other names are not slowed down.
	l.signIn(desk, "nobody", "guess", 0, http.StatusUnauthorized)
	// The address-and-name blocks end after 5 minutes; the name's failures after 15.
	l.clock.Advance(5 * time.Minute)
	l.signIn(attacker, "frontdesk", pw, 10*time.Second, http.StatusSeeOther)
	l.clock.Advance(15 * time.Minute)
	l.signIn(attacker, "frontdesk", pw, 0, http.StatusSeeOther)
}

// 20 failures from one address, whatever the names, block the address.
func TestSignInTwentyFailuresBlockTheAddress(t *testing.T) {
	l, pw := newSignInLine(t)
	noisy := l.from("127.0.0.2")
	for i := 0; i < 20; i++ {
		l.signIn(noisy, "guess"+string(rune('a'+i)), "x", 0, http.StatusUnauthorized)
	}
	l.signIn(noisy, "frontdesk", pw, 0, http.StatusTooManyRequests)
	l.signIn(l.from("127.0.0.3"), "frontdesk", pw, 0, http.StatusSeeOther)
	l.clock.Advance(5 * time.Minute)
	l.signIn(noisy, "frontdesk", pw, 0, http.StatusSeeOther)
}
