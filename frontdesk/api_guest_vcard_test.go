package frontdesk_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/emersion/go-vcard"

	"regulars/internal/testkit"
	"regulars/preferences"
)

func TestGuestVCard(t *testing.T) {
	f := newFixture(t)
	id := str(t, f.createDing(t), "id")
	path := "/api/guests/" + id + "/vcard"

	for _, token := range []string{f.desk, f.manager} {
		r := f.expect(t, 200, "GET", path, token, nil)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/vcard") {
			t.Fatalf("Content-Type %q", ct)
		}
		card, err := vcard.NewDecoder(bytes.NewReader(r.Body)).Decode()
		if err != nil {
			t.Fatalf("the card does not parse back: %v\n%s", err, r.Body)
		}
		n := card.Name()
		got := []string{card.Value(vcard.FieldVersion), card.Value(vcard.FieldFormattedName), n.FamilyName, n.GivenName,
			card.Value(vcard.FieldEmail), card.Value(vcard.FieldTelephone), card.Value(vcard.FieldBirthday), card.Value(vcard.FieldLanguage)}
		want := []string{"4.0", "丁伟", "丁", "伟", "ding@example.com", "+86 139 0000 0000", "19750512", "zh"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("card %q, want %q", got, want)
		}
		for _, secret := range []string{dingID, "0038", "cn_resident_id"} {
			if bytes.Contains(r.Body, []byte(secret)) {
				t.Errorf("the card holds %q:\n%s", secret, r.Body)
			}
		}
	}
	t.Run("Roles", func(t *testing.T) {
		kiosk := testkit.Token(t, f.app, preferences.RoleKiosk)
		for _, token := range []string{f.housekeeper, kiosk} {
			problemField(t, f.call(t, "GET", path, token, nil), 403, "")
		}
		problemField(t, f.call(t, "GET", path, "", nil), 401, "")
	})
	t.Run("Unknown", func(t *testing.T) {
		problemField(t, f.call(t, "GET", "/api/guests/g_nobody/vcard", f.desk, nil), 404, "")
	})
	t.Run("Erased", func(t *testing.T) {
		f.expect(t, 204, "DELETE", "/api/guests/"+id, f.manager, nil)
		problemField(t, f.call(t, "GET", path, f.desk, nil), 404, "")
	})
}

// TestGuestVCardOfASparseGuest: a guest with a name only gets a card with a name only.
func TestGuestVCardOfASparseGuest(t *testing.T) {
	f := newFixture(t)
	id := f.guest(t, "Bystander")
	r := f.expect(t, 200, "GET", "/api/guests/"+id+"/vcard", f.desk, nil)
	card, err := vcard.NewDecoder(bytes.NewReader(r.Body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if card.Value(vcard.FieldFormattedName) != "Bystander" || card.Get(vcard.FieldEmail) != nil || card.Get(vcard.FieldBirthday) != nil {
		t.Errorf("%s", r.Body)
	}
}
