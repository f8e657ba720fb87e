package benchdata

import (
	"fmt"
	"math/rand/v2"
	"time"

	"regulars/preferences"
)

// seed makes every generated database of the same size alike, so that the benchmark can
// rebuild any guest's document number from its index alone.
const seed = 0x5265_6775_6c61_7273 // "Regulars"

// Person is the generated guest number Index: profile, document, preferences, history.
type Person struct {
	Index    int
	Guest    preferences.Guest // no ID; documents hold type and last4
	Document preferences.DocumentInput
	Prefs    *preferences.Preferences // nil for about half of the guests
	Consent  *bool                    // nil: never asked
	Stays    []PastStay               // oldest first
	Complain bool                     // filed a complaint on the last stay
}

// PastStay is one completed stay of a Person, in days before the generation day.
type PastStay struct {
	CheckOutDaysAgo int
	Nights          int
	Room            string
	Spend           string
}

var cnProvinces = []string{"11", "12", "13", "31", "32", "33", "35", "37", "41", "42", "44", "50", "51", "61"}

// DocumentOf returns the document of guest i as a client would type it; look-ups with
// it find that guest.
func DocumentOf(i int, birthday string, zh bool) preferences.DocumentInput {
	if !zh {
		return preferences.DocumentInput{Type: preferences.DocPassport,
			Number: fmt.Sprintf("%c%c%07d", 'A'+byte(i/10_000_000%26), 'A'+byte(i/260_000_000%26), i%10_000_000)}
	}
	// Region: province, then a district made from i, so numbers never collide.
	first17 := fmt.Sprintf("%s%04d%s%03d", cnProvinces[i/9_000_000%len(cnProvinces)], 1000+i/1000%9000,
		birthday[0:4]+birthday[5:7]+birthday[8:10], i%1000)
	return preferences.DocumentInput{Type: preferences.DocCNResidentID, Number: first17 + string(preferences.CNCheckDigit(first17))}
}

// PersonAt builds guest i deterministically.
func PersonAt(i int) Person {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	p := Person{Index: i}
	g := &p.Guest
	zh := r.IntN(10) < 7
	birth := time.Date(1945+r.IntN(60), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))
	if zh {
		fam, giv := zhFamily[r.IntN(len(zhFamily))], zhGiven[r.IntN(len(zhGiven))]
		g.FamilyName, g.GivenName, g.Language = fam.han, giv.han, preferences.LangZH
		g.Salutation = fam.han + []string{"总", "先生", "女士", ""}[r.IntN(4)]
		if g.Salutation == fam.han {
			g.Salutation = ""
		}
		g.Phone = fmt.Sprintf("+86 13%d %04d %04d", r.IntN(10), r.IntN(10000), r.IntN(10000))
		g.TimeZone = "Asia/Shanghai"
		g.Birthday = birth.Format(preferences.DateLayout) // carried by the resident ID
		if r.IntN(10) < 9 {
			g.Email = fmt.Sprintf("%s.%s.%d@%s", giv.pinyin, fam.pinyin, i, emailDomains[r.IntN(len(emailDomains))])
		}
	} else {
		fam, giv := enFamily[r.IntN(len(enFamily))], enGiven[r.IntN(len(enGiven))]
		g.FamilyName, g.GivenName, g.Language = fam, giv, preferences.LangEN
		g.Salutation = []string{"Mr. ", "Ms. ", "Dr. ", ""}[r.IntN(4)]
		if g.Salutation != "" {
			g.Salutation += fam
		}
		g.Phone = fmt.Sprintf("+44 20 %04d %04d", r.IntN(10000), r.IntN(10000))
		g.TimeZone = enTimeZones[r.IntN(len(enTimeZones))]
		if r.IntN(10) < 6 {
			g.Birthday = birth.Format(preferences.DateLayout)
		}
		g.Email = fmt.Sprintf("%s.%d@%s", asciiLocal(giv+"."+fam), i, emailDomains[r.IntN(len(emailDomains))])
	}
	p.Document = DocumentOf(i, birth.Format(preferences.DateLayout), zh)
	switch c := r.IntN(20); {
	case c < 15:
		t := true
		p.Consent = &t
	case c == 15:
		f := false
		p.Consent = &f
	}
	if r.IntN(2) == 0 {
		p.Prefs = randomPrefs(r)
	}
	p.Stays = randomStays(r)
	p.Complain = len(p.Stays) > 0 && r.IntN(25) == 0
	return p
}

// asciiLocal keeps the letters, digits and dots of s, lower-cased, for an e-mail local part.
func asciiLocal(s string) string {
	b := make([]byte, 0, len(s))
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.':
			b = append(b, c)
		}
	}
	return string(b)
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func randomPrefs(r *rand.Rand) *preferences.Preferences {
	p := &preferences.Preferences{}
	if r.IntN(3) > 0 {
		p.Room = preferences.RoomPrefs{View: pick(r, views), Bed: pick(r, preferences.Beds[:4]), Quiet: r.IntN(2) == 0}
		if r.IntN(2) == 0 {
			p.Room.MinFloor = 5 + r.IntN(25)
		}
		if r.IntN(3) == 0 {
			p.Room.Features = []string{pick(r, roomFeature)}
		}
	}
	if r.IntN(2) == 0 {
		p.Dining.Breakfast = pick(r, breakfasts)
		if r.IntN(4) == 0 {
			p.Dining.Dietary = []string{pick(r, dietaries)}
		}
	}
	if r.IntN(5) == 0 {
		a := pick(r, allergens)
		p.Allergies = []preferences.Allergy{{Allergen: a.allergen, Severity: a.severity, Instructions: a.instructions}}
	}
	if r.IntN(3) == 0 {
		p.Housekeeping.Laundry = pick(r, laundries)
		p.Housekeeping.Amenities = []string{pick(r, amenities)}
	}
	if r.IntN(6) == 0 {
		p.Notes = pick(r, notes)
	}
	p.Normalize()
	return p
}

// randomStays gives most guests one or two stays and a few regulars up to 20, the last
// one ending between yesterday and about five and a half years ago.
func randomStays(r *rand.Rand) []PastStay {
	n := 0
	switch c := r.IntN(100); {
	case c < 12:
		return nil
	case c < 95:
		n = 1
		for n < 4 && r.IntN(100) < 35 {
			n++
		}
	default:
		n = 5 + r.IntN(16)
	}
	out := make([]PastStay, n)
	ago := 1 + r.IntN(2000)
	for k := n - 1; k >= 0; k-- {
		nights := 1 + r.IntN(7)
		out[k] = PastStay{CheckOutDaysAgo: ago, Nights: nights, Room: RoomNumber(r.IntN(Floors * RoomsPerFloor)),
			Spend: fmt.Sprintf("%d.00", nights*(600+r.IntN(1800)))}
		ago += nights + 10 + r.IntN(200)
	}
	return out
}
