package demo

import (
	"context"
	"time"

	"regulars/preferences"
)

type demoGuest struct {
	fields preferences.GuestFields
	prefs  *preferences.Preferences
	stays  []pastStay
}

type pastStay struct {
	room    string
	daysAgo int // check-out this many days before today
	nights  int
	spend   string
}

func str(s string) *string { return &s }
func yes(b bool) *bool     { return &b }
func docs(t, n string) *[]preferences.DocumentInput {
	return &[]preferences.DocumentInput{{Type: t, Number: n}}
}

// demoGuests are a dozen guests; Mr. Ding is the one from the product story.
func demoGuests(today time.Time) []demoGuest {
	birthdayToday := time.Date(1988, today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if today.Month() == time.February && today.Day() == 29 {
		birthdayToday = birthdayToday.AddDate(0, 0, -1)
	}
	return []demoGuest{
		{
			fields: preferences.GuestFields{FamilyName: str("丁"), GivenName: str("伟"), Salutation: str("丁总"),
				Email: str("ding@example.com"), Phone: str("+86 139 0000 0000"), Language: str("zh"),
				TimeZone: str("Asia/Shanghai"), MarketingConsent: yes(true), Documents: docs("cn_resident_id", "110105197505120038")},
			prefs: &preferences.Preferences{
				Room:         preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Quiet: true, Features: []string{"internet"}},
				Dining:       preferences.DiningPrefs{Breakfast: "in room: nutritious fruit platter"},
				Allergies:    []preferences.Allergy{{Allergen: "laundry detergent", Severity: "moderate", Instructions: "wash clothes with soap only"}},
				Housekeeping: preferences.HousekeepingPrefs{Laundry: "soap only, no detergent"},
				Notes:        "Found the pastry too sweet on his first stay; the kitchen has changed the recipe.",
			},
			stays: []pastStay{{room: "2102", daysAgo: 190, nights: 7, spend: "18650.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("李"), GivenName: str("娜"), Salutation: str("李女士"),
				Email: str("li.na@example.cn"), Phone: str("+86 138 1111 2222"), Language: str("zh"), MarketingConsent: yes(true),
				Documents: docs("cn_resident_id", "31010419880315002X")},
			prefs: &preferences.Preferences{
				Room:      preferences.RoomPrefs{MinFloor: 10, View: "park", Bed: "queen", Quiet: true},
				Allergies: []preferences.Allergy{{Allergen: "feathers", Severity: "severe", Instructions: "no down pillows or duvets; hypoallergenic bedding only"}},
				Dining:    preferences.DiningPrefs{Breakfast: "congee, early (6:30)", Dietary: []string{"no pork"}},
			},
			stays: []pastStay{{room: "1605", daysAgo: 60, nights: 3, spend: "4200.00"}, {room: "1906", daysAgo: 400, nights: 2, spend: "2650.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("Thompson"), GivenName: str("Emma"), Salutation: str("Ms. Thompson"),
				Email: str("emma.thompson@example.co.uk"), Phone: str("+44 20 7946 0018"), Language: str("en"),
				TimeZone: str("Europe/London"), MarketingConsent: yes(true), Birthday: str(birthdayToday.Format(preferences.DateLayout)),
				Documents: docs("passport", "533401817")},
			prefs: &preferences.Preferences{
				Room:         preferences.RoomPrefs{View: "river", Bed: "king", Features: []string{"bathtub"}},
				Dining:       preferences.DiningPrefs{Breakfast: "buffet", Dietary: []string{"vegetarian"}},
				Housekeeping: preferences.HousekeepingPrefs{Amenities: []string{"extra pillow", "oat milk in minibar"}},
			},
			stays: []pastStay{{room: "1201", daysAgo: 120, nights: 4, spend: "6100.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("王"), GivenName: str("芳"), Email: str("wang.fang@example.cn"),
				Phone: str("+86 137 5555 0101"), Language: str("zh"), MarketingConsent: yes(true),
				Documents: docs("cn_resident_id", "440304199207081026")},
			stays: []pastStay{{room: "803", daysAgo: 800, nights: 2, spend: "1980.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("O'Brien"), GivenName: str("James"), Salutation: str("Mr. O'Brien"),
				Email: str("james.obrien@example.ie"), Language: str("en"), TimeZone: str("America/New_York"),
				MarketingConsent: yes(false), Documents: docs("passport", "PA1234567")},
			prefs: &preferences.Preferences{Room: preferences.RoomPrefs{Bed: "twin", Smoking: false, Quiet: true},
				Allergies: []preferences.Allergy{{Allergen: "peanuts", Severity: "severe", Instructions: "no nuts in the minibar or welcome amenity; EpiPen carried"}}},
			stays: []pastStay{{room: "504", daysAgo: 30, nights: 5, spend: "5200.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("张"), GivenName: str("伟"), Salutation: str("张先生"),
				Phone: str("+86 135 8888 9999"), Language: str("zh"), Documents: docs("cn_resident_id", "510107198501011231")},
			prefs: &preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 5, Bed: "twin", Features: []string{"internet"}}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("陈"), GivenName: str("静"), Salutation: str("陈女士"),
				Email: str("chen.jing@example.cn"), Language: str("zh"), MarketingConsent: yes(true),
				Documents: docs("cn_resident_id", "110101198002290026")},
			prefs: &preferences.Preferences{Dining: preferences.DiningPrefs{Breakfast: "soy milk and youtiao"}},
			stays: []pastStay{{room: "2005", daysAgo: 15, nights: 1, spend: "1300.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("Martin"), GivenName: str("Sophie"), Salutation: str("Mme Martin"),
				Email: str("sophie.martin@example.fr"), Language: str("en"), TimeZone: str("Europe/Paris"), MarketingConsent: yes(true),
				Birthday: str("1990-06-14"), Documents: docs("passport", "19AB12345")},
			prefs: &preferences.Preferences{Room: preferences.RoomPrefs{View: "city", Bed: "queen"},
				Housekeeping: preferences.HousekeepingPrefs{Laundry: "hang silk blouses, do not tumble dry"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("Tanaka"), GivenName: str("Hiroshi"), Salutation: str("Mr. Tanaka"),
				Email: str("h.tanaka@example.jp"), Language: str("en"), TimeZone: str("Asia/Tokyo"), MarketingConsent: yes(true),
				Birthday: str("1969-11-02"), Documents: docs("passport", "TK7654321")},
			stays: []pastStay{{room: "2201", daysAgo: 1100, nights: 3, spend: "7400.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("刘"), GivenName: str("洋"), Email: str("liu.yang@example.cn"),
				Language: str("zh"), MarketingConsent: yes(true), Documents: docs("cn_resident_id", "330106199011110071")},
			prefs: &preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 15, View: "river"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("Garcia"), GivenName: str("Maria"), Salutation: str("Sra. Garcia"),
				Email: str("maria.garcia@example.es"), Language: str("en"), MarketingConsent: yes(true), Birthday: str("1982-03-21")},
			prefs: &preferences.Preferences{Allergies: []preferences.Allergy{{Allergen: "shellfish", Severity: "moderate", Instructions: "inform the kitchen for every meal"}}},
			stays: []pastStay{{room: "1203", daysAgo: 200, nights: 2, spend: "2500.00"}},
		},
		{
			fields: preferences.GuestFields{FamilyName: str("Khan"), GivenName: str("Ahmed"), Salutation: str("Mr. Khan"),
				Email: str("ahmed.khan@example.com"), Language: str("en"), MarketingConsent: yes(false),
				Documents: docs("other", "UAE-784-1985-1234567-1")},
			prefs: &preferences.Preferences{Dining: preferences.DiningPrefs{Dietary: []string{"halal"}}},
		},
	}
}

func loadGuests(ctx context.Context, db *preferences.Service, today time.Time) error {
	for _, dg := range demoGuests(today) {
		g, err := db.CreateGuest(ctx, system, dg.fields)
		if err != nil {
			return err
		}
		if dg.prefs != nil {
			if _, err := db.SetPreferences(ctx, system, g.ID, *dg.prefs, preferences.Sections); err != nil {
				return err
			}
		}
		for _, s := range dg.stays {
			out := time.Date(today.Year(), today.Month(), today.Day(), 11, 30, 0, 0, today.Location()).AddDate(0, 0, -s.daysAgo)
			in := out.AddDate(0, 0, -s.nights).Add(3*time.Hour + 30*time.Minute)
			if err := db.RecordPastStay(ctx, preferences.PastStay{GuestID: g.ID, Room: s.room, CheckIn: in, CheckOut: out,
				Nights: s.nights, Spend: s.spend}); err != nil {
				return err
			}
		}
	}
	return nil
}
