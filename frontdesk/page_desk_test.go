package frontdesk_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
	"regulars/preferences"
)

// TestDeskPagesDingStory walks the desk pages through the real app: find Mr. Ding by
// document, read his card, check in, see the board, check out, act on the follow-up.
func TestDeskPagesDingStory(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	desk := staffClient(t, a, "mei", preferences.RoleFrontDesk)

	home := desk.get("/frontdesk")
	wantStatus(t, "desk", home, http.StatusOK)
	for _, want := range []string{"丁总", "Returning · 1 stay", "Allergies", "1 follow-up"} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("today's arrivals lack %q", want)
		}
	}
	if p := desk.get("/frontdesk?q=Thompson"); !strings.Contains(p.Body, "Ms. Thompson") {
		t.Error("search by name does not find Ms. Thompson")
	}

	token := desk.csrf("/frontdesk")
	p := desk.post("/frontdesk/lookup", url.Values{"_csrf": {token}, "document_type": {"cn_resident_id"}, "document_number": {DingDocument}}, nil)
	wantStatus(t, "lookup", p, http.StatusSeeOther)
	cardURL := p.Header.Get("Location")
	if cardURL != "/frontdesk/guests/"+s.Ding.ID || strings.Contains(cardURL, DingDocument) {
		t.Fatalf("lookup redirects to %q", cardURL)
	}
	p = desk.post("/frontdesk/lookup", url.Values{"_csrf": {token}, "document_type": {"cn_resident_id"}, "document_number": {"12345"}}, nil)
	wantStatus(t, "malformed document", p, http.StatusUnprocessableEntity)

	card := desk.get(cardURL)
	wantStatus(t, "card", card, http.StatusOK)
	for _, want := range []string{"丁总,欢迎您再次入住!", "laundry detergent", "moderate", s.FollowUp, "floor ≥ 20", "in room: nutritious fruit platter", "Room 2101"} {
		if !strings.Contains(card.Body, want) {
			t.Errorf("card lacks %q", want)
		}
	}
	first := regexp.MustCompile(`name="room" value="([^"]+)"`).FindStringSubmatch(card.Body)
	if first == nil || first[1] != "2101" {
		t.Fatalf("first suggested room = %v, want 2101", first)
	}

	// Check in to the first suggestion; a second check-in is a conflict shown on the card.
	p = desk.post(cardURL+"/checkin", url.Values{"_csrf": {token}, "room": {"2101"}, "nights": {"3"}}, nil)
	wantStatus(t, "check-in", p, http.StatusSeeOther)
	p = desk.post(cardURL+"/checkin", url.Values{"_csrf": {token}, "room": {"2103"}, "nights": {"3"}}, nil)
	wantStatus(t, "second check-in", p, http.StatusConflict)
	if !strings.Contains(p.Body, `id="error"`) {
		t.Error("the conflict is not shown on the card")
	}
	// The arrivals list counts who has arrived, and Ding is still "Returning · 1 stay".
	home = desk.get("/frontdesk")
	for _, want := range []string{"1 arrival · 1 checked in", "Returning · 1 stay", "Checked in"} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("after check-in, today's arrivals lack %q", want)
		}
	}

	// Housekeeping sees the room and what to do, nothing about who.
	hk := staffClient(t, a, "hk", preferences.RoleHousekeeping)
	board := hk.get("/housekeeping")
	wantStatus(t, "board", board, http.StatusOK)
	for _, want := range []string{"2101", "laundry detergent", "wash clothes with soap only", "soap only, no detergent", "extra pillow"} {
		if !strings.Contains(board.Body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	if strings.Index(board.Body, "805") > strings.Index(board.Body, "2101") || !strings.Contains(board.Body, "feathers") {
		t.Error("the board is not ordered by floor or lacks the severe allergy of 805")
	}
	for _, never := range []string{"丁", "Ding", "李", "li.na@", "ding@example.com", "139 0000", s.Ding.ID, "0038", "18650", "PMS-881"} {
		if strings.Contains(board.Body, never) {
			t.Errorf("board shows guest data %q", never)
		}
	}

	// Every staff read through the pages is audited with who read it.
	entries, err := a.Store.GuestAudit(t.Context(), preferences.System, s.Ding.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Actor+" "+e.Action] = true
	}
	for _, want := range []string{"mei " + preferences.ActionLookup, "mei " + preferences.ActionRecognition,
		"mei " + preferences.ActionArrivalRead, "hk " + preferences.ActionBoardRead} {
		if !seen[want] {
			t.Errorf("audit lacks %q (has %v)", want, seen)
		}
	}

	// Preferences form: a bad floor is shown with its rule; a good save returns to the card.
	prefsURL := cardURL + "/preferences"
	wantStatus(t, "preferences form", desk.get(prefsURL), http.StatusOK)
	form := url.Values{"_csrf": {token}, "min_floor": {"999"}, "bed": {"king"}, "view": {"river"}, "features": {"internet, bathtub"},
		"allergen_0": {"laundry detergent"}, "severity_0": {"severe"}, "instructions_0": {"soap only"}}
	p = desk.post(prefsURL, form, nil)
	wantStatus(t, "bad floor", p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.Body, "Lowest floor: must") || !strings.Contains(p.Body, `value="internet, bathtub"`) {
		t.Error("the form does not show the error or lost what was typed")
	}
	form.Set("min_floor", "20")
	wantStatus(t, "save preferences", desk.post(prefsURL, form, nil), http.StatusSeeOther)
	prefs, err := a.Store.Preferences(t.Context(), preferences.System, s.Ding.ID)
	if err != nil || prefs.Allergies[0].Severity != "severe" || len(prefs.Room.Features) != 2 {
		t.Fatalf("saved preferences = %+v, %v", prefs, err)
	}

	// Feedback and a department note.
	wantStatus(t, "feedback", desk.post(cardURL+"/feedback", url.Values{"_csrf": {token}, "kind": {"compliment"}, "text": {"Loved the fruit platter"}}, nil), http.StatusSeeOther)
	wantStatus(t, "empty feedback", desk.post(cardURL+"/feedback", url.Values{"_csrf": {token}, "kind": {"compliment"}, "text": {""}}, nil), http.StatusUnprocessableEntity)
	wantStatus(t, "note", desk.post(cardURL+"/notes", url.Values{"_csrf": {token}, "department": {"housekeeping"}, "text": {"Turn-down at 21:00"}}, nil), http.StatusSeeOther)
	if !strings.Contains(hk.get("/housekeeping").Body, "Turn-down at 21:00") {
		t.Error("the housekeeping note is not on the board")
	}

	// Check out with spend: the follow-up comes back to act on; marking it done removes it.
	card = desk.get(cardURL)
	stay := regexp.MustCompile(`action="/frontdesk/stays/([^/]+)/checkout"`).FindStringSubmatch(card.Body)
	if stay == nil {
		t.Fatal("no check-out form on the card of a guest in house")
	}
	wantStatus(t, "bad spend", desk.post("/frontdesk/stays/"+stay[1]+"/checkout", url.Values{"_csrf": {token}, "guest_id": {s.Ding.ID}, "spend": {"lots"}}, nil), http.StatusUnprocessableEntity)
	out := desk.post("/frontdesk/stays/"+stay[1]+"/checkout", url.Values{"_csrf": {token}, "guest_id": {s.Ding.ID}, "spend": {"5230.50"}}, nil)
	wantStatus(t, "check-out", out, http.StatusOK)
	if !strings.Contains(out.Body, s.FollowUp) {
		t.Fatal("check-out does not show the follow-up")
	}
	// Booked for 3 nights, gone the same day: the page says so, not "3 nights".
	if !strings.Contains(out.Body, `id="stay-nights">day use (booked 3 nights)`) {
		t.Error("check-out the day of arrival is not shown as a day use of a 3-night booking")
	}
	if !strings.Contains(desk.get(cardURL).Body, "· day use (booked 3 nights)</dd>") {
		t.Error("the card's last stay is not shown as a day use")
	}
	fu := regexp.MustCompile(`action="/frontdesk/follow-ups/([^/]+)/done"`).FindStringSubmatch(out.Body)
	wantStatus(t, "follow-up done", desk.post("/frontdesk/follow-ups/"+fu[1]+"/done", url.Values{"_csrf": {token}, "guest_id": {s.Ding.ID}}, nil), http.StatusSeeOther)
	if strings.Contains(desk.get(cardURL).Body, s.FollowUp) {
		t.Error("a done follow-up is still on the card")
	}
	if strings.Contains(hk.get("/housekeeping").Body, "2101") {
		t.Error("a checked-out room is still on the board")
	}
}

// The desk's day is the store's (the hotel's clock), in its heading as in its list.
func TestDeskShowsTheStoresDay(t *testing.T) {
	a := start(t)
	testkit.StoreClock(a).Set(time.Date(2027, 6, 15, 9, 0, 0, 0, a.Config.Location))
	s := func(v string) *string { return &v }
	g, err := a.Store.CreateGuest(t.Context(), seedActor, preferences.GuestFields{FamilyName: s("Okafor"), Salutation: s("Ms. Okafor"), Language: s("en")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.CreateArrival(t.Context(), seedActor, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2027-06-15", Nights: 2}); err != nil {
		t.Fatal(err)
	}
	home := staffClient(t, a, "mei", preferences.RoleFrontDesk).get("/frontdesk")
	wantStatus(t, "desk", home, http.StatusOK)
	if !strings.Contains(home.Body, "Tuesday 15 June · 1 arrival") || !strings.Contains(home.Body, "Ms. Okafor") {
		t.Errorf("the desk does not show the store's day and its arrival:\n%.3000s", home.Body)
	}
}

func TestManagerPage(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	m := staffClient(t, a, "boss", preferences.RoleManager)
	p := m.get("/manager")
	wantStatus(t, "manager", p, http.StatusOK)
	if !strings.Contains(p.Body, s.Complaint) || !strings.Contains(p.Body, "today") || !strings.Contains(p.Body, "Ms. Thompson") {
		t.Fatalf("open complaint with age and guest missing:\n%s", p.Body)
	}
	if strings.Contains(p.Body, "pastry") {
		t.Error("a resolved complaint is listed as open")
	}
	if !strings.Contains(p.Body, "2101") || !strings.Contains(p.Body, "1 of 4 occupied") {
		t.Error("rooms list missing")
	}
	id := regexp.MustCompile(`action="/manager/feedback/([^/]+)/resolve"`).FindStringSubmatch(p.Body)[1]
	token := m.csrf("/manager")
	wantStatus(t, "resolve without text", m.post("/manager/feedback/"+id+"/resolve", url.Values{"_csrf": {token}}, nil), http.StatusUnprocessableEntity)
	wantStatus(t, "resolve", m.post("/manager/feedback/"+id+"/resolve", url.Values{"_csrf": {token}, "resolution": {"Moved her to a quiet room"},
		"follow_up": {"Offer a quiet room on arrival"}}, nil), http.StatusSeeOther)
	p = m.get("/manager?msg=resolved")
	if strings.Contains(p.Body, s.Complaint) || !strings.Contains(p.Body, "Feedback resolved.") {
		t.Error("the resolved complaint is still listed, or no confirmation")
	}
}

// A request recorded at the desk ("late check-out") reaches the manager like a complaint:
// before, the page listed complaints only, so a request was seen by nobody.
func TestManagerPageListsOpenRequests(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	req := "Late check-out at 14:00 on departure day"
	if _, err := a.Store.AddFeedback(context.Background(), seedActor, s.Ding.ID, preferences.FeedbackInput{Kind: preferences.KindRequest, Text: req}); err != nil {
		t.Fatal(err)
	}
	m := staffClient(t, a, "boss", preferences.RoleManager)
	p := m.get("/manager")
	wantStatus(t, "manager", p, http.StatusOK)
	if !strings.Contains(p.Body, req) || !strings.Contains(p.Body, s.Complaint) || !strings.Contains(p.Body, `<span class="tag tag-accent">request</span>`) {
		t.Fatalf("the open request (tagged) and the complaint must both be listed:\n%s", p.Body)
	}
	if got := len(regexp.MustCompile(`action="/manager/feedback/[^/]+/resolve"`).FindAllString(p.Body, -1)); got != 2 {
		t.Errorf("%d resolve forms, want 2 (the complaint and the request)", got)
	}
}

// The card shows the best rooms and a few more behind a summary; the summary must not
// read as the number of free rooms left (it said "6 more free rooms" with 50 free).
func TestCardMoreRoomsLabel(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	for i := 1; i <= 20; i++ {
		r := preferences.Room{Number: strconv.Itoa(1000 + i), Floor: 10, View: "city", Bed: "twin"}
		if _, err := a.Store.PutRoom(context.Background(), seedActor, r); err != nil {
			t.Fatal(err)
		}
	}
	desk := staffClient(t, a, "mei", preferences.RoleFrontDesk)
	card := desk.get("/frontdesk/guests/" + s.Ding.ID)
	wantStatus(t, "card", card, http.StatusOK)
	if !strings.Contains(card.Body, "6 more suggestions</summary>") || strings.Contains(card.Body, "free room") {
		t.Errorf("more-rooms summary:\n%s", card.Body)
	}
}

func TestNewGuestForm(t *testing.T) {
	a := start(t)
	desk := staffClient(t, a, "mei", preferences.RoleFrontDesk)
	wantStatus(t, "form", desk.get("/frontdesk/guests/new"), http.StatusOK)
	token := desk.csrf("/frontdesk/guests/new")
	const badNumber = "110105197505120039" // wrong check digit
	form := url.Values{"_csrf": {token}, "family_name": {"Okafor"}, "given_name": {"Ada"}, "salutation": {"Ms. Okafor"},
		"language": {"en"}, "email": {"ada@example.ng"}, "document_type": {"cn_resident_id"}, "document_number": {badNumber}}
	p := desk.post("/frontdesk/guests/new", form, nil)
	wantStatus(t, "bad document", p, http.StatusUnprocessableEntity)
	if strings.Contains(p.Body, badNumber) || !strings.Contains(p.Body, `value="Okafor"`) {
		t.Fatal("the form echoed the document number or lost the name")
	}
	if !strings.Contains(p.Body, "<li>Document number: the check digit does not match (GB 11643)</li>") {
		t.Errorf("the error does not read as label: rule:\n%s", p.Body)
	}
	p = desk.post("/frontdesk/lookup", url.Values{"_csrf": {token}, "document_type": {"cn_resident_id"}, "document_number": {badNumber}}, nil)
	wantStatus(t, "lookup of a bad number", p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.Body, "Document number: the check digit does not match (GB 11643).") {
		t.Errorf("the desk's look-up error does not read as label: rule:\n%s", p.Body)
	}
	form.Set("document_type", "passport")
	form.Set("document_number", "E12345678")
	form.Set("time_zone", "Africa/Atlantis")
	p = desk.post("/frontdesk/guests/new", form, nil)
	wantStatus(t, "bad time zone", p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.Body, "Time zone: must be an IANA time zone") || !strings.Contains(p.Body, `value="Africa/Atlantis"`) {
		t.Errorf("the time zone error or the typed zone is missing:\n%s", p.Body)
	}
	form.Set("time_zone", "Africa/Lagos") // where she lives: her birthday email comes at 09:00 Lagos time
	p = desk.post("/frontdesk/guests/new", form, nil)
	wantStatus(t, "create", p, http.StatusSeeOther)
	id := strings.TrimPrefix(strings.Split(p.Header.Get("Location"), "?")[0], "/frontdesk/guests/")
	if g, err := a.Store.Guest(context.Background(), preferences.System, id); err != nil || g.TimeZone != "Africa/Lagos" {
		t.Errorf("stored guest %+v (%v), want time zone Africa/Lagos", g, err)
	}
	card := desk.get(p.Header.Get("Location"))
	if !strings.Contains(card.Body, "Welcome, Ms. Okafor!") || !strings.Contains(card.Body, "First stay") {
		t.Fatalf("new guest's card:\n%.1500s", card.Body)
	}
	p = desk.post("/frontdesk/lookup", url.Values{"_csrf": {token}, "document_type": {"passport"}, "document_number": {"E12345678"}}, nil)
	wantStatus(t, "lookup of the new guest", p, http.StatusSeeOther)
}
