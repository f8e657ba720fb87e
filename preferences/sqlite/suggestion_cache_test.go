package sqlite

import (
	"strconv"
	"testing"

	"regulars/preferences"
)

// The suggestion cache stays bounded when guests bring more ranking keys than it holds,
// keeps most of what it had, and always holds the key just ranked.
func TestSuggestionCacheStaysBounded(t *testing.T) {
	db := &DB{}
	at := func(rooms *roomList) *house {
		return newHouse(&house{version: 1, rooms: rooms, guests: newGuests(len(rooms.list))})
	}
	rooms := &roomList{list: []preferences.Room{{Number: "305", Floor: 3, Bed: "twin"}, {Number: "2101", Floor: 21, Bed: "king"}}}
	h := at(rooms)
	for i := range maxSuggestionSets * 2 {
		p := preferences.Preferences{Room: preferences.RoomPrefs{View: strconv.Itoa(i)}}
		db.bestRooms(h, p)
		c := &db.reads.suggest
		if _, ok := c.m[preferences.RankingKey(p)]; !ok || len(c.m) > maxSuggestionSets {
			t.Fatalf("after %d keys: %d sets, the last one kept: %v", i+1, len(c.m), ok)
		}
		if i >= maxSuggestionSets && len(c.m) < maxSuggestionSets*7/8 {
			t.Fatalf("after %d keys only %d sets kept", i+1, len(c.m))
		}
	}
	// Other rooms start afresh.
	db.bestRooms(at(&roomList{list: rooms.list}), preferences.Preferences{})
	if n := len(db.reads.suggest.m); n != 1 {
		t.Errorf("after the rooms changed: %d sets, want 1", n)
	}
}
