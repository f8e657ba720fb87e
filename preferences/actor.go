package preferences

import "time"

// Role is what a staff member, a token or a device may do.
type Role string

// The roles of the contract.
const (
	RoleManager      Role = "manager"
	RoleFrontDesk    Role = "frontdesk"
	RoleHousekeeping Role = "housekeeping"
	RoleKiosk        Role = "kiosk"
	RoleRelay        Role = "relay" // a mail relay's token: it posts bounces, nothing else
	RoleSystem       Role = "system"
)

// System is the service acting on its own (a letter being written, a kiosk matching a
// guest before anyone is shown): its reads are not a person's access and are not
// audited; its changes are.
var System = Actor{Name: "system", Role: RoleSystem}

// StaffRoles are the roles a person or token can be given.
var StaffRoles = []Role{RoleManager, RoleFrontDesk, RoleHousekeeping, RoleKiosk, RoleRelay}

// ParseRole returns the role named s, or an EINVALID error.
func ParseRole(s string) (Role, error) {
	for _, r := range StaffRoles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", FieldErr("role", "must be one of manager, frontdesk, housekeeping, kiosk, relay")
}

// Actor is who does something: a staff user, an API token, a kiosk or the system.
type Actor struct {
	ID   string `json:"-"`
	Name string `json:"name"`
	Role Role   `json:"role"`
	// TokenID is the API token the actor acts with: its own for a token, the one it was
	// paired with for a kiosk device (kiosk lock-outs count per token); empty otherwise.
	TokenID string `json:"-"`
	// PropertyID is the property the actor belongs to; "" for the group's scope (a
	// manager's, or the service's own).
	PropertyID string `json:"-"`
	// Chosen is the code of the property a request names (?property=CODE): a group-scope
	// manager acts in it; anyone else may name only their own.
	Chosen string `json:"-"`
}

// Channel is the consent channel an action by this actor comes through.
func (a Actor) Channel() string {
	if a.Role == RoleKiosk {
		return ChannelKiosk
	}
	return ChannelDesk
}

// AuditEntry is one record of who read or changed a guest.
type AuditEntry struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Role    Role      `json:"role"`
	Action  string    `json:"action"`
	GuestID string    `json:"-"`
	Detail  string    `json:"detail,omitempty"`
	Section string    `json:"section,omitempty"`
	Old     RawJSON   `json:"old,omitempty"`
	New     RawJSON   `json:"new,omitempty"`
}

// RawJSON is a stored JSON value passed through unchanged.
type RawJSON []byte

// MarshalJSON returns the raw value.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// Audit actions.
const (
	ActionRead        = "guest.read"
	ActionCreate      = "guest.create"
	ActionUpdate      = "guest.update"
	ActionLookup      = "guest.lookup"
	ActionSearch      = "guest.search_hit"
	ActionExport      = "guest.export"
	ActionErase       = "guest.erase"
	ActionPrefsRead   = "preferences.read"
	ActionPrefsChange = "preferences.change"
	ActionConsent     = "consent.change"
	ActionAuditRead   = "audit.read"
)
