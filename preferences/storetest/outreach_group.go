package storetest

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// testOutreachGroup covers the letters of a group of two properties in different zones:
// the lapse counts from the last check-out anywhere in the group, in the zone of that
// stay's property; a birthday letter is one a year from the group; the explanation
// names the stay and property it used; an unsubscribe stops every letter.
func testOutreachGroup(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, _ := ServiceRepo(t, open)
	o := outreachOf(t, s)
	lapse, birthday := preferences.OutreachLapse, preferences.OutreachBirthday
	ny, err := s.AddProperty(ctx, preferences.Property{Code: "NY", Name: "Hudson Hotel", TimeZone: "America/New_York",
		Address: "1 Hudson St, New York", Phone: "+1 212 555 0100"})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"MAIN", "NY"} {
		if _, err := s.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager, Chosen: code},
			preferences.Room{Number: "1501", Floor: 15, Bed: "king"}); err != nil {
			t.Fatal(err)
		}
	}
	stayAt := func(code, guestID string, out time.Time) {
		t.Helper()
		err := s.RecordPastStay(ctx, preferences.PastStay{Property: code, GuestID: guestID, Room: "1501",
			CheckIn: out.Add(-48 * time.Hour), CheckOut: out, Nights: 2})
		if err != nil {
			t.Fatal(err)
		}
	}
	day := "2026-03-16"
	// 2024-03-16 05:00 in Shanghai is 2024-03-15 17:00 in New York: 730 days before
	// 2026-03-16 at the Hudson, not yet at MAIN.
	out := time.Date(2024, 3, 16, 5, 0, 0, 0, Shanghai)
	atNY := Contactable(t, s, "Ding", "ding@example.cn", "1980-03-16")
	stayAt("MAIN", atNY.ID, out.AddDate(-1, 0, 0))
	stayAt("NY", atNY.ID, out)
	atMain := Contactable(t, s, "Qian", "qian@example.cn", "")
	stayAt("MAIN", atMain.ID, out)
	// Lapsed at MAIN, but stayed at the Hudson since: not lapsed in the group.
	cameBack := Contactable(t, s, "Wu", "wu@example.cn", "")
	stayAt("MAIN", cameBack.ID, out.Add(-time.Hour))
	stayAt("NY", cameBack.ID, Start.AddDate(0, -1, 0))

	o.wantPicks(lapse, day, map[string]string{atNY.ID: "2024-03-15"})
	o.wantReason(lapse, atMain.ID, day, "last check-out on 2024-03-16 is not more than 730 days before 2026-03-16")
	o.wantReason(lapse, cameBack.ID, day, "is not more than 730 days before")
	o.wantPicks(lapse, "2026-03-17", map[string]string{atNY.ID: "2024-03-15", atMain.ID: "2024-03-16"})

	t.Run("ExplainNamesStayAndProperty", func(t *testing.T) {
		ex := o.explain(lapse, atNY.ID, day)
		st := ex.LastStay
		if !ex.Eligible || st == nil || st.ID == "" || !st.CheckOut.Equal(out) || st.Property.Code != "NY" ||
			st.Property.Name != "Hudson Hotel" || st.Property.Address != "1 Hudson St, New York" || st.Property.Phone != "+1 212 555 0100" {
			t.Fatalf("explained %+v (last stay %+v)", ex, st)
		}
		ex = o.explain(lapse, cameBack.ID, day)
		if ex.LastStay == nil || ex.LastStay.Property.Code != "NY" {
			t.Fatalf("the guest who came back: last stay %+v", ex.LastStay)
		}
		never := Contactable(t, s, "Han", "han@example.cn", "")
		if ex := o.explain(lapse, never.ID, day); ex.LastStay != nil {
			t.Fatalf("a guest who never stayed: last stay %+v", ex.LastStay)
		}
		cands, err := s.BirthdayCandidates(ctx, []string{"03-16"}, "2026", day)
		if err != nil || len(cands) != 1 || cands[0].LastStay == nil || cands[0].LastStay.Property.ID != ny.ID {
			t.Fatalf("birthday candidates %+v, %v", cands, err)
		}
	})
	t.Run("OneBirthdayLetterForTheGroup", func(t *testing.T) {
		o.wantPicks(birthday, day, map[string]string{atNY.ID: "2026"})
		// What each property's run would queue: the first letter only.
		if created := o.queue(Letter(atNY, birthday, "2026"), Letter(atNY, birthday, "2026")); len(created) != 1 {
			t.Fatalf("queued %d birthday letters for one guest, want 1", len(created))
		}
		o.wantPicks(birthday, day, map[string]string{})
		o.wantReason(birthday, atNY.ID, day, "already greeted for 2026")
	})
	t.Run("UnsubscribeIsGroupWide", func(t *testing.T) {
		decide(t, repo, atNY.ID, false, preferences.ChannelEmailLink)
		o.wantPicks(lapse, day, map[string]string{})
		o.wantReason(lapse, atNY.ID, day, "unsubscribed")
	})
}
