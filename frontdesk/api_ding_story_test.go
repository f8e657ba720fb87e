package frontdesk_test

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDingStory is the product story through the real API: a first stay with
// preferences and a complaint, its resolution with a follow-up, and the second visit:
// recognition, check-in, the housekeeping board, check-out with the follow-up, done.
func TestDingStory(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := str(t, f.createDing(t), "id")
	f.expect(t, 200, "PUT", "/api/guests/"+id+"/preferences", f.desk, M{
		"room":         M{"min_floor": 20, "view": "river", "bed": "king", "quiet": true, "smoking": false, "features": []string{"internet"}},
		"dining":       M{"breakfast": "in room: nutritious fruit platter", "dietary": []string{}},
		"allergies":    []M{{"allergen": "laundry detergent", "severity": "moderate", "instructions": "wash clothes with soap only"}},
		"housekeeping": M{"laundry": "soap only, no detergent", "amenities": []string{"extra pillow"}},
		"notes":        "",
	})

	// First stay: a week in 2102, a complaint about the pastry, check-out 7 nights later.
	defer f.shiftClock(0)
	f.shiftClock(-7 * 24 * time.Hour)
	first := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2102", "nights": 7}).Map(t)
	complaint := f.expect(t, 201, "POST", "/api/guests/"+id+"/feedback", f.desk,
		M{"kind": "complaint", "text": "The pastry at breakfast was far too sweet.", "stay_id": first["id"]}).Map(t)
	if complaint["status"] != "open" {
		t.Fatalf("complaint = %v", complaint)
	}
	f.shiftClock(0)
	out := f.expect(t, 200, "POST", "/api/stays/"+str(t, first, "id")+"/checkout", f.desk, M{"spend": "18650.00"}).Map(t)
	if out["spend"] != "18650.00" || out["check_out"] == nil {
		t.Fatalf("first check-out = %v", out)
	}
	open := list(t, f.expect(t, 200, "GET", "/api/feedback?status=open", f.manager, nil), "feedback")
	if len(open) != 1 || open[0]["id"] != complaint["id"] || open[0]["age_days"] == nil {
		t.Fatalf("open complaints = %v", open)
	}

	// The kitchen changes the recipe; the manager resolves with a follow-up.
	const followUp = "Hand him a box of the new, less sweet pastry at check-out."
	resolved := f.expect(t, 200, "POST", "/api/feedback/"+str(t, complaint, "id")+"/resolve", f.manager,
		M{"resolution": "The kitchen changed the recipe.", "follow_up": followUp}).Map(t)
	if resolved["status"] != "resolved" {
		t.Fatalf("resolved = %v", resolved)
	}
	if open = list(t, f.expect(t, 200, "GET", "/api/feedback?status=open", f.manager, nil), "feedback"); len(open) != 0 {
		t.Fatalf("still open: %v", open)
	}

	// Second visit: expected today from the PMS.
	f.expect(t, 201, "POST", "/api/arrivals", f.desk, M{"guest_id": id, "arrival_date": f.today(), "nights": 7, "reference": "PMS-1001"})
	arrivals := list(t, f.expect(t, 200, "GET", "/api/arrivals?date="+f.today(), f.desk, nil), "arrivals")
	if len(arrivals) != 1 || arrivals[0]["returning"] != true || arrivals[0]["has_allergies"] != true ||
		arrivals[0]["open_follow_ups"] != 1.0 || arrivals[0]["stays_count"] != 1.0 {
		t.Fatalf("arrivals = %v", arrivals)
	}

	// The clerk types his resident ID number; the card recognises him.
	found := f.expect(t, 200, "POST", "/api/guests/lookup", f.desk, M{"document_type": "cn_resident_id", "document_number": dingID}).Map(t)
	if found["id"] != id {
		t.Fatalf("lookup = %v", found)
	}
	card := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", f.desk, nil).Map(t)
	if card["greeting"] != "丁总,欢迎您再次入住!" || card["returning"] != true || card["stays_count"] != 1.0 {
		t.Errorf("greeting/returning/stays = %v / %v / %v", card["greeting"], card["returning"], card["stays_count"])
	}
	if last, _ := card["last_stay"].(M); last == nil || last["room"] != "2102" || last["nights"] != 7.0 {
		t.Errorf("last stay = %v", card["last_stay"])
	}
	prefs := card["preferences"].(M)
	room := prefs["room"].(M)
	if room["min_floor"] != 20.0 || room["view"] != "river" || room["bed"] != "king" || !slices.Contains(anyStrings(room["features"]), "internet") {
		t.Errorf("room preferences = %v", room)
	}
	if b := prefs["dining"].(M)["breakfast"]; !strings.Contains(b.(string), "in room") {
		t.Errorf("breakfast = %v", b)
	}
	fus := card["follow_ups"].([]any)
	if len(fus) != 1 || fus[0].(M)["text"] != followUp {
		t.Fatalf("follow-ups on the card = %v", fus)
	}
	suggested := card["suggested_rooms"].([]any)
	best := suggested[0].(M)
	if best["number"] != "2102" {
		t.Fatalf("first suggestion = %v, want 2102", best)
	}
	reasons := anyStrings(best["reasons"])
	for _, want := range []string{"floor 21 ≥ 20", "river view", "king bed", "internet"} {
		if !slices.Contains(reasons, want) {
			t.Errorf("reasons %q lack %q", reasons, want)
		}
	}
	for _, s := range suggested {
		if s.(M)["number"] == "306" {
			t.Error("a smoking room was suggested to a non-smoker")
		}
	}

	// Check-in to the first suggestion; the arrival's 7 nights are taken over.
	stay := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": best["number"]}).Map(t)
	if stay["nights"] != 7.0 || stay["room"] != "2102" || stay["floor"] != 21.0 {
		t.Fatalf("stay = %v", stay)
	}
	if a := list(t, f.expect(t, 200, "GET", "/api/arrivals?date="+f.today(), f.desk, nil), "arrivals"); a[0]["status"] != "checked_in" || a[0]["stay_id"] != stay["id"] {
		t.Errorf("arrival after check-in = %v", a[0])
	}

	// Housekeeping sees the detergent allergy and "soap only" for his room.
	board := list(t, f.expect(t, 200, "GET", "/api/housekeeping", f.housekeeper, nil), "rooms")
	if len(board) != 1 || board[0]["room"] != "2102" {
		t.Fatalf("board = %v", board)
	}
	allergy := board[0]["allergies"].([]any)[0].(M)
	if allergy["allergen"] != "laundry detergent" || allergy["severity"] != "moderate" ||
		!strings.Contains(board[0]["laundry"].(string), "soap only") {
		t.Errorf("board room = %v", board[0])
	}

	// A week later: check-out hands over the pastry.
	out = f.expect(t, 200, "POST", "/api/stays/"+str(t, stay, "id")+"/checkout", f.desk, M{"spend": "21034.50"}).Map(t)
	fus = out["follow_ups"].([]any)
	if len(fus) != 1 || fus[0].(M)["text"] != followUp {
		t.Fatalf("follow-ups at check-out = %v", out["follow_ups"])
	}
	f.expect(t, 200, "POST", "/api/follow-ups/"+fus[0].(M)["id"].(string)+"/done", f.desk, nil)
	card = f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", f.desk, nil).Map(t)
	if len(card["follow_ups"].([]any)) != 0 || card["stays_count"] != 2.0 {
		t.Errorf("after done: follow-ups %v, stays %v", card["follow_ups"], card["stays_count"])
	}
	stays := list(t, f.expect(t, 200, "GET", "/api/guests/"+id+"/stays", f.desk, nil), "stays")
	if len(stays) != 2 || stays[0]["spend"] != "21034.50" || stays[1]["room"] != "2102" {
		t.Errorf("stays = %v", stays)
	}
}

func anyStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
