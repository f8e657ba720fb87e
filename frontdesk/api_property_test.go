package frontdesk_test

import (
	"context"
	"testing"

	"regulars/preferences"
)

// TestTwoProperties: a group of two hotels. Room numbers repeat across them; each
// property's desk and housekeeping see their own rooms and board, and are refused
// (403) another property's, which they name outright; a group manager chooses one with
// ?property and must when a call needs one (422 naming property); the card at one
// property shows the stay at the other.
func TestTwoProperties(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t) // its tokens were made in a group of one: they are MAIN's
	f.hotelRooms(t)
	if _, err := f.app.Store.AddProperty(ctx, preferences.Property{Code: "WL", Name: "West Lake", TimeZone: "Asia/Shanghai"}); err != nil {
		t.Fatal(err)
	}
	token := func(role preferences.Role, name, property string) string {
		tok, err := f.app.Store.CreateScopedToken(ctx, role, name, 0, property)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	group, wlDesk, wlMaid := token(preferences.RoleManager, "group", ""), token(preferences.RoleFrontDesk, "wl desk", "WL"),
		token(preferences.RoleHousekeeping, "wl maid", "WL")

	// A group manager must name the property of a room, and an existing one.
	problemField(t, f.call(t, "PUT", "/api/rooms/2102", group, M{"floor": 21, "view": "river", "bed": "king"}), 422, "property")
	problemField(t, f.call(t, "GET", "/api/rooms?property=NOPE", group, nil), 422, "property")
	problemField(t, f.call(t, "GET", "/api/housekeeping", group, nil), 422, "property")
	f.expect(t, 200, "PUT", "/api/rooms/2102?property=WL", group, M{"floor": 21, "view": "river", "bed": "king", "features": []string{"internet"}})
	f.expect(t, 200, "PUT", "/api/rooms/1501?property=wl", group, M{"floor": 15, "view": "city", "bed": "twin"})
	if rooms := list(t, f.expect(t, 200, "GET", "/api/rooms", wlDesk, nil), "rooms"); len(rooms) != 2 {
		t.Fatalf("West Lake's rooms = %v", rooms)
	}

	// Mr. Ding stays at MAIN, then arrives at West Lake.
	id := str(t, f.createDing(t), "id")
	f.expect(t, 200, "PATCH", "/api/guests/"+id+"/preferences", f.desk, M{"room": M{"min_floor": 20, "view": "river"},
		"allergies": []M{{"allergen": "laundry detergent", "severity": "moderate"}}})
	stay := f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2102", "nights": 3}).Map(t)
	if stay["property"] != "MAIN" {
		t.Fatalf("stay at MAIN = %v", stay)
	}
	// West Lake's desk cannot close MAIN's stay: to it there is no such stay.
	problemField(t, f.call(t, "POST", "/api/stays/"+str(t, stay, "id")+"/checkout", wlDesk, M{}), 404, "")
	f.expect(t, 200, "POST", "/api/stays/"+str(t, stay, "id")+"/checkout", f.desk, M{})

	card := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", wlDesk, nil).Map(t)
	last, _ := card["last_stay"].(M)
	if card["returning"] != true || card["first_stay_here"] != true || card["stays_count"] != float64(1) || card["property"] != "WL" ||
		last == nil || last["property"] != "MAIN" || last["room"] != "2102" {
		t.Fatalf("card at West Lake = %v", card)
	}
	if sug := card["suggested_rooms"].([]any); len(sug) != 2 || sug[0].(M)["number"] != "2102" {
		t.Fatalf("suggested at West Lake = %v, want its 2102 first, then its 1501", sug)
	}
	if here := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", f.desk, nil).Map(t); here["first_stay_here"] != false {
		t.Fatalf("card at MAIN = %v", here)
	}
	problemField(t, f.call(t, "GET", "/api/guests/"+id+"/recognition", group, nil), 422, "property")

	// West Lake's 2102 while MAIN's 2102 is taken by someone else.
	f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": f.guest(t, "Qin"), "room": "2102", "nights": 1})
	f.expect(t, 201, "POST", "/api/stays", wlDesk, M{"guest_id": id, "room": "2102", "nights": 2})

	// Each property's board is its own; another property's is refused.
	if board := list(t, f.expect(t, 200, "GET", "/api/housekeeping", wlMaid, nil), "rooms"); len(board) != 1 ||
		len(board[0]["allergies"].([]any)) != 1 {
		t.Fatalf("West Lake's board = %v", board)
	}
	problemField(t, f.call(t, "GET", "/api/housekeeping?property=WL", f.housekeeper, nil), 403, "")
	problemField(t, f.call(t, "GET", "/api/rooms?property=WL", f.desk, nil), 403, "")
	if board := list(t, f.expect(t, 200, "GET", "/api/housekeeping?property=MAIN", group, nil), "rooms"); len(board) != 1 ||
		len(board[0]["allergies"].([]any)) != 0 {
		t.Fatalf("MAIN's board for the group manager = %v", board)
	}
	// The guest profile is the group's: MAIN's desk sees him, with both stays.
	if stays := list(t, f.expect(t, 200, "GET", "/api/guests/"+id+"/stays", f.desk, nil), "stays"); len(stays) != 2 ||
		stays[0]["property"] != "WL" || stays[1]["property"] != "MAIN" {
		t.Fatalf("stays seen at MAIN = %v", stays)
	}
}
