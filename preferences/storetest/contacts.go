package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

const day = 24 * time.Hour

func testContacts(t *testing.T, open Opener) {
	t.Run("Log", func(t *testing.T) { testContactLog(t, open) })
	t.Run("RepeatedMaterial", func(t *testing.T) { testContactRepeat(t, open) })
	t.Run("RepeatRace", func(t *testing.T) { testContactRace(t, open) })
	t.Run("LettersAndCard", func(t *testing.T) { testContactLetters(t, open) })
	t.Run("Erasure", func(t *testing.T) { testContactErasure(t, open) })
	t.Run("KeepInTouch", func(t *testing.T) { testKeepInTouch(t, open) })
}

// logContact logs a contact as actor and fails t when that fails.
func logContact(t *testing.T, s *preferences.Service, actor preferences.Actor, guestID string, in preferences.ContactInput) preferences.Contact {
	t.Helper()
	c, err := s.LogContact(context.Background(), actor, guestID, in)
	if err != nil {
		t.Fatalf("log %+v: %v", in, err)
	}
	return c
}

func material(name string) preferences.ContactInput {
	return preferences.ContactInput{Channel: preferences.ContactMaterial, Material: name}
}

// contactsOf lists the guest's contacts as the desk reads them.
func contactsOf(t *testing.T, s *preferences.Service, guestID string) []preferences.Contact {
	t.Helper()
	list, err := s.GuestContacts(context.Background(), Desk, guestID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func testContactLog(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	g := NewGuest(t, s, Named("丁", "伟"))
	call := logContact(t, s, Desk, g.ID, preferences.ContactInput{Channel: " Call ", Note: "  Asked about May.\nCall back. "})
	if call.Channel != "call" || call.Note != "Asked about May.\nCall back." || call.By != Desk.Name || !call.At.Equal(clock.Now()) || call.Source != "staff" {
		t.Fatalf("logged %+v", call)
	}
	clock.Advance(time.Minute)
	logContact(t, s, Manager, g.ID, preferences.ContactInput{Channel: "visit"})
	clock.Advance(time.Minute)
	brochure := logContact(t, s, Desk, g.ID, material("  Spring   spa brochure "))
	if brochure.Material != "Spring spa brochure" {
		t.Fatalf("material stored as %q", brochure.Material)
	}
	list := contactsOf(t, s, g.ID)
	var got []string
	for _, c := range list {
		got = append(got, c.Channel+"/"+c.By)
	}
	if !slices.Equal(got, []string{"material/lin.desk", "visit/wu.manager", "call/lin.desk"}) {
		t.Fatalf("contacts newest first = %v", got)
	}
	if !audited(t, repo, g.ID, preferences.ActionContactAdd, Manager) {
		t.Error("the manager's contact is not audited")
	}
	if err := s.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if !audited(t, repo, g.ID, preferences.ActionContactsRead, Desk) {
		t.Error("the list's read is not audited")
	}

	for _, c := range []struct {
		in    preferences.ContactInput
		field string
	}{
		{preferences.ContactInput{Channel: "fax"}, "channel"},
		{preferences.ContactInput{Channel: ""}, "channel"},
		{preferences.ContactInput{Channel: "material", Material: "   "}, "material"},
		{preferences.ContactInput{Channel: "call", Material: "Spa brochure"}, "material"},
		{material(strings.Repeat("m", preferences.MaxMaterialLen+1)), "material"},
		{preferences.ContactInput{Channel: "call", Note: strings.Repeat("话", preferences.MaxContactNote+1)}, "note"},
		{preferences.ContactInput{Channel: "call", Note: "bell\x07"}, "note"},
	} {
		_, err := s.LogContact(ctx, Desk, g.ID, c.in)
		WantCode(t, err, preferences.EINVALID, c.field)
	}
	_, err := s.LogContact(ctx, Desk, "g_unknown", preferences.ContactInput{Channel: "call"})
	WantCode(t, err, preferences.ENOTFOUND, "")
	if _, err := s.GuestContacts(ctx, Desk, "g_unknown"); preferences.ErrorCode(err) != preferences.ENOTFOUND {
		t.Fatalf("contacts of an unknown guest: %v", err)
	}
	if n := len(contactsOf(t, s, g.ID)); n != 3 {
		t.Fatalf("a refused contact was stored: %d contacts", n)
	}
}

func testContactRepeat(t *testing.T, open Opener) {
	ctx := context.Background()
	s, clock := Service(t, open)
	g := NewGuest(t, s, Named("Ding", "Wei"))
	other := NewGuest(t, s, Named("Lin", "Yu"))
	first := logContact(t, s, Desk, g.ID, material("Spring Spa Brochure"))
	clock.Advance(10 * day)

	// The same material, however it is typed, within 180 days.
	for _, same := range []string{"spring spa brochure", "  SPRING   Spa  BROCHURE", "ＳＰＲＩＮＧ　ｓｐａ brochure"} {
		_, err := s.LogContact(ctx, Manager, g.ID, material(same))
		WantCode(t, err, preferences.ECONFLICT, "")
		var sent *preferences.MaterialAlreadySent
		if !errors.As(err, &sent) || sent.SentBy != Desk.Name || !sent.SentAt.Equal(first.At) {
			t.Fatalf("%q refused with %#v", same, sent)
		}
		if want := "Already sent by lin.desk on 2026-03-16"; !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("refusal says %q, want %q", err, want)
		}
	}
	if preferences.MaterialKey("ΣΠΑ Offer") != preferences.MaterialKey("σπα offer") {
		t.Error("Greek capitals are not folded")
	}
	// Another material, another guest, another channel: all logged.
	logContact(t, s, Manager, g.ID, material("Spring Spa Brochure 2"))
	logContact(t, s, Manager, other.ID, material("Spring Spa Brochure"))
	logContact(t, s, Manager, g.ID, preferences.ContactInput{Channel: "letter", Note: "Spring Spa Brochure"})

	// Confirmed, it is logged and marked.
	clock.Advance(time.Second)
	in := material("spring spa brochure")
	in.Confirm = true
	again := logContact(t, s, Manager, g.ID, in)
	if !again.RepeatConfirmed {
		t.Fatalf("a confirmed repeat is not marked: %+v", again)
	}
	if c := contactsOf(t, s, g.ID)[0]; c.ID != again.ID || !c.RepeatConfirmed {
		t.Fatalf("listed first %+v", c)
	}
	// A confirm without a repeat marks nothing.
	in.Material = "Autumn offer"
	if c := logContact(t, s, Manager, g.ID, in); c.RepeatConfirmed {
		t.Fatalf("a first sending marked as a repeat: %+v", c)
	}
	// 180 days after the latest sending it is refused still; a moment later it goes.
	clock.Advance(preferences.MaterialRepeatDays * day)
	_, err := s.LogContact(ctx, Desk, g.ID, material("Spring Spa Brochure"))
	WantCode(t, err, preferences.ECONFLICT, "")
	clock.Advance(time.Second)
	if c := logContact(t, s, Desk, g.ID, material("Spring Spa Brochure")); c.RepeatConfirmed {
		t.Fatalf("a sending after the window marked as a repeat: %+v", c)
	}
}

// testContactRace: two desks log the same material for the same guest at the same
// moment, many times over; each time exactly one is logged and the other refused.
func testContactRace(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := Service(t, open)
	g := NewGuest(t, s, Named("Ding", "Wei"))
	const rounds = 12
	for i := range rounds {
		name := fmt.Sprintf("Offer %d", i)
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 2)
		for j, actor := range []preferences.Actor{Desk, Manager} {
			wg.Go(func() {
				<-start
				_, errs[j] = s.LogContact(ctx, actor, g.ID, material(name))
			})
		}
		close(start)
		wg.Wait()
		codes := []string{preferences.ErrorCode(errs[0]), preferences.ErrorCode(errs[1])}
		if errs[0] == nil {
			codes[0] = "ok"
		}
		if errs[1] == nil {
			codes[1] = "ok"
		}
		slices.Sort(codes)
		if !slices.Equal(codes, []string{preferences.ECONFLICT, "ok"}) {
			t.Fatalf("round %d: %v (%v)", i, codes, errs)
		}
	}
	if n := len(contactsOf(t, s, g.ID)); n != rounds {
		t.Fatalf("%d contacts logged in %d rounds", n, rounds)
	}
}

// sendLetter queues a letter of kind to the guest and records it sent now.
func sendLetter(t *testing.T, s *preferences.Service, clock *clockwork.FakeClock, g preferences.Guest, kind preferences.OutreachKind, period string) preferences.OutreachMessage {
	t.Helper()
	ctx := context.Background()
	created := outreachOf(t, s).queue(Letter(g, kind, period))
	if len(created) != 1 {
		t.Fatalf("queued %+v", created)
	}
	m := created[0]
	if ok, err := s.ClaimOutreach(ctx, m.ID, "me", clock.Now(), Lease); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := s.FinishOutreach(ctx, m.ID, "me", preferences.OutreachOutcome{Status: preferences.OutboxSent}); err != nil {
		t.Fatal(err)
	}
	return m
}

func testContactLetters(t *testing.T, open Opener) {
	ctx := context.Background()
	s, clock := Service(t, open)
	g := Contactable(t, s, "Ding", "ding@example.cn", "1975-05-12")
	logContact(t, s, Desk, g.ID, preferences.ContactInput{Channel: "call"})
	clock.Advance(time.Hour)
	letter := sendLetter(t, s, clock, g, preferences.OutreachBirthday, "2026")
	// A letter still queued is not a contact yet.
	outreachOf(t, s).queue(Letter(g, preferences.OutreachLapse, "2026"))
	clock.Advance(time.Hour)
	for i := range 5 {
		logContact(t, s, Desk, g.ID, preferences.ContactInput{Channel: "email", Note: fmt.Sprint(i)})
		clock.Advance(time.Minute)
	}
	list := contactsOf(t, s, g.ID)
	if len(list) != 7 {
		t.Fatalf("%d contacts, want 7 (5 emails, the letter sent, the call): %+v", len(list), list)
	}
	l := list[5]
	if l.ID != letter.ID || l.Source != preferences.ContactByOutreach || l.Channel != "letter" || l.Occasion != "birthday" || l.At.IsZero() {
		t.Fatalf("the letter is listed as %+v", l)
	}
	if list[6].Channel != "call" || list[0].Note != "4" {
		t.Fatalf("not newest first: %+v", list)
	}

	// The card shows the latest five, newest first.
	card, err := s.Recognition(ctx, Desk, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(card.LastContacts) != preferences.LastContactsShown || card.LastContacts[0].Note != "4" || card.LastContacts[4].Note != "0" {
		t.Fatalf("the card's last contacts %+v", card.LastContacts)
	}
	fresh := NewGuest(t, s, Named("Lin", "Yu"))
	if card, err := s.Recognition(ctx, Desk, fresh.ID); err != nil || card.LastContacts == nil || len(card.LastContacts) != 0 {
		t.Fatalf("a new guest's card: %+v %v", card.LastContacts, err)
	}
}

func testContactErasure(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	g := Contactable(t, s, "Ding", "ding@example.cn", "")
	keep := NewGuest(t, s, Named("Lin", "Yu"))
	logContact(t, s, Desk, g.ID, material("Spa brochure"))
	logContact(t, s, Desk, keep.ID, material("Spa brochure"))
	sendLetter(t, s, clock, g, preferences.OutreachBirthday, "2026")
	setRhythm(t, s, g.ID, "30")
	setRhythm(t, s, keep.ID, "30")
	ex, err := s.ExportGuest(ctx, Manager, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ex.Extra["contacts"].([]preferences.Contact); len(c) != 2 {
		t.Fatalf("the export's contacts %+v", ex.Extra["contacts"])
	}
	if k, _ := ex.Extra["keep_in_touch"].(*preferences.KeepInTouch); k == nil || k.EveryDays != 30 {
		t.Fatalf("the export's rhythm %+v", ex.Extra["keep_in_touch"])
	}
	if err := s.EraseGuest(ctx, Manager, g.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.GuestContacts(ctx, Desk, g.ID)
	WantCode(t, err, preferences.ENOTFOUND, "")
	_, err = s.LogContact(ctx, Desk, g.ID, preferences.ContactInput{Channel: "call"})
	WantCode(t, err, preferences.ENOTFOUND, "")
	var left []preferences.Contact
	var rows []preferences.KeepInTouchRow
	err = repo.Read(ctx, func(tx preferences.Tx) (err error) {
		if left, err = tx.GuestContacts(ctx, g.ID, 100); err != nil {
			return err
		}
		rows, err = tx.KeepInTouchRows(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 || len(rows) != 1 || rows[0].Guest.ID != keep.ID {
		t.Fatalf("after erasure: contacts %+v, rhythms %+v", left, rows)
	}
	if n := len(contactsOf(t, s, keep.ID)); n != 1 {
		t.Fatalf("another guest's contacts went too: %d left", n)
	}
}

// setRhythm sends keep_in_touch_days (JSON: a number or null) as a guest's change.
func setRhythm(t *testing.T, s *preferences.Service, guestID, days string) preferences.Guest {
	t.Helper()
	g, err := s.UpdateGuest(context.Background(), Desk, guestID, preferences.GuestFields{KeepInTouchDays: json.RawMessage(days)})
	if err != nil {
		t.Fatalf("keep in touch %s: %v", days, err)
	}
	return g
}

func testKeepInTouch(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	a := NewGuest(t, s, Named("An", "Ming"))            // every 30 days, never contacted: due on day 30
	b := NewGuest(t, s, Named("Bai", "Li"))             // every 7 days, called today: due on day 7
	c := Contactable(t, s, "Cao", "cao@example.cn", "") // every 10 days, a letter on day 5: due on day 15
	d := NewGuest(t, s, Named("Du", "Fu"))              // stopped
	e := Contactable(t, s, "Er", "er@example.cn", "")   // erased
	if g := setRhythm(t, s, a.ID, "30"); g.KeepInTouchDays == nil || *g.KeepInTouchDays != 30 {
		t.Fatalf("the change answers %+v", g.KeepInTouchDays)
	}
	setRhythm(t, s, b.ID, "7")
	setRhythm(t, s, c.ID, "10")
	setRhythm(t, s, d.ID, "1")
	setRhythm(t, s, e.ID, "1")
	if g := setRhythm(t, s, d.ID, "null"); g.KeepInTouchDays != nil {
		t.Fatalf("a stopped rhythm answers %d", *g.KeepInTouchDays)
	}
	if p, err := s.GuestProfile(ctx, Desk, b.ID); err != nil || p.KeepInTouchDays == nil || *p.KeepInTouchDays != 7 {
		t.Fatalf("profile %+v %v", p.KeepInTouchDays, err)
	}
	if !audited(t, repo, a.ID, preferences.ActionKeepInTouch, Desk) {
		t.Error("the rhythm's change is not audited")
	}
	for _, bad := range []string{"0", "3651", "1.5", `"30"`, "true"} {
		_, err := s.UpdateGuest(ctx, Desk, a.ID, preferences.GuestFields{KeepInTouchDays: json.RawMessage(bad)})
		WantCode(t, err, preferences.EINVALID, "keep_in_touch_days")
	}
	logContact(t, s, Desk, b.ID, preferences.ContactInput{Channel: "call"})
	if err := s.EraseGuest(ctx, Manager, e.ID); err != nil {
		t.Fatal(err)
	}

	due := func(limit, offset int) ([]string, int) {
		t.Helper()
		list, total, err := s.KeepInTouchDue(ctx, Manager, limit, offset)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, g := range list {
			out = append(out, fmt.Sprintf("%s:%s+%d", g.Name, g.Due, g.DaysOverdue))
		}
		return out, total
	}
	want := func(limit, offset int, total int, entries ...string) {
		t.Helper()
		got, n := due(limit, offset)
		if !slices.Equal(got, entries) || n != total {
			t.Fatalf("due on %s = %v of %d, want %v of %d", s.Today(), got, n, entries, total)
		}
	}
	want(50, 0, 0)
	clock.Advance(5 * day)
	sendLetter(t, s, clock, c, preferences.OutreachBirthday, "2026")
	clock.Advance(day)
	want(50, 0, 0) // day 6
	clock.Advance(day)
	want(50, 0, 1, "Li Bai:2026-03-23+0") // day 7
	clock.Advance(13 * day)               // day 20
	want(50, 0, 2, "Li Bai:2026-03-23+13", "Cao:2026-03-31+5")
	// Setting the same rhythm again keeps its start; another one starts it again.
	setRhythm(t, s, a.ID, "30")
	clock.Advance(10 * day) // day 30
	want(50, 0, 3, "Li Bai:2026-03-23+23", "Cao:2026-03-31+15", "Ming An:2026-04-15+0")
	want(2, 0, 3, "Li Bai:2026-03-23+23", "Cao:2026-03-31+15")
	want(2, 2, 3, "Ming An:2026-04-15+0")
	want(2, 4, 3)
	list, _, err := s.KeepInTouchDue(ctx, Manager, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if l := list[1].LastContact; l == nil || l.Source != preferences.ContactByOutreach || list[2].LastContact != nil || list[0].LastContact.Channel != "call" {
		t.Fatalf("last contacts %+v", list)
	}
	setRhythm(t, s, a.ID, "60")
	// A contact today takes Bai off the list.
	logContact(t, s, Manager, b.ID, preferences.ContactInput{Channel: "visit"})
	want(50, 0, 1, "Cao:2026-03-31+15")
	if err := s.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if !audited(t, repo, c.ID, preferences.ActionKeepInTouchRead, Manager) {
		t.Error("the list's guests are not audited")
	}
}
