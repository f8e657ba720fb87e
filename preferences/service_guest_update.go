package preferences

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"
)

// UpdateGuest applies the fields sent, all or nothing: documents sent replace the
// guest's, a consent decision sent is recorded (a re-confirmation too: the ledger is the
// evidence), and the audit entry names the fields sent, never their values.
func (s *Service) UpdateGuest(ctx context.Context, actor Actor, id string, in GuestFields) (Guest, error) {
	in.Normalize()
	now := s.Now()
	if err := in.Validate(false, now); err != nil {
		return Guest{}, err
	}
	var sealed []SealedDocument
	if in.Documents != nil {
		var err error
		if sealed, err = sealDocuments(s.sealer, *in.Documents, now); err != nil {
			return Guest{}, err
		}
	}
	var updated Guest
	err := s.writeGuest(ctx, func(tx Tx) error {
		g, err := tx.GuestByID(ctx, id)
		if err != nil {
			return err
		}
		was := g.UpdatedAt
		applyFields(&g, in)
		g.UpdatedAt = touched(now, was)
		docs := sealed
		if in.Documents == nil {
			// Keep checking the birthday against the documents already held.
			if docs, err = tx.DocumentBirthDates(ctx, id); err != nil {
				return err
			}
		}
		if err := reconcileBirthday(&g, in.Birthday != nil && *in.Birthday != "", docs); err != nil {
			return err
		}
		if in.Documents != nil {
			if err := s.replaceDocuments(ctx, tx, id, sealed); err != nil {
				return err
			}
		}
		if ok, err := tx.UpdateGuestFields(ctx, g, was); err != nil || !ok {
			return cmp.Or(err, errGuestChanged)
		}
		if in.MarketingConsent != nil {
			if err := s.appendConsent(ctx, tx, id, *in.MarketingConsent, actor.Channel(), actor.Name); err != nil {
				return err
			}
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, id, ActionUpdate, changedFields(in))); err != nil {
			return err
		}
		if err := s.applyKeepInTouch(ctx, tx, actor, id, in.KeepInTouchDays); err != nil {
			return err
		}
		if updated, err = tx.GuestByID(ctx, id); err != nil {
			return err
		}
		updated.KeepInTouchDays, err = keepInTouchDays(ctx, tx, id)
		return err
	})
	return updated, err
}

// errGuestChanged: another request changed the guest between a use case's read and its
// conditional write (several instances may share one database); the use case runs again.
var errGuestChanged = errors.New("preferences: the guest changed meanwhile")

// guestWriteAttempts bounds the runs of a change that keeps meeting concurrent ones:
// each failed run means another change succeeded.
const guestWriteAttempts = 5

// touched is the UpdatedAt of a change made at now to a guest last updated at was:
// always later than was, so that a concurrent change's conditional write notices it
// even within the same microsecond (or on a stopped clock).
func touched(now, was time.Time) time.Time {
	if !now.After(was) {
		return was.Add(time.Microsecond)
	}
	return now
}

// writeGuest runs fn in a Write, and again when it ends in errGuestChanged.
func (s *Service) writeGuest(ctx context.Context, fn func(Tx) error) error {
	for range guestWriteAttempts {
		if err := s.repo.Write(ctx, fn); !errors.Is(err, errGuestChanged) {
			return err
		}
	}
	return &Error{Code: ECONFLICT, Message: "The guest is being changed by another request; try again."}
}

// replaceDocuments replaces the guest's documents with docs, refusing one held by
// another guest.
func (s *Service) replaceDocuments(ctx context.Context, tx Tx, guestID string, docs []SealedDocument) error {
	if err := checkDocumentsFree(ctx, tx, guestID, docs); err != nil {
		return err
	}
	if err := tx.DeleteDocuments(ctx, guestID); err != nil {
		return err
	}
	err := tx.InsertDocuments(ctx, guestID, docs, s.Now())
	if ErrorCode(err) == ECONFLICT { // another guest took it meanwhile
		return &Error{Code: ECONFLICT, Message: "This document belongs to another guest.", Err: err}
	}
	return err
}

// changedFields names the fields a patch sent, for the audit log; never their values.
func changedFields(in GuestFields) string {
	var names []string
	add := func(name string, sent bool) {
		if sent {
			names = append(names, name)
		}
	}
	add("family_name", in.FamilyName != nil)
	add("given_name", in.GivenName != nil)
	add("salutation", in.Salutation != nil)
	add("email", in.Email != nil)
	add("phone", in.Phone != nil)
	add("birthday", in.Birthday != nil)
	add("language", in.Language != nil)
	add("time_zone", in.TimeZone != nil)
	add("marketing_consent", in.MarketingConsent != nil)
	add("documents", in.Documents != nil)
	add(keepInTouchField, in.KeepInTouchDays != nil)
	return strings.Join(names, ",")
}

// RecordConsent appends a consent decision made outside the staff API (an email link's
// unsubscribe, an import) and makes it the guest's current one.
func (s *Service) RecordConsent(ctx context.Context, guestID string, granted bool, channel, by string) error {
	return s.repo.Write(ctx, func(tx Tx) error {
		if _, err := tx.GuestByID(ctx, guestID); err != nil {
			return err
		}
		return s.appendConsent(ctx, tx, guestID, granted, channel, by)
	})
}

// ConsentHistory returns the guest's consent ledger, oldest first; ENOTFOUND for an
// unknown or erased guest. A staff member's read is audited (guest.read).
func (s *Service) ConsentHistory(ctx context.Context, actor Actor, id string) ([]ConsentEvent, error) {
	var out []ConsentEvent
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if _, err := tx.GuestByID(ctx, id); err != nil {
			return err
		}
		out, err = tx.ConsentEvents(ctx, id)
		return err
	})
	if err == nil {
		s.recordRead(actor, id, ActionRead)
	}
	return out, err
}
