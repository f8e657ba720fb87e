package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/frontdesk"
	"regulars/internal/web"
	"regulars/kiosk"
	"regulars/preferences"
	"regulars/scheduler"
)

// App is the running service: the store and the HTTP app on top of it.
type App struct {
	Config Config
	Store  *Store
	HTTP   *fiber.App
	// Outreach runs the birthday and lapse jobs (started by Start).
	Outreach *scheduler.Scheduler
	// Staff is the staff sign-in and page shell; web packages mount their pages with it.
	Staff   *web.Staff
	log     *slog.Logger
	kiosk   *kiosk.Kiosk
	metrics *metrics
	kioskServer
}

// New opens the store and builds the HTTP app.
func New(cfg Config, log *slog.Logger) (*App, error) {
	db, err := OpenStore(cfg, log)
	if err != nil {
		return nil, err
	}
	if err := recordServiceSettings(context.Background(), cfg, db); err != nil {
		// A damaged or full store must not stop the start: /healthz then tells the operator.
		if preferences.ErrorCode(err) != preferences.EUNAVAILABLE {
			db.Close()
			return nil, err
		}
		log.Warn("the service settings were not recorded", "err", err)
	}
	a := &App{Config: cfg, Store: db, log: log, metrics: newMetrics(db)}
	a.kiosk = kiosk.New(db.Service, a.kioskConfig())
	if a.Outreach, err = newOutreach(cfg, db, log, a.metrics); err != nil {
		db.Close()
		return nil, err
	}
	db.OnErase(a.Outreach.EraseLetters) // an erased guest's letters leave outbox/ too
	a.HTTP = a.routes()
	return a, nil
}

// NewOutreach builds the outreach scheduler on db: the mailer from REGULARS_SMTP_URL (or
// .eml files in outbox/ beside the database) and the templates, parsed now.
func NewOutreach(cfg Config, db *Store, log *slog.Logger) (*scheduler.Scheduler, error) {
	return newOutreach(cfg, db, log, nil)
}

// newOutreach is NewOutreach reporting to m, when not nil.
func newOutreach(cfg Config, db *Store, log *slog.Logger, m *metrics) (*scheduler.Scheduler, error) {
	mailer, err := scheduler.NewMailer(cfg.SMTPURL, filepath.Join(DataDir(cfg), "outbox"))
	if err != nil {
		return nil, err
	}
	sc := scheduler.Config{
		Location: cfg.Location, BirthdayAt: cfg.BirthdayAt, LapseAt: cfg.LapseAt, LapseAfter: cfg.LapseAfter,
		LapseWindow: cfg.LapseWindow, BirthdayGrace: noneIfZero(cfg.BirthdayGrace),
		HotelName: cfg.HotelName, MailFrom: cfg.MailFrom, PublicURL: cfg.PublicURL, Secret: cfg.Secret,
		Templates: cfg.Templates, RatePerSecond: cfg.MailRate, Connections: cfg.MailConnections, Logger: log,
		Clock: cfg.SchedulerClock, Lease: cfg.OutboxLease, PollEvery: sendPoll,
	}
	if cfg.DKIMKey != nil {
		sc.DKIM = &scheduler.DKIM{Domain: cfg.DKIMDomain, Selector: cfg.DKIMSelector, Signer: cfg.DKIMKey}
	}
	if cfg.SMTPURL != "" && !strings.HasPrefix(cfg.PublicURL, "https://") {
		// Mail providers offer one-click unsubscribe only for an https URI.
		log.Warn("REGULARS_PUBLIC_URL is not https: RFC 8058 requires an https unsubscribe URI, so one-click unsubscribe will not work for the letters sent over REGULARS_SMTP_URL",
			"public_url", cfg.PublicURL)
	}
	if m != nil {
		sc.OnLetter, sc.OnJobDone, sc.OnBounce = m.letterSent, m.jobDone, m.bounced
	}
	return scheduler.New(sc, db.Service, mailer)
}

// sendPoll is how often each instance looks for letters to send besides each minute's
// run: letters another instance queued, or whose sender died, go on within seconds.
const sendPoll = 5 * time.Second

// noneIfZero is n, or -1 for 0: the scheduler reads a zero as "the default".
func noneIfZero(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// Start starts the background jobs (outreach); Close stops them.
func (a *App) Start(ctx context.Context) error { return a.Outreach.Start(ctx) }

func (a *App) routes() *fiber.App {
	app := a.newWebApp()
	app.Get("/healthz", a.healthz)
	app.Get("/metrics", a.metrics.handler(a.Config.MetricsAllow, a.log))
	app.Get("/api/openapi.json", serveOpenAPI)
	scheduler.NewAPI(a.Outreach).MountPublic(app)
	api := app.Group("/api", web.Authenticate(web.BearerToken(func(c *fiber.Ctx, token string) (preferences.Actor, error) {
		return a.Store.TokenActor(c.UserContext(), token)
	}), a.kiosk.DeviceAuth))
	frontdesk.NewAPI(a.Store.Service).Mount(api)
	a.kiosk.Mount(app, api)
	scheduler.NewAPI(a.Outreach).Mount(api)
	a.Staff = web.NewStaff(a.Store.Service, a.Store.Service, web.StaffConfig{HotelName: a.Config.HotelName, IdleTimeout: a.Config.SessionIdle,
		Clock: a.Config.SignInClock, OnSignInFailure: a.metrics.signInFailed, Throttles: a.Store.Service})
	a.Staff.Mount(app)
	pages := frontdesk.NewPages(a.Store.Service, a.Config.Location)
	pages.Mount(app, a.Staff)
	pages.MountStaff(app, a.Staff, a.Store.Service, a.log)
	scheduler.NewPages(a.Outreach).Mount(app, a.Staff)
	// No catch-all under /api: Fiber answers an unknown path 404 and a known path with
	// another method 405 with Allow, both as problems through the error handler.
	return app
}

// newWebApp is web.NewApp with every request measured for the metrics. The store names
// its failures (a lock, a full disk, a damaged file) itself, as EUNAVAILABLE errors
// that answer 503 with a reason.
func (a *App) newWebApp() *fiber.App {
	return web.NewAppWith(a.log, web.AppConfig{TrustedProxies: a.Config.TrustedProxies, Observe: a.metrics.observeRequest})
}

// healthz answers 200 when requests can read and write the database, with whether this
// instance holds the scheduler's current run, else 503 with the reason (storage-busy,
// storage-full, storage-failed or storage-corrupt).
func (a *App) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := a.Store.Health(ctx); err != nil {
		var de *preferences.Error
		reason := preferences.ReasonFailed
		if errors.As(err, &de) && de.Reason != "" {
			reason = de.Reason
		}
		a.log.Warn("healthz: unavailable", "reason", reason, "cause", web.Cause(err))
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "unavailable", "reason": reason})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": "ok", "scheduler": a.schedulerState()})
}

// schedulerState says whether this instance holds the scheduler's current run: holder,
// standby (another instance claimed it), or stopped (the scheduler is not started here).
func (a *App) schedulerState() string {
	switch {
	case !a.Outreach.Running():
		return "stopped"
	case a.Outreach.HoldsCurrentRun():
		return "holder"
	}
	return "standby"
}

// Serve serves HTTP on ln until ctx is cancelled, then shuts down gracefully.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	stopKiosk, err := a.serveKiosk()
	if err != nil {
		return err
	}
	defer stopKiosk()
	errc := make(chan error, 1)
	go func() { errc <- a.HTTP.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if err := a.HTTP.ShutdownWithTimeout(10 * time.Second); err != nil {
		return err
	}
	// Shutdown closes only a listener the server has already taken up: cancelled in the
	// moment before, it returned at once and the server would then serve on forever.
	ln.Close()
	if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// Close stops the background jobs at once (a send in flight is cut off and recorded:
// queued again, or unknown if the server may have it), then closes the store (flushing
// the audit log).
func (a *App) Close() error {
	return errors.Join(a.Outreach.Shutdown(), a.Store.Close())
}
