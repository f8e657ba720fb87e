// Package kiosk serves the lobby kiosk: returning guests identify themselves with a
// document or booking reference and their family name, are greeted, correct their
// preferences and check themselves in. It offers the /kiosk page and the /api/kiosk API.
//
// Only paired kiosk devices (device cookie) or kiosk tokens reach the kiosk API, and
// the kiosk API never shows contact data, documents, birthdays, spend or staff notes.
package kiosk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jonboulle/clockwork"

	"regulars/internal/web"
	"regulars/preferences"
)

// Store is what the kiosk needs of the preferences store.
type Store interface {
	// TokenActor resolves an API token (pairing uses it).
	TokenActor(ctx context.Context, token string) (preferences.Actor, error)
	// PairKiosk registers a device for a kiosk token and returns its secret.
	PairKiosk(ctx context.Context, token preferences.Actor) (string, error)
	// KioskActor resolves a device secret.
	KioskActor(ctx context.Context, secret string) (preferences.Actor, error)
	// AllowKioskRepair unpairs the device of the kiosk token named name, so that the
	// token may pair one device again; it returns how many devices it unpaired.
	AllowKioskRepair(ctx context.Context, name string) (int, error)
	// KioskLockedUntil, RecordKioskFailure and KioskThrottles keep the failures and
	// lock-outs per kiosk token, and list the lock-outs the front desk sees.
	KioskLockedUntil(ctx context.Context, tokenID string, now time.Time) (time.Time, error)
	RecordKioskFailure(ctx context.Context, kiosk preferences.Actor, now time.Time, window time.Duration, max int) (time.Time, error)
	KioskThrottles(ctx context.Context, actor preferences.Actor, since time.Time) ([]preferences.KioskThrottle, error)

	// The reads that match a guest are made as preferences.System (not audited): the
	// kiosk audits the guest it opens, once the identification succeeds.
	LookupGuest(ctx context.Context, actor preferences.Actor, docType, number string) (preferences.Guest, error)
	Guest(ctx context.Context, actor preferences.Actor, id string) (preferences.Guest, error)
	StaysCount(ctx context.Context, id string) (int, error)
	// ArrivalToday and ArrivalByReference find today's arrival at the kiosk's property.
	ArrivalToday(ctx context.Context, kiosk preferences.Actor, guestID string) (preferences.Arrival, error)
	ArrivalByReference(ctx context.Context, kiosk preferences.Actor, reference string) (preferences.Arrival, error)
	Preferences(ctx context.Context, actor preferences.Actor, guestID string) (preferences.Preferences, error)
	SetPreferences(ctx context.Context, actor preferences.Actor, guestID string, p preferences.Preferences, sections []string) (preferences.Preferences, error)
	RecordAccess(ctx context.Context, actor preferences.Actor, guestID, action string)
	// CheckInBestRoom checks the guest in to the free room that best meets their
	// preferences, safely against concurrent check-ins; ENOTFOUND when no room suits.
	CheckInBestRoom(ctx context.Context, actor preferences.Actor, guestID string, nights int) (preferences.Stay, error)
	// The guests' sessions at the kiosks, shared by every instance.
	sessionStore
}

// Config tunes the kiosk. The zero value of each field means its default.
type Config struct {
	// MaxFailures failed identifications with one kiosk token within Lockout lock the
	// token (every device paired with it) out for Lockout.
	MaxFailures int
	Lockout     time.Duration
	// IdleTimeout ends a guest's session (and resets the page) after no activity.
	IdleTimeout time.Duration
	// DoneAfter is how long the page shows the room number before going back to start.
	DoneAfter time.Duration
	// MinIdentify is the least time an identification answer takes, so that failures
	// of every kind and successes cannot be told apart by timing.
	MinIdentify time.Duration
	// Addr, when set, serves the kiosk on its own listener (REGULARS_KIOSK_ADDR).
	Addr string
	// SecureCookie marks the device cookie Secure (set when served over HTTPS).
	SecureCookie bool
	// Clock is the time source for sessions and lock-outs; nil means the real clock.
	Clock clockwork.Clock
	// OnLockout, when set, is called each time a kiosk token's lock-out begins (metrics).
	OnLockout func()
}

// Defaults.
const (
	DefaultMaxFailures = 5
	DefaultLockout     = 5 * time.Minute
	DefaultIdleTimeout = 2 * time.Minute
	DefaultDoneAfter   = 20 * time.Second
	DefaultMinIdentify = 250 * time.Millisecond
)

// ConfigFromEnv reads REGULARS_KIOSK_MAX_FAILURES, REGULARS_KIOSK_LOCKOUT,
// REGULARS_KIOSK_IDLE and REGULARS_KIOSK_ADDR (durations as Go durations: 90s, 5m).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var cfg Config
	cfg.Addr = strings.TrimSpace(getenv("REGULARS_KIOSK_ADDR"))
	if v := strings.TrimSpace(getenv("REGULARS_KIOSK_MAX_FAILURES")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("REGULARS_KIOSK_MAX_FAILURES: %q is not a positive number", v)
		}
		cfg.MaxFailures = n
	}
	for name, dst := range map[string]*time.Duration{"REGULARS_KIOSK_LOCKOUT": &cfg.Lockout, "REGULARS_KIOSK_IDLE": &cfg.IdleTimeout} {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return cfg, fmt.Errorf("%s: %q is not a duration such as 90s or 5m", name, v)
			}
			*dst = d
		}
	}
	return cfg, nil
}

func (c Config) withDefaults() Config {
	if c.MaxFailures <= 0 {
		c.MaxFailures = DefaultMaxFailures
	}
	if c.Lockout <= 0 {
		c.Lockout = DefaultLockout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.DoneAfter <= 0 {
		c.DoneAfter = DefaultDoneAfter
	}
	if c.MinIdentify <= 0 {
		c.MinIdentify = DefaultMinIdentify
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	if c.OnLockout == nil {
		c.OnLockout = func() {}
	}
	return c
}

// Kiosk is the kiosk's page and API on a store.
type Kiosk struct {
	store    Store
	cfg      Config
	sessions *sessions
}

// New returns the kiosk on store.
func New(store Store, cfg Config) *Kiosk {
	cfg = cfg.withDefaults()
	return &Kiosk{
		store:    store,
		cfg:      cfg,
		sessions: &sessions{store: store, clock: cfg.Clock, idle: cfg.IdleTimeout},
	}
}

var (
	kioskOnly   = web.Allow(preferences.RoleKiosk)
	deskOnly    = web.Allow(preferences.RoleFrontDesk, preferences.RoleManager)
	managerOnly = web.Allow(preferences.RoleManager)
)

// Mount registers the /kiosk page on app and the kiosk API on api, the /api group that
// authenticates with bearer tokens and DeviceAuth.
func (k *Kiosk) Mount(app *fiber.App, api fiber.Router) {
	k.MountPage(app)
	api.Get("/kiosk/throttles", deskOnly, k.listThrottles)
	api.Post("/kiosk/tokens/:name/re-pair", managerOnly, k.allowRepair)
	k.MountAPI(api) // after the staff routes: its group admits only kiosks under /kiosk
}

// MountAPI registers the routes a kiosk uses (and nothing for staff) on api.
func (k *Kiosk) MountAPI(api fiber.Router) {
	kr := api.Group("/kiosk", noStore, kioskOnly)
	kr.Post("/identify", k.identify)
	kr.Patch("/sessions/:session/preferences", k.patchPreferences)
	kr.Post("/sessions/:session/checkin", k.checkIn)
}

// noStore keeps kiosk answers out of every cache.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderPragma, "no-cache")
	return c.Next()
}
