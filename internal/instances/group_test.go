package instances_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// Mr. Ding across a group of two properties, each request through another instance of
// one database: he stays at West Lake through instance 1; B's desk, through instance 2,
// sees his card with that stay the day he is expected at Bund; he checks in at Bund's
// kiosk through instance 3; Bund's board shows his allergy, West Lake's has him no more.
func TestMrDingAcrossTheGroup(t *testing.T) {
	c := newCluster(t, nil)
	s := c.store()
	ctx := context.Background()
	for _, p := range []preferences.Property{{Code: "WL", Name: "West Lake Hotel", TimeZone: "UTC"}, {Code: "BUND", Name: "Bund Hotel", TimeZone: "UTC"}} {
		if _, err := s.AddProperty(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	token := func(role preferences.Role, name, property string) string {
		t.Helper()
		tok, err := s.CreateScopedToken(ctx, role, name, 0, property)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	deskA, deskB := token(preferences.RoleFrontDesk, "desk wl", "WL"), token(preferences.RoleFrontDesk, "desk bund", "BUND")
	maidA, maidB := token(preferences.RoleHousekeeping, "maid wl", "WL"), token(preferences.RoleHousekeeping, "maid bund", "BUND")
	kioskB := token(preferences.RoleKiosk, "bund lobby", "BUND")
	manager := token(preferences.RoleManager, "manager", "")
	ins := c.startThree(func(int) map[string]string { return nil })
	one, two, three := ins[0], ins[1], ins[2]
	for _, code := range []string{"WL", "BUND"} {
		if status, body := call(t, one, "PUT", "/api/rooms/1208?property="+code, manager, map[string]any{"floor": 12, "bed": "king"}); status != 200 && status != 201 {
			t.Fatalf("room at %s: %d %v", code, status, body)
		}
	}

	status, g := call(t, one, "POST", "/api/guests", deskA, map[string]any{"family_name": "Ding", "given_name": "Wei", "language": "en"})
	if status != 201 {
		t.Fatalf("create Ding: %d %v", status, g)
	}
	ding := g["id"].(string)
	allergy := map[string]any{"allergies": []any{map[string]any{"allergen": "peanuts", "severity": "severe"}}}
	if status, body := call(t, one, "PATCH", "/api/guests/"+ding+"/preferences", deskA, allergy); status != 200 {
		t.Fatalf("allergy: %d %v", status, body)
	}
	status, stay := call(t, one, "POST", "/api/stays", deskA, map[string]any{"guest_id": ding, "room": "1208", "nights": 1})
	if status != 201 {
		t.Fatalf("check-in at West Lake: %d %v", status, stay)
	}
	if status, board := call(t, one, "GET", "/api/housekeeping", maidA, nil); status != 200 || !strings.Contains(fmt.Sprint(board), "peanuts") {
		t.Fatalf("West Lake's board while he stays: %d %v", status, board)
	}
	if status, body := call(t, one, "POST", "/api/stays/"+stay["id"].(string)+"/checkout", deskA, nil); status != 200 {
		t.Fatalf("check-out at West Lake: %d %v", status, body)
	}

	today := time.Now().UTC().Format(preferences.DateLayout)
	arrival := map[string]any{"guest_id": ding, "arrival_date": today, "nights": 2, "reference": "BUND-88"}
	if status, body := call(t, two, "POST", "/api/arrivals", deskB, arrival); status != 201 {
		t.Fatalf("arrival at Bund: %d %v", status, body)
	}
	status, card := call(t, two, "GET", "/api/guests/"+ding+"/recognition", deskB, nil)
	last, _ := card["last_stay"].(map[string]any)
	if status != 200 || last == nil || last["property"] != "WL" || last["property_name"] != "West Lake Hotel" ||
		card["first_stay_here"] != true || card["returning"] != true || card["property"] != "BUND" {
		t.Fatalf("Bund's card of Ding: %d last stay %v, first here %v, returning %v, property %v",
			status, last, card["first_stay_here"], card["returning"], card["property"])
	}

	status, out := call(t, three, "POST", "/api/kiosk/identify", kioskB, map[string]any{"reference": "BUND-88", "family_name": "Ding"})
	session, _ := out["session"].(string)
	if status != 200 || session == "" {
		t.Fatalf("identify at Bund's kiosk: %d %v", status, out)
	}
	if status, body := call(t, three, "POST", "/api/kiosk/sessions/"+session+"/checkin", kioskB, nil); status != 200 && status != 201 {
		t.Fatalf("check-in at Bund's kiosk: %d %v", status, body)
	}

	status, board := call(t, two, "GET", "/api/housekeeping", maidB, nil)
	if rooms, _ := board["rooms"].([]any); status != 200 || len(rooms) != 1 || !strings.Contains(fmt.Sprint(rooms[0]), "peanuts") {
		t.Fatalf("Bund's board: %d %v, want room 1208 with his peanut allergy", status, board)
	}
	status, board = call(t, one, "GET", "/api/housekeeping", maidA, nil)
	if rooms, _ := board["rooms"].([]any); status != 200 || len(rooms) != 0 {
		t.Fatalf("West Lake's board after he left: %d %v, want no room", status, board)
	}
}
