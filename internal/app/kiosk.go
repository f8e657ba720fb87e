package app

import (
	"strings"

	"regulars/kiosk"
)

// kioskConfig is the kiosk's configuration with what it takes from the service's.
func (a *App) kioskConfig() kiosk.Config {
	c := a.Config.Kiosk
	c.SecureCookie = strings.HasPrefix(a.Config.PublicURL, "https://")
	return c
}
