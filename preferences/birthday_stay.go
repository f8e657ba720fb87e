package preferences

import "time"

// BirthdayDuringStay reports whether the guest's birthday (YYYY-MM-DD) falls on a day of
// a stay arriving on the calendar date of arrival for nights nights, the departure day
// included. A 29 February birthday is celebrated on 28 February in other years.
func BirthdayDuringStay(birthday string, arrival time.Time, nights int) bool {
	b, err := time.Parse(DateLayout, birthday)
	if err != nil {
		return false
	}
	if nights < 0 {
		nights = 0
	}
	start := time.Date(arrival.Year(), arrival.Month(), arrival.Day(), 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 0, nights)
	for y := start.Year(); y <= end.Year(); y++ {
		d := CelebratedOn(b, y)
		if !d.Before(start) && !d.After(end) {
			return true
		}
	}
	return false
}

// CelebratedOn returns the date (UTC midnight) on which a birthday is celebrated in year:
// 29 February becomes 28 February in years that are not leap years.
func CelebratedOn(birthday time.Time, year int) time.Time {
	m, d := birthday.Month(), birthday.Day()
	if m == time.February && d == 29 && !isLeap(year) {
		d = 28
	}
	return time.Date(year, m, d, 0, 0, 0, 0, time.UTC)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
