package preferences

import "time"

// StayNights returns the nights a stay reports. An open stay (checkOut nil) reports the
// planned nights. A closed stay reports the nights actually stayed: the number of hotel
// calendar dates (in loc) from the check-in date to the check-out date, so leaving on
// the day of arrival is 0 nights (a day use) and leaving early after 2 of 7 planned
// nights is 2, whatever the hour of arrival or departure.
func StayNights(checkIn time.Time, checkOut *time.Time, planned int, loc *time.Location) int {
	if checkOut == nil {
		return planned
	}
	n := int(hotelDate(*checkOut, loc).Sub(hotelDate(checkIn, loc)).Hours() / 24)
	if n < 0 { // a clock set back between check-in and check-out
		return 0
	}
	return n
}

// hotelDate returns t's calendar date in loc as UTC midnight, so that dates subtract
// in whole days across daylight-saving changes.
func hotelDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
