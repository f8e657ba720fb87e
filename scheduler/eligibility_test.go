package scheduler_test

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// Every exclusion shows in explain and keeps the letter out of the sink, for both jobs.
func TestExclusions(t *testing.T) {
	day := "2026-05-12"
	e := newEnv(t, time.Date(2026, 5, 12, 11, 0, 0, 0, shanghai))
	ctx := context.Background()
	if _, err := e.db.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager}, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}); err != nil {
		t.Fatal(err)
	}
	lastOut := time.Date(2024, 5, 8, 11, 0, 0, 0, shanghai) // 734 days before: lapsed
	past := func(id string) {
		t.Helper()
		err := e.db.RecordPastStay(ctx, preferences.PastStay{GuestID: id, Room: "2102", CheckIn: lastOut.AddDate(0, 0, -3), CheckOut: lastOut, Nights: 3})
		if err != nil {
			t.Fatal(err)
		}
	}
	mk := func(family, email string, consent *bool) string {
		id := e.guest(guestSpec{family: family, email: email, birthday: "1980-05-12", zone: "Asia/Shanghai", consent: consent})
		past(id)
		return id
	}
	ok := mk("Ok", "ok@example.com", yes)
	noConsent := e.guest(guestSpec{family: "NoConsent", email: "none@example.com", birthday: "1980-05-12", consent: no})
	noConsent2 := func() string { // never asked: consent not sent at all
		g, err := e.db.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: ptr("Never"), Email: ptr("never@example.com"), Birthday: ptr("1980-05-12")})
		if err != nil {
			t.Fatal(err)
		}
		past(g.ID)
		return g.ID
	}()
	withdrawn := mk("Withdrawn", "withdrawn@example.com", yes)
	if _, err := e.db.UpdateGuest(ctx, desk, withdrawn, preferences.GuestFields{MarketingConsent: no}); err != nil {
		t.Fatal(err)
	}
	unsubscribed := mk("Unsub", "unsub@example.com", yes)
	if err := e.db.RecordConsent(ctx, unsubscribed, false, preferences.ChannelEmailLink, "guest"); err != nil {
		t.Fatal(err)
	}
	noEmail := mk("NoEmail", "", yes)
	erased := mk("Erased", "erased@example.com", yes)
	if err := e.db.EraseGuest(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager}, erased); err != nil {
		t.Fatal(err)
	}
	inHouse := mk("InHouse", "inhouse@example.com", yes)
	if _, err := e.db.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager}, preferences.Room{Number: "801", Floor: 8, Bed: "twin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CheckIn(ctx, desk, inHouse, "801", 2); err != nil {
		t.Fatal(err)
	}
	arriving := mk("Arriving", "arriving@example.com", yes)
	if _, err := e.db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: arriving, ArrivalDate: "2026-06-01", Nights: 2}); err != nil {
		t.Fatal(err)
	}
	recent := e.guest(guestSpec{family: "Recent", email: "recent@example.com", birthday: "1980-01-01"})
	if err := e.db.RecordPastStay(ctx, preferences.PastStay{GuestID: recent, Room: "2102", CheckIn: time.Date(2025, 1, 1, 14, 0, 0, 0, shanghai), CheckOut: time.Date(2025, 1, 3, 11, 0, 0, 0, shanghai), Nights: 2}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, id        string
		birthday, lapse string
	}{
		{"eligible", ok, "", ""},
		{"no consent", noConsent, "no marketing consent", "no marketing consent; no past stay"},
		{"never asked", noConsent2, "no marketing consent", "no marketing consent"},
		{"withdrawn", withdrawn, "marketing consent withdrawn", "marketing consent withdrawn"},
		{"unsubscribed", unsubscribed, "unsubscribed", "unsubscribed"},
		{"no email", noEmail, "no email address", "no email address"},
		{"erased", erased, "erased", "erased"},
		{"in house", inHouse, "", "in house"},
		{"arrival ahead", arriving, "", "arrival expected on 2026-06-01"},
		{"not lapsed", recent, "birthday 131 days ago (2026-01-01), past the 2-day grace (REGULARS_BIRTHDAY_GRACE)", "last check-out on 2025-01-03 is not more than 730 days before 2026-05-12"},
	}
	for _, c := range cases {
		for kind, want := range map[preferences.OutreachKind]string{preferences.OutreachBirthday: c.birthday, preferences.OutreachLapse: c.lapse} {
			ex := e.explain(kind, c.id, day)
			if got := joinReasons(ex); got != want || ex.Eligible != (want == "") {
				t.Errorf("%s: explain %s = eligible %v %q, want %q", c.name, kind, ex.Eligible, got, want)
			}
		}
	}

	dry := e.run(preferences.OutreachLapse, day, true)
	if len(dry) != 1 || dry[0].GuestID != ok || dry[0].Status != "dry_run" {
		t.Fatalf("dry lapse run = %+v, want only %s", dry, ok)
	}
	e.wantReceived(map[string]int{})
	got := e.run(preferences.OutreachBirthday, day, false)
	e.run(preferences.OutreachLapse, day, false)
	e.wantReceived(map[string]int{"ok@example.com": 2, "inhouse@example.com": 1, "arriving@example.com": 1})
	if len(got) != 3 {
		t.Fatalf("birthday run = %+v", got)
	}
	for _, r := range got {
		if r.Status != preferences.OutboxSent {
			t.Fatalf("birthday run = %+v", got)
		}
	}
	// A second run of either job writes nothing more.
	if again := e.run(preferences.OutreachLapse, day, false); len(again) != 0 {
		t.Fatalf("second lapse run = %+v", again)
	}
	e.run(preferences.OutreachBirthday, day, false)
	e.wantReceived(map[string]int{"ok@example.com": 2, "inhouse@example.com": 1, "arriving@example.com": 1})
	if ex := e.explain(preferences.OutreachLapse, ok, day); joinReasons(ex) != "already written to for this lapse (last check-out 2024-05-08): message sent" {
		t.Fatalf("explain after the letter = %+v", ex)
	}
	// A new stay starts a new lapse.
	if err := e.db.RecordPastStay(ctx, preferences.PastStay{GuestID: ok, Room: "2102", CheckIn: time.Date(2026, 5, 1, 14, 0, 0, 0, shanghai), CheckOut: time.Date(2026, 5, 3, 11, 0, 0, 0, shanghai), Nights: 2}); err != nil {
		t.Fatal(err)
	}
	if ex := e.explain(preferences.OutreachLapse, ok, "2028-05-04"); !ex.Eligible || ex.Period != "2026-05-03" {
		t.Fatalf("explain of the next lapse = %+v", ex)
	}
}
