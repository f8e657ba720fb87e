package preferences_test

import (
	"reflect"
	"testing"

	"regulars/preferences"
)

func TestSameName(t *testing.T) {
	tests := []struct {
		f1, g1, f2, g2 string
		want           bool
	}{
		{"丁", "伟", "DING", "Wei", true},
		{"丁", "伟", "Ding", "Wei", true},
		{"丁", "伟", "Wei Ding", "", true},     // the whole name in one field, given name first
		{"丁", "伟", "ding wei", "", true},     // lower case, one field
		{"丁", "伟", " Ding ", " wei", true},   // spaces
		{"丁伟", "", "DING", "WEI", true},      // the whole name in the family name
		{"丁", "伟", "Dīng", "Wěi", true},      // tone marks
		{"DING", "Wei", "Wei", "Ding", true}, // two spellings in letters, either order
		{"丁", "伟", "Ding", "Wen", false},
		{"丁", "伟", "Deng", "Wei", false},
		{"丁", "伟", "丁", "维", false}, // homophones in characters are two names
		{"丁", "伟", "丁", "伟", true},
		{"丁", "伟", "丁 ", " 伟", true},
		{"吕", "芳", "Lü", "Fang", true},
		{"吕", "芳", "LV", "Fang", true},
		{"吕", "芳", "Lyu", "Fang", true}, // as passports spell it
		{"吕", "芳", "Lu", "Fang", true},  // as older documents spell it
		{"吕", "芳", "Li", "Fang", false},
		{"欧阳", "修", "Ouyang", "Xiu", true},
		{"欧阳", "修", "OU-YANG", "Xiu", true},
		{"欧阳", "修", "Xiu", "Ouyang", true},
		{"欧阳修", "", "Ouyang", "Xiu", true},
		{"欧阳", "修", "Yang", "Xiu", false},
		{"单", "雄", "Shan", "Xiong", true}, // a family name read as passports spell it
		{"单", "雄", "Dan", "Xiong", true},  // and as the character is read elsewhere
		{"曾", "明", "Zeng", "Ming", true},
		{"", "", "", "", false},
		{"Smith", "", "Smith", "", true},
		{"Smith", "Anna", "Smith", "Anne", false},
	}
	for _, tt := range tests {
		if got := preferences.SameName(tt.f1, tt.g1, tt.f2, tt.g2); got != tt.want {
			t.Errorf("SameName(%q %q, %q %q) = %v, want %v", tt.f1, tt.g1, tt.f2, tt.g2, got, tt.want)
		}
		if got := preferences.SameName(tt.f2, tt.g2, tt.f1, tt.g1); got != tt.want {
			t.Errorf("SameName(%q %q, %q %q) = %v, want %v (reversed)", tt.f2, tt.g2, tt.f1, tt.g1, got, tt.want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := map[string]string{
		"+86 139 0000 0000": "+8613900000000",
		"139-0000-0000":     "+8613900000000", // no country code: mainland China
		"(139) 0000 0000":   "+8613900000000",
		"0086 13900000000":  "+8613900000000",
		"+49 30 1234567":    "+49301234567",
		"+1 (212) 555-0100": "+12125550100",
		"12":                "",
		"call me":           "",
		"":                  "",
	}
	for in, want := range tests {
		if got := preferences.NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLikelyDuplicate(t *testing.T) {
	ding := preferences.Guest{FamilyName: "丁", GivenName: "伟", Email: "ding@example.com", Phone: "+86 139 0000 0000", Birthday: "1975-05-12"}
	tests := []struct {
		name    string
		other   preferences.Guest
		score   int
		reasons []string
	}{
		{"email, case and spaces aside", preferences.Guest{FamilyName: "X", Email: "  DING@Example.COM "}, 60, []string{"same_email"}},
		{"phone as typed at the desk", preferences.Guest{FamilyName: "X", Phone: "139 0000 0000"}, 50, []string{"same_phone"}},
		{"pinyin name and birthday", preferences.Guest{FamilyName: "DING", GivenName: "Wei", Birthday: "1975-05-12"}, 40, []string{"same_name_and_birthday"}},
		{"name without the birthday", preferences.Guest{FamilyName: "DING", GivenName: "Wei", Birthday: "1975-05-13"}, 0, nil},
		{"name, neither has a birthday", preferences.Guest{FamilyName: "丁", GivenName: "伟"}, 0, nil},
		{"everything", preferences.Guest{FamilyName: "Ding", GivenName: "Wei", Email: "ding@example.com", Phone: "+8613900000000", Birthday: "1975-05-12"},
			100, []string{"same_email", "same_phone", "same_name_and_birthday"}},
		{"nothing", preferences.Guest{FamilyName: "Li", Email: "li@example.com", Phone: "+86 139 0000 0001", Birthday: "1975-05-12"}, 0, nil},
		{"empty email and phone are nobody's", preferences.Guest{FamilyName: "Li"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ding
			if tt.name == "empty email and phone are nobody's" {
				a = preferences.Guest{FamilyName: "Wang"}
			}
			got := preferences.LikelyDuplicate(a, tt.other)
			if got.Score != tt.score || !reflect.DeepEqual(got.Reasons, tt.reasons) {
				t.Errorf("got %+v, want score %d reasons %v", got, tt.score, tt.reasons)
			}
			// Guests that are likely duplicates share a key, so a store grouping by keys finds them.
			if tt.score > 0 && !shareKey(preferences.DuplicateKeys(a), preferences.DuplicateKeys(tt.other)) {
				t.Errorf("no shared key: %v and %v", preferences.DuplicateKeys(a), preferences.DuplicateKeys(tt.other))
			}
		})
	}
}

func shareKey(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
