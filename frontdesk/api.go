// Package frontdesk serves the front desk: the staff JSON API for guests, preferences,
// rooms, arrivals, stays and feedback, and the staff pages built on it.
package frontdesk

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// Store is what the front desk needs of the preferences store.
type Store interface {
	preferences.GuestStore
	preferences.PreferenceStore
	preferences.AuditLog
	preferences.RoomStore
	preferences.StayStore
	preferences.AnswerStore
	preferences.ContactStore
}

// API holds the front desk's JSON handlers.
type API struct {
	store Store
}

// NewAPI returns the front desk API on store (whose clock and zone say what "today" is).
func NewAPI(store Store) *API { return &API{store: store} }

var (
	desk         = web.Allow(preferences.RoleFrontDesk, preferences.RoleManager)
	manager      = web.Allow(preferences.RoleManager)
	housekeeping = web.Allow(preferences.RoleHousekeeping, preferences.RoleManager)
)

// pathParam copies a path parameter: Fiber reuses its buffers after the handler returns.
func pathParam(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }

// Mount registers the API routes on r, which must already authenticate requests.
func (a *API) Mount(r fiber.Router) {
	once := web.Idempotent(a.store) // the creating POSTs: a retry with the same key creates nothing
	r.Post("/guests", desk, once, a.createGuest)
	r.Get("/guests", desk, a.searchGuests)
	r.Post("/guests/lookup", desk, a.lookupGuest)
	r.Get("/guests/:id", desk, a.showGuest)
	r.Patch("/guests/:id", desk, a.updateGuest)
	r.Delete("/guests/:id", manager, a.eraseGuest)
	r.Get("/guests/:id/export", manager, a.exportGuest)
	r.Get("/guests/:id/vcard", desk, a.guestVCard)
	r.Get("/guests/:id/audit", manager, a.guestAudit)
	r.Get("/guests/:id/consent", desk, a.consentHistory)
	r.Get("/guests/:id/preferences", desk, a.showPreferences)
	r.Put("/guests/:id/preferences", desk, a.replacePreferences)
	r.Patch("/guests/:id/preferences", desk, a.patchPreferences)
	r.Get("/guests/:id/preferences/history", desk, a.preferenceHistory)
	r.Get("/guests/:id/recognition", desk, a.recognition)
	r.Get("/guests/:id/stays", desk, a.guestStays)
	r.Post("/guests/:id/feedback", desk, once, a.addFeedback)
	r.Post("/guests/:id/notes", desk, a.addNote)
	r.Get("/rooms", desk, a.listRooms)
	r.Put("/rooms/:number", manager, a.putRoom)
	r.Post("/arrivals", desk, once, a.createArrival)
	r.Get("/arrivals", desk, a.listArrivals)
	r.Post("/stays", desk, once, a.checkIn)
	r.Post("/stays/:id/checkout", desk, a.checkOut)
	r.Get("/feedback", desk, a.listFeedback)
	r.Post("/feedback/:id/resolve", desk, a.resolveFeedback)
	r.Post("/follow-ups/:id/done", desk, a.followUpDone)
	r.Get("/housekeeping", housekeeping, a.housekeepingBoard)
	a.mountContacts(r, once)
}
