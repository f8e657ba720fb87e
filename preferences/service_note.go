package preferences

import "context"

// AddNote records a staff note addressed to one department.
func (s *Service) AddNote(ctx context.Context, actor Actor, guestID string, n Note) (Note, error) {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return n, err
	}
	n.ID, n.GuestID, n.CreatedAt, n.CreatedBy = NewID("n"), guestID, s.Now(), actor.Name
	err := s.repo.Write(ctx, func(tx Tx) error {
		if err := tx.LockGuest(ctx, guestID); err != nil {
			return err
		}
		if err := tx.InsertNote(ctx, n); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(actor, guestID, ActionNoteAdd, n.Department))
	})
	return n, err
}

// GuestNotes lists every note of the guest, newest first.
func (s *Service) GuestNotes(ctx context.Context, guestID string) ([]Note, error) {
	var notes []Note
	err := s.repo.Read(ctx, func(tx Tx) (err error) { notes, err = tx.GuestNotes(ctx, guestID); return err })
	return notes, err
}

// OpenFollowUps lists the guest's follow-ups not yet done, oldest first.
func (s *Service) OpenFollowUps(ctx context.Context, guestID string) ([]FollowUp, error) {
	var open []FollowUp
	err := s.repo.Read(ctx, func(tx Tx) (err error) { open, err = tx.OpenFollowUps(ctx, guestID); return err })
	return open, err
}
