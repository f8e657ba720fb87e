package preferences

import (
	"context"
	"time"
)

// MaxSuggestedRooms is how many free rooms the recognition card suggests.
const MaxSuggestedRooms = 10

// Recognition builds the check-in card of a guest: greeting, last and current stay,
// today's arrival, preferences, open follow-ups, all notes, whether the birthday falls
// in the stay, and the free rooms that best meet the preferences. A staff member's read
// is audited (recognition.read).
func (s *Service) Recognition(ctx context.Context, actor Actor, guestID string) (Recognition, error) {
	var f CardFacts
	var stopped *MailSuppression
	today := s.Today()
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if f, err = tx.CardFacts(ctx, guestID, today); err != nil {
			return err
		}
		stopped, err = s.mailSuppression(ctx, tx, f.Guest.Email) // one primary-key read, beside the card's
		return err
	})
	if err != nil {
		return Recognition{}, err
	}
	r := Recognition{Guest: f.Guest, StaysCount: f.StaysCount, LastStay: s.counted(f.LastStay), InHouse: s.counted(f.InHouse),
		Arrival: f.Arrival, Preferences: f.Preferences, FollowUps: listOrEmpty(f.FollowUps), Notes: listOrEmpty(f.Notes)}
	r.MailSuppressed = stopped
	r.Returning = r.LastStay != nil // a stay completed; an open one alone is a first stay
	r.Greeting = Greeting(r.Guest, r.Returning)
	r.BirthdayDuringStay = s.birthdayInStay(r)
	r.SuggestedRooms = BestRooms(r.Preferences, f.FreeRooms, MaxSuggestedRooms)
	s.recordRead(actor, guestID, ActionRecognition)
	return r, nil
}

// counted is the stay with its nights counted in the hotel's zone; nil stays nil.
func (s *Service) counted(st *Stay) *Stay {
	if st != nil {
		st.Nights = StayNights(st.CheckIn, st.CheckOut, st.PlannedNights, s.loc)
	}
	return st
}

// birthdayInStay checks the current stay, else today's arrival, else tonight.
func (s *Service) birthdayInStay(r Recognition) bool {
	if r.Guest.Birthday == "" {
		return false
	}
	from, nights := s.clock.Now().In(s.loc), 1
	switch {
	case r.InHouse != nil:
		from, nights = r.InHouse.CheckIn.In(s.loc), r.InHouse.PlannedNights
	case r.Arrival != nil:
		if d, err := time.Parse(DateLayout, r.Arrival.ArrivalDate); err == nil {
			from, nights = d, r.Arrival.Nights
		}
	}
	return BirthdayDuringStay(r.Guest.Birthday, from, nights)
}
