package preferences

import (
	"context"
	"errors"
)

// EraseGuest forgets the guest's personal data everywhere in the store, in one
// transaction that also audits it (guest.erase); stays remain as anonymous records.
// Once committed, the erasure hooks remove the copies kept outside the store (the
// letters' .eml files, by Message-ID); a hook's failure is returned, the erasure stands.
// An unknown or erased guest is ENOTFOUND.
func (s *Service) EraseGuest(ctx context.Context, actor Actor, id string) error {
	erased := Erased{GuestID: id}
	err := s.repo.Write(ctx, func(tx Tx) error {
		if _, err := tx.GuestByID(ctx, id); err != nil {
			return err
		}
		var err error
		// The hooks need the Message-IDs of the letters deleted.
		if erased.MessageIDs, err = tx.EraseGuestData(ctx, id, s.Now()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(actor, id, ActionErase, ""))
	})
	if err != nil {
		return err
	}
	var errs []error
	for _, h := range s.hooks {
		errs = append(errs, h(ctx, erased))
	}
	return errors.Join(errs...)
}
