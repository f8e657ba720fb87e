package web

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// shellPages are the shell's own pages (login, error).
var shellPages = func() fs.FS {
	sub, err := fs.Sub(shellTemplates, "templates/pages")
	if err != nil {
		panic(err)
	}
	return sub
}()

// Sign-in messages. A wrong name and a wrong password get the same one.
const (
	msgWrongLogin = "Wrong name or password."
	msgThrottled  = "Too many failed sign-ins. Please wait a few minutes and try again."
	msgNoPages    = "This account has no staff pages."
)

type loginData struct {
	Name    string
	Next    string
	Message string
}

func (s *Staff) loginPage(c *fiber.Ctx) error {
	if actor, err := s.store.SessionActor(c.UserContext(), c.Cookies(SessionCookie), s.cfg.IdleTimeout); err == nil && s.home[actor.Role] != "" {
		return c.Redirect(s.home[actor.Role], fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "login", "Sign in", loginData{Next: safeNext(c.Query("next"))})
}

// login checks the name and password, replaces any previous session with a fresh one
// and sends the user on. Failures block a client address, and a name from one address;
// a name alone is only slowed down (slowDown), so that guessing its password from many
// addresses does not lock its user out.
func (s *Staff) login(c *fiber.Ctx) error {
	if !sameOrigin(c) {
		return s.errorPage(c, fiber.StatusForbidden, "Sign in from this site's own sign-in page.")
	}
	name := strings.TrimSpace(c.FormValue("name"))
	form := loginData{Name: name, Next: safeNext(c.FormValue("next"))}
	// Fiber's form values share the request's buffer, reused by later requests: the
	// throttles keep copies.
	ctx := c.UserContext()
	ipKey, nameKey := ClientIP(c), strings.Clone(strings.ToLower(name))
	pairKey := nameKey + "\x00" + ipKey
	left, err := s.byIP.Blocked(ctx, ipKey)
	if err == nil && left == 0 {
		left, err = s.byPair.Blocked(ctx, pairKey)
	}
	if err != nil {
		return err
	}
	if left > 0 {
		s.cfg.OnSignInFailure(SignInThrottled)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(left.Seconds())+1))
		form.Message = msgThrottled
		return s.render(c, fiber.StatusTooManyRequests, "login", "Sign in", form)
	}
	// Right and wrong passwords wait alike, so the wait tells nothing.
	failures, err := s.byName.Count(ctx, nameKey)
	if err != nil {
		return err
	}
	if d := s.slowDown(failures); d > 0 {
		s.cfg.Clock.Sleep(d)
	}
	actor, err := s.auth.Authenticate(ctx, name, c.FormValue("password"))
	if preferences.ErrorCode(err) == preferences.EUNAUTHORIZED {
		if err := errors.Join(s.byIP.Fail(ctx, ipKey), s.byPair.Fail(ctx, pairKey), s.byName.Fail(ctx, nameKey)); err != nil {
			return err
		}
		s.cfg.OnSignInFailure(SignInWrongPassword)
		form.Message = msgWrongLogin
		return s.render(c, fiber.StatusUnauthorized, "login", "Sign in", form)
	}
	if err != nil {
		return err
	}
	// The name's count stays: a success must not give a guesser a fresh start.
	if err := s.byPair.Reset(ctx, pairKey); err != nil {
		return err
	}
	home := s.home[actor.Role]
	if home == "" {
		form.Message = msgNoPages
		return s.render(c, fiber.StatusForbidden, "login", "Sign in", form)
	}
	if old := c.Cookies(SessionCookie); old != "" {
		if err := s.store.DeleteSession(c.UserContext(), old); err != nil {
			return err
		}
	}
	sid, err := s.store.CreateSession(c.UserContext(), actor, s.cfg.Lifetime)
	if err != nil {
		return err
	}
	s.setCookie(c, sid, int(s.cfg.Lifetime.Seconds()))
	if form.Next != "" {
		home = form.Next
	}
	return c.Redirect(home, fiber.StatusSeeOther)
}

// slowDown is how long a sign-in for a name with failures recent failures waits: nothing
// below NameLimit, then SlowFirst, doubling with each further failure, at most SlowMax.
func (s *Staff) slowDown(failures int) time.Duration {
	if failures < s.cfg.NameLimit {
		return 0
	}
	d := s.cfg.SlowFirst
	for i := s.cfg.NameLimit; i < failures && d < s.cfg.SlowMax; i++ {
		d *= 2
	}
	return min(d, s.cfg.SlowMax)
}

func (s *Staff) logout(c *fiber.Ctx) error {
	if err := s.store.DeleteSession(c.UserContext(), c.Cookies(SessionCookie)); err != nil {
		return err
	}
	s.setCookie(c, "", -1)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

func (s *Staff) setCookie(c *fiber.Ctx, value string, maxAge int) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HTTPOnly: true, Secure: secureCookie(c), SameSite: fiber.CookieSameSiteStrictMode})
}

// safeNext keeps a post-sign-in destination only when it is a path on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, "/login") {
		return ""
	}
	return next
}
