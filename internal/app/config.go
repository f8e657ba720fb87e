// Package app wires the store, the web packages and the scheduler into one service.
package app

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones work on machines without a zoneinfo database
	"unicode"

	"github.com/jonboulle/clockwork"
	gomail "github.com/wneessen/go-mail"

	"regulars/internal/shiftclock"
	"regulars/internal/web"
	"regulars/kiosk"
	"regulars/preferences"
	"regulars/scheduler"
)

// Config is the service configuration, read from the environment (flags may override).
type Config struct {
	Addr      string
	DBPath    string
	Secret    []byte
	Location  *time.Location
	PublicURL string
	HotelName string
	// PropertyCode is the code of the property of a group of one, which follows
	// HotelName and Location (REGULARS_PROPERTY_CODE, default MAIN).
	PropertyCode string
	SMTPURL      string
	MailFrom     string
	BirthdayAt   string
	LapseAt      string
	LapseAfter   int
	// LapseWindow is how many days after a guest lapsed the lapse letter may still go
	// (REGULARS_LAPSE_WINDOW, 1 to 60; default 7).
	LapseWindow int
	// BirthdayGrace is how many days late a greeting missed while the service was down
	// may still go (REGULARS_BIRTHDAY_GRACE, 0 to 14; default 2).
	BirthdayGrace int
	Templates     string  // REGULARS_TEMPLATES: folder overriding the letter templates
	MailRate      float64 // REGULARS_MAIL_RATE: messages per second at most (default 10)
	// MailConnections is how many SMTP connections send at once
	// (REGULARS_MAIL_CONNECTIONS, 1 to 64; default 4).
	MailConnections int
	TLSCert         string
	TLSKey          string
	// DKIMKey signs every letter when set (REGULARS_DKIM_KEY, a PEM file read at start),
	// with DKIMSelector and DKIMDomain (by default the domain of MailFrom).
	DKIMKey      crypto.Signer
	DKIMSelector string
	DKIMDomain   string
	Demo         bool
	Kiosk        kiosk.Config
	// SessionIdle ends a staff web session after this long without a request
	// (REGULARS_SESSION_IDLE, a Go duration such as 30m; default 30 minutes).
	SessionIdle time.Duration
	// SignInClock is the time source of the staff sign-in throttles and slow path; nil:
	// the real clock (tests pass a fake one).
	SignInClock clockwork.Clock
	// StoreClock is the time source of the use cases (what "now" and "today" are); nil:
	// the real clock (tests shift it).
	StoreClock clockwork.Clock
	// SchedulerClock is the time source of the outreach scheduler; nil: the real clock.
	SchedulerClock clockwork.Clock
	// ClockOffset moves every clock of the service (store, sign-in, kiosk, scheduler) by
	// this much from the real time (REGULARS_TEST_CLOCK_OFFSET: a test setting, for
	// instances whose clocks differ, since Go reads time past libfaketime).
	ClockOffset time.Duration
	// OutboxLease is how long an instance holds a message it is sending, or a scheduled
	// run, before another instance may mark the message unknown or take the run over
	// (REGULARS_OUTBOX_LEASE; default 1 minute).
	OutboxLease time.Duration
	// BusyTimeout is how long a write waits for a lock held by another process before
	// it answers 503 storage-busy (0: 5 s; not configurable by environment, tests shorten it).
	BusyTimeout time.Duration

	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client
	// (REGULARS_TRUSTED_PROXIES; default none).
	TrustedProxies []netip.Prefix
	// MetricsAllow are the client addresses /metrics is served to
	// (REGULARS_METRICS_ALLOW; default loopback).
	MetricsAllow []netip.Prefix

	// envErr holds every malformed variable; Resolve reports it, after flags are applied.
	envErr error
	// given names the variables the environment set (the rest have their defaults).
	given map[string]bool
}

// Given tells whether the environment set the variable name (not left to its default).
func (cfg *Config) Given(name string) bool { return cfg.given[name] }

// Defaults of the contract.
const (
	DefaultAddr      = "127.0.0.1:8080"
	DefaultDB        = "data/regulars.db"
	DefaultHotelName = "Regulars Demo Hotel"
	DefaultMailFrom  = "Front Desk <frontdesk@localhost>"
)

// setting is one REGULARS_* variable: its default, the rule a value must follow (said in
// the error), and how a value is stored into the configuration (false: it breaks the rule).
type setting struct {
	name, def, rule string
	// hidden values are never repeated in an error (secrets, URLs with passwords).
	hidden bool
	set    func(cfg *Config, v string) bool
}

var clockTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// settings is every variable of the service but the kiosk's (kiosk.ConfigFromEnv).
var settings = []setting{
	{name: "REGULARS_ADDR", def: DefaultAddr, rule: "host:port, such as 127.0.0.1:8080",
		set: func(c *Config, v string) bool { c.Addr = v; return true }}, // checked by Resolve: --addr may replace it
	{name: "REGULARS_DB", def: DefaultDB, rule: "an SQLite file path or a postgres:// URL", hidden: true,
		set: func(c *Config, v string) bool { c.DBPath = v; return true }},
	{name: "REGULARS_SECRET", rule: "at least 16 characters", hidden: true,
		set: func(c *Config, v string) bool { c.Secret = []byte(v); return len(v) >= 16 }},
	{name: "REGULARS_TZ", rule: "an IANA time zone, such as Asia/Shanghai",
		set: func(c *Config, v string) bool {
			loc, err := preferences.LoadZone(v)
			c.Location = loc
			return err == nil
		}},
	{name: "REGULARS_PUBLIC_URL", rule: "an absolute http:// or https:// URL with a host and no query",
		set: func(c *Config, v string) bool {
			u, err := url.Parse(v)
			c.PublicURL = v
			return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
				u.User == nil && u.RawQuery == "" && u.Fragment == ""
		}},
	{name: "REGULARS_HOTEL_NAME", def: DefaultHotelName, rule: "a name of at most 200 characters without control characters",
		set: func(c *Config, v string) bool {
			c.HotelName = v
			return len([]rune(v)) <= 200 && !strings.ContainsFunc(v, unicode.IsControl)
		}},
	{name: "REGULARS_PROPERTY_CODE", def: preferences.MainPropertyCode, rule: preferences.PropertyCodeRule,
		set: func(c *Config, v string) bool {
			c.PropertyCode = v
			return preferences.ValidPropertyCode(v)
		}},
	{name: "REGULARS_SMTP_URL", rule: "smtp://[user:pass@]host:port[?tls=none|starttls|tls]", hidden: true,
		set: func(c *Config, v string) bool { c.SMTPURL = v; return true }}, // parsed whole by scheduler.NewMailer at start
	{name: "REGULARS_MAIL_FROM", def: DefaultMailFrom, rule: "one email address, such as Front Desk <frontdesk@hotel.example>",
		set: func(c *Config, v string) bool {
			c.MailFrom = v
			_, err := mail.ParseAddress(v)
			return err == nil
		}},
	{name: "REGULARS_BIRTHDAY_AT", def: "09:00", rule: "a time of day as HH:MM, such as 09:00",
		set: func(c *Config, v string) bool { c.BirthdayAt = v; return clockTime.MatchString(v) }},
	{name: "REGULARS_LAPSE_AT", def: "10:00", rule: "a time of day as HH:MM, such as 10:00",
		set: func(c *Config, v string) bool { c.LapseAt = v; return clockTime.MatchString(v) }},
	{name: "REGULARS_LAPSE_AFTER", def: "730", rule: "a whole number of days from 1 to 3650",
		set: func(c *Config, v string) bool { return wholeNumber(v, 1, 3650, &c.LapseAfter) }},
	{name: "REGULARS_LAPSE_WINDOW", def: "7", rule: "a whole number of days from 1 to 60",
		set: func(c *Config, v string) bool { return wholeNumber(v, 1, 60, &c.LapseWindow) }},
	{name: "REGULARS_BIRTHDAY_GRACE", def: "2", rule: "a whole number of days from 0 to 14",
		set: func(c *Config, v string) bool { return wholeNumber(v, 0, 14, &c.BirthdayGrace) }},
	{name: "REGULARS_TEMPLATES", rule: "a folder of letter templates",
		set: func(c *Config, v string) bool { c.Templates = v; return true }}, // read whole by the scheduler at start
	{name: "REGULARS_MAIL_RATE", def: "10", rule: "a number of messages a second above 0 and at most 1000000",
		set: func(c *Config, v string) bool {
			r, err := strconv.ParseFloat(v, 64)
			c.MailRate = r
			return err == nil && r > 0 && r <= 1_000_000 && !math.IsNaN(r)
		}},
	{name: "REGULARS_MAIL_CONNECTIONS", def: "4", rule: "a whole number of SMTP connections from 1 to 64",
		set: func(c *Config, v string) bool { return wholeNumber(v, 1, 64, &c.MailConnections) }},
	{name: "REGULARS_TLS_CERT", rule: "a certificate file (PEM)",
		set: func(c *Config, v string) bool { c.TLSCert = v; return true }},
	{name: "REGULARS_TLS_KEY", rule: "a key file (PEM)",
		set: func(c *Config, v string) bool { c.TLSKey = v; return true }},
	{name: "REGULARS_DKIM_KEY", rule: "a readable PEM file of an RSA private key of at least 1024 bits (2048 recommended) or an Ed25519 private key",
		set: func(c *Config, v string) bool {
			c.DKIMKey = readDKIMKey(v)
			return c.DKIMKey != nil
		}},
	{name: "REGULARS_DKIM_SELECTOR", rule: "a DNS label (letters, digits and inner hyphens, at most 63), such as letters2026",
		set: func(c *Config, v string) bool { c.DKIMSelector = v; return dnsLabel.MatchString(v) }},
	{name: "REGULARS_DKIM_DOMAIN", rule: "a domain name, such as hotel.example",
		set: func(c *Config, v string) bool { c.DKIMDomain = v; return domainName(v) }},
	{name: "REGULARS_TRUSTED_PROXIES", rule: "a comma-separated list of CIDRs or addresses, such as 10.0.0.5,192.168.1.0/24",
		set: func(c *Config, v string) bool { return addresses(v, &c.TrustedProxies) }},
	{name: "REGULARS_METRICS_ALLOW", def: "127.0.0.0/8,::1", rule: "a comma-separated list of at least one CIDR or address, such as 127.0.0.1,10.0.0.0/8",
		set: func(c *Config, v string) bool { return addresses(v, &c.MetricsAllow) && len(c.MetricsAllow) > 0 }},
	{name: "REGULARS_OUTBOX_LEASE", def: "1m", rule: "a duration from 5s to 1h, such as 1m",
		set: func(c *Config, v string) bool {
			d, err := time.ParseDuration(v)
			c.OutboxLease = d
			return err == nil && d >= 5*time.Second && d <= time.Hour
		}},
	{name: "REGULARS_TEST_CLOCK_OFFSET", rule: "a Go duration, such as -3s or 72h (a test setting)",
		set: func(c *Config, v string) bool {
			d, err := time.ParseDuration(v)
			c.ClockOffset = d
			return err == nil
		}},
	{name: "REGULARS_SESSION_IDLE", def: "30m", rule: "a duration from 1m to 24h, such as 30m",
		set: func(c *Config, v string) bool {
			d, err := time.ParseDuration(v)
			c.SessionIdle = d
			return err == nil && d >= time.Minute && d <= 24*time.Hour
		}},
}

var dnsLabel = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// domainName reports whether v is a DNS name of at least two labels.
func domainName(v string) bool {
	labels := strings.Split(strings.TrimSuffix(v, "."), ".")
	for _, l := range labels {
		if !dnsLabel.MatchString(l) {
			return false
		}
	}
	return len(labels) >= 2 && len(v) <= 253
}

// readDKIMKey reads a PEM private key from path: RSA of at least 1024 bits, or Ed25519;
// nil for anything else (the error names only the rule, never the key).
func readDKIMKey(path string) crypto.Signer {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	key, err := gomail.PrivKeyFromPEM(b)
	if err != nil {
		return nil
	}
	if k, ok := key.(*rsa.PrivateKey); ok && k.N.BitLen() < 1024 {
		return nil
	}
	return hiddenKey{key}
}

// hiddenKey keeps the private key out of a configuration printed with %v.
type hiddenKey struct{ crypto.Signer }

func (hiddenKey) String() string { return "(DKIM private key)" }

// addresses parses v, a comma-separated list of CIDRs or addresses, into dst.
func addresses(v string, dst *[]netip.Prefix) bool {
	var err error
	*dst, err = web.ParseProxies(v)
	return err == nil
}

// wholeNumber parses v as a decimal integer within [lo, hi] into dst; "12x" and "1e3" fail.
func wholeNumber(v string, lo, hi int, dst *int) bool {
	n, err := strconv.Atoi(v)
	*dst = n
	return err == nil && n >= lo && n <= hi
}

// FromEnv returns the configuration from REGULARS_* variables with the contract's defaults.
// Every malformed value is kept for Resolve to report, so that flags can be applied first
// and one start names every bad variable at once.
func FromEnv(getenv func(string) string) Config {
	cfg := Config{given: map[string]bool{}}
	var errs []error
	for _, s := range settings {
		v := strings.TrimSpace(getenv(s.name))
		if v == "" {
			v = s.def
		} else {
			cfg.given[s.name] = true
		}
		if v == "" || s.set(&cfg, v) {
			continue
		}
		if s.hidden {
			errs = append(errs, fmt.Errorf("%s: must be %s", s.name, s.rule))
		} else {
			errs = append(errs, fmt.Errorf("%s: %q must be %s", s.name, v, s.rule))
		}
	}
	var err error
	cfg.Kiosk, err = kiosk.ConfigFromEnv(getenv)
	cfg.envErr = errors.Join(append(errs, err)...)
	return cfg
}

// Resolve fills derived values (zone, public URL, secret) and checks the configuration.
func (cfg *Config) Resolve() error {
	if cfg.envErr != nil {
		return cfg.envErr
	}
	if cfg.Location == nil {
		cfg.Location = machineZone()
	}
	cfg.shiftClocks()
	if host, port, err := net.SplitHostPort(cfg.Addr); err != nil || !validPort(port) || strings.ContainsAny(host, " /") {
		return fmt.Errorf("REGULARS_ADDR: %q must be host:port, such as 127.0.0.1:8080", cfg.Addr)
	}
	if cfg.PublicURL == "" {
		scheme := "http://"
		if cfg.TLSCert != "" {
			scheme = "https://"
		}
		cfg.PublicURL = scheme + cfg.Addr
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return errors.New("REGULARS_TLS_CERT and REGULARS_TLS_KEY must be set together")
	}
	if err := cfg.resolveDKIM(); err != nil {
		return err
	}
	if cfg.DBPath == "" {
		return errors.New("REGULARS_DB: must be an SQLite file path or a postgres:// URL")
	}
	if cfg.Secret == nil && IsPostgres(cfg.DBPath) {
		// Every instance on the database must hash documents with the same key.
		return errors.New("REGULARS_SECRET: must be set (at least 16 characters, the same for every instance) when REGULARS_DB is a PostgreSQL URL")
	}
	if cfg.Secret == nil {
		s, err := loadOrCreateSecret(SecretPath(cfg.DBPath))
		if err != nil {
			return err
		}
		cfg.Secret = s
	}
	if len(cfg.Secret) < 16 {
		return errors.New("REGULARS_SECRET: must be at least 16 characters")
	}
	return nil
}

// shiftClocks gives every clock not set by a test the offset of REGULARS_TEST_CLOCK_OFFSET.
func (cfg *Config) shiftClocks() {
	if cfg.ClockOffset == 0 {
		return
	}
	c := shiftclock.New()
	c.Shift(cfg.ClockOffset)
	for _, p := range []*clockwork.Clock{&cfg.StoreClock, &cfg.SignInClock, &cfg.SchedulerClock, &cfg.Kiosk.Clock} {
		if *p == nil {
			*p = c
		}
	}
}

// resolveDKIM checks that the DKIM variables come together and defaults the domain to
// that of REGULARS_MAIL_FROM.
func (cfg *Config) resolveDKIM() error {
	if cfg.DKIMKey == nil && cfg.DKIMSelector == "" && cfg.DKIMDomain == "" {
		return nil
	}
	if cfg.DKIMKey == nil || cfg.DKIMSelector == "" {
		return errors.New("REGULARS_DKIM_KEY and REGULARS_DKIM_SELECTOR must be set together (REGULARS_DKIM_DOMAIN only with them)")
	}
	if cfg.DKIMDomain == "" {
		cfg.DKIMDomain = scheduler.FromDomain(cfg.MailFrom)
		if !domainName(cfg.DKIMDomain) {
			return fmt.Errorf("REGULARS_DKIM_DOMAIN: must be set, a domain name such as hotel.example: the domain of REGULARS_MAIL_FROM (%s) cannot publish a DKIM key", cfg.DKIMDomain)
		}
	}
	return nil
}

// validPort reports whether p is a port number (0 lets the system choose one).
func validPort(p string) bool {
	var n int
	return wholeNumber(p, 0, 65535, &n)
}

// machineZone names the machine's zone: TZ, /etc/timezone, or the /etc/localtime link.
func machineZone() *time.Location {
	candidates := []string{os.Getenv("TZ")}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(b)))
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			candidates = append(candidates, target[i+len("zoneinfo/"):])
		}
	}
	for _, name := range candidates {
		if loc, err := preferences.LoadZone(strings.TrimPrefix(name, ":")); err == nil {
			return loc
		}
	}
	return time.UTC
}

// SecretPath is the file that keeps the service secret of the database at dbPath when
// REGULARS_SECRET is not set.
func SecretPath(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "secret") }

// loadOrCreateSecret reads the service secret kept beside the database, creating it
// (32 random bytes, mode 0600) on first start.
func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		s, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(s) < 16 {
			return nil, fmt.Errorf("secret file %s is damaged", path)
		}
		return s, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process created it first
			return loadOrCreateSecret(path)
		}
		return nil, err
	}
	if _, err := f.WriteString(hex.EncodeToString(s) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	return s, f.Close()
}
