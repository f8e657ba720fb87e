package preferences

import (
	"context"
	"time"
)

// MaxSuggestedRooms is how many free rooms the recognition card suggests.
const MaxSuggestedRooms = 10

// Recognition builds the check-in card of a guest at the actor's property: greeting,
// last stay anywhere in the group and current stay, today's arrival here, preferences,
// open follow-ups from every property, all notes, whether the birthday falls in the
// stay, whether this is the first stay here, and the property's free rooms that best
// meet the preferences. A staff member's read is audited (recognition.read).
func (s *Service) Recognition(ctx context.Context, actor Actor, guestID string) (Recognition, error) {
	var f CardFacts
	var p Property
	var contacts []Contact
	var stopped *MailSuppression
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if p, err = s.propertyOf(ctx, tx, actor); err != nil {
			return err
		}
		if f, err = tx.CardFacts(ctx, guestID, p.ID, s.today(p)); err != nil {
			return err
		}
		if stopped, err = s.mailSuppression(ctx, tx, f.Guest.Email); err != nil { // one primary-key read, beside the card's
			return err
		}
		contacts, err = tx.GuestContacts(ctx, guestID, LastContactsShown)
		return err
	})
	if err != nil {
		return Recognition{}, err
	}
	r := Recognition{Guest: f.Guest, StaysCount: f.StaysCount, LastStay: s.counted(f.LastStay), InHouse: s.counted(f.InHouse),
		Arrival: f.Arrival, Preferences: f.Preferences, FollowUps: listOrEmpty(f.FollowUps), Notes: listOrEmpty(f.Notes)}
	r.Returning = r.LastStay != nil // a stay completed in the group; an open one alone is a first stay
	r.FirstStayHere = f.StaysHere == 0
	r.Property = p.Code
	r.MailSuppressed = stopped
	r.Greeting = Greeting(r.Guest, r.Returning)
	r.BirthdayDuringStay = s.birthdayInStay(r, s.zone(p.TimeZone))
	r.SuggestedRooms = BestRooms(r.Preferences, f.FreeRooms, MaxSuggestedRooms)
	r.LastContacts = listOrEmpty(contacts)
	s.recordRead(actor, guestID, ActionRecognition)
	return r, nil
}

// counted is the stay with its nights counted in its property's zone; nil stays nil.
func (s *Service) counted(st *Stay) *Stay {
	if st != nil {
		*st = s.withNights(*st)
	}
	return st
}

// birthdayInStay checks the current stay, else today's arrival, else tonight, in the
// card's property's zone loc.
func (s *Service) birthdayInStay(r Recognition, loc *time.Location) bool {
	if r.Guest.Birthday == "" {
		return false
	}
	from, nights := s.clock.Now().In(loc), 1
	switch {
	case r.InHouse != nil:
		from, nights = r.InHouse.CheckIn.In(s.zone(r.InHouse.PropertyZone)), r.InHouse.PlannedNights
	case r.Arrival != nil:
		if d, err := time.Parse(DateLayout, r.Arrival.ArrivalDate); err == nil {
			from, nights = d, r.Arrival.Nights
		}
	}
	return BirthdayDuringStay(r.Guest.Birthday, from, nights)
}
