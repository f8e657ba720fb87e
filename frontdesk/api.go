// Package frontdesk serves the front desk: the staff JSON API for guests, preferences,
// rooms, arrivals, stays and feedback, and the staff pages built on it.
package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// Store is what the front desk needs of the preferences store.
type Store interface {
	preferences.GuestStore
	preferences.PreferenceStore
	preferences.AuditLog
}

// API holds the front desk's JSON handlers.
type API struct {
	store Store
}

// NewAPI returns the front desk API on store.
func NewAPI(store Store) *API { return &API{store: store} }

var (
	desk    = web.Allow(preferences.RoleFrontDesk, preferences.RoleManager)
	manager = web.Allow(preferences.RoleManager)
)

// Mount registers the API routes on r, which must already authenticate requests.
func (a *API) Mount(r fiber.Router) {
	r.Post("/guests", desk, a.createGuest)
	r.Get("/guests", desk, a.searchGuests)
	r.Post("/guests/lookup", desk, a.lookupGuest)
	r.Get("/guests/:id", desk, a.showGuest)
	r.Patch("/guests/:id", desk, a.updateGuest)
	r.Delete("/guests/:id", manager, a.eraseGuest)
	r.Get("/guests/:id/export", manager, a.exportGuest)
	r.Get("/guests/:id/audit", manager, a.guestAudit)
	r.Get("/guests/:id/consent", desk, a.consentHistory)
	r.Get("/guests/:id/preferences", desk, a.showPreferences)
	r.Put("/guests/:id/preferences", desk, a.replacePreferences)
	r.Patch("/guests/:id/preferences", desk, a.patchPreferences)
	r.Get("/guests/:id/preferences/history", desk, a.preferenceHistory)
}
