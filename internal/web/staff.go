package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// SessionCookie is the name of the staff session cookie.
const SessionCookie = "regulars_staff"

// StaffConfig configures staff sign-in. Zero values take the defaults shown.
type StaffConfig struct {
	HotelName   string
	IdleTimeout time.Duration // 30 minutes without a request ends a session
	Lifetime    time.Duration // 12 hours after sign-in a session ends regardless
	PairLimit   int           // 5 failed sign-ins for one name from one address within 15 minutes block that pair...
	IPLimit     int           // ...20 from one client address block that address...
	Block       time.Duration // ...for 5 minutes (answered 429)
	// A name alone is never blocked, which would lock its user out: after NameLimit (5)
	// failures for it from any addresses within 15 minutes, each sign-in for it waits
	// SlowFirst (1 s), doubling with each further failure up to SlowMax (10 s).
	NameLimit          int
	SlowFirst, SlowMax time.Duration
	Clock              clockwork.Clock // the real clock; tests pass a fake one
	// Throttles keeps the failed sign-ins and blocks, shared by every instance (required).
	Throttles ThrottleStore
	// OnSignInFailure, when set, is called for each refused sign-in with its reason,
	// SignInWrongPassword or SignInThrottled (metrics).
	OnSignInFailure func(reason string)
}

// Reasons a sign-in fails, as OnSignInFailure gets them.
const (
	SignInWrongPassword = "password"
	SignInThrottled     = "throttled"
)

// Staff signs staff in and out and guards staff pages: session cookie, CSRF checks,
// security headers, role checks and the shared navigation.
//
// A web package adds a page on the shared shell like this:
//
//	//go:embed templates/*.html  (each page file: {{define "content"}}…{{end}};
//	//                            files named _*.html are partials for every page)
//	views := web.MustParseViews(sub, template.FuncMap{…})
//	staff.AddNav("Outreach", "/manager/outreach", preferences.RoleManager)
//	app.Get("/manager/outreach", staff.Pages(preferences.RoleManager), func(c *fiber.Ctx) error {
//		return views.Render(c, fiber.StatusOK, "outreach", "Outreach", data) // data is .Data
//	})
//
// Every form that posts includes {{template "csrf" $}}. A handler may return domain
// errors: under Pages they are shown as a page in the shell (5xx are logged). Optional
// per-package CSS or JS: web.Static(app, "/static/pkg", fsys, "static") and a partial
// {{define "head"}}<link rel="stylesheet" href="/static/pkg/pkg.css">{{end}}; no inline
// script or style (the CSP forbids it).
type Staff struct {
	store  preferences.SessionStore
	auth   preferences.StaffStore
	cfg    StaffConfig
	byPair *Throttle // name and address together
	byIP   *Throttle
	byName *Throttle // counts only: it slows sign-ins down, never blocks
	nav    []NavLink
	home   map[preferences.Role]string
	views  *Views
}

// NewStaff returns the staff sign-in on store (sessions) and auth (passwords).
func NewStaff(store preferences.SessionStore, auth preferences.StaffStore, cfg StaffConfig) *Staff {
	cfg.IdleTimeout = orDefault(cfg.IdleTimeout, 30*time.Minute)
	cfg.Lifetime = orDefault(cfg.Lifetime, 12*time.Hour)
	cfg.PairLimit = orDefault(cfg.PairLimit, 5)
	cfg.IPLimit = orDefault(cfg.IPLimit, 20)
	cfg.Block = orDefault(cfg.Block, 5*time.Minute)
	cfg.NameLimit = orDefault(cfg.NameLimit, 5)
	cfg.SlowFirst = orDefault(cfg.SlowFirst, time.Second)
	cfg.SlowMax = orDefault(cfg.SlowMax, 10*time.Second)
	if cfg.Clock == nil {
		cfg.Clock = clockwork.NewRealClock()
	}
	if cfg.OnSignInFailure == nil {
		cfg.OnSignInFailure = func(string) {}
	}
	window, now := 15*time.Minute, cfg.Clock.Now
	throttle := func(scope string, limit int) *Throttle {
		return &Throttle{Store: cfg.Throttles, Scope: scope, Now: now,
			Rule: preferences.ThrottleRule{Limit: limit, Window: window, Block: cfg.Block}}
	}
	return &Staff{
		store:  store,
		auth:   auth,
		cfg:    cfg,
		byPair: throttle("pair", cfg.PairLimit),
		byIP:   throttle("ip", cfg.IPLimit),
		byName: throttle("name", 0),
		home:   map[preferences.Role]string{},
		views:  MustParseViews(shellPages, nil),
	}
}

// orDefault is v, or def when v is not positive.
func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// AddNav adds a link to the navigation bar for the given roles (manager always sees it).
func (s *Staff) AddNav(label, path string, roles ...preferences.Role) {
	if !slices.Contains(roles, preferences.RoleManager) {
		roles = append(roles, preferences.RoleManager)
	}
	s.nav = append(s.nav, NavLink{Label: label, Path: path, Roles: roles})
}

// SetHome names the page "/" sends a role to after sign-in.
func (s *Staff) SetHome(role preferences.Role, path string) { s.home[role] = path }

// Mount registers /login, /logout, / and the shell's static files.
func (s *Staff) Mount(app fiber.Router) {
	Static(app, ShellStaticPrefix, shellStatic, "static")
	app.Get("/", PageHeaders, s.root)
	app.Get("/login", PageHeaders, s.loginPage)
	app.Post("/login", PageHeaders, s.login)
	app.Post("/logout", s.Pages(), s.logout)
}

// Pages returns the middleware for staff pages open to roles (any signed-in staff member
// when none are given): security headers and no-store, a valid session (otherwise GET
// goes to /login), the CSRF check on every POST, and the role check (403).
func (s *Staff) Pages(roles ...preferences.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		setPageHeaders(c)
		sid := c.Cookies(SessionCookie)
		actor, err := s.store.SessionActor(c.UserContext(), sid, s.cfg.IdleTimeout)
		if preferences.ErrorCode(err) == preferences.EUNAUTHORIZED {
			if c.Method() == fiber.MethodGet {
				return c.Redirect("/login?next="+urlPathEscape(c.Path()), fiber.StatusSeeOther)
			}
			return s.errorPage(c, fiber.StatusUnauthorized, "Your session has ended. Please sign in again.")
		} else if err != nil {
			return err
		}
		actor = s.choosePageProperty(c, actor)
		SetActor(c, actor)
		choices, err := s.picker(c, actor)
		if err != nil {
			return err
		}
		c.Locals(pageLocal, &Page{Hotel: s.cfg.HotelName, Staff: &actor, CSRF: csrfToken(sid), Nav: s.navFor(actor.Role),
			Properties: choices})
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			if !sameOrigin(c) || !validCSRF(c, sid) {
				return s.errorPage(c, fiber.StatusForbidden, "This form is out of date or came from another site. Reload the page and try again.")
			}
		}
		if len(roles) > 0 && !slices.Contains(roles, actor.Role) {
			return s.errorPage(c, fiber.StatusForbidden, "Your role ("+string(actor.Role)+") cannot open this page.")
		}
		return s.renderErrors(c, c.Next())
	}
}

// renderErrors shows a handler's domain error on a page in the shell instead of JSON.
func (s *Staff) renderErrors(c *fiber.Ctx, err error) error {
	if err == nil {
		return nil
	}
	p := ProblemFor(err)
	if p.Status >= 500 {
		return err // logged by the error handler
	}
	if page, ok := c.Locals(pageLocal).(*Page); ok && len(page.Properties) > 0 && needsProperty(p) {
		// A group-scope manager opened a page of one property before choosing it.
		return s.render(c, p.Status, "choose_property", "Choose a property", map[string]any{"Path": c.Path(),
			"Properties": page.Properties})
	}
	msg := p.Detail
	if msg == "" {
		msg = p.Title
	}
	for _, fe := range p.Errors {
		msg += " " + fe.Field + " " + fe.Message + "."
	}
	return s.errorPage(c, p.Status, msg)
}

// needsProperty: the call needs a property and none was chosen (422 naming property).
func needsProperty(p Problem) bool {
	return p.Status == fiber.StatusUnprocessableEntity && slices.ContainsFunc(p.Errors, func(e preferences.FieldError) bool {
		return e.Field == "property"
	})
}

func (s *Staff) errorPage(c *fiber.Ctx, status int, msg string) error {
	return s.render(c, status, "error", http.StatusText(status), map[string]any{"Message": msg, "Status": status,
		"Home": s.homeOf(c)})
}

// render shows one of the shell's own pages, with the hotel name even before sign-in.
func (s *Staff) render(c *fiber.Ctx, status int, name, title string, data any) error {
	if _, ok := c.Locals(pageLocal).(*Page); !ok {
		c.Locals(pageLocal, &Page{Hotel: s.cfg.HotelName})
	}
	return s.views.Render(c, status, name, title, data)
}

func (s *Staff) homeOf(c *fiber.Ctx) string {
	if a, ok := c.Locals(actorKey).(preferences.Actor); ok {
		if h := s.home[a.Role]; h != "" {
			return h
		}
	}
	return "/login"
}

func (s *Staff) navFor(role preferences.Role) []NavLink {
	var out []NavLink
	for _, l := range s.nav {
		if slices.Contains(l.Roles, role) {
			out = append(out, l)
		}
	}
	return out
}

func (s *Staff) root(c *fiber.Ctx) error {
	actor, err := s.store.SessionActor(c.UserContext(), c.Cookies(SessionCookie), s.cfg.IdleTimeout)
	if err != nil || s.home[actor.Role] == "" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return c.Redirect(s.home[actor.Role], fiber.StatusSeeOther)
}

// csrfToken derives the form token from the session id. Only a hash of the id is stored,
// and the token is another hash, so neither the database nor a page reveals the id.
func csrfToken(sid string) string {
	sum := sha256.Sum256([]byte("regulars csrf\x00" + sid))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// CSRFField is the name of the hidden form field that carries the CSRF token.
const CSRFField = "_csrf"

func validCSRF(c *fiber.Ctx, sid string) bool {
	got := c.FormValue(CSRFField)
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	want := csrfToken(sid)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// sameOrigin rejects requests a browser marks as coming from another site: a foreign
// Origin header, or Sec-Fetch-Site other than same-origin (or none, typed by the user).
func sameOrigin(c *fiber.Ctx) bool {
	if o := c.Get(fiber.HeaderOrigin); o != "" && o != c.BaseURL() {
		return false
	}
	switch c.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return true
	}
	return false
}

// secureCookie decides the cookie's Secure flag: always over TLS; also on loopback
// addresses, which browsers treat as secure contexts and accept Secure cookies from
// over plain HTTP. Only a plain-HTTP deployment on a LAN address gets a cookie without
// Secure; such deployments should set REGULARS_TLS_CERT/KEY.
func secureCookie(c *fiber.Ctx) bool {
	if c.Protocol() == "https" {
		return true
	}
	host := c.Hostname()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func urlPathEscape(p string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "#", "%23", "?", "%3F", "+", "%2B", " ", "%20").Replace(p)
}
