package web

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"regulars/preferences"
)

// benchCard is a card as the desk sees one: a returning guest with preferences, stays,
// a follow-up, notes and ten suggested rooms.
func benchCard() preferences.Recognition {
	at := time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC)
	out := at.Add(72 * time.Hour)
	card := preferences.Recognition{
		Guest: preferences.Guest{ID: "g_01JD6Z7Q3K", FamilyName: "丁", GivenName: "伟", Salutation: "丁总",
			Email: "ding.wei@example.com", Phone: "+86 138 0013 8000", Birthday: "1975-05-12", Language: "zh",
			TimeZone: "Asia/Shanghai", MarketingConsent: true,
			Consent:   &preferences.ConsentEvent{Granted: true, At: at, Channel: "desk", By: "Li Na"},
			Documents: []preferences.Document{{Type: "cn_resident_id", Last4: "0038"}}, CreatedAt: at, UpdatedAt: at},
		Greeting: "欢迎回来，丁总", Returning: true, StaysCount: 7,
		LastStay: &preferences.Stay{ID: "s_1", GuestID: "g_01JD6Z7Q3K", Room: "2102", Floor: 21, CheckIn: at, CheckOut: &out, Nights: 3, PlannedNights: 3, Spend: "4280.00"},
		Preferences: preferences.Preferences{
			Room:         preferences.RoomPrefs{MinFloor: 15, View: "river", Bed: "king", Quiet: true, Features: []string{"bathtub", "away_from_lift"}},
			Dining:       preferences.DiningPrefs{Breakfast: "congee, no coriander", Dietary: []string{"no_pork"}},
			Allergies:    []preferences.Allergy{{Allergen: "detergent", Severity: "severe", Instructions: "soap only, no detergent"}},
			Housekeeping: preferences.HousekeepingPrefs{Laundry: "soap only, no detergent", Amenities: []string{"extra pillow"}},
			Notes:        "Prefers the river side; tea: longjing.",
		},
		FollowUps: []preferences.FollowUp{{ID: "f_1", FeedbackID: "fb_1", Text: "Apologise for the noise last stay", CreatedAt: at}},
		Notes:     []preferences.Note{{ID: "n_1", Department: "housekeeping", Text: "Do not disturb before 10:00", CreatedAt: at, CreatedBy: "Li Na"}},
	}
	for i := range 10 {
		card.SuggestedRooms = append(card.SuggestedRooms, preferences.SuggestedRoom{Number: fmt.Sprint(2100 + i), Floor: 21,
			View: "river", Bed: "king", Score: 90 - i, Reasons: []string{"river view", "king bed", "quiet"}})
	}
	return card
}

// BenchmarkCardJSON encodes the recognition card and the look-up result (its guest).
func BenchmarkCardJSON(b *testing.B) {
	card := benchCard()
	for _, v := range []struct {
		name  string
		value any
	}{{"Marshal", &card}, {"GuestMarshal", &card.Guest}} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(v.value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
