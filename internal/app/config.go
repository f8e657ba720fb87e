// Package app wires the store, the web packages and the scheduler into one service.
package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones work on machines without a zoneinfo database

	"regulars/kiosk"
	"regulars/preferences"
)

// Config is the service configuration, read from the environment (flags may override).
type Config struct {
	Addr       string
	DBPath     string
	Secret     []byte
	Location   *time.Location
	PublicURL  string
	HotelName  string
	SMTPURL    string
	MailFrom   string
	BirthdayAt string
	LapseAt    string
	LapseAfter int
	Templates  string  // REGULARS_TEMPLATES: folder overriding the letter templates
	MailRate   float64 // REGULARS_MAIL_RATE: messages per second at most (default 10)
	// MailConnections is how many SMTP connections send at once
	// (REGULARS_MAIL_CONNECTIONS, 1 to 64; default 4).
	MailConnections int
	TLSCert         string
	TLSKey          string
	Demo            bool
	Kiosk           kiosk.Config
	// SessionIdle ends a staff web session after this long without a request
	// (REGULARS_SESSION_IDLE, a Go duration such as 30m; default 30 minutes).
	SessionIdle time.Duration
	// BusyTimeout is how long a write waits for a lock held by another process before
	// it answers 503 storage-busy (0: 5 s; not configurable by environment, tests shorten it).
	BusyTimeout time.Duration

	badZone  string
	badIdle  string
	kioskErr error
}

// Defaults of the contract.
const (
	DefaultAddr      = "127.0.0.1:8080"
	DefaultDB        = "data/regulars.db"
	DefaultHotelName = "Regulars Demo Hotel"
	DefaultMailFrom  = "Front Desk <frontdesk@localhost>"
)

// FromEnv returns the configuration from REGULARS_* variables with the contract's defaults.
// The secret and zone are resolved later by Resolve, after flags are applied.
func FromEnv(getenv func(string) string) Config {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	cfg := Config{
		Addr:       get("REGULARS_ADDR", DefaultAddr),
		DBPath:     get("REGULARS_DB", DefaultDB),
		PublicURL:  get("REGULARS_PUBLIC_URL", ""),
		HotelName:  get("REGULARS_HOTEL_NAME", DefaultHotelName),
		SMTPURL:    get("REGULARS_SMTP_URL", ""),
		MailFrom:   get("REGULARS_MAIL_FROM", DefaultMailFrom),
		BirthdayAt: get("REGULARS_BIRTHDAY_AT", "09:00"),
		LapseAt:    get("REGULARS_LAPSE_AT", "10:00"),
		TLSCert:    get("REGULARS_TLS_CERT", ""),
		TLSKey:     get("REGULARS_TLS_KEY", ""),
	}
	if s := getenv("REGULARS_SECRET"); s != "" {
		cfg.Secret = []byte(s)
	}
	cfg.Kiosk, cfg.kioskErr = kiosk.ConfigFromEnv(getenv)
	cfg.Templates = get("REGULARS_TEMPLATES", "")
	cfg.MailRate = 10
	if v := get("REGULARS_MAIL_RATE", ""); v != "" {
		if r, err := strconv.ParseFloat(v, 64); err == nil {
			cfg.MailRate = r
		} else {
			cfg.MailRate = -1 // refused by Resolve
		}
	}
	cfg.MailConnections = 4
	if v := get("REGULARS_MAIL_CONNECTIONS", ""); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			cfg.MailConnections = n
		} else {
			cfg.MailConnections = 0 // refused by Resolve
		}
	}
	cfg.LapseAfter = 730
	if v := get("REGULARS_LAPSE_AFTER", ""); v != "" {
		fmt.Sscanf(v, "%d", &cfg.LapseAfter)
	}
	if d, err := time.ParseDuration(get("REGULARS_SESSION_IDLE", "30m")); err == nil && d >= time.Minute {
		cfg.SessionIdle = d
	} else {
		cfg.badIdle = get("REGULARS_SESSION_IDLE", "")
	}
	if tz := get("REGULARS_TZ", ""); tz != "" {
		if loc, err := preferences.LoadZone(tz); err == nil {
			cfg.Location = loc
		} else {
			cfg.Location = nil
			cfg.badZone = tz
		}
	}
	return cfg
}

// Resolve fills derived values (zone, public URL, secret) and checks the configuration.
func (cfg *Config) Resolve() error {
	if cfg.badZone != "" {
		return fmt.Errorf("REGULARS_TZ: %q is not an IANA time zone", cfg.badZone)
	}
	if cfg.kioskErr != nil {
		return cfg.kioskErr
	}
	if cfg.badIdle != "" {
		return fmt.Errorf("REGULARS_SESSION_IDLE: %q is not a duration of a minute or more, such as 30m", cfg.badIdle)
	}
	if cfg.Location == nil {
		cfg.Location = machineZone()
	}
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return fmt.Errorf("REGULARS_ADDR: %q is not host:port", cfg.Addr)
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
	for name, v := range map[string]string{"REGULARS_BIRTHDAY_AT": cfg.BirthdayAt, "REGULARS_LAPSE_AT": cfg.LapseAt} {
		if _, err := time.Parse("15:04", v); err != nil {
			return fmt.Errorf("%s: %q is not a time as HH:MM", name, v)
		}
	}
	if cfg.MailRate <= 0 {
		return errors.New("REGULARS_MAIL_RATE: must be a positive number of messages per second")
	}
	if cfg.MailConnections < 1 || cfg.MailConnections > 64 {
		return errors.New("REGULARS_MAIL_CONNECTIONS: must be a number of SMTP connections from 1 to 64")
	}
	if cfg.LapseAfter < 1 {
		return errors.New("REGULARS_LAPSE_AFTER: must be a positive number of days")
	}
	if cfg.Secret == nil {
		s, err := loadOrCreateSecret(filepath.Join(filepath.Dir(cfg.DBPath), "secret"))
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
