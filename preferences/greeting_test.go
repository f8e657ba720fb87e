package preferences_test

import (
	"testing"
	"time"

	"regulars/preferences"
)

func TestGreeting(t *testing.T) {
	ding := preferences.Guest{FamilyName: "丁", GivenName: "伟", Salutation: "丁总", Language: "zh"}
	emma := preferences.Guest{FamilyName: "Thompson", GivenName: "Emma", Language: "en"}
	mr := preferences.Guest{FamilyName: "Ding", Salutation: "Mr. Ding", Language: "en"}
	tests := []struct {
		g         preferences.Guest
		returning bool
		want      string
	}{
		{ding, true, "丁总,欢迎您再次入住!"},
		{ding, false, "丁总,欢迎您入住!"},
		{mr, true, "Welcome back, Mr. Ding!"},
		{mr, false, "Welcome, Mr. Ding!"},
		{emma, true, "Welcome back, Emma Thompson!"},
		{preferences.Guest{FamilyName: "王", GivenName: "芳", Language: "zh"}, true, "王芳,欢迎您再次入住!"},
	}
	for _, tt := range tests {
		if got := preferences.Greeting(tt.g, tt.returning); got != tt.want {
			t.Errorf("Greeting(%s, %v) = %q, want %q", tt.g.DisplayName(), tt.returning, got, tt.want)
		}
	}
}

func TestBirthdayDuringStay(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(preferences.DateLayout, s); return d }
	tests := []struct {
		birthday, arrival string
		nights            int
		want              bool
	}{
		{"1975-05-12", "2026-05-10", 7, true},
		{"1975-05-12", "2026-05-12", 1, true},
		{"1975-05-12", "2026-05-05", 7, true}, // departure day
		{"1975-05-12", "2026-05-05", 6, false},
		{"1975-05-12", "2026-05-13", 3, false},
		{"1980-02-29", "2026-02-27", 1, true}, // 28 Feb in a common year
		{"1980-02-29", "2026-03-01", 3, false},
		{"1980-02-29", "2028-02-28", 0, false}, // leap year: 29 Feb, not 28
		{"1980-02-29", "2028-02-29", 1, true},
		{"1990-01-02", "2026-12-30", 5, true}, // across the new year
		{"", "2026-05-10", 7, false},
	}
	for _, tt := range tests {
		if got := preferences.BirthdayDuringStay(tt.birthday, day(tt.arrival), tt.nights); got != tt.want {
			t.Errorf("BirthdayDuringStay(%s, %s, %d) = %v, want %v", tt.birthday, tt.arrival, tt.nights, got, tt.want)
		}
	}
}

func TestValidateSpend(t *testing.T) {
	for _, ok := range []string{"", "0", "1234.50", "18650.00", "7.5"} {
		if err := preferences.ValidateSpend(ok); err != nil {
			t.Errorf("ValidateSpend(%q) = %v, want ok", ok, err)
		}
	}
	for _, bad := range []string{"-1", "12,50", "1e3", "abc", "01.00", "1.234", " 1"} {
		if err := preferences.ValidateSpend(bad); preferences.ErrorCode(err) != preferences.EINVALID {
			t.Errorf("ValidateSpend(%q) = %v, want EINVALID", bad, err)
		}
	}
}
