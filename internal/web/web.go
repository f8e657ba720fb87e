// Package web is the HTTP shell shared by the front desk, kiosk and outreach packages:
// the Fiber app with its error handler, problem+json responses, strict JSON decoding,
// bearer-token authentication, role checks and request logging.
package web

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// BodyLimit is the largest request body accepted; larger ones get 413.
const BodyLimit = 64 * 1024

// NewApp returns a Fiber app with the shared error handler, request log and security
// headers. Packages mount their routes on it. Only the trustedProxies (reverse proxies)
// are believed about the client's address, for throttles and the log; with none, the
// peer is the client.
func NewApp(log *slog.Logger, trustedProxies ...netip.Prefix) *fiber.App {
	return NewAppWith(log, AppConfig{TrustedProxies: trustedProxies})
}

// AppConfig is what NewAppWith takes besides the logger.
type AppConfig struct {
	TrustedProxies []netip.Prefix
	// Observe, when set, gets every request as the request log has it (metrics).
	Observe RequestObserver
}

// RequestObserver gets one finished request: its method, route pattern (NoRoute when no
// handler matched), the status sent and how long it took. The strings may be kept.
type RequestObserver func(method, route string, status int, took time.Duration)

// knownMethod is m as a string that may be kept: Fiber's c.Method() shares the request's
// buffer, which the next request overwrites.
func knownMethod(m string) string {
	for _, k := range []string{fiber.MethodGet, fiber.MethodPost, fiber.MethodPatch, fiber.MethodPut, fiber.MethodDelete,
		fiber.MethodHead, fiber.MethodOptions} {
		if m == k {
			return k
		}
	}
	return "OTHER"
}

// NewAppWith is NewApp with an observer of every request.
func NewAppWith(log *slog.Logger, cfg AppConfig) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		BodyLimit:             BodyLimit,
		ErrorHandler:          ErrorHandler(log),
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		AppName:               "regulars",
	})
	app.Use(RequestLog(log, cfg.Observe), clientAddress(cfg.TrustedProxies), SecurityHeaders)
	return app
}

// securityHeaders are set on every response; the names are already in canonical form,
// so they are set without c.Set's copy and normalisation of each name.
var securityHeaders = [][2][]byte{
	{[]byte("X-Content-Type-Options"), []byte("nosniff")},
	{[]byte("Referrer-Policy"), []byte("no-referrer")},
	{[]byte("X-Frame-Options"), []byte("DENY")},
}

// SecurityHeaders sets headers every response carries.
func SecurityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	for _, kv := range securityHeaders {
		h.SetCanonical(kv[0], kv[1])
	}
	return c.Next()
}

// NoRoute is the route logged for a request no handler matched.
const NoRoute = "(none)"

// RequestLog writes one line per request: method, route pattern, status, latency, the
// client's address (behind trusted proxies, the real one) and the actor's name. It never logs bodies, query strings or headers, so no document number,
// password or token can reach the log.
//
// The line is the one log.Info("request", "method", ..., "role", ...) writes, built as a
// record directly: no boxing of the attributes, one clock read for the latency and the
// line's time, and no caller lookup (the service's handler does not print the source).
// observe, when not nil, gets the same request, measured once with the line.
func RequestLog(log *slog.Logger, observe RequestObserver) fiber.Handler {
	h := log.Handler()
	return func(c *fiber.Ctx) error {
		start, own := time.Now(), c.Route()
		err := c.Next()
		logging := h.Enabled(context.Background(), slog.LevelInfo)
		if !logging && observe == nil {
			return err
		}
		if err != nil {
			// Answer the error here, as Fiber would after this handler, so that the line
			// records the status actually sent.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
			err = nil
		}
		status := c.Response().StatusCode()
		route := c.Route().Path
		if c.Route() == own {
			route = NoRoute // no handler matched (a mistyped address, /favicon.ico), not "/"
		}
		now := time.Now()
		if observe != nil {
			observe(knownMethod(c.Method()), route, status, now.Sub(start))
		}
		if !logging {
			return err
		}
		r := slog.NewRecord(now, slog.LevelInfo, "request", 0)
		r.AddAttrs(slog.String("method", c.Method()), slog.String("route", route), slog.Int("status", status),
			slog.Float64("ms", float64(now.Sub(start).Microseconds())/1000))
		r.AddAttrs(slog.String("client", ClientIP(c)))
		if a, ok := c.Locals(actorKey).(preferences.Actor); ok {
			r.AddAttrs(slog.String("actor", a.Name), slog.String("role", string(a.Role)))
		}
		_ = h.Handle(context.Background(), r) // as slog.Logger does: a failed log write does not fail the request
		return err
	}
}
