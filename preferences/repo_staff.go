package preferences

// StaffRepo keeps API tokens, staff logins and sessions, kiosk devices and lock-outs, service settings.
type StaffRepo interface {
}
