package preferences

import "context"

// GuestProfile is a guest with preferences and the number of stays, as the front desk
// shows one guest.
type GuestProfile struct {
	Guest
	Preferences Preferences `json:"preferences"`
	StaysCount  int         `json:"stays_count"`
	// MailSuppressed says that letters to the guest's address are stopped (bounces); nil
	// when they go.
	MailSuppressed *MailSuppression `json:"mail_suppressed"`
}

// GuestProfile reads a guest's profile at once (one audit entry, guest.read).
func (s *Service) GuestProfile(ctx context.Context, actor Actor, id string) (GuestProfile, error) {
	var p GuestProfile
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if p.Guest, err = tx.GuestByID(ctx, id); err != nil {
			return err
		}
		if p.Preferences, err = tx.GuestPreferences(ctx, id); err != nil {
			return err
		}
		if p.StaysCount, err = tx.CountGuestStays(ctx, id); err != nil {
			return err
		}
		if p.KeepInTouchDays, err = keepInTouchDays(ctx, tx, id); err != nil {
			return err
		}
		p.MailSuppressed, err = s.mailSuppression(ctx, tx, p.Guest.Email)
		return err
	})
	if err == nil {
		s.recordRead(actor, id, ActionRead)
	}
	return p, err
}

// GuestCount is how many guests are kept (erased ones not counted).
func (s *Service) GuestCount(ctx context.Context) (int, error) {
	var n int
	err := s.repo.Read(ctx, func(tx Tx) (err error) { n, err = tx.CountGuests(ctx); return err })
	return n, err
}
