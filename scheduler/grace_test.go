package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/scheduler"
)

// Down from before the birthdays until 03:00 on 13 May: the first tick after the start
// greets, late and at once, the guests whose birthday was 1 or 2 days ago (the default
// 2-day grace), not the one whose birthday was 3 days ago; later ticks and a restart
// send nothing more.
func TestBirthdayMissedWhileDownGoesLateWithinGrace(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 13, 3, 0, 30, 0, shanghai))
	yesterday := e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12", zone: "Asia/Shanghai", lang: "zh"})
	twoDays := e.guest(guestSpec{family: "Lovelace", email: "ada@example.com", birthday: "1985-05-11", zone: "America/New_York", lang: "en"})
	threeDays := e.guest(guestSpec{family: "王", email: "wang@example.cn", birthday: "1980-05-10", zone: "Asia/Shanghai"})
	e.start(e.s)

	e.advance(time.Minute, 1) // 03:01 in Shanghai, 15:01 on 12 May in New York
	// In New York it is still 12 May: 11 May is 1 day ago there.
	e.wantReceived(map[string]int{"ding@example.cn": 1, "ada@example.com": 1})
	for _, m := range e.messages(preferences.OutboxSent) {
		if m.Period != "2026" {
			t.Errorf("message to %s: period %q, want the birthday's year", m.Email, m.Period)
		}
		if !strings.Contains(m.Text, "belated birthday") && !strings.Contains(m.Text, "前几天是您的生日") {
			t.Errorf("the late greeting to %s does not say it is late:\n%s", m.Email, m.Text)
		}
	}
	e.advanceTo(time.Date(2026, 5, 13, 9, 30, 30, 0, shanghai))
	e.wantReceived(map[string]int{"ding@example.cn": 1, "ada@example.com": 1})

	if ex := e.explain(preferences.OutreachBirthday, threeDays, "2026-05-13"); ex.Eligible ||
		joinReasons(ex) != "birthday 3 days ago (2026-05-10), past the 2-day grace (REGULARS_BIRTHDAY_GRACE)" {
		t.Fatalf("explain, 3 days late = %+v", ex)
	}
	if ex := e.explain(preferences.OutreachBirthday, yesterday, "2026-05-13"); ex.Eligible || joinReasons(ex) != "already greeted for 2026: message sent" {
		t.Fatalf("explain after the late greeting = %+v", ex)
	}
	if ex := e.explain(preferences.OutreachBirthday, twoDays, "2026-05-14"); ex.Eligible {
		t.Fatalf("explain of a greeted guest on the last day of the grace = %+v", ex)
	}

	// A restart (a new scheduler on the same database) writes nobody a second letter.
	e.s.Shutdown()
	e.s = e.newScheduler(e.db, e.mailer(e.sink.Addr))
	e.start(e.s)
	e.advance(time.Minute, 1)
	e.advanceTo(time.Date(2026, 5, 14, 9, 30, 30, 0, shanghai))
	e.wantReceived(map[string]int{"ding@example.cn": 1, "ada@example.com": 1})
}

// explain of a guest not greeted yet, inside and outside the grace.
func TestBirthdayGraceExplained(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 13, 12, 0, 0, 0, shanghai))
	id := e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12", zone: "Asia/Shanghai"})
	for day, want := range map[string]scheduler.Explanation{
		"2026-05-12": {Eligible: true, Reasons: []string{}, Period: "2026"},
		"2026-05-13": {Eligible: true, Reasons: []string{}, Period: "2026",
			Note: "birthday 1 day ago (2026-05-12), within the 2-day grace (REGULARS_BIRTHDAY_GRACE): sent late"},
		"2026-05-14": {Eligible: true, Reasons: []string{}, Period: "2026",
			Note: "birthday 2 days ago (2026-05-12), within the 2-day grace (REGULARS_BIRTHDAY_GRACE): sent late"},
		"2026-05-15": {Reasons: []string{"birthday 3 days ago (2026-05-12), past the 2-day grace (REGULARS_BIRTHDAY_GRACE)"}, Period: "2026"},
	} {
		if got := e.explain(preferences.OutreachBirthday, id, day); got.Eligible != want.Eligible || got.Note != want.Note ||
			got.Period != want.Period || joinReasons(got) != joinReasons(want) {
			t.Errorf("explain on %s = %+v, want %+v", day, got, want)
		}
	}
}

// A birthday on 31 December greeted late on 1 January is the greeting of the old year:
// the guest is greeted once for it and again on their next birthday.
func TestBirthdayGraceAcrossNewYear(t *testing.T) {
	e := newEnv(t, time.Date(2027, 1, 1, 8, 0, 30, 0, shanghai))
	e.guest(guestSpec{family: "年", email: "nye@example.cn", birthday: "1970-12-31", zone: "Asia/Shanghai"})
	e.guest(guestSpec{family: "元", email: "jan1@example.cn", birthday: "1970-01-01", zone: "Asia/Shanghai"})
	e.start(e.s)
	e.advance(time.Minute, 1) // 08:01: the late greeting; 1 January's waits for 09:00
	e.wantReceived(map[string]int{"nye@example.cn": 1})
	e.advanceTo(time.Date(2027, 1, 1, 9, 0, 30, 0, shanghai))
	e.wantReceived(map[string]int{"nye@example.cn": 1, "jan1@example.cn": 1})
	periods := map[string]string{}
	for _, m := range e.messages(preferences.OutboxSent) {
		periods[m.Email] = m.Period
	}
	if periods["nye@example.cn"] != "2026" || periods["jan1@example.cn"] != "2027" {
		t.Fatalf("periods %v", periods)
	}
}

// 29 February in a year without one is celebrated on 28 February: missed on that day, it
// goes out late on 2 March (2 days later), never on 3 March.
func TestBirthdayGraceLeapDay(t *testing.T) {
	for _, c := range []struct {
		back time.Time
		want map[string]int
	}{
		{time.Date(2027, 3, 2, 23, 58, 30, 0, shanghai), map[string]int{"leap@example.cn": 1}},
		{time.Date(2027, 3, 3, 0, 0, 30, 0, shanghai), map[string]int{}},
	} {
		e := newEnv(t, c.back)
		id := e.guest(guestSpec{family: "闰", email: "leap@example.cn", birthday: "1996-02-29", zone: "Asia/Shanghai"})
		e.start(e.s)
		e.advance(time.Minute, 1)
		e.advance(time.Minute, 1)
		e.wantReceived(c.want)
		if len(c.want) == 0 {
			if ex := e.explain(preferences.OutreachBirthday, id, "2027-03-03"); ex.Eligible ||
				joinReasons(ex) != "birthday 3 days ago (2027-02-28), past the 2-day grace (REGULARS_BIRTHDAY_GRACE)" {
				t.Fatalf("explain = %+v", ex)
			}
		} else if m := e.messages(preferences.OutboxSent); len(m) != 1 || m[0].Period != "2027" {
			t.Fatalf("sent %+v", m)
		}
	}
}

// REGULARS_LAPSE_WINDOW decides how long after the lapse the letter may still go: a guest
// who lapsed 5 days ago gets it with the default 7 days, not with 3.
func TestLapseWindowSetting(t *testing.T) {
	day := "2026-05-12"
	for _, c := range []struct {
		window int
		want   []string
	}{{0, []string{"lapsed5@example.com", "lapsed2@example.com"}}, {3, []string{"lapsed2@example.com"}}} {
		e := newEnv(t, time.Date(2026, 5, 12, 11, 0, 0, 0, shanghai), func(cfg *scheduler.Config) { cfg.LapseWindow = c.window })
		// 730 days before 12 May 2026 is 12 May 2024: lapsed 2 and 5 days ago.
		five := e.guest(guestSpec{family: "Five", email: "lapsed5@example.com"})
		mustPastStay(t, e, five, time.Date(2024, 5, 7, 11, 0, 0, 0, shanghai))
		two := e.guest(guestSpec{family: "Two", email: "lapsed2@example.com"})
		mustPastStay(t, e, two, time.Date(2024, 5, 10, 11, 0, 0, 0, shanghai))
		var got []string
		for _, r := range e.run(preferences.OutreachLapse, day, true) {
			got = append(got, r.Email)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("window %d: recipients %v, want %v", c.window, got, c.want)
		}
		if c.window == 3 {
			want := "lapsed more than 3 days before 2026-05-12 (last check-out 2024-05-07); a lapse is written about only within that window (REGULARS_LAPSE_WINDOW)"
			if ex := e.explain(preferences.OutreachLapse, five, day); ex.Eligible || joinReasons(ex) != want {
				t.Errorf("explain = %+v", ex)
			}
		}
	}
}
