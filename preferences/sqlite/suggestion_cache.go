package sqlite

import (
	"slices"
	"sync"

	"regulars/preferences"
)

// suggestionCache keeps the best free rooms per ranking key (preferences.RankingKey):
// guests share room preferences far more often than whole preferences (half have none),
// and ranking the free rooms was a tenth of a card's work. Each set is kept with the
// version of the open stays it was ranked for, and follows the rooms checked in and out
// since (house.recent) while they provably leave it right (stillBest); otherwise it is
// ranked again. Callers must not modify what they get.
type suggestionCache struct {
	mu    sync.Mutex
	rooms *roomList // the rooms every set was ranked in
	m     map[string]suggestionSet
}

// suggestionSet is preferences.BestRooms(p, free, MaxSuggestedRooms) for the free rooms
// of the open stays at version.
type suggestionSet struct {
	version uint64
	best    []preferences.SuggestedRoom
}

// maxSuggestionSets bounds the cache (about 2 KB a set, 8 MB in all). At a million
// guests the 4,096 most common ranking keys cover 96 % of them.
const maxSuggestionSets = 4096

// bestRooms returns preferences.BestRooms(p, h.free(), MaxSuggestedRooms) (or the same
// for newer open stays), ranking only when no cached set is known to be right.
func (db *DB) bestRooms(h *house, p preferences.Preferences) []preferences.SuggestedRoom {
	rank := preferences.RankingKey(p)
	c := &db.reads.suggest
	c.mu.Lock()
	if c.rooms != h.rooms || c.m == nil {
		c.rooms, c.m = h.rooms, map[string]suggestionSet{}
	}
	s, ok := c.m[rank]
	c.mu.Unlock()
	if ok && s.version >= h.version {
		return s.best // ranked for these open stays, or newer ones
	}
	if ok {
		if changes, known := h.changesSince(s.version); known && stillBest(p, h, s.best, changes) {
			c.store(h, rank, suggestionSet{h.version, s.best})
			return s.best
		}
	}
	best := preferences.BestRooms(p, h.free(), MaxSuggestedRooms)
	c.store(h, rank, suggestionSet{h.version, best})
	return best
}

// store keeps s for rank unless the rooms changed or a newer set is kept.
func (c *suggestionCache) store(h *house, rank string, s suggestionSet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rooms != h.rooms {
		return
	}
	if cur, ok := c.m[rank]; ok {
		if cur.version < s.version {
			c.m[rank] = s
		}
		return
	}
	c.evict()
	c.m[rank] = s
}

// stillBest reports whether best, the best rooms for p among the free rooms of the open
// stays before changes, are the best after them too. A check-in of a room not in best
// leaves them so (it ranked after them, or could not be suggested). A check-out leaves
// a full set so when the room freed ranks after its last room in BestRooms' order (a
// total order): then it ranks after all of them.
func stillBest(p preferences.Preferences, h *house, best []preferences.SuggestedRoom, changes []stayChange) bool {
	for _, ch := range changes {
		if ch.room < 0 {
			continue
		}
		r := &h.rooms.list[ch.room]
		if ch.guest != "" {
			if slices.ContainsFunc(best, func(s preferences.SuggestedRoom) bool { return s.Number == r.Number }) {
				return false
			}
			continue
		}
		if len(best) < MaxSuggestedRooms {
			return false
		}
		last, ok := h.rooms.index[best[len(best)-1].Number]
		if !ok {
			return false
		}
		if first := preferences.BestRooms(p, []preferences.Room{h.rooms.list[last], *r}, 1); first[0].Number != best[len(best)-1].Number {
			return false
		}
	}
	return true
}

// evict drops an eighth of a full cache, picked by Go's random map order, so that the
// common keys (asked for most often) are soon back and the cache never starts empty.
func (c *suggestionCache) evict() {
	if len(c.m) < maxSuggestionSets {
		return
	}
	for k := range c.m {
		delete(c.m, k)
		if len(c.m) <= maxSuggestionSets*7/8 {
			return
		}
	}
}
