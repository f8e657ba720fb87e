package scheduler_test

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// startApp runs the real service with its SMTP pointed at a sink.
func startApp(t *testing.T) (*app.App, *smtpsink.Sink) {
	t.Helper()
	sink := smtpsink.Start(t)
	cfg := testkit.Config(t)
	cfg.SMTPURL = "smtp://" + sink.Addr + "?tls=none"
	cfg.PublicURL = "https://hotel.example"
	cfg.HotelName = "江景酒店"
	cfg.MailFrom = "江景酒店 <hello@hotel.example>"
	a, _ := testkit.Start(t, &cfg)
	return a, sink
}

// A greeting sent through the service parses with net/mail and mime/multipart: both
// parts, the Chinese subject encoded and decoded back, the exact RFC 8058 headers, the
// stored Message-ID and the visible link.
func TestMessageParsesAndUnsubscribes(t *testing.T) {
	a, sink := startApp(t)
	ctx := context.Background()
	today := time.Now().In(a.Config.Location)
	if today.Format("01-02") == "02-29" {
		today = today.AddDate(0, 0, 1)
	}
	day := today.Format(preferences.DateLayout)
	g, err := a.Store.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: ptr("丁"), Salutation: ptr("丁总"),
		Email: ptr("ding@example.cn"), Birthday: ptr(today.AddDate(-50, 0, 0).Format(preferences.DateLayout)), MarketingConsent: yes})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Outreach.Run(ctx, preferences.OutreachBirthday, day, false)
	if err != nil || len(r) != 1 || r[0].Status != preferences.OutboxSent {
		t.Fatalf("run = %+v, %v", r, err)
	}
	msgs := sink.Messages()
	if len(msgs) != 1 {
		t.Fatalf("sink has %d messages", len(msgs))
	}
	m, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	link := "https://hotel.example/u/" + a.Outreach.Unsubscriber().Token(g.ID)
	if got := m.Header.Get("List-Unsubscribe"); got != "<"+link+">" {
		t.Errorf("List-Unsubscribe = %q, want <%s>", got, link)
	}
	if got := m.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	rawSubject := m.Header.Get("Subject")
	subject, err := new(mime.WordDecoder).DecodeHeader(rawSubject)
	if err != nil || subject != "江景酒店祝您生日快乐!" || !strings.HasPrefix(rawSubject, "=?UTF-8?") {
		t.Errorf("subject %q decodes to %q (%v)", rawSubject, subject, err)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || from[0].Name != "江景酒店" || from[0].Address != "hello@hotel.example" {
		t.Errorf("From = %v (%v)", from, err)
	}
	stored, _ := a.Store.OutreachMessages(ctx, preferences.System, preferences.OutboxSent, 10)
	if got := m.Header.Get("Message-Id"); len(stored) != 1 || got != "<"+stored[0].MessageID+">" {
		t.Errorf("Message-ID = %q, stored %+v", got, stored)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v)", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
		if !strings.Contains(string(body), link) || !strings.Contains(string(body), "尊敬的丁总") {
			t.Errorf("%s part lacks the greeting or the link:\n%s", ct, body)
		}
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts %v, want text/plain then text/html", types)
	}

	// GET shows the page and changes nothing.
	before, _ := a.Store.ConsentHistory(ctx, preferences.System, g.ID)
	res := testkit.Call(t, a, "GET", "/u/"+a.Outreach.Unsubscriber().Token(g.ID), "", nil)
	if res.Status != 200 || !strings.Contains(string(res.Body), `method="post"`) {
		t.Fatalf("GET = %d %s", res.Status, res.Body)
	}
	if after, _ := a.Store.ConsentHistory(ctx, preferences.System, g.ID); len(after) != len(before) {
		t.Fatalf("GET changed the consent record: %+v", after)
	}
	// POST, no cookie, no login: unsubscribed at once, 200, no redirect, no cookie.
	res = testkit.Call(t, a, "POST", "/u/"+a.Outreach.Unsubscriber().Token(g.ID), "", "List-Unsubscribe=One-Click")
	if res.Status != 200 || res.Header.Get("Location") != "" || res.Header.Get("Set-Cookie") != "" {
		t.Fatalf("POST = %d %v", res.Status, res.Header)
	}
	after, _ := a.Store.ConsentHistory(ctx, preferences.System, g.ID)
	if last := after[len(after)-1]; last.Granted || last.Channel != preferences.ChannelEmailLink {
		t.Fatalf("consent record after unsubscribing: %+v", after)
	}
	// No further mail: next year's greeting is not written.
	next := today.AddDate(1, 0, 0).Format(preferences.DateLayout)
	if ex, _ := a.Outreach.Explain(ctx, preferences.OutreachBirthday, g.ID, next); ex.Eligible || !strings.Contains(strings.Join(ex.Reasons, ";"), "unsubscribed") {
		t.Fatalf("explain next year = %+v", ex)
	}
	if r, _ := a.Outreach.Run(ctx, preferences.OutreachBirthday, next, false); len(r) != 0 || sink.Count() != 1 {
		t.Fatalf("mail after unsubscribing: %+v, sink %d", r, sink.Count())
	}

	// A forged or altered token gets the same 404 as a validly signed unknown one.
	tok := a.Outreach.Unsubscriber().Token(g.ID)
	flip := "A"
	if strings.HasSuffix(tok, "A") {
		flip = "B"
	}
	altered := tok[:len(tok)-1] + flip
	forgedOther := "g_someoneelse" + tok[strings.LastIndexByte(tok, '.'):]
	unknown := testkit.Call(t, a, "POST", "/u/"+a.Outreach.Unsubscriber().Token("g_nobody"), "", nil)
	for _, bad := range []string{altered, forgedOther, "nonsense"} {
		for _, method := range []string{"GET", "POST"} {
			res := testkit.Call(t, a, method, "/u/"+bad, "", nil)
			if res.Status != 404 || string(res.Body) != string(unknown.Body) {
				t.Errorf("%s %s = %d %s; unknown = %d %s", method, bad, res.Status, res.Body, unknown.Status, unknown.Body)
			}
		}
	}
	if unknown.Status != 404 {
		t.Fatalf("unknown guest = %d", unknown.Status)
	}
}

// The manager's API: run (dry and real), explain, the outbox; other roles are refused.
// The service's sender is not started here: a real run's letters stay queued.
func TestOutreachAPI(t *testing.T) {
	a, sink := startApp(t)
	ctx := context.Background()
	day, birthday := comingBirthday(a)
	g, err := a.Store.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: ptr("Lovelace"), GivenName: ptr("Ada"),
		Email: ptr("ada@example.com"), Birthday: ptr(birthday), MarketingConsent: yes, Language: ptr("en")})
	if err != nil {
		t.Fatal(err)
	}
	manager := testkit.Token(t, a, preferences.RoleManager)
	front := testkit.Token(t, a, preferences.RoleFrontDesk)
	if res := testkit.Call(t, a, "POST", "/api/outreach/birthday/run", front, map[string]any{"date": day, "dry_run": true}); res.Status != 403 {
		t.Fatalf("frontdesk run = %d", res.Status)
	}
	res := testkit.Call(t, a, "POST", "/api/outreach/birthday/run", manager, map[string]any{"date": day, "dry_run": true})
	var out struct {
		Recipients []map[string]string `json:"recipients"`
	}
	res.JSON(t, &out)
	if res.Status != 200 || len(out.Recipients) != 1 || out.Recipients[0]["guest_id"] != g.ID || out.Recipients[0]["status"] != "dry_run" || sink.Count() != 0 {
		t.Fatalf("dry run = %d %s", res.Status, res.Body)
	}
	res = testkit.Call(t, a, "POST", "/api/outreach/birthday/run", manager, map[string]any{"date": day, "dry_run": false})
	if res.JSON(t, &out); len(out.Recipients) != 1 || out.Recipients[0]["status"] != "queued" || sink.Count() != 0 {
		t.Fatalf("run = %d %s", res.Status, res.Body)
	}
	res = testkit.Call(t, a, "GET", "/api/outreach/birthday/explain/"+g.ID+"?date="+day, manager, nil)
	if m := res.Map(t); res.Status != 200 || m["eligible"] != false || !strings.Contains(string(res.Body), "already greeted for "+day[:4]+": message queued") {
		t.Fatalf("explain = %d %s", res.Status, res.Body)
	}
	if res := testkit.Call(t, a, "GET", "/api/outreach/lapse/explain/g_unknown", manager, nil); res.Status != 404 {
		t.Fatalf("explain unknown = %d", res.Status)
	}
	if res := testkit.Call(t, a, "GET", "/api/outreach/birthday/explain/"+g.ID+"?date=12/10/2026", manager, nil); res.Status != 422 || !strings.Contains(string(res.Body), `"date"`) {
		t.Fatalf("explain bad date = %d %s", res.Status, res.Body)
	}
	if res := testkit.Call(t, a, "POST", "/api/outreach/anniversary/run", manager, nil); res.Status != 422 {
		t.Fatalf("bad kind = %d", res.Status)
	}
	res = testkit.Call(t, a, "GET", "/api/outreach/messages?status=queued", manager, nil)
	var list struct {
		Messages []preferences.OutreachMessage `json:"messages"`
	}
	if res.JSON(t, &list); len(list.Messages) != 1 || list.Messages[0].Subject != "Happy birthday from 江景酒店!" || strings.Contains(string(res.Body), "body_html") {
		t.Fatalf("messages = %s", res.Body)
	}
	if res := testkit.Call(t, a, "GET", "/api/outreach/messages?status=lost", manager, nil); res.Status != 422 || !strings.Contains(string(res.Body), `"status"`) {
		t.Fatalf("bad status = %d %s", res.Status, res.Body)
	}
	// The letters are part of the guest's export and go with an erasure.
	if res := testkit.Call(t, a, "GET", "/api/guests/"+g.ID+"/export", manager, nil); res.Status != 200 || !strings.Contains(string(res.Body), `"outreach"`) || !strings.Contains(string(res.Body), "Happy birthday from") {
		t.Fatalf("export = %d %s", res.Status, res.Body)
	}
	if res := testkit.Call(t, a, "DELETE", "/api/guests/"+g.ID, manager, nil); res.Status/100 != 2 {
		t.Fatalf("erase = %d %s", res.Status, res.Body)
	}
	if n, _ := a.Store.OutreachMessages(ctx, preferences.System, "", 10); len(n) != 0 {
		t.Fatalf("messages left after erasure: %+v", n)
	}
	doc := testkit.Call(t, a, "GET", "/api/openapi.json", "", nil)
	for _, p := range []string{"/api/outreach/{kind}/run", "/api/outreach/{kind}/explain/{guest_id}", "/api/outreach/messages", "/u/{token}"} {
		if !strings.Contains(string(doc.Body), `"`+p+`"`) {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}
