package preferences_test

import (
	"fmt"
	"reflect"
	"testing"

	"regulars/preferences"
)

func testRooms() []preferences.Room {
	return []preferences.Room{
		{Number: "305", Floor: 3, View: "garden", Bed: "king", Quiet: true, Features: []string{"hypoallergenic"}},
		{Number: "306", Floor: 3, View: "garden", Bed: "queen", Smoking: true},
		{Number: "2101", Floor: 21, View: "river", Bed: "king", Features: []string{"internet", "bathtub"}},
		{Number: "2102", Floor: 21, View: "river", Bed: "king", Quiet: true, Features: []string{"internet"}},
		{Number: "2103", Floor: 21, View: "city", Bed: "twin", Features: []string{"internet"}},
		{Number: "1201", Floor: 12, View: "river", Bed: "king", Features: []string{"internet"}},
		{Number: "2201", Floor: 22, View: "river", Bed: "king", Features: []string{"internet"}, Occupied: true},
	}
}

func numbers(s []preferences.SuggestedRoom) []string {
	out := make([]string, len(s))
	for i, r := range s {
		out[i] = r.Number
	}
	return out
}

func TestRankRoomsDing(t *testing.T) {
	p := preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Quiet: true, Features: []string{"internet"}}}
	got := preferences.RankRooms(p, testRooms())
	if got[0].Number != "2102" {
		t.Fatalf("first = %s, want 2102 (all of floor, river, king, quiet, internet); order %v", got[0].Number, numbers(got))
	}
	want := []string{"floor 21 ≥ 20", "river view", "king bed", "quiet", "internet"}
	if !reflect.DeepEqual(got[0].Reasons, want) {
		t.Errorf("reasons = %q, want %q", got[0].Reasons, want)
	}
	for _, r := range got {
		if r.Number == "2201" {
			t.Error("an occupied room was suggested")
		}
		if r.Number == "306" {
			t.Error("a smoking room was suggested to a guest with non-smoking room preferences")
		}
	}
	if got[1].Number != "2101" {
		t.Errorf("second = %s, want 2101; order %v", got[1].Number, numbers(got))
	}
}

func TestRankRoomsAllergyRanksUp(t *testing.T) {
	p := preferences.Preferences{Allergies: []preferences.Allergy{{Allergen: "Feathers", Severity: "severe"}}}
	got := preferences.RankRooms(p, testRooms())
	if got[0].Number != "305" {
		t.Fatalf("first = %s, want the hypoallergenic 305; order %v", got[0].Number, numbers(got))
	}
	if want := []string{"hypoallergenic (Feathers allergy)"}; !reflect.DeepEqual(got[0].Reasons, want) {
		t.Errorf("reasons = %q, want %q", got[0].Reasons, want)
	}
}

func TestRankRoomsNoPreferences(t *testing.T) {
	got := preferences.RankRooms(preferences.Preferences{}, testRooms())
	want := []string{"2101", "2102", "2103", "1201", "305", "306"}
	if !reflect.DeepEqual(numbers(got), want) {
		t.Errorf("order = %v, want %v (more features, higher floor, smoking last)", numbers(got), want)
	}
	for _, r := range got {
		if len(r.Reasons) != 0 {
			t.Errorf("%s has reasons %q without preferences", r.Number, r.Reasons)
		}
	}
	again := preferences.RankRooms(preferences.Preferences{}, testRooms())
	if !reflect.DeepEqual(got, again) {
		t.Error("ranking is not deterministic")
	}
}

func TestRankRoomsSmoker(t *testing.T) {
	p := preferences.Preferences{Room: preferences.RoomPrefs{Smoking: true}}
	got := preferences.RankRooms(p, testRooms())
	if got[0].Number != "306" || got[0].Reasons[0] != "smoking room" {
		t.Errorf("first = %+v, want 306 with reason smoking room", got[0])
	}
}

func TestRankRoomsBelowMinFloor(t *testing.T) {
	p := preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 30}}
	got := preferences.RankRooms(p, testRooms())
	if got[0].Floor != 21 || got[len(got)-1].Floor != 3 {
		t.Errorf("order %v: closest floors to the minimum should come first", numbers(got))
	}
}

func BenchmarkRankRooms(b *testing.B) {
	for _, n := range []int{60, 600} {
		rooms := make([]preferences.Room, n)
		views := []string{"river", "city", "park", "garden"}
		beds := []string{"king", "twin", "queen"}
		for i := range rooms {
			rooms[i] = preferences.Room{Number: fmt.Sprintf("%d%02d", i/20+1, i%20), Floor: i/20 + 1, View: views[i%4],
				Bed: beds[i%3], Quiet: i%5 == 0, Smoking: i%17 == 0, Features: []string{"internet", "bathtub", "hypoallergenic"}[:i%4]}
		}
		p := preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Quiet: true, Features: []string{"internet"}},
			Allergies: []preferences.Allergy{{Allergen: "dust mites", Severity: "mild"}}}
		b.Run(fmt.Sprintf("rooms=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				preferences.RankRooms(p, rooms)
			}
		})
		b.Run(fmt.Sprintf("best10/rooms=%d", n), func(b *testing.B) { // as the recognition card does
			b.ReportAllocs()
			for b.Loop() {
				preferences.BestRooms(p, rooms, 10)
			}
		})
	}
}

// BestRooms keeps only n rooms while ranking; it must give exactly RankRooms' first n.
func TestBestRoomsIsRankRoomsPrefix(t *testing.T) {
	rooms := make([]preferences.Room, 300)
	views := []string{"river", "city", "park"}
	for i := range rooms {
		rooms[i] = preferences.Room{Number: fmt.Sprintf("%d%02d", i/20+1, i%20), Floor: i/20 + 1, View: views[i%3],
			Bed: []string{"king", "twin"}[i%2], Quiet: i%4 == 0, Smoking: i%11 == 0, Features: []string{"internet", "bathtub"}[:i%3]}
	}
	for _, p := range []preferences.Preferences{{}, {Room: preferences.RoomPrefs{Bed: "twin"}},
		{Room: preferences.RoomPrefs{MinFloor: 12, View: "river", Quiet: true, Features: []string{"bathtub"}}}} {
		all := preferences.RankRooms(p, rooms)
		for _, n := range []int{0, 1, 10, 299, 300, 400} {
			if got, want := preferences.BestRooms(p, rooms, n), all[:min(n, len(all))]; !reflect.DeepEqual(got, want) {
				t.Errorf("BestRooms(%+v, %d) = %v, want %v", p.Room, n, got, want)
			}
		}
	}
}

// Guests whose preferences differ only outside RankingKey get the same suggestions, and
// every input of the ranking changes the key.
func TestRankingKeyHoldsWhatRankingReads(t *testing.T) {
	base := preferences.Preferences{
		Room:      preferences.RoomPrefs{MinFloor: 3, View: "garden", Bed: "king", Quiet: true, Features: []string{"internet"}},
		Allergies: []preferences.Allergy{{Allergen: "feathers", Severity: "severe", Instructions: "foam pillows"}},
	}
	other := base
	other.Dining = preferences.DiningPrefs{Breakfast: "congee", Dietary: []string{"halal"}}
	other.Housekeeping = preferences.HousekeepingPrefs{Laundry: "no starch"}
	other.Notes = "VIP"
	other.Allergies = []preferences.Allergy{{Allergen: "feathers", Severity: "mild", Instructions: "none"}}
	if preferences.RankingKey(base) != preferences.RankingKey(other) {
		t.Fatalf("keys differ: %s / %s", preferences.RankingKey(base), preferences.RankingKey(other))
	}
	if a, b := preferences.RankRooms(base, testRooms()), preferences.RankRooms(other, testRooms()); !reflect.DeepEqual(a, b) {
		t.Errorf("equal keys, different rankings:\n%v\n%v", a, b)
	}
	changes := map[string]func(p *preferences.Preferences){
		"min_floor": func(p *preferences.Preferences) { p.Room.MinFloor = 4 },
		"view":      func(p *preferences.Preferences) { p.Room.View = "river" },
		"bed":       func(p *preferences.Preferences) { p.Room.Bed = "" },
		"quiet":     func(p *preferences.Preferences) { p.Room.Quiet = false },
		"smoking":   func(p *preferences.Preferences) { p.Room.Smoking = true },
		"features":  func(p *preferences.Preferences) { p.Room.Features = []string{"internet", "bathtub"} },
		"allergen":  func(p *preferences.Preferences) { p.Allergies = []preferences.Allergy{{Allergen: "dust"}} },
		// Quoting keeps field boundaries: "a" + "b" is not "ab" + "".
		"boundary": func(p *preferences.Preferences) { p.Room.View, p.Room.Bed = "gardenking", "" },
	}
	for name, change := range changes {
		p := base
		change(&p)
		if preferences.RankingKey(p) == preferences.RankingKey(base) {
			t.Errorf("%s: the key did not change", name)
		}
	}
}
