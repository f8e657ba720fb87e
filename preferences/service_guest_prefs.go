package preferences

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
)

// SetPreferences replaces the listed sections with those of p and returns the result.
// Each section that changed is recorded old → new: that record is the change's audit
// entry (GuestAudit reads it with the others).
func (s *Service) SetPreferences(ctx context.Context, actor Actor, guestID string, p Preferences, sections []string) (Preferences, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return Preferences{}, err
	}
	var result Preferences
	err := s.writeGuest(ctx, func(tx Tx) error {
		g, err := tx.GuestByID(ctx, guestID)
		if err != nil {
			return err
		}
		cur, err := tx.GuestPreferences(ctx, guestID)
		if err != nil {
			return err
		}
		next, now := cur, s.Now()
		for _, name := range sections {
			oldV, errOld := json.Marshal(section(&cur, name))
			newV, errNew := json.Marshal(section(&p, name))
			if err := errors.Join(errOld, errNew); err != nil {
				return err
			}
			copySection(&next, p, name)
			if bytes.Equal(oldV, newV) {
				continue
			}
			change := AuditEntry{At: now, Actor: actor.Name, Role: actor.Role, Section: name, Old: oldV, New: newV}
			if err := tx.InsertPreferenceChange(ctx, guestID, change); err != nil {
				return err
			}
		}
		if ok, err := tx.StorePreferences(ctx, guestID, next, touched(now, g.UpdatedAt), g.UpdatedAt); err != nil || !ok {
			return cmp.Or(err, errGuestChanged)
		}
		result = next
		return nil
	})
	return result, err
}

// section returns the value of one section of p (SectionRoom, …), nil for an unknown one.
func section(p *Preferences, name string) any {
	switch name {
	case SectionRoom:
		return p.Room
	case SectionDining:
		return p.Dining
	case SectionAllergies:
		return p.Allergies
	case SectionHousekeeping:
		return p.Housekeeping
	case SectionNotes:
		return p.Notes
	}
	return nil
}

func copySection(dst *Preferences, src Preferences, name string) {
	switch name {
	case SectionRoom:
		dst.Room = src.Room
	case SectionDining:
		dst.Dining = src.Dining
	case SectionAllergies:
		dst.Allergies = src.Allergies
	case SectionHousekeeping:
		dst.Housekeeping = src.Housekeeping
	case SectionNotes:
		dst.Notes = src.Notes
	}
}

// PreferenceHistory returns every preference change of the guest (old → new), oldest
// first; ENOTFOUND for an unknown or erased guest. A staff member's read is audited
// (preferences.read).
func (s *Service) PreferenceHistory(ctx context.Context, actor Actor, guestID string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if _, err := tx.GuestByID(ctx, guestID); err != nil {
			return err
		}
		out, err = tx.PreferenceChanges(ctx, guestID)
		return err
	})
	if err == nil {
		s.recordRead(actor, guestID, ActionPrefsRead)
	}
	return out, err
}
