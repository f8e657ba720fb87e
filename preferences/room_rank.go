package preferences

import (
	"fmt"
	"sort"
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
func RankRooms(p Preferences, free []Room) []SuggestedRoom {
	nonSmoker := !p.Room.Smoking && hasRoomPrefs(p.Room)
	needs := allergyNeeds(p.Allergies)
	type ranked struct {
		SuggestedRoom
		features int
	}
	out := make([]ranked, 0, len(free))
	for _, r := range free {
		if r.Occupied || (nonSmoker && r.Smoking) {
			continue
		}
		s := SuggestedRoom{Number: r.Number, Floor: r.Floor, View: r.View, Bed: r.Bed, Reasons: []string{}}
		add := func(points int, reason string) {
			s.Score += points
			if reason != "" {
				s.Reasons = append(s.Reasons, reason)
			}
		}
		if min := p.Room.MinFloor; min > 0 {
			if r.Floor >= min {
				add(scoreFloor, fmt.Sprintf("floor %d ≥ %d", r.Floor, min))
			} else {
				add(r.Floor-min, "")
			}
		}
		if p.Room.View != "" && r.View == p.Room.View {
			add(scoreView, r.View+" view")
		}
		if p.Room.Bed != "" && r.Bed == p.Room.Bed {
			add(scoreBed, r.Bed+" bed")
		}
		if p.Room.Quiet && r.Quiet {
			add(scoreQuiet, "quiet")
		}
		for _, f := range p.Room.Features {
			if oneOf(f, r.Features) {
				add(scoreFeature, f)
			}
		}
		switch {
		case p.Room.Smoking && r.Smoking:
			add(scoreSmoking, "smoking room")
		case !p.Room.Smoking && r.Smoking:
			add(scoreSmokingRoom, "")
		}
		for _, n := range needs {
			if oneOf(n.feature, r.Features) && !oneOf(n.feature, p.Room.Features) {
				add(scoreAllergy, n.feature+" ("+n.allergen+" allergy)")
			}
		}
		out = append(out, ranked{s, len(r.Features)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Score != b.Score:
			return a.Score > b.Score
		case a.features != b.features:
			return a.features > b.features
		case a.Floor != b.Floor:
			return a.Floor > b.Floor
		}
		return a.Number < b.Number
	})
	res := make([]SuggestedRoom, len(out))
	for i := range out {
		res[i] = out[i].SuggestedRoom
	}
	return res
}

type allergyNeed struct{ allergen, feature string }

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
				out = append(out, allergyNeed{allergen: a.Allergen, feature: m.feature})
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
