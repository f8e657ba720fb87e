package frontdesk_test

import (
	"testing"
	"time"
)

// TestEarlyCheckOutNights: a stay booked for 7 nights and left after 2 reports 2 nights
// (planned_nights 7) on the check-out result, on the next recognition card, in the
// stays list and in the export; a check-out on the day of arrival is a day use, 0 nights.
func TestEarlyCheckOutNights(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := f.guest(t, "Early")
	defer f.shiftClock(0)

	f.shiftClock(-48 * time.Hour)
	in := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2102", "nights": 7}).Map(t)
	if in["nights"] != 7.0 || in["planned_nights"] != 7.0 {
		t.Fatalf("open stay = %v, want nights and planned_nights 7", in)
	}
	f.shiftClock(0)
	out := f.expect(t, 200, "POST", "/api/stays/"+str(t, in, "id")+"/checkout", f.desk, M{"spend": "2400.00"}).Map(t)
	wantNights(t, "check-out result", out, 2, 7)
	card := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", f.desk, nil).Map(t)
	last, _ := card["last_stay"].(M)
	wantNights(t, "recognition last_stay", last, 2, 7)

	// A day use: in and out on the same hotel date.
	day := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "1201", "nights": 1}).Map(t)
	wantNights(t, "day use check-out result", f.expect(t, 200, "POST", "/api/stays/"+str(t, day, "id")+"/checkout", f.desk, M{}).Map(t), 0, 1)

	stays := list(t, f.expect(t, 200, "GET", "/api/guests/"+id+"/stays", f.desk, nil), "stays")
	if len(stays) != 2 {
		t.Fatalf("stays = %v", stays)
	}
	byID := map[any]M{stays[0]["id"]: stays[0], stays[1]["id"]: stays[1]}
	wantNights(t, "stays list, early", byID[in["id"]], 2, 7)
	wantNights(t, "stays list, day use", byID[day["id"]], 0, 1)

	export := f.expect(t, 200, "GET", "/api/guests/"+id+"/export", f.manager, nil).Map(t)
	exported, _ := export["extra"].(M)["stays"].([]any)
	if len(exported) != 2 {
		t.Fatalf("exported stays = %v", export["extra"])
	}
	for _, s := range exported {
		s := s.(M)
		if s["id"] == in["id"] {
			wantNights(t, "export, early", s, 2, 7)
		} else {
			wantNights(t, "export, day use", s, 0, 1)
		}
	}
}

func wantNights(t *testing.T, what string, stay M, nights, planned float64) {
	t.Helper()
	if stay == nil || stay["nights"] != nights || stay["planned_nights"] != planned {
		t.Errorf("%s = %v, want nights %v, planned_nights %v", what, stay, nights, planned)
	}
}
