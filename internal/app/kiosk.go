package app

import (
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/kiosk"
	"regulars/preferences"
)

// kioskConfig is the kiosk's configuration with what it takes from the service's.
func (a *App) kioskConfig() kiosk.Config {
	c := a.Config.Kiosk
	c.SecureCookie = strings.HasPrefix(a.Config.PublicURL, "https://")
	c.OnLockout = a.metrics.lockouts.Inc
	return c
}

// kioskServer is the optional listener of REGULARS_KIOSK_ADDR, which serves the kiosk
// page and the kiosk API only, so that the lobby network cannot reach staff pages or
// the staff API.
type kioskServer struct {
	kioskMu   sync.Mutex
	kioskAddr net.Addr
}

// KioskAddr is the address of the kiosk's own listener, nil when there is none.
func (a *App) KioskAddr() net.Addr {
	a.kioskMu.Lock()
	defer a.kioskMu.Unlock()
	return a.kioskAddr
}

// kioskRoutes is the kiosk-only app: /healthz, /kiosk and /api/kiosk.
func (a *App) kioskRoutes() *fiber.App {
	app := a.newWebApp()
	app.Get("/healthz", a.healthz)
	a.kiosk.MountPage(app)
	api := app.Group("/api", web.Authenticate(web.BearerToken(a.tokenActor), a.kiosk.DeviceAuth))
	a.kiosk.MountAPI(api)
	app.Use(func(c *fiber.Ctx) error {
		return preferences.Errorf(preferences.ENOTFOUND, "Only the kiosk is served here.")
	})
	return app
}

func (a *App) tokenActor(c *fiber.Ctx, token string) (preferences.Actor, error) {
	return a.Store.TokenActor(c.UserContext(), token)
}

// serveKiosk starts the kiosk's own listener when one is configured and returns the
// func that stops it.
func (a *App) serveKiosk() (func(), error) {
	if a.Config.Kiosk.Addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", a.Config.Kiosk.Addr)
	if err != nil {
		return nil, err
	}
	if ln, err = WrapTLS(ln, a.Config); err != nil {
		return nil, err
	}
	a.kioskMu.Lock()
	a.kioskAddr = ln.Addr()
	a.kioskMu.Unlock()
	srv := a.kioskRoutes()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Listener(ln); err != nil && !errors.Is(err, net.ErrClosed) {
			a.log.Error("kiosk listener", "err", err)
		}
	}()
	a.log.Info("serving kiosk", "addr", ln.Addr().String())
	return func() {
		srv.ShutdownWithTimeout(10 * time.Second)
		ln.Close() // as in Serve: a server not yet listening is not stopped by its shutdown
		<-done
	}, nil
}
