package frontdesk_test

import (
	"strings"
	"testing"

	"regulars/internal/testkit"
	"regulars/preferences"
)

// The hotel's own list of problems before Regulars, each as a test. (The outreach ones
// — the same material sent twice — are in package scheduler.)

// TestAllergyIsNeverIgnored: told once, the detergent allergy reaches housekeeping on
// every stay, whoever is at the desk, without anyone repeating it.
func TestAllergyIsNeverIgnored(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := str(t, f.createDing(t), "id")
	f.expect(t, 200, "PATCH", "/api/guests/"+id+"/preferences", f.desk, M{
		"allergies":    []M{{"allergen": "laundry detergent", "severity": "moderate", "instructions": "wash clothes with soap only"}},
		"housekeeping": M{"laundry": "soap only, no detergent"},
	})
	otherClerk := testkit.Token(t, f.app, preferences.RoleFrontDesk)
	for visit, room := range []string{"2102", "1201", "2305"} {
		stay := f.expect(t, 201, "POST", "/api/stays", otherClerk, M{"guest_id": id, "room": room, "nights": 2}).Map(t)
		board := f.expect(t, 200, "GET", "/api/housekeeping", f.housekeeper, nil)
		var found bool
		for _, r := range list(t, board, "rooms") {
			if r["room"] != room {
				continue
			}
			found = strings.Contains(string(board.Body), "laundry detergent") && r["laundry"] == "soap only, no detergent" &&
				strings.Contains(string(board.Body), "wash clothes with soap only")
		}
		if !found {
			t.Fatalf("visit %d: the board does not show the allergy for room %s: %s", visit+1, room, board.Body)
		}
		f.expect(t, 200, "POST", "/api/stays/"+str(t, stay, "id")+"/checkout", otherClerk, M{})
	}
}

// TestKnowledgeStaysWithTheHotel: what one clerk learned is on the card for the next
// clerk, and the history says who learned it and when.
func TestKnowledgeStaysWithTheHotel(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := str(t, f.createDing(t), "id")
	leaving, err := f.app.Store.CreateToken(t.Context(), preferences.RoleFrontDesk, "Xiao Zhang (left in March)")
	if err != nil {
		t.Fatal(err)
	}
	f.expect(t, 200, "PATCH", "/api/guests/"+id+"/preferences", leaving, M{
		"dining": M{"breakfast": "in room: nutritious fruit platter"}, "notes": "prefers to be called 丁总"})
	f.expect(t, 201, "POST", "/api/guests/"+id+"/notes", leaving, M{"department": "kitchen", "text": "less sugar in pastries"})

	newcomer := testkit.Token(t, f.app, preferences.RoleFrontDesk)
	card := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", newcomer, nil)
	for _, want := range []string{"nutritious fruit platter", "prefers to be called 丁总", "less sugar in pastries"} {
		if !strings.Contains(string(card.Body), want) {
			t.Errorf("the card lacks %q: %s", want, card.Body)
		}
	}
	history := list(t, f.expect(t, 200, "GET", "/api/guests/"+id+"/preferences/history", newcomer, nil), "changes")
	if len(history) != 2 || history[0]["actor"] != "Xiao Zhang (left in March)" || history[0]["at"] == "" {
		t.Fatalf("history = %v", history)
	}
}
