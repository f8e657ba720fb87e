package sqlite

import "regulars/preferences"

// Helpers for bulk loaders (the benchmark data generator) that write rows directly and
// must derive the same columns the store methods would.

// NewID returns a new opaque identifier with the kind prefix ("g", "s", …).
func NewID(prefix string) string { return newID(prefix) }

// SearchText returns the guests.search_text value the store keeps for g.
func SearchText(g preferences.Guest) string { return searchText(g) }

// MonthDay returns the guests.birthday_md value for a YYYY-MM-DD birthday.
func MonthDay(birthday string) string { return monthDay(birthday) }
