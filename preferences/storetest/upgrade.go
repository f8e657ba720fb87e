package storetest

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"regulars/preferences"
)

// OldDatabase is a database made by the migrations before properties, for Upgrade.
type OldDatabase struct {
	// Exec runs one statement (? placeholders) on it, before the engine opens it.
	Exec func(t *testing.T, query string, args ...any)
	// At is an instant as the engine stores it.
	At func(time.Time) any
	// Open opens it with the engine, which applies the migrations left.
	Open Opener
}

// Upgrade fills an old database with a hotel's rows, opens it with the engine and checks
// that it became a group of one property, MAIN, that has everything: rooms, stays,
// arrivals, feedback, lock-outs, and the staff scopes (managers the group's, the others
// MAIN's).
func Upgrade(t *testing.T, old OldDatabase) {
	ctx := context.Background()
	at, x := old.At, old.Exec
	out := Start.Add(-30 * 24 * time.Hour)
	for _, g := range []string{"g_ding", "g_qin"} {
		x(t, `INSERT INTO guests (id, family_name, given_name, preferences, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			g, "丁", "伟", `{"allergies":[{"allergen":"laundry detergent","severity":"moderate"}]}`, at(out), at(out))
	}
	for _, floor := range []int{12, 21} {
		x(t, `INSERT INTO rooms (number, floor, bed, updated_at) VALUES (?, ?, 'king', ?)`, map[int]string{12: "1208", 21: "2101"}[floor], floor, at(out))
	}
	x(t, `INSERT INTO stays (id, guest_id, room, check_in, check_out, planned_nights) VALUES ('s_old', 'g_ding', '1208', ?, ?, 3)`,
		at(out.Add(-72*time.Hour)), at(out))
	x(t, `INSERT INTO stays (id, guest_id, room, check_in, planned_nights) VALUES ('s_open', 'g_qin', '2101', ?, 2)`, at(Start))
	x(t, `INSERT INTO arrivals (id, guest_id, arrival_date, nights, reference, created_at) VALUES ('a_1', 'g_ding', ?, 2, 'PMS-1', ?)`,
		Start.In(Shanghai).Format(preferences.DateLayout), at(out))
	x(t, `INSERT INTO arrivals (id, guest_id, arrival_date, nights, status, stay_id, created_at)
		VALUES ('a_0', 'g_ding', ?, 3, 'checked_in', 's_old', ?)`, out.Add(-72*time.Hour).In(Shanghai).Format(preferences.DateLayout), at(out))
	x(t, `INSERT INTO feedback (id, guest_id, stay_id, kind, text, created_at) VALUES ('f_1', 'g_ding', 's_old', 'complaint', 'too sweet', ?)`, at(out))
	x(t, `INSERT INTO follow_ups (id, guest_id, feedback_id, text, created_at) VALUES ('fu_1', 'g_ding', 'f_1', 'less sugar', ?)`, at(out))
	for _, u := range [][2]string{{"mgr", "manager"}, {"desk", "frontdesk"}} {
		x(t, `INSERT INTO staff_users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)`, "u_"+u[0], u[0], u[1], at(out))
		x(t, `INSERT INTO api_tokens (id, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			"t_"+u[0], u[0], u[1], []byte("hash-"+u[0]), at(out))
	}
	x(t, `INSERT INTO api_tokens (id, name, role, token_hash, created_at) VALUES ('t_lobby', 'lobby', 'kiosk', ?, ?)`, []byte("hash-lobby"), at(out))
	x(t, `INSERT INTO kiosk_throttles (device_id, kiosk, failures, at, until, token_id) VALUES ('t_lobby', 'lobby', 5, ?, ?, 't_lobby')`,
		at(Start.Add(-time.Hour)), at(Start.Add(-time.Hour+5*time.Minute)))

	s, repo, _ := ServiceRepo(t, old.Open)
	list, err := s.Properties(ctx)
	if err != nil || len(list) != 1 || list[0].Code != preferences.MainPropertyCode || list[0].ID != preferences.MainPropertyID {
		t.Fatalf("properties after the upgrade = %+v, %v; want MAIN alone", list, err)
	}
	if err := s.ConfigureProperty(ctx, "", "West Lake"); err != nil {
		t.Fatal(err)
	}
	main := preferences.Actor{ID: "u_x", Name: "x", Role: preferences.RoleFrontDesk, PropertyID: preferences.MainPropertyID}
	rooms, err := s.Rooms(ctx, main)
	if err != nil || len(rooms) != 2 || rooms[0].Number != "1208" || rooms[0].Occupied || !rooms[1].Occupied {
		t.Fatalf("MAIN's rooms = %+v, %v", rooms, err)
	}
	r, err := s.Recognition(ctx, main, "g_ding")
	if err != nil || r.StaysCount != 1 || r.LastStay == nil || r.LastStay.Room != "1208" || r.LastStay.Property != "MAIN" ||
		r.LastStay.PropertyName != "West Lake" || r.LastStay.Nights != 3 || r.Arrival == nil || r.Arrival.ID != "a_1" ||
		len(r.FollowUps) != 1 || r.FirstStayHere || !r.Returning {
		t.Fatalf("Mr. Ding's card after the upgrade = %+v, %v", r, err)
	}
	maid := Maid
	maid.PropertyID = preferences.MainPropertyID
	board, err := s.HousekeepingBoard(ctx, maid)
	if err != nil || len(board) != 1 || board[0].Room != "2101" || len(board[0].Allergies) != 1 {
		t.Fatalf("MAIN's board = %+v, %v", board, err)
	}
	kiosk := preferences.Actor{Name: "lobby", Role: preferences.RoleKiosk, TokenID: "t_lobby", PropertyID: preferences.MainPropertyID}
	if locks, err := s.KioskThrottles(ctx, kiosk, Start.Add(-24*time.Hour)); err != nil || len(locks) != 1 {
		t.Fatalf("MAIN's kiosk lock-outs = %+v, %v", locks, err)
	}
	scopes := map[string]string{}
	err = repo.Read(ctx, func(tx preferences.Tx) error {
		for _, name := range []string{"mgr", "desk"} {
			u, err := tx.UserByName(ctx, name)
			if err != nil {
				return err
			}
			scopes["user "+name] = u.PropertyID
		}
		for _, name := range []string{"mgr", "desk", "lobby"} {
			tokens, err := tx.TokensNamed(ctx, name)
			if err != nil || len(tokens) != 1 {
				t.Fatalf("tokens named %s = %+v, %v", name, tokens, err)
			}
			scopes["token "+name] = tokens[0].PropertyID
		}
		return nil
	})
	want := map[string]string{"user mgr": "", "token mgr": "", "user desk": preferences.MainPropertyID,
		"token desk": preferences.MainPropertyID, "token lobby": preferences.MainPropertyID}
	if err != nil || !maps.Equal(scopes, want) {
		t.Fatalf("scopes after the upgrade = %v, %v; want %v", scopes, err, want)
	}
	// The rows keep working: Mr. Ding checks in to the room he had, with today's arrival.
	st, err := s.CheckIn(ctx, main, "g_ding", "1208", 0)
	if err != nil || st.PlannedNights != 2 || st.Property != "MAIN" {
		t.Fatalf("check-in after the upgrade = %+v, %v", st, err)
	}
	stays, err := s.GuestStays(ctx, main, "g_ding")
	if err != nil || len(stays) != 2 || !slices.ContainsFunc(stays, func(s preferences.Stay) bool { return s.ID == "s_old" }) {
		t.Fatalf("Mr. Ding's stays = %+v, %v", stays, err)
	}
}
