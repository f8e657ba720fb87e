// Package web is the HTTP shell shared by the front desk, kiosk and outreach packages:
// the Fiber app with its error handler, problem+json responses, strict JSON decoding,
// bearer-token authentication, role checks and request logging.
package web

import (
	"errors"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// BodyLimit is the largest request body accepted; larger ones get 413.
const BodyLimit = 64 * 1024

// NewApp returns a Fiber app with the shared error handler, request log and security
// headers. Packages mount their routes on it.
func NewApp(log *slog.Logger) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		BodyLimit:             BodyLimit,
		ErrorHandler:          ErrorHandler(log),
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		AppName:               "regulars",
	})
	app.Use(RequestLog(log), SecurityHeaders)
	return app
}

// SecurityHeaders sets headers every response carries.
func SecurityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
	return c.Next()
}

// NoRoute is the route logged for a request no handler matched.
const NoRoute = "(none)"

// RequestLog writes one line per request: method, route pattern, status, latency and the
// actor's name. It never logs bodies, query strings or headers, so no document number,
// password or token can reach the log.
func RequestLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start, own := time.Now(), c.Route()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			var fe *fiber.Error
			if errors.As(err, &fe) {
				status = fe.Code
			} else if code := StatusFor(err); code != 0 {
				status = code
			}
		}
		route := c.Route().Path
		if c.Route() == own {
			route = NoRoute // no handler matched (a mistyped address, /favicon.ico), not "/"
		}
		attrs := []any{"method", c.Method(), "route", route, "status", status,
			"ms", float64(time.Since(start).Microseconds()) / 1000}
		if a, ok := c.Locals(actorKey).(preferences.Actor); ok {
			attrs = append(attrs, "actor", a.Name, "role", string(a.Role))
		}
		log.Info("request", attrs...)
		return err
	}
}
