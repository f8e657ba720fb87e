package preferences

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Scores of RankRooms. A met preference adds its weight; a missed minimum floor costs
// a point per floor below it; a smoking room for a guest who does not smoke sinks
// below every other room.
const (
	scoreFloor       = 30
	scoreView        = 25
	scoreBed         = 20
	scoreQuiet       = 10
	scoreFeature     = 10
	scoreSmoking     = 20
	scoreAllergy     = 15
	scoreSmokingRoom = -100
)

// allergyFeatures maps words in an allergen to the room feature that addresses it.
var allergyFeatures = []struct {
	words   []string
	feature string
}{
	{[]string{"feather", "down", "dust", "mite", "pollen", "羽", "尘", "螨", "花粉"}, "hypoallergenic"},
}

// RankRooms orders free rooms by how well they meet p, best first, each with the reasons
// a clerk can read out. A guest who has stated room preferences without smoking never
// gets a smoking room; with no room preferences at all smoking rooms come last. Rooms
// whose features address one of the guest's allergies rank higher. Ties are broken by
// more features, then higher floor, then room number, so the order is deterministic.
func RankRooms(p Preferences, free []Room) []SuggestedRoom { return BestRooms(p, free, len(free)) }

// BestRooms returns the first n rooms of RankRooms' order. It sorts small index
// entries rather than the suggestions, and builds suggestions only for the n returned.
func BestRooms(p Preferences, free []Room, n int) []SuggestedRoom {
	w := wishesOf(p)
	type ranked struct {
		room            int // index in free
		score, features int
	}
	candidates := func(yield func(ranked)) {
		for i := range free {
			r := &free[i]
			if r.Occupied || (w.nonSmoker && r.Smoking) {
				continue
			}
			score, _ := w.score(r, false)
			yield(ranked{i, score, len(r.Features)})
		}
	}
	order := func(a, b ranked) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.features, a.features); c != 0 {
			return c
		}
		ra, rb := &free[a.room], &free[b.room]
		if c := cmp.Compare(rb.Floor, ra.Floor); c != 0 {
			return c
		}
		return strings.Compare(ra.Number, rb.Number)
	}
	var out []ranked
	if n >= len(free) {
		out = make([]ranked, 0, len(free))
		candidates(func(r ranked) { out = append(out, r) })
		slices.SortFunc(out, order)
	} else {
		// Only the n best are kept as the rooms go by: the card's 10 of hundreds, without
		// an index of every free room for each card.
		top := bestOf[ranked]{n: n, order: order, items: make([]ranked, 0, n+1)}
		candidates(top.add)
		out = top.items
	}
	res := make([]SuggestedRoom, min(n, len(out)))
	for i := range res {
		r := &free[out[i].room]
		_, reasons := w.score(r, true)
		res[i] = SuggestedRoom{Number: r.Number, Floor: r.Floor, View: r.View, Bed: r.Bed, Score: out[i].score, Reasons: reasons}
	}
	return res
}

// bestOf keeps the n first items in order (a total order) of those added, sorted.
type bestOf[T any] struct {
	n     int
	order func(a, b T) int
	items []T
}

func (b *bestOf[T]) add(x T) {
	if b.n <= 0 || (len(b.items) == b.n && b.order(x, b.items[b.n-1]) >= 0) {
		return
	}
	i, _ := slices.BinarySearchFunc(b.items, x, b.order)
	b.items = slices.Insert(b.items, i, x)
	if len(b.items) > b.n {
		b.items = b.items[:b.n]
	}
}

// RankingKey returns the parts of p that BestRooms reads (the room preferences and the
// allergens), so that two guests with equal keys get the same rooms in the same order
// with the same reasons: a cache of suggestions can be shared by guests who differ only
// in dining, housekeeping or notes.
func RankingKey(p Preferences) string {
	r := p.Room
	b := make([]byte, 0, 64)
	b = strconv.AppendInt(b, int64(r.MinFloor), 10)
	b = strconv.AppendQuote(b, r.View)
	b = strconv.AppendQuote(b, r.Bed)
	b = strconv.AppendBool(b, r.Quiet)
	b = strconv.AppendBool(b, r.Smoking)
	b = append(b, '[')
	for _, f := range r.Features {
		b = strconv.AppendQuote(b, f)
	}
	b = append(b, "]["...)
	for _, a := range p.Allergies {
		b = strconv.AppendQuote(b, a.Allergen)
	}
	return string(append(b, ']'))
}

// wishes is a guest's preferences prepared for scoring many rooms.
type wishes struct {
	room                  RoomPrefs
	nonSmoker             bool
	viewReason, bedReason string
	needs                 []allergyNeed
}

func wishesOf(p Preferences) wishes {
	return wishes{room: p.Room, nonSmoker: !p.Room.Smoking && hasRoomPrefs(p.Room),
		viewReason: p.Room.View + " view", bedReason: p.Room.Bed + " bed", needs: allergyNeeds(p.Allergies)}
}

// score returns how well r meets the wishes and, with why, the reasons (never nil);
// ranking many rooms builds reasons only for those returned.
func (w *wishes) score(r *Room, why bool) (int, []string) {
	score, reasons := 0, []string(nil)
	if why {
		reasons = []string{}
	}
	meets := func(points int, reason string) {
		score += points
		if why {
			reasons = append(reasons, reason)
		}
	}
	if min := w.room.MinFloor; min > 0 {
		if r.Floor < min {
			score += r.Floor - min
		} else {
			score += scoreFloor
			if why { // this reason is built, so only when wanted
				reasons = append(reasons, "floor "+strconv.Itoa(r.Floor)+" ≥ "+strconv.Itoa(min))
			}
		}
	}
	if w.room.View != "" && r.View == w.room.View {
		meets(scoreView, w.viewReason)
	}
	if w.room.Bed != "" && r.Bed == w.room.Bed {
		meets(scoreBed, w.bedReason)
	}
	if w.room.Quiet && r.Quiet {
		meets(scoreQuiet, "quiet")
	}
	for _, f := range w.room.Features {
		if slices.Contains(r.Features, f) {
			meets(scoreFeature, f)
		}
	}
	switch {
	case w.room.Smoking && r.Smoking:
		meets(scoreSmoking, "smoking room")
	case r.Smoking:
		score += scoreSmokingRoom
	}
	for _, n := range w.needs {
		if slices.Contains(r.Features, n.feature) && !slices.Contains(w.room.Features, n.feature) {
			meets(scoreAllergy, n.reason)
		}
	}
	return score, reasons
}

type allergyNeed struct{ feature, reason string }

// allergyNeeds lists the room features that address the guest's allergies, once each.
func allergyNeeds(allergies []Allergy) []allergyNeed {
	var out []allergyNeed
	for _, a := range allergies {
		name := strings.ToLower(a.Allergen)
		for _, m := range allergyFeatures {
			if !containsAny(name, m.words) {
				continue
			}
			dup := false
			for _, n := range out {
				dup = dup || n.feature == m.feature
			}
			if !dup {
				out = append(out, allergyNeed{feature: m.feature, reason: m.feature + " (" + a.Allergen + " allergy)"})
			}
		}
	}
	return out
}

func hasRoomPrefs(r RoomPrefs) bool {
	return r.MinFloor > 0 || r.View != "" || r.Bed != "" || r.Quiet || r.Smoking || len(r.Features) > 0
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
