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
// stay, and the free rooms that best meet the preferences (shared with other cards:
// callers must not modify SuggestedRooms).
func (db *DB) Recognition(ctx context.Context, guestID string) (preferences.Recognition, error) {
	var r preferences.Recognition
	if err := db.gate.enter(ctx); err != nil {
		return r, err
	}
	defer db.gate.leave()
	rooms := db.reads.roomsGen.Load() // before the open stays' version
	c, err := db.card(ctx, guestID)
	if err != nil {
		return r, err
	}
	r.Guest, r.StaysCount = c.guest, c.staysCount
	if r.Preferences, err = decodePreferences(c.prefs); err != nil {
		return r, err
	}
	h, err := db.cachedHouse(ctx, rooms, c.openStaysVersion)
	if err != nil {
		return r, err
	}
	r.LastStay = c.last.stay(guestID, h.rooms, db.loc)
	if c.inHouse.Valid {
		s, err := db.stay(ctx, db.read, c.inHouse.String)
		if err != nil {
			return r, err
		}
		if s.CheckOut == nil { // not checked out since the card's row was read
			r.InHouse = &s
		}
	}
	r.Returning = r.LastStay != nil
	if c.arrival { // an expected arrival of some date: is it today?
		if a, err := db.guestArrivalToday(ctx, db.read, guestID); err == nil {
			r.Arrival = &a
		} else if preferences.ErrorCode(err) != preferences.ENOTFOUND {
			return r, err
		}
	}
	r.FollowUps, r.Notes = []preferences.FollowUp{}, []preferences.Note{}
	if c.followUps {
		if r.FollowUps, err = db.openFollowUps(ctx, db.read, guestID); err != nil {
			return r, err
		}
	}
	if c.notes {
		if r.Notes, err = db.GuestNotes(ctx, guestID); err != nil {
			return r, err
		}
	}
	r.BirthdayDuringStay = r.Guest.Birthday != "" && db.birthdayInStay(r)
	r.SuggestedRooms = db.bestRooms(h, r.Preferences)
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
