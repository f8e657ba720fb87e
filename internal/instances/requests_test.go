package instances_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"regulars/preferences"
)

// Requests on three instances of one database, answered as by one service: check-in
// races, changes seen at once elsewhere, tokens, sessions and throttles shared.
func TestAnyInstanceAnswersAlike(t *testing.T) {
	c := newCluster(t, nil)
	s := c.store()
	ctx := context.Background()
	token := func(role preferences.Role, name string) string {
		t.Helper()
		tok, err := s.CreateToken(ctx, role, name)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	manager, desk, maid := token(preferences.RoleManager, "manager"), token(preferences.RoleFrontDesk, "desk"), token(preferences.RoleHousekeeping, "maid")
	password, err := s.CreateUser(ctx, "wang", preferences.RoleManager)
	if err != nil {
		t.Fatal(err)
	}
	ins := c.startThree(func(int) map[string]string { return nil })
	a, b, third := ins[0], ins[1], ins[2]
	newGuest := func(family string) string {
		t.Helper()
		status, g := call(t, a, "POST", "/api/guests", desk, map[string]any{"family_name": family, "given_name": "Wei", "language": "en"})
		if status != 201 {
			t.Fatalf("create %s: %d %v", family, status, g)
		}
		return g["id"].(string)
	}

	var inRoom string // the guest the check-in race put in room 1208
	t.Run("LastFreeRoomFromTwoInstances", func(t *testing.T) {
		if status, body := call(t, a, "PUT", "/api/rooms/1208", manager, map[string]any{"floor": 12, "bed": "king"}); status != 200 && status != 201 {
			t.Fatalf("room: %d %v", status, body)
		}
		guests := []string{newGuest("Ding"), newGuest("Lin")}
		statuses := make([]int, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, in := range []*instance{a, b} {
			wg.Go(func() {
				<-start
				statuses[i], _ = call(t, in, "POST", "/api/stays", desk, map[string]any{"guest_id": guests[i], "room": "1208", "nights": 2})
				if statuses[i] == 201 {
					inRoom = guests[i]
				}
			})
		}
		close(start)
		wg.Wait()
		if !(statuses[0] == 201 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 201) {
			t.Fatalf("two check-ins into the last free room: %v, want one 201 and one 409", statuses)
		}
		status, board := call(t, third, "GET", "/api/housekeeping", maid, nil)
		if rooms, _ := board["rooms"].([]any); status != 200 || len(rooms) != 1 {
			t.Fatalf("the board after the race: %d %v, want room 1208 alone", status, board)
		}
	})

	t.Run("AllergyOnTheBoardOfAnother", func(t *testing.T) {
		if inRoom == "" {
			t.Skip("nobody was checked in")
		}
		guestID := inRoom
		allergy := map[string]any{"allergies": []any{map[string]any{"allergen": "peanuts", "severity": "severe"}}}
		if status, body := call(t, a, "PATCH", "/api/guests/"+guestID+"/preferences", desk, allergy); status != 200 {
			t.Fatalf("allergy on A: %d %v", status, body)
		}
		status, board := call(t, b, "GET", "/api/housekeeping", maid, nil)
		rooms, _ := board["rooms"].([]any)
		if status != 200 || len(rooms) != 1 || !strings.Contains(fmt.Sprint(rooms[0].(map[string]any)["allergies"]), "peanuts") {
			t.Fatalf("B's board right after A's change: %d %v", status, board)
		}
	})

	// Wang signs in on A; the session works on B; a token made there works on the third
	// at once, and once revoked on A is refused there at the next request.
	t.Run("SessionsAndTokens", func(t *testing.T) {
		status, out := form(t, a, "/login", "", url.Values{"name": {"wang"}, "password": {password}})
		session, _ := out["cookie:regulars_staff"].(string)
		if status != 303 || session == "" {
			t.Fatalf("sign-in on A: %d", status)
		}
		status, html := page(t, b, "/manager/staff", session)
		csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(html)
		if status != 200 || csrf == nil {
			t.Fatalf("A's session on B: %d", status)
		}
		status, out = form(t, b, "/manager/staff/tokens", session, url.Values{"_csrf": {csrf[1]}, "name": {"night desk"}, "role": {"frontdesk"}})
		tok := regexp.MustCompile(`<code id="secret-value">([^<]+)</code>`).FindStringSubmatch(fmt.Sprint(out["html"]))
		if status != 201 || tok == nil {
			t.Fatalf("a token made on B: %d", status)
		}
		if status, _ := call(t, third, "GET", "/api/guests?q=Ding", tok[1], nil); status != 200 {
			t.Fatalf("B's new token on the third instance: %d", status)
		}
		status, _ = form(t, a, "/manager/staff/tokens/revoke", session, url.Values{"_csrf": {csrf[1]}, "name": {"night desk"}})
		if status != 303 {
			t.Fatalf("revoke on A: %d", status)
		}
		if status, _ := call(t, third, "GET", "/api/guests?q=Ding", tok[1], nil); status != 401 {
			t.Fatalf("the token revoked on A, on the third instance: %d, want 401", status)
		}
	})

	// Five wrong passwords for one name from one address on A: B answers 429 even to
	// the right one.
	t.Run("SignInThrottledEverywhere", func(t *testing.T) {
		if _, err := s.CreateUser(ctx, "zhao", preferences.RoleFrontDesk); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			if status, _ := form(t, a, "/login", "", url.Values{"name": {"zhao"}, "password": {"wrong"}}); status != 401 {
				t.Fatalf("wrong password %d on A: %d", i+1, status)
			}
		}
		if status, _ := form(t, b, "/login", "", url.Values{"name": {"zhao"}, "password": {"wrong"}}); status != 429 {
			t.Fatalf("after five failures on A, B answers %d, want 429", status)
		}
	})

	// A kiosk failing five times on A is locked out on B; a guest's session begun at the
	// kiosk through A goes on through B and ends with the check-in through the third.
	t.Run("Kiosk", func(t *testing.T) {
		if status, body := call(t, a, "PUT", "/api/rooms/1501", manager, map[string]any{"floor": 15, "bed": "king"}); status != 200 && status != 201 {
			t.Fatalf("room: %d %v", status, body)
		}
		qian := newGuest("Qian")
		today := time.Now().UTC().Format(preferences.DateLayout)
		if status, body := call(t, a, "POST", "/api/arrivals", desk, map[string]any{"guest_id": qian, "arrival_date": today, "nights": 3, "reference": "PMS-77"}); status != 201 {
			t.Fatalf("arrival: %d %v", status, body)
		}
		lobby := token(preferences.RoleKiosk, "lobby")
		status, out := call(t, a, "POST", "/api/kiosk/identify", lobby, map[string]any{"reference": "PMS-77", "family_name": "Qian"})
		session, _ := out["session"].(string)
		if status != 200 || session == "" {
			t.Fatalf("identify on A: %d %v", status, out)
		}
		prefs := map[string]any{"allergies": []any{map[string]any{"allergen": "feathers", "severity": "mild"}}}
		if status, body := call(t, b, "PATCH", "/api/kiosk/sessions/"+session+"/preferences", lobby, prefs); status != 200 {
			t.Fatalf("A's kiosk session on B: %d %v", status, body)
		}
		if status, body := call(t, third, "POST", "/api/kiosk/sessions/"+session+"/checkin", lobby, nil); status != 200 && status != 201 {
			t.Fatalf("A's kiosk session's check-in on the third: %d %v", status, body)
		}
		if status, _ := call(t, a, "PATCH", "/api/kiosk/sessions/"+session+"/preferences", lobby, prefs); status != 401 {
			t.Fatalf("the session after its check-in, on A: %d, want 401", status)
		}

		side := token(preferences.RoleKiosk, "side door")
		wrong := map[string]any{"reference": "PMS-00", "family_name": "Nobody"}
		for i := range 5 {
			if status, _ := call(t, a, "POST", "/api/kiosk/identify", side, wrong); status != 404 {
				t.Fatalf("failure %d on A: %d", i+1, status)
			}
		}
		if status, _ := call(t, b, "POST", "/api/kiosk/identify", side, map[string]any{"reference": "PMS-77", "family_name": "Qian"}); status != 429 {
			t.Fatalf("the kiosk locked out on A, on B: %d, want 429", status)
		}
	})
}
