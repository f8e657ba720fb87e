package frontdesk_test

import (
	"strings"
	"sync"
	"testing"
)

func TestRooms(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	problemField(t, f.call(t, "PUT", "/api/rooms/2102", f.desk, M{"floor": 21, "bed": "king"}), 403, "")
	problemField(t, f.call(t, "PUT", "/api/rooms/2102", f.manager, M{"floor": -1, "bed": "king"}), 422, "floor")
	problemField(t, f.call(t, "PUT", "/api/rooms/2102", f.manager, M{"floor": 21, "bed": "hammock"}), 422, "bed")
	problemField(t, f.call(t, "PUT", "/api/rooms/2102", f.manager, M{"floor": 21, "bed": "king", "price": 1}), 422, "price")
	problemField(t, f.call(t, "PUT", "/api/rooms/no%20such", f.manager, M{"floor": 21, "bed": "king"}), 422, "number")
	id := f.guest(t, "Occupant")
	f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "1201", "nights": 2})
	rooms := list(t, f.expect(t, 200, "GET", "/api/rooms", f.desk, nil), "rooms")
	if len(rooms) != 5 || rooms[0]["number"] != "306" {
		t.Fatalf("rooms = %v", rooms)
	}
	for _, r := range rooms {
		if occupied := r["number"] == "1201"; r["occupied"] != occupied {
			t.Errorf("room %v occupied = %v, want %v", r["number"], r["occupied"], occupied)
		}
	}
	problemField(t, f.call(t, "GET", "/api/rooms", f.housekeeper, nil), 403, "")
}

func TestArrivals(t *testing.T) {
	f := newFixture(t)
	id := f.guest(t, "Thompson")
	r := f.expect(t, 201, "POST", "/api/arrivals", f.desk, M{"guest_id": id, "arrival_date": f.today(), "nights": 3, "reference": "PMS-7"}).Map(t)
	if r["status"] != "expected" || r["nights"] != 3.0 || !strings.HasPrefix(str(t, r, "id"), "a_") {
		t.Fatalf("arrival = %v", r)
	}
	other := f.guest(t, "Other")
	problemField(t, f.call(t, "POST", "/api/arrivals", f.desk, M{"guest_id": other, "arrival_date": f.today(), "nights": 3, "reference": "PMS-7"}), 409, "reference")
	problemField(t, f.call(t, "POST", "/api/arrivals", f.desk, M{"guest_id": other, "arrival_date": "2026-02-30", "nights": 3}), 422, "arrival_date")
	problemField(t, f.call(t, "POST", "/api/arrivals", f.desk, M{"guest_id": other, "arrival_date": f.today(), "nights": -2}), 422, "nights")
	problemField(t, f.call(t, "POST", "/api/arrivals", f.desk, M{"guest_id": other, "arrival_date": f.today(), "nights": "7"}), 422, "nights")
	problemField(t, f.call(t, "POST", "/api/arrivals", f.desk, M{"guest_id": "g_nobody", "arrival_date": f.today(), "nights": 1}), 404, "")
	problemField(t, f.call(t, "GET", "/api/arrivals?date=tomorrow", f.desk, nil), 422, "date")

	// Without a date the hotel's today is listed.
	cards := list(t, f.expect(t, 200, "GET", "/api/arrivals", f.desk, nil), "arrivals")
	if len(cards) != 1 || cards[0]["returning"] != false || cards[0]["guest"].(M)["family_name"] != "Thompson" {
		t.Fatalf("arrivals = %v", cards)
	}
	if cards := list(t, f.expect(t, 200, "GET", "/api/arrivals?date="+f.day(-30), f.desk, nil), "arrivals"); len(cards) != 0 {
		t.Errorf("other day = %v", cards)
	}
	if a := f.auditActions(t, id); !contains(a, "arrival.read") || !contains(a, "arrival.create") {
		t.Errorf("audit = %v, want arrival.create and arrival.read", a)
	}
}

func TestCheckInCheckOut(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	a, b := f.guest(t, "Adams"), f.guest(t, "Baker")
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": a, "room": "9999", "nights": 1}), 404, "")
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": "g_nobody", "room": "2102", "nights": 1}), 404, "")
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": a, "room": "2102", "nights": -1}), 422, "nights")
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": a, "room": "2102", "nights": 400}), 422, "nights")
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": a, "room": "2102"}), 422, "nights") // no arrival today
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": a}), 422, "room")

	stay := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": a, "room": "2102", "nights": 2}).Map(t)
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": a, "room": "2102", "nights": 2}), 409, "") // double check-in
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": a, "room": "2101", "nights": 2}), 409, "") // in house
	problemField(t, f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": b, "room": "2102", "nights": 2}), 409, "") // occupied
	problemField(t, f.call(t, "POST", "/api/stays", f.housekeeper, M{"guest_id": b, "room": "2101", "nights": 2}), 403, "")

	sid := str(t, stay, "id")
	for _, bad := range []any{"12,50", "-5", "1e3", "12.345", "abc"} {
		problemField(t, f.call(t, "POST", "/api/stays/"+sid+"/checkout", f.desk, M{"spend": bad}), 422, "spend")
	}
	problemField(t, f.call(t, "POST", "/api/stays/"+sid+"/checkout", f.desk, M{"spend": 12.5}), 422, "spend")
	problemField(t, f.call(t, "POST", "/api/stays/s_nothing/checkout", f.desk, nil), 404, "")
	out := f.expect(t, 200, "POST", "/api/stays/"+sid+"/checkout", f.desk, M{"spend": "1234.50"}).Map(t)
	if out["spend"] != "1234.50" || out["check_out"] == nil || out["follow_ups"] == nil {
		t.Fatalf("checked out = %v", out)
	}
	problemField(t, f.call(t, "POST", "/api/stays/"+sid+"/checkout", f.desk, nil), 409, "")

	// The room is free again; a check-out without a body records no spend.
	s2 := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": b, "room": "2102", "nights": 1}).Map(t)
	out = f.expect(t, 200, "POST", "/api/stays/"+str(t, s2, "id")+"/checkout", f.desk, nil).Map(t)
	if _, has := out["spend"]; has || len(out["follow_ups"].([]any)) != 0 {
		t.Errorf("bodiless check-out = %v", out)
	}
	stays := list(t, f.expect(t, 200, "GET", "/api/guests/"+a+"/stays", f.desk, nil), "stays")
	if len(stays) != 1 || stays[0]["spend"] != "1234.50" {
		t.Errorf("stays = %v", stays)
	}
	problemField(t, f.call(t, "GET", "/api/guests/g_nobody/stays", f.desk, nil), 404, "")
	if acts := f.auditActions(t, a); !contains(acts, "stay.checkin") || !contains(acts, "stay.checkout") || !contains(acts, "stays.read") {
		t.Errorf("audit = %v", acts)
	}
}

func TestRecognitionFirstStayAndNoPreferences(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := f.expect(t, 201, "POST", "/api/guests", f.desk, M{"family_name": "O'Brien", "salutation": "Mr. O'Brien", "language": "en"}).Map(t)["id"].(string)
	card := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", f.desk, nil).Map(t)
	if card["greeting"] != "Welcome, Mr. O'Brien!" || card["returning"] != false || card["last_stay"] != nil {
		t.Errorf("card = %v", card)
	}
	rooms := card["suggested_rooms"].([]any)
	if len(rooms) != 5 || rooms[len(rooms)-1].(M)["number"] != "306" {
		t.Errorf("suggestions without preferences = %v, want all free rooms with the smoking room last", rooms)
	}
	problemField(t, f.call(t, "GET", "/api/guests/g_nobody/recognition", f.desk, nil), 404, "")
	if !contains(f.auditActions(t, id), "recognition.read") {
		t.Error("recognition read not audited")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestConcurrentCheckInSameRoom: clerks at several desks check different guests in to
// the same room at once; exactly one gets it, the others get 409.
func TestConcurrentCheckInSameRoom(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	const n = 8
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.guest(t, "Racer")
	}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = f.call(t, "POST", "/api/stays", f.desk, M{"guest_id": ids[i], "room": "2102", "nights": 1}).Status
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[201] != 1 || count[409] != n-1 {
		t.Fatalf("statuses = %v, want one 201 and %d 409", count, n-1)
	}
}
