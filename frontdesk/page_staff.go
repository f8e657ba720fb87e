package frontdesk

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// StaffAdminStore is what the manager's staff page needs: the tokens and logins, and
// re-pairing a kiosk (the use case of POST /api/kiosk/tokens/{name}/re-pair).
type StaffAdminStore interface {
	preferences.StaffAdmin
	AllowKioskRepair(ctx context.Context, name string) (int, error)
	// CreateScopedToken and CreateScopedUser create them for a property, by code.
	CreateScopedToken(ctx context.Context, role preferences.Role, name string, validFor time.Duration, property string) (string, error)
	CreateScopedUser(ctx context.Context, name string, role preferences.Role, property string) (string, error)
	// PropertyOf is the property an actor acts in.
	PropertyOf(ctx context.Context, actor preferences.Actor) (preferences.Property, error)
}

// staffPage is /manager/staff: the command line's token and user commands for managers.
// Every change is logged (who, what, which name), never a token or password.
type staffPage struct {
	*Pages
	store StaffAdminStore
	log   *slog.Logger
}

type staffData struct {
	Flash  string
	Error  string
	Secret *shownSecret // a new token or password, on the answer to its form only
	Tokens []preferences.TokenInfo
	Users  []preferences.StaffUser
	Roles  []preferences.Role
	Self   string // the signed-in manager, who cannot disable their own login here
}

// shownSecret is a token or password shown once: never stored, logged or redirected to.
type shownSecret struct {
	What  string // "token" or "password"
	Name  string
	Role  preferences.Role // of a new token or login
	Value string
}

// MountStaff registers /manager/staff (managers only) and its navigation link.
func (p *Pages) MountStaff(app fiber.Router, staff *web.Staff, store StaffAdminStore, log *slog.Logger) {
	s := &staffPage{Pages: p, store: store, log: log}
	staff.AddNav("Staff", "/manager/staff", preferences.RoleManager)
	mg := staff.Pages(preferences.RoleManager)
	app.Get("/manager/staff", mg, s.page)
	app.Post("/manager/staff/tokens", mg, s.createToken)
	app.Post("/manager/staff/tokens/revoke", mg, s.change(preferences.StaffTokenRevoke, "revoked", func(ctx context.Context, name string) error {
		_, err := store.RevokeTokens(ctx, name)
		return err
	}))
	app.Post("/manager/staff/tokens/re-pair", mg, s.change(preferences.StaffKioskRepair, "re-pair", func(ctx context.Context, name string) error {
		_, err := store.AllowKioskRepair(ctx, name)
		return err
	}))
	app.Post("/manager/staff/users", mg, s.addUser)
	app.Post("/manager/staff/users/disable", mg, s.change(preferences.StaffUserDisable, "disabled", func(ctx context.Context, name string) error {
		return store.SetUserDisabled(ctx, name, true)
	}))
	app.Post("/manager/staff/users/enable", mg, s.change(preferences.StaffUserEnable, "enabled", func(ctx context.Context, name string) error {
		return store.SetUserDisabled(ctx, name, false)
	}))
	app.Post("/manager/staff/users/reset-password", mg, s.resetPassword)
}

func (s *staffPage) page(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, staffData{Flash: flash(c)})
}

// render shows the page with d's message or secret and the current lists.
func (s *staffPage) render(c *fiber.Ctx, status int, d staffData) error {
	var err error
	ctx := c.UserContext()
	if d.Tokens, err = s.store.Tokens(ctx); err != nil {
		return err
	}
	if d.Users, err = s.store.Users(ctx); err != nil {
		return err
	}
	d.Roles, d.Self = preferences.StaffRoles, web.ActorOf(c).Name
	return s.views.Render(c, status, "staff", "Staff", d)
}

// failed shows a refused change on the page (422 for bad input, 404, 409); other errors
// go to the error handler.
func (s *staffPage) failed(c *fiber.Ctx, err error) error {
	switch preferences.ErrorCode(err) {
	case preferences.EINVALID, preferences.ENOTFOUND, preferences.ECONFLICT:
		return s.render(c, web.ProblemFor(err).Status, staffData{Error: problemText(err)})
	}
	return err
}

// change is a form that changes the token or login named in its "name" field, then
// goes back to the page with the flash msg.
func (s *staffPage) change(action, msg string, do func(ctx context.Context, name string) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		name, actor := form(c, "name"), web.ActorOf(c)
		if name == "" {
			return s.failed(c, preferences.FieldErr("name", "is required"))
		}
		if action == preferences.StaffUserDisable && name == actor.Name {
			return s.failed(c, preferences.FieldErr("name", "is your own login: another manager or the command line can disable it"))
		}
		if err := do(c.UserContext(), name); err != nil {
			return s.failed(c, err)
		}
		preferences.LogStaffChange(s.log, actor, action, name)
		return c.Redirect("/manager/staff?msg="+msg, fiber.StatusSeeOther)
	}
}

// createToken shows the new token on this answer only: a redirect would need it in a URL.
func (s *staffPage) createToken(c *fiber.Ctx) error {
	name, role := form(c, "name"), preferences.Role(form(c, "role"))
	validFor, err := preferences.ParseTokenExpiry(form(c, "expires"))
	if err != nil {
		return s.failed(c, err)
	}
	property, err := s.scope(c)
	if err != nil {
		return s.failed(c, err)
	}
	token, err := s.store.CreateScopedToken(c.UserContext(), role, name, validFor, property)
	if err != nil {
		return s.failed(c, err)
	}
	preferences.LogStaffChange(s.log, web.ActorOf(c), preferences.StaffTokenCreate, name)
	return s.render(c, fiber.StatusCreated, staffData{Secret: &shownSecret{What: "token", Name: name, Role: role, Value: token}})
}

func (s *staffPage) addUser(c *fiber.Ctx) error {
	name, role := form(c, "name"), preferences.Role(form(c, "role"))
	property, err := s.scope(c)
	if err != nil {
		return s.failed(c, err)
	}
	password, err := s.store.CreateScopedUser(c.UserContext(), name, role, property)
	if err != nil {
		return s.failed(c, err)
	}
	preferences.LogStaffChange(s.log, web.ActorOf(c), preferences.StaffUserAdd, name)
	return s.render(c, fiber.StatusCreated, staffData{Secret: &shownSecret{What: "password", Name: name, Role: role, Value: password}})
}

// scope is the code of the property a new token or login acts for: the form's (empty:
// the default scope) for a manager of the group; a manager of one property creates
// them for it alone (403 for another).
func (s *staffPage) scope(c *fiber.Ctx) (string, error) {
	code, actor := form(c, "property"), web.ActorOf(c)
	if actor.PropertyID == "" {
		return code, nil
	}
	actor.Chosen = code
	p, err := s.store.PropertyOf(c.UserContext(), actor)
	return p.Code, err
}

// resetPassword ends the user's sessions, the manager's own too when it is theirs: this
// answer still shows the new password.
func (s *staffPage) resetPassword(c *fiber.Ctx) error {
	name := form(c, "name")
	if name == "" {
		return s.failed(c, preferences.FieldErr("name", "is required"))
	}
	password, err := s.store.ResetPassword(c.UserContext(), name)
	if err != nil {
		return s.failed(c, err)
	}
	preferences.LogStaffChange(s.log, web.ActorOf(c), preferences.StaffUserReset, name)
	return s.render(c, fiber.StatusOK, staffData{Secret: &shownSecret{What: "password", Name: name, Value: password}})
}
