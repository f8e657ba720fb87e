package sqlite

import (
	"context"
	"time"

	"regulars/preferences"
)

// MaxSuggestedRooms is how many free rooms the recognition card suggests.
const MaxSuggestedRooms = 10

// Recognition builds the check-in card: greeting, last and current stay, today's
// arrival, preferences, open follow-ups, all notes, whether the birthday falls in the
// stay, and the free rooms that best meet the preferences.
func (db *DB) Recognition(ctx context.Context, guestID string) (preferences.Recognition, error) {
	var r preferences.Recognition
	var err error
	if r.Guest, r.Preferences, err = db.guestAndPreferences(ctx, guestID); err != nil {
		return r, err
	}
	stays, err := db.stays(ctx, db.read, `s.guest_id = ? ORDER BY s.check_in DESC, s.id`, guestID)
	if err != nil {
		return r, err
	}
	r.StaysCount = len(stays)
	for i := range stays {
		switch s := &stays[i]; {
		case s.CheckOut == nil && r.InHouse == nil:
			r.InHouse = s
		case s.CheckOut != nil && r.LastStay == nil:
			r.LastStay = s
		}
	}
	r.Returning = r.LastStay != nil
	if a, err := db.guestArrivalToday(ctx, guestID); err == nil {
		r.Arrival = &a
	} else if preferences.ErrorCode(err) != preferences.ENOTFOUND {
		return r, err
	}
	if r.FollowUps, err = db.openFollowUps(ctx, db.read, guestID); err != nil {
		return r, err
	}
	if r.Notes, err = db.GuestNotes(ctx, guestID); err != nil {
		return r, err
	}
	r.BirthdayDuringStay = r.Guest.Birthday != "" && db.birthdayInStay(r)
	free, err := db.cachedFreeRooms(ctx)
	if err != nil {
		return r, err
	}
	r.SuggestedRooms = preferences.BestRooms(r.Preferences, free, MaxSuggestedRooms)
	r.Greeting = preferences.Greeting(r.Guest, r.Returning)
	return r, nil
}

// birthdayInStay checks the current stay, else today's arrival, else tonight.
func (db *DB) birthdayInStay(r preferences.Recognition) bool {
	from, nights := db.now().In(db.loc), 1
	switch {
	case r.InHouse != nil:
		from, nights = r.InHouse.CheckIn.In(db.loc), r.InHouse.PlannedNights
	case r.Arrival != nil:
		if d, err := time.Parse(preferences.DateLayout, r.Arrival.ArrivalDate); err == nil {
			from, nights = d, r.Arrival.Nights
		}
	}
	return preferences.BirthdayDuringStay(r.Guest.Birthday, from, nights)
}
