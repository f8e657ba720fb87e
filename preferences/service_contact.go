package preferences

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// ContactStore is the contact log and the keep-in-touch rhythms, as the staff API and
// pages use them.
type ContactStore interface {
	// LogContact records a contact with the guest, refusing the same material within
	// MaterialRepeatDays unless confirmed (ECONFLICT caused by *MaterialAlreadySent).
	LogContact(ctx context.Context, actor Actor, guestID string, in ContactInput) (Contact, error)
	// GuestContacts lists the guest's contacts, letters sent included, newest first.
	GuestContacts(ctx context.Context, actor Actor, guestID string) ([]Contact, error)
	// KeepInTouchDue lists a page of the guests whose next contact is due today or
	// earlier, the longest due first, and how many there are in all.
	KeepInTouchDue(ctx context.Context, actor Actor, limit, offset int) ([]KeepInTouchDue, int, error)
}

var _ ContactStore = (*Service)(nil)

// LogContact records a contact staff had with a guest, at the server's time, by actor.
// A material sent within MaterialRepeatDays of the same material (MaterialKey) is
// refused unless in.Confirm. The guest's row is locked first, so that of two desks
// logging the same material at once the second sees the first's (on PostgreSQL it waits
// for it; SQLite has one writer).
func (s *Service) LogContact(ctx context.Context, actor Actor, guestID string, in ContactInput) (Contact, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return Contact{}, err
	}
	c := Contact{ID: NewID("c"), GuestID: guestID, Source: ContactByStaff, Channel: in.Channel, Material: in.Material,
		Note: in.Note, By: actor.Name, At: s.Now().Truncate(time.Microsecond)} // as stored
	key := ""
	if c.Channel == ContactMaterial {
		key = MaterialKey(c.Material)
	}
	err := s.repo.Write(ctx, func(tx Tx) error {
		if err := tx.LockGuest(ctx, guestID); err != nil {
			return err
		}
		if key != "" {
			last, err := tx.LastMaterialContact(ctx, guestID, key, c.At.Add(-MaterialRepeatDays*24*time.Hour))
			if err != nil {
				return err
			}
			if last != nil && !in.Confirm {
				return s.alreadySent(last)
			}
			c.RepeatConfirmed = last != nil
		}
		if err := tx.InsertContact(ctx, c, key); err != nil {
			return err
		}
		detail := c.Channel
		if c.RepeatConfirmed {
			detail += " (repeat confirmed)"
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, guestID, ActionContactAdd, detail)); err != nil {
			return err
		}
		return s.keepAnswer(ctx, tx, guestID, c) // an Idempotency-Key's answer
	})
	if err != nil {
		return Contact{}, err
	}
	return c, nil
}

// alreadySent is the refusal of a repeated material, with the date in hotel time.
func (s *Service) alreadySent(last *Contact) error {
	return &Error{Code: ECONFLICT,
		Message: fmt.Sprintf("Already sent by %s on %s: send \"confirm\": true to log it anyway.", last.By, last.At.In(s.loc).Format(DateLayout)),
		Err:     &MaterialAlreadySent{SentBy: last.By, SentAt: last.At}}
}

// GuestContacts lists up to MaxContactsListed of the guest's contacts, newest first:
// those staff logged and the letters sent. ENOTFOUND for an unknown or erased guest; the
// read is audited (contacts.read).
func (s *Service) GuestContacts(ctx context.Context, actor Actor, guestID string) ([]Contact, error) {
	var out []Contact
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if _, err := tx.GuestByID(ctx, guestID); err != nil {
			return err
		}
		out, err = tx.GuestContacts(ctx, guestID, MaxContactsListed)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.recordRead(actor, guestID, ActionContactsRead)
	return listOrEmpty(out), nil
}

// applyKeepInTouch sets or stops the guest's rhythm as a patch sent it (nothing when it
// did not), with its audit entry.
func (s *Service) applyKeepInTouch(ctx context.Context, tx Tx, actor Actor, guestID string, raw json.RawMessage) error {
	sent, days, err := keepInTouchPatch(raw)
	if err != nil || !sent {
		return err
	}
	detail := "stopped"
	if days == nil {
		err = tx.DeleteKeepInTouch(ctx, guestID)
	} else {
		detail = fmt.Sprintf("every %d days", *days)
		err = tx.SaveKeepInTouch(ctx, guestID, KeepInTouch{EveryDays: *days, Since: s.Now(), By: actor.Name})
	}
	if err != nil {
		return err
	}
	return tx.AppendAudit(ctx, s.audit(actor, guestID, ActionKeepInTouch, detail))
}

// keepInTouchDays is the guest's rhythm in days; nil when none.
func keepInTouchDays(ctx context.Context, tx Tx, guestID string) (*int, error) {
	k, err := tx.KeepInTouchOf(ctx, guestID)
	if k == nil || err != nil {
		return nil, err
	}
	return &k.EveryDays, nil
}

// KeepInTouchDue lists the guests whose next contact is due today or earlier (hotel
// time): N days after the last contact of any channel, letters sent included, or after
// the rhythm was set when there was none. The longest due come first (then by guest
// ID); limit and offset page them, and the total counts them all. Each guest shown is
// audited (keep_in_touch.read).
func (s *Service) KeepInTouchDue(ctx context.Context, actor Actor, limit, offset int) ([]KeepInTouchDue, int, error) {
	today, err := time.Parse(DateLayout, s.Today())
	if err != nil {
		return nil, 0, err
	}
	var page []KeepInTouchDue
	total := 0
	err = s.repo.Read(ctx, func(tx Tx) error {
		rows, err := tx.KeepInTouchRows(ctx)
		if err != nil {
			return err
		}
		var due []KeepInTouchDue
		for _, r := range rows {
			d := s.dueOn(r)
			if !d.After(today) {
				due = append(due, KeepInTouchDue{GuestID: r.Guest.ID, Name: r.Guest.DisplayName(), EveryDays: r.Rhythm.EveryDays, Due: d.Format(DateLayout),
					DaysOverdue: int(today.Sub(d).Hours() / 24)})
			}
		}
		slices.SortFunc(due, func(a, b KeepInTouchDue) int {
			return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.GuestID, b.GuestID))
		})
		total = len(due)
		page = due[min(offset, total):min(offset+limit, total)]
		for i := range page {
			last, err := tx.GuestContacts(ctx, page[i].GuestID, 1)
			if err != nil {
				return err
			}
			if len(last) > 0 {
				page[i].LastContact = &last[0]
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	for _, d := range page {
		s.recordRead(actor, d.GuestID, ActionKeepInTouchRead)
	}
	return listOrEmpty(page), total, nil
}

// dueOn is the hotel date on which the row's next contact is due.
func (s *Service) dueOn(r KeepInTouchRow) time.Time {
	from := r.Rhythm.Since
	var last *time.Time
	for _, at := range []*time.Time{r.LastStaff, r.LastSent} {
		if at != nil && (last == nil || at.After(*last)) {
			last = at
		}
	}
	if last != nil {
		from = *last
	}
	y, m, d := from.In(s.loc).Date()
	return time.Date(y, m, d+r.Rhythm.EveryDays, 0, 0, 0, 0, time.UTC)
}

// exportContacts adds the guest's contact log (letters sent included) and keep-in-touch
// rhythm to an export's extra records.
func exportContacts(ctx context.Context, tx Tx, guestID string, extra map[string]any) error {
	contacts, err := tx.GuestContacts(ctx, guestID, maxExportedContacts)
	if err != nil {
		return err
	}
	rhythm, err := tx.KeepInTouchOf(ctx, guestID)
	extra["contacts"], extra["keep_in_touch"] = contacts, rhythm
	return err
}

// maxExportedContacts bounds an export's contacts: all of them, in practice.
const maxExportedContacts = 1_000_000
