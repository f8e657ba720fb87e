package scheduler_test

import (
	"testing"
	"time"

	"regulars/preferences"
	"regulars/scheduler"
)

// The real gocron job on a fake clock: each guest is greeted at 09:00 in their own zone,
// exactly once, and nothing more is sent later.
func TestBirthdayAtNineInEachGuestsZone(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 8, 58, 30, 0, shanghai))
	e.guest(guestSpec{family: "丁", given: "伟", email: "ding@example.cn", birthday: "1975-05-12", zone: "Asia/Shanghai"})
	e.guest(guestSpec{family: "王", email: "wang@example.cn", birthday: "1980-05-12"}) // no zone: the hotel's
	e.guest(guestSpec{family: "Lovelace", given: "Ada", email: "ada@example.com", birthday: "1985-05-12", zone: "America/New_York"})
	e.guest(guestSpec{family: "李", email: "li@example.cn", birthday: "1990-05-13", zone: "Asia/Shanghai"}) // tomorrow
	e.start(e.s)

	e.advance(time.Minute, 1) // 08:59:30, the 08:59 run
	e.wantReceived(map[string]int{})
	e.advance(time.Minute, 1) // the 09:00 run
	e.wantReceived(map[string]int{"ding@example.cn": 1, "wang@example.cn": 1})
	for i := 0; i < 5; i++ {
		e.advance(time.Minute, 1)
	}
	e.wantReceived(map[string]int{"ding@example.cn": 1, "wang@example.cn": 1})

	// New York's 09:00 on 12 May is 21:00 in Shanghai.
	e.advanceTo(time.Date(2026, 5, 12, 20, 59, 30, 0, shanghai))
	e.wantReceived(map[string]int{"ding@example.cn": 1, "wang@example.cn": 1})
	e.advance(time.Minute, 1)
	if got := e.clock.Now().In(newYork); got.Hour() != 9 {
		t.Fatalf("clock is %s in New York", got)
	}
	e.wantReceived(map[string]int{"ding@example.cn": 1, "wang@example.cn": 1, "ada@example.com": 1})

	// On through the next Shanghai morning: 李 gets theirs, nobody a second one.
	e.advanceTo(time.Date(2026, 5, 13, 9, 0, 30, 0, shanghai))
	e.advance(10*time.Minute, 1)
	e.wantReceived(map[string]int{"ding@example.cn": 1, "wang@example.cn": 1, "ada@example.com": 1, "li@example.cn": 1})
	if n := len(e.messages(preferences.OutboxSent)); n != 4 {
		t.Fatalf("%d messages sent in the outbox, want 4", n)
	}
}

// Down at 09:00 and back at 15:00: the greeting still goes out that day.
func TestBirthdayCatchesUpTheSameDay(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 15, 0, 30, 0, shanghai))
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12", zone: "Asia/Shanghai"})
	e.start(e.s)
	e.advance(time.Minute, 1)
	e.wantReceived(map[string]int{"ding@example.cn": 1})
}

// With no grace (REGULARS_BIRTHDAY_GRACE=0), down all of the birthday and back the next
// day: no late greeting.
func TestBirthdayNeverTheNextDayWithoutGrace(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 13, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) { c.BirthdayGrace = -1 })
	id := e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12", zone: "Asia/Shanghai"})
	e.start(e.s)
	e.advance(time.Minute, 1)
	e.advance(time.Hour, 1)
	e.wantReceived(map[string]int{})
	if ex := e.explain(preferences.OutreachBirthday, id, "2026-05-13"); ex.Eligible || joinReasons(ex) != "birthday is not on 2026-05-13" {
		t.Fatalf("explain = %+v", ex)
	}
}

// 29 February birthdays are greeted on 28 February in other years, on the 29th in leap
// years, and once only.
func TestBirthdayLeapDay(t *testing.T) {
	e := newEnv(t, time.Date(2027, 2, 28, 8, 59, 30, 0, shanghai))
	id := e.guest(guestSpec{family: "闰", email: "leap@example.cn", birthday: "1996-02-29", zone: "Asia/Shanghai"})
	e.guest(guestSpec{family: "Feb", email: "feb28@example.com", birthday: "1990-02-28", zone: "Asia/Shanghai"})
	e.start(e.s)
	e.advance(time.Minute, 1)
	e.wantReceived(map[string]int{"leap@example.cn": 1, "feb28@example.com": 1})
	e.advanceTo(time.Date(2027, 3, 1, 9, 0, 30, 0, shanghai))
	e.advance(time.Minute, 1)
	e.wantReceived(map[string]int{"leap@example.cn": 1, "feb28@example.com": 1})

	// 2028 is a leap year: not on the 28th, on the 29th.
	if ex := e.explain(preferences.OutreachBirthday, id, "2028-02-28"); ex.Eligible {
		t.Fatalf("leap-day guest eligible on 28 Feb of a leap year: %+v", ex)
	}
	if ex := e.explain(preferences.OutreachBirthday, id, "2028-02-29"); !ex.Eligible || ex.Period != "2028" {
		t.Fatalf("explain 2028-02-29 = %+v", ex)
	}
	if ex := e.explain(preferences.OutreachBirthday, id, "2027-02-28"); ex.Eligible || joinReasons(ex) != "already greeted for 2027: message sent" {
		t.Fatalf("explain after sending = %+v", ex)
	}
}
