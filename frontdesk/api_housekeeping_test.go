package frontdesk_test

import (
	"strings"
	"testing"
)

// TestHousekeepingSeesOnlyItsBoard: the housekeeping role reads the board and nothing
// else, and the board carries no guest identity, contact, document, birthday or spend.
func TestHousekeepingSeesOnlyItsBoard(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := str(t, f.createDing(t), "id")
	f.expect(t, 200, "PATCH", "/api/guests/"+id+"/preferences", f.desk, M{
		"allergies": []M{
			{"allergen": "laundry detergent", "severity": "moderate", "instructions": "wash clothes with soap only"},
			{"allergen": "feathers", "severity": "severe", "instructions": "no down pillows"},
			{"allergen": "dust", "severity": "mild"}},
		"housekeeping": M{"laundry": "soap only, no detergent", "amenities": []string{"extra pillow"}}})
	f.expect(t, 201, "POST", "/api/guests/"+id+"/notes", f.desk, M{"department": "housekeeping", "text": "Do not disturb before 10:00"})
	f.expect(t, 201, "POST", "/api/guests/"+id+"/notes", f.desk, M{"department": "kitchen", "text": "secret kitchen note"})
	stay := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2305", "nights": 3}).Map(t)
	f.expect(t, 200, "POST", "/api/stays/"+str(t, stay, "id")+"/checkout", f.desk, M{"spend": "9876.54"})
	f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2102", "nights": 3})
	other := f.guest(t, "Nobody-Special")
	f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": other, "room": "306", "nights": 1})

	r := f.expect(t, 200, "GET", "/api/housekeeping", f.housekeeper, nil)
	raw := string(r.Body)
	for _, banned := range []string{id, other, `"id"`, "guest", "丁", "伟", "Nobody-Special", "document", "cn_resident_id", "0038",
		dingID, "email", "ding@example.com", "phone", "139", "birthday", "1975", "spend", "9876.54", "secret kitchen note"} {
		if strings.Contains(raw, banned) {
			t.Errorf("housekeeping response contains %q: %s", banned, raw)
		}
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", r.Header.Get("Cache-Control"))
	}
	board := list(t, r, "rooms")
	if len(board) != 2 || board[0]["room"] != "306" || board[1]["room"] != "2102" {
		t.Fatalf("board = %v, want 306 then 2102 (by floor)", board)
	}
	severities := []string{}
	for _, a := range board[1]["allergies"].([]any) {
		severities = append(severities, a.(M)["severity"].(string))
	}
	if strings.Join(severities, ",") != "severe,moderate,mild" {
		t.Errorf("allergy order = %v, want most severe first", severities)
	}
	if notes := anyStrings(board[1]["notes"]); len(notes) != 1 || notes[0] != "Do not disturb before 10:00" {
		t.Errorf("notes = %q", notes)
	}
	if len(board[0]["allergies"].([]any)) != 0 || board[0]["amenities"] == nil {
		t.Errorf("room without instructions = %v, want empty lists", board[0])
	}
	f.expect(t, 200, "GET", "/api/housekeeping", f.manager, nil)
	problemField(t, f.call(t, "GET", "/api/housekeeping", f.desk, nil), 403, "")
	problemField(t, f.call(t, "GET", "/api/housekeeping", "", nil), 401, "")

	// Everything else is closed to housekeeping.
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/guests/" + id}, {"GET", "/api/guests/" + id + "/preferences"}, {"GET", "/api/guests/" + id + "/recognition"},
		{"GET", "/api/guests/" + id + "/stays"}, {"GET", "/api/arrivals"}, {"GET", "/api/rooms"}, {"GET", "/api/feedback?status=open"},
		{"GET", "/api/guests?q=ding"}, {"POST", "/api/guests/" + id + "/notes"},
	} {
		problemField(t, f.call(t, c.method, c.path, f.housekeeper, M{}), 403, "")
	}
	if !contains(f.auditActions(t, id), "housekeeping.read") {
		t.Error("the board's read of the guest's instructions is not audited")
	}
}

// TestHousekeepingBoardFollowsChanges: the board shows a check-in, a changed
// instruction, a new note and a check-out on the very next read.
func TestHousekeepingBoardFollowsChanges(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := str(t, f.createDing(t), "id")
	board := func() string { return string(f.expect(t, 200, "GET", "/api/housekeeping", f.housekeeper, nil).Body) }
	if b := board(); b != `{"rooms":[]}` {
		t.Fatalf("empty hotel board = %s", b)
	}
	stay := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2102", "nights": 2}).Map(t)
	if b := board(); !strings.Contains(b, `"2102"`) || board() != b {
		t.Fatalf("after check-in board = %s", b)
	}
	f.expect(t, 200, "PATCH", "/api/guests/"+id+"/preferences", f.desk, M{"housekeeping": M{"laundry": "cold wash only"}})
	if b := board(); !strings.Contains(b, "cold wash only") {
		t.Fatalf("after the laundry change board = %s", b)
	}
	f.expect(t, 201, "POST", "/api/guests/"+id+"/notes", f.desk, M{"department": "housekeeping", "text": "Turn-down at 21:00"})
	if b := board(); !strings.Contains(b, "Turn-down at 21:00") || !strings.Contains(b, "cold wash only") {
		t.Fatalf("after the note board = %s", b)
	}
	f.expect(t, 200, "POST", "/api/stays/"+str(t, stay, "id")+"/checkout", f.desk, M{})
	if b := board(); b != `{"rooms":[]}` {
		t.Fatalf("after check-out board = %s", b)
	}
}
