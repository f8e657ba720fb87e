package frontdesk_test

import (
	"strings"
	"testing"
)

func TestFeedbackAndNotes(t *testing.T) {
	f := newFixture(t)
	id := f.guest(t, "Garcia")
	path := "/api/guests/" + id + "/feedback"
	problemField(t, f.call(t, "POST", path, f.desk, M{"kind": "complaint", "text": strings.Repeat("太", 2001)}), 422, "text")
	problemField(t, f.call(t, "POST", path, f.desk, M{"kind": "rant", "text": "loud"}), 422, "kind")
	problemField(t, f.call(t, "POST", path, f.desk, M{"kind": "complaint", "text": ""}), 422, "text")
	problemField(t, f.call(t, "POST", path, f.desk, M{"kind": "complaint", "text": "x", "stay_id": "s_other"}), 422, "stay_id")
	problemField(t, f.call(t, "POST", "/api/guests/g_nobody/feedback", f.desk, M{"kind": "complaint", "text": "x"}), 404, "")
	problemField(t, f.call(t, "POST", path, f.housekeeper, M{"kind": "complaint", "text": "x"}), 403, "")

	old := f.expect(t, 201, "POST", path, f.desk, M{"kind": "complaint", "text": "Noisy air conditioning"}).Map(t)
	f.expect(t, 201, "POST", path, f.desk, M{"kind": "compliment", "text": "Lovely breakfast"})
	f.expect(t, 201, "POST", path, f.desk, M{"kind": "request", "text": "Late check-out please"})
	all := list(t, f.expect(t, 200, "GET", "/api/feedback?status=open", f.manager, nil), "feedback")
	if len(all) != 3 || all[0]["id"] != old["id"] || all[0]["age_days"] != 0.0 || all[0]["guest_name"] != "Garcia" {
		t.Fatalf("open feedback = %v", all)
	}
	problemField(t, f.call(t, "GET", "/api/feedback?status=maybe", f.manager, nil), 422, "status")

	rp := "/api/feedback/" + str(t, old, "id") + "/resolve"
	problemField(t, f.call(t, "POST", rp, f.desk, M{"resolution": ""}), 422, "resolution")
	problemField(t, f.call(t, "POST", rp, f.desk, M{"resolution": "ok", "follow_up": strings.Repeat("x", 501)}), 422, "follow_up")
	problemField(t, f.call(t, "POST", "/api/feedback/f_nothing/resolve", f.desk, M{"resolution": "ok"}), 404, "")
	r := f.expect(t, 200, "POST", rp, f.desk, M{"resolution": "Unit serviced."}).Map(t)
	if r["status"] != "resolved" || r["follow_up"] != nil || r["resolution"] != "Unit serviced." {
		t.Errorf("resolved = %v", r)
	}
	problemField(t, f.call(t, "POST", rp, f.desk, M{"resolution": "again"}), 409, "")
	if open := list(t, f.expect(t, 200, "GET", "/api/feedback?status=open", f.manager, nil), "feedback"); len(open) != 2 {
		t.Errorf("open after resolve = %d", len(open))
	}
	if done := list(t, f.expect(t, 200, "GET", "/api/feedback?status=resolved", f.manager, nil), "feedback"); len(done) != 1 {
		t.Errorf("resolved list = %v", done)
	}
	problemField(t, f.call(t, "POST", "/api/follow-ups/fu_nothing/done", f.desk, nil), 404, "")

	// Notes: validated, and each reaches its department only.
	np := "/api/guests/" + id + "/notes"
	problemField(t, f.call(t, "POST", np, f.desk, M{"department": "spa", "text": "x"}), 422, "department")
	problemField(t, f.call(t, "POST", np, f.desk, M{"department": "kitchen", "text": strings.Repeat("x", 1001)}), 422, "text")
	problemField(t, f.call(t, "POST", "/api/guests/g_nobody/notes", f.desk, M{"department": "kitchen", "text": "x"}), 404, "")
	n := f.expect(t, 201, "POST", np, f.desk, M{"department": "kitchen", "text": "No shellfish in any dish"}).Map(t)
	if n["department"] != "kitchen" || n["created_by"] != "test frontdesk" {
		t.Errorf("note = %v", n)
	}
	f.expect(t, 201, "POST", np, f.desk, M{"department": "housekeeping", "text": "Extra towels daily"})
	f.expect(t, 201, "POST", np, f.desk, M{"department": "front_office", "text": "Prefers WeChat over phone"})
	card := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", f.desk, nil).Map(t)
	if len(card["notes"].([]any)) != 3 {
		t.Errorf("card notes = %v, want all three", card["notes"])
	}
	f.expect(t, 200, "PUT", "/api/rooms/1201", f.manager, M{"floor": 12, "bed": "king"})
	f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "1201", "nights": 1})
	board := list(t, f.expect(t, 200, "GET", "/api/housekeeping", f.housekeeper, nil), "rooms")
	notes := anyStrings(board[0]["notes"])
	if len(notes) != 1 || notes[0] != "Extra towels daily" {
		t.Errorf("board notes = %q, want the housekeeping note only", notes)
	}
	if acts := f.auditActions(t, id); !contains(acts, "feedback.create") || !contains(acts, "feedback.resolve") ||
		!contains(acts, "feedback.read") || !contains(acts, "note.create") || !contains(acts, "housekeeping.read") {
		t.Errorf("audit = %v", acts)
	}
}
