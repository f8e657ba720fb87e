package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
	"regulars/preferences"
	"regulars/scheduler"
)

// A group of two properties in different zones, served by two instances on one database
// and a fake clock: each lapse letter goes at 10:00 in the zone of the guest's last stay's
// property, once; a guest with stays at both gets one birthday letter; each letter names
// the property of the last stay with its address and phone, none when it has none.
func TestGroupLettersAtEachPropertysHour(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 16, 8, 58, 30, 0, shanghai))
	ctx := context.Background()
	if _, err := e.db.AddProperty(ctx, preferences.Property{Code: "NY", Name: "Hudson Hotel", TimeZone: "America/New_York",
		Address: "1 Hudson St, New York", Phone: "+1 212 555 0100"}); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"MAIN", "NY"} {
		if _, err := e.db.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager, Chosen: code},
			preferences.Room{Number: "2102", Floor: 21, Bed: "king"}); err != nil {
			t.Fatal(err)
		}
	}
	stayAt := func(code, guestID string, out time.Time) {
		t.Helper()
		st := pastStay(guestID, out)
		st.Property = code
		if err := e.db.RecordPastStay(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	atMain := e.guest(guestSpec{family: "Qian", email: "qian@example.cn", lang: "en"})
	stayAt("MAIN", atMain, time.Date(2024, 3, 15, 12, 0, 0, 0, shanghai))
	atNY := e.guest(guestSpec{family: "Ding", email: "ding@example.cn", lang: "zh"})
	stayAt("MAIN", atNY, time.Date(2023, 3, 15, 12, 0, 0, 0, shanghai))
	stayAt("NY", atNY, time.Date(2024, 3, 15, 12, 0, 0, 0, newYork))
	both := e.guest(guestSpec{family: "Lovelace", email: "ada@example.com", birthday: "1985-03-16", zone: "Asia/Shanghai", lang: "en"})
	stayAt("NY", both, time.Date(2025, 1, 10, 12, 0, 0, 0, newYork))
	stayAt("MAIN", both, time.Date(2025, 6, 10, 12, 0, 0, 0, shanghai))

	other := e.newScheduler(e.open(), e.mailer(e.sink.Addr)) // a second instance
	advanceTo := func(at time.Time) {                        // each jump fires one run of each instance
		for e.clock.Now().Before(at) {
			e.advance(at.Sub(e.clock.Now()), 2)
		}
	}
	e.start(e.s)
	e.start(other)
	e.advance(time.Minute, 2) // the 08:59 run
	e.wantReceived(map[string]int{})
	e.advance(time.Minute, 2) // 09:00: the birthday, once for the group
	e.wantReceived(map[string]int{"ada@example.com": 1})
	advanceTo(time.Date(2026, 3, 16, 9, 59, 30, 0, shanghai))
	e.advance(time.Minute, 2) // 10:00 in Shanghai: MAIN's lapse letters; New York's date is still the 15th
	e.wantReceived(map[string]int{"ada@example.com": 1, "qian@example.cn": 1})
	// 10:00 in New York on 16 March (daylight time) is 22:00 in Shanghai.
	advanceTo(time.Date(2026, 3, 16, 21, 59, 30, 0, shanghai))
	e.wantReceived(map[string]int{"ada@example.com": 1, "qian@example.cn": 1})
	e.advance(time.Minute, 2)
	e.wantReceived(map[string]int{"ada@example.com": 1, "qian@example.cn": 1, "ding@example.cn": 1})
	e.advance(time.Hour, 2)
	e.wantReceived(map[string]int{"ada@example.com": 1, "qian@example.cn": 1, "ding@example.cn": 1})

	texts := map[string]string{}
	for _, m := range e.messages(preferences.OutboxSent) {
		full, err := e.db.OutreachMessage(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		texts[m.GuestID] = full.Subject + "\n" + full.Text + "\n" + full.HTML
		if m.GuestID == atNY && m.Period != "2024-03-15" {
			t.Errorf("the lapse at the Hudson is for %s, want its check-out date in New York, 2024-03-15", m.Period)
		}
	}
	for id, want := range map[string][]string{
		atNY:   {"Hudson Hotel想念您", "地址:1 Hudson St, New York", "电话:+1 212 555 0100", "<br>地址:1 Hudson St, New York"},
		atMain: {"We miss you at " + e.cfg.HotelName},
		both:   {"Happy birthday from " + e.cfg.HotelName},
	} {
		for _, w := range want {
			if !strings.Contains(texts[id], w) {
				t.Errorf("letter to %s lacks %q:\n%s", id, w, texts[id])
			}
		}
	}
	for _, id := range []string{atMain, both} { // MAIN has no address or phone: no empty lines for them
		if strings.Contains(texts[id], "Tel.") || strings.Contains(texts[id], "<br>") {
			t.Errorf("letter from MAIN shows contact details it has none of:\n%s", texts[id])
		}
	}
	if ex := e.explain(preferences.OutreachLapse, atNY, "2026-03-16"); ex.LastStay == nil || ex.LastStay.Property.Code != "NY" {
		t.Fatalf("explain names %+v", ex.LastStay)
	}
}

// Through the service's API: the letter of a guest last seen at another property of the
// group comes from it; explain names that stay and property (validated against the
// OpenAPI document); the birthday letter's unsubscribe link stops the lapse letter too.
func TestGroupExplainAndUnsubscribeThroughTheAPI(t *testing.T) {
	a, sink := startApp(t)
	ctx := context.Background()
	if _, err := a.Store.AddProperty(ctx, preferences.Property{Code: "WL", Name: "West Lake Hotel", TimeZone: "Asia/Shanghai",
		Address: "18 Beishan Road, Hangzhou"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager, Chosen: "WL"},
		preferences.Room{Number: "2102", Floor: 21, Bed: "king"}); err != nil {
		t.Fatal(err)
	}
	day, birthday := comingBirthday(a)
	g, err := a.Store.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: ptr("Lovelace"), Email: ptr("ada@example.com"),
		Birthday: ptr(birthday), MarketingConsent: yes, Language: ptr("en")})
	if err != nil {
		t.Fatal(err)
	}
	out := time.Now().AddDate(-1, 0, 0).Truncate(time.Second)
	st := pastStay(g.ID, out)
	st.Property = "WL"
	if err := a.Store.RecordPastStay(ctx, st); err != nil {
		t.Fatal(err)
	}
	manager := testkit.Token(t, a, preferences.RoleManager)
	var ex scheduler.Explanation
	res := testkit.Call(t, a, "GET", "/api/outreach/lapse/explain/"+g.ID+"?date="+day, manager, nil)
	if res.JSON(t, &ex); res.Status != 200 || ex.LastStay == nil || ex.LastStay.Property.Code != "WL" ||
		ex.LastStay.Property.Address != "18 Beishan Road, Hangzhou" || !ex.LastStay.CheckOut.Equal(out) {
		t.Fatalf("explain = %d %s", res.Status, res.Body)
	}
	if r, err := a.Outreach.Run(ctx, preferences.OutreachBirthday, day, false); err != nil || len(r) != 1 || r[0].Status != preferences.OutboxSent {
		t.Fatalf("birthday run = %+v, %v", r, err)
	}
	if msgs := sink.Messages(); len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "West Lake Hotel") {
		t.Fatalf("the birthday letter does not come from West Lake: %d messages", len(msgs))
	}
	if res := testkit.Call(t, a, "POST", "/u/"+a.Outreach.Unsubscriber().Token(g.ID), "", "List-Unsubscribe=One-Click"); res.Status != 200 {
		t.Fatalf("unsubscribe = %d", res.Status)
	}
	lapseDay := out.AddDate(0, 0, 731).In(a.Config.Location).Format(preferences.DateLayout)
	res = testkit.Call(t, a, "GET", "/api/outreach/lapse/explain/"+g.ID+"?date="+lapseDay, manager, nil)
	if res.JSON(t, &ex); res.Status != 200 || ex.Eligible || !strings.Contains(joinReasons(ex), "unsubscribed") {
		t.Fatalf("the lapse letter after the birthday letter's unsubscribe: %d %s", res.Status, res.Body)
	}
}
