package kiosk

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// DeviceCookie holds a paired kiosk's device secret.
const DeviceCookie = "regulars_kiosk"

// deviceCookieAge keeps a kiosk paired for about a year (browsers cap cookies at 400 days).
const deviceCookieAge = 365 * 24 * time.Hour

// DeviceAuth authenticates a paired kiosk by its device cookie; for web.Authenticate.
// A missing or unknown cookie is not an error here: the request goes on to the other
// authenticators and ends as 401 when none knows it.
func (k *Kiosk) DeviceAuth(c *fiber.Ctx) (preferences.Actor, bool, error) {
	secret := c.Cookies(DeviceCookie)
	if secret == "" {
		return preferences.Actor{}, false, nil
	}
	a, err := k.store.KioskActor(c.UserContext(), secret)
	if err != nil {
		if preferences.ErrorCode(err) == preferences.EUNAUTHORIZED {
			return preferences.Actor{}, false, nil
		}
		return preferences.Actor{}, false, err
	}
	return a, true, nil
}

// pair turns a kiosk token from /kiosk?pair=TOKEN into a device cookie and sends the
// browser to /kiosk, so that the token does not stay in the address bar or history.
// A token pairs one device: another browser gets a page saying that a manager must allow
// re-pairing first (POST /api/kiosk/tokens/{name}/re-pair), and the paired device keeps
// working; the paired device itself opening the link again stays paired.
func (k *Kiosk) pair(c *fiber.Ctx, token string) error {
	ctx := c.UserContext()
	actor, err := k.store.TokenActor(ctx, token)
	if err != nil {
		return err
	}
	if actor.Role != preferences.RoleKiosk {
		return preferences.Errorf(preferences.EFORBIDDEN, "Only a kiosk token can pair a kiosk.")
	}
	device, paired, err := k.DeviceAuth(c)
	if err != nil {
		return err
	}
	if paired && device.TokenID == actor.ID {
		return c.Redirect("/kiosk", fiber.StatusSeeOther)
	}
	secret, err := k.store.PairKiosk(ctx, actor)
	if preferences.ErrorCode(err) == preferences.ECONFLICT {
		return k.render(c, fiber.StatusConflict, pageData{PairRefused: true})
	}
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name:     DeviceCookie,
		Value:    secret,
		Path:     "/",
		MaxAge:   int(deviceCookieAge / time.Second),
		Expires:  time.Now().Add(deviceCookieAge),
		HTTPOnly: true,
		Secure:   k.cfg.SecureCookie,
		SameSite: fiber.CookieSameSiteStrictMode,
	})
	return c.Redirect("/kiosk", fiber.StatusSeeOther)
}

// deviceKey names the kiosk a request comes from for its guests' sessions: the device for
// a cookie, the token for a bearer token. (Lock-outs count per token: Actor.TokenID.)
func deviceKey(c *fiber.Ctx) string {
	a := web.ActorOf(c)
	return string(a.Role) + ":" + a.ID
}
