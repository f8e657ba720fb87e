package preferences_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

func sp(s string) *string { return &s }

func TestGuestFieldsValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    preferences.GuestFields
		field string
	}{
		{"ErrFamilyNameMissing", preferences.GuestFields{GivenName: sp("Wei")}, "family_name"},
		{"ErrEmail", preferences.GuestFields{FamilyName: sp("Ding"), Email: sp("ding@")}, "email"},
		{"ErrEmailDisplayName", preferences.GuestFields{FamilyName: sp("Ding"), Email: sp("Ding <ding@example.com>")}, "email"},
		{"ErrLanguage", preferences.GuestFields{FamilyName: sp("Ding"), Language: sp("fr")}, "language"},
		{"ErrZone", preferences.GuestFields{FamilyName: sp("Ding"), TimeZone: sp("Mars/Olympus")}, "time_zone"},
		{"ErrZoneLocal", preferences.GuestFields{FamilyName: sp("Ding"), TimeZone: sp("Local")}, "time_zone"},
		{"ErrBirthday", preferences.GuestFields{FamilyName: sp("Ding"), Birthday: sp("1975-02-30")}, "birthday"},
		{"ErrBirthdayFuture", preferences.GuestFields{FamilyName: sp("Ding"), Birthday: sp("2030-01-01")}, "birthday"},
		{"ErrNameTooLong", preferences.GuestFields{FamilyName: sp(strings.Repeat("丁", 101))}, "family_name"},
		{"ErrControl", preferences.GuestFields{FamilyName: sp("Ding\x07")}, "family_name"},
		{"ErrPhoneNoDigits", preferences.GuestFields{FamilyName: sp("Ding"), Phone: sp("call me")}, "phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Normalize()
			err := tt.in.Validate(true, today)
			e, ok := err.(*preferences.Error)
			if !ok || e.Code != preferences.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Fatalf("got %#v, want an invalid %s", err, tt.field)
			}
		})
	}
	ok := preferences.GuestFields{FamilyName: sp(" 丁 "), Email: sp("Ding@Example.com"), TimeZone: sp("Asia/Shanghai"), Birthday: sp("1975-05-12")}
	ok.Normalize()
	if err := ok.Validate(true, today); err != nil {
		t.Fatal(err)
	}
	if *ok.FamilyName != "丁" || *ok.Email != "ding@example.com" {
		t.Fatalf("not normalized: %q %q", *ok.FamilyName, *ok.Email)
	}
}

func TestPreferencesValidate(t *testing.T) {
	p := preferences.Preferences{
		Room:      preferences.RoomPrefs{MinFloor: 201, Bed: "waterbed", View: "River View!", Features: []string{"Internet"}},
		Allergies: []preferences.Allergy{{Allergen: "", Severity: "deadly"}},
		Notes:     strings.Repeat("n", preferences.MaxNotesLen+1),
	}
	p.Normalize()
	err := p.Validate()
	e, ok := err.(*preferences.Error)
	if !ok {
		t.Fatalf("got %v", err)
	}
	got := map[string]bool{}
	for _, f := range e.Fields {
		got[f.Field] = true
	}
	for _, want := range []string{"room.min_floor", "room.bed", "room.view", "allergies[0].allergen", "allergies[0].severity", "notes"} {
		if !got[want] {
			t.Errorf("no error for %s in %v", want, e.Fields)
		}
	}
	if got["room.features[0]"] {
		t.Error("features are lower-cased before validation")
	}
}

func TestPasswordHash(t *testing.T) {
	h := preferences.HashPassword("correct horse")
	if strings.Contains(h, "correct horse") || !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash = %q", h)
	}
	if !preferences.CheckPassword(h, "correct horse") || preferences.CheckPassword(h, "correct horsE") {
		t.Fatal("password check is wrong")
	}
	if first, second := preferences.HashPassword("x"), preferences.HashPassword("x"); first == second {
		t.Fatal("hashes are not salted")
	}
}

func TestCheckNewGuest(t *testing.T) {
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	docs := func(d ...preferences.DocumentInput) *[]preferences.DocumentInput { return &d }
	ding := preferences.DocumentInput{Type: preferences.DocCNResidentID, Number: "110105 19750512 0038"}
	g, err := preferences.CheckNewGuest(&preferences.GuestFields{FamilyName: sp(" 丁 "), Documents: docs(ding)}, today)
	if err != nil || g.FamilyName != "丁" || g.Birthday != "1975-05-12" || g.Language != preferences.LangZH {
		t.Fatalf("%+v %v", g, err)
	}
	tests := []struct {
		name  string
		in    preferences.GuestFields
		field string
	}{
		{"ErrCheckDigit", preferences.GuestFields{FamilyName: sp("Ding"), Documents: docs(preferences.DocumentInput{Type: preferences.DocCNResidentID, Number: "110105197505120039"})}, "documents[0].number"},
		{"ErrTwice", preferences.GuestFields{FamilyName: sp("Ding"), Documents: docs(ding, ding)}, "documents[1]"},
		{"ErrBirthdayContradicts", preferences.GuestFields{FamilyName: sp("Ding"), Birthday: sp("1975-05-13"), Documents: docs(ding)}, "birthday"},
		{"ErrFields", preferences.GuestFields{FamilyName: sp("Ding"), TimeZone: sp("Mars/Olympus")}, "time_zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := preferences.CheckNewGuest(&tt.in, today)
			var e *preferences.Error
			if !errors.As(err, &e) || e.Code != preferences.EINVALID || e.Fields[0].Field != tt.field {
				t.Fatalf("err = %v, want a problem with %s", err, tt.field)
			}
			if strings.Contains(err.Error(), "1975051200") {
				t.Errorf("the error holds the number: %v", err)
			}
		})
	}
}
