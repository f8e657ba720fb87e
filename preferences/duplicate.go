package preferences

import (
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"github.com/nyaruka/phonenumbers"
)

// Reasons two guests are likely the same person.
const (
	ReasonSameEmail           = "same_email"
	ReasonSamePhone           = "same_phone"
	ReasonSameNameAndBirthday = "same_name_and_birthday"
)

// Weights of the reasons in a duplicate's score (0-100, capped): an email is the
// surest sign, a name with a birthday the weakest.
const (
	scoreEmail           = 60
	scorePhone           = 50
	scoreNameAndBirthday = 40
)

// PhoneRegion is the region a phone number without a country code is read in: the
// hotels are in mainland China, so "139 0000 0000" is +86 139 0000 0000.
const PhoneRegion = "CN"

// Likeness says why two guests look like the same person; Score 0 means they do not.
type Likeness struct {
	Score   int      `json:"score"`
	Reasons []string `json:"reasons"`
}

// LikelyDuplicate compares two guests by the rules of a likely duplicate: the same
// email (case and spaces aside), the same phone once normalised, or the same birthday
// with the same name, in Chinese characters or in pinyin (丁伟 is DING Wei, Wei Ding,
// ding wei). Nothing else counts.
func LikelyDuplicate(a, b Guest) Likeness {
	var l Likeness
	if e := NormalizeEmail(a.Email); e != "" && e == NormalizeEmail(b.Email) {
		l.add(ReasonSameEmail, scoreEmail)
	}
	if p := NormalizePhone(a.Phone); p != "" && p == NormalizePhone(b.Phone) {
		l.add(ReasonSamePhone, scorePhone)
	}
	if a.Birthday != "" && a.Birthday == b.Birthday && SameName(a.FamilyName, a.GivenName, b.FamilyName, b.GivenName) {
		l.add(ReasonSameNameAndBirthday, scoreNameAndBirthday)
	}
	return l
}

func (l *Likeness) add(reason string, score int) {
	l.Reasons = append(l.Reasons, reason)
	l.Score = min(100, l.Score+score)
}

// DuplicateKeys returns the keys under which g can meet its likely duplicates: two
// guests that share no key are never likely duplicates, and two that share one are
// compared with LikelyDuplicate. A store groups guests by these to list candidate pairs
// without comparing every guest with every other.
func DuplicateKeys(g Guest) []string {
	var keys []string
	if e := NormalizeEmail(g.Email); e != "" {
		keys = append(keys, "email:"+e)
	}
	if p := NormalizePhone(g.Phone); p != "" {
		keys = append(keys, "phone:"+p)
	}
	if g.Birthday != "" {
		for _, k := range nameKeys(g.FamilyName, g.GivenName) {
			keys = append(keys, "name:"+g.Birthday+":"+k)
		}
	}
	return keys
}

// NormalizeEmail is the form in which two emails are compared: trimmed, lower case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NormalizePhone returns the phone number in E.164 (+8613900000000), reading a number
// without a country code as PhoneRegion's; "" when it is not a possible number.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxPhoneLen {
		return ""
	}
	n, err := phonenumbers.Parse(s, PhoneRegion)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// SameName reports whether two names are the same person's name: the same Chinese
// characters, or the same pinyin in either order, whatever the case, spaces and tone
// marks (丁伟 = DING Wei = Wei Ding = dīng wěi; 吕 = Lü, Lv, Lyu or Lu; 欧阳 = Ouyang or
// Ou-Yang). Two names in characters must have the same characters: pinyin alone would
// take homophones (丁伟, 丁维) for one name.
func SameName(family1, given1, family2, given2 string) bool {
	h1, h2 := hanName(family1, given1), hanName(family2, given2)
	if h1 != "" && h2 != "" {
		return h1 == h2
	}
	k1, k2 := nameKeys(family1, given1), nameKeys(family2, given2)
	for _, k := range k1 {
		if slices.Contains(k2, k) {
			return true
		}
	}
	return false
}

// hanName is a name written in Chinese characters, family name first, without spaces;
// "" for a name with anything but characters in it.
func hanName(family, given string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '·' {
			return -1
		}
		return r
	}, family+given)
	if s == "" {
		return ""
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return ""
		}
	}
	return s
}

// maxNameKeys bounds the readings of one name (characters with several readings
// multiply them).
const maxNameKeys = 32

// nameKeys returns a name's forms in pinyin, lower case and without spaces: for a name
// in characters its readings family name first; for a name in letters both orders.
func nameKeys(family, given string) []string {
	if h := hanName(family, given); h != "" {
		return hanReadings(h, strings.TrimSpace(family))
	}
	f, g := latinTokens(family), latinTokens(given)
	if len(f)+len(g) == 0 {
		return nil
	}
	all := append(slices.Clone(f), g...)
	keys := []string{strings.Join(all, ""), strings.Join(append(slices.Clone(g), f...), "")}
	slices.Reverse(all)
	keys = append(keys, strings.Join(all, ""))
	slices.Sort(keys)
	return slices.Compact(keys)
}

var heteronyms = pinyin.Args{Style: pinyin.Normal, Heteronym: true, Fallback: func(rune, pinyin.Args) []string { return nil }}

// hanReadings spells a name in characters in pinyin, every reading of each character
// (单 is dan, shan or chan), the family name also as passports spell it (单 is Shan), and
// ü as v, u or yu (吕 is Lv, Lu or Lyu).
func hanReadings(name, family string) []string {
	runes := []rune(name)
	keys := []string{""}
	for i := 0; i < len(runes); {
		n, readings := 1, pinyin.SinglePinyin(runes[i], heteronyms)
		for _, size := range []int{2, 1} { // compound family names (欧阳) first
			if i == 0 && len(runes) >= size {
				prefix := string(runes[:size])
				if py := surnamePinyin[prefix]; py != "" && strings.HasPrefix(family, prefix) {
					n = size
					if size == 2 {
						readings = nil
					}
					readings = append([]string{strings.ToLower(py)}, readings...)
					break
				}
			}
		}
		var next []string
		for _, k := range keys {
			for _, r := range readings {
				for _, v := range umlautSpellings(r) {
					if len(next) < maxNameKeys {
						next = append(next, k+v)
					}
				}
			}
		}
		if len(next) == 0 { // a character with no reading: the name cannot be spelt
			return nil
		}
		keys, i = next, i+n
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// umlautSpellings returns the ways a syllable with ü (written v) is spelt in letters.
func umlautSpellings(syllable string) []string {
	if !strings.Contains(syllable, "v") {
		return []string{syllable}
	}
	return []string{syllable, strings.ReplaceAll(syllable, "v", "u"), strings.ReplaceAll(syllable, "v", "yu")}
}

// toneless folds pinyin's tone marks and ü into plain letters (ü as v, as go-pinyin
// spells it).
var toneless = strings.NewReplacer(
	"ā", "a", "á", "a", "ǎ", "a", "à", "a", "ē", "e", "é", "e", "ě", "e", "è", "e", "ê", "e",
	"ī", "i", "í", "i", "ǐ", "i", "ì", "i", "ō", "o", "ó", "o", "ǒ", "o", "ò", "o",
	"ū", "u", "ú", "u", "ǔ", "u", "ù", "u", "ü", "v", "ǖ", "v", "ǘ", "v", "ǚ", "v", "ǜ", "v",
	"Ā", "a", "Á", "a", "Ǎ", "a", "À", "a", "Ē", "e", "É", "e", "Ě", "e", "È", "e",
	"Ī", "i", "Í", "i", "Ǐ", "i", "Ì", "i", "Ō", "o", "Ó", "o", "Ǒ", "o", "Ò", "o",
	"Ū", "u", "Ú", "u", "Ǔ", "u", "Ù", "u", "Ü", "v", "Ǖ", "v", "Ǘ", "v", "Ǚ", "v", "Ǜ", "v",
)

// latinTokens splits a name in letters into lower-case words without tone marks;
// hyphens, apostrophes and dots separate words like spaces.
func latinTokens(s string) []string {
	s = strings.ToLower(toneless.Replace(s))
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
