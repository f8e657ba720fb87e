package preferences

import "time"

// KioskThrottle is one time a lobby kiosk was locked out after repeated failed
// identifications; the front desk sees these.
type KioskThrottle struct {
	Kiosk    string    `json:"kiosk"`
	Failures int       `json:"failures"`
	At       time.Time `json:"at"`
	Until    time.Time `json:"until"`
	Active   bool      `json:"active"`
}
