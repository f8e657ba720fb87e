package frontdesk_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/internal/testkit"
)

// callKey sends a request with an Idempotency-Key.
func (f *fixture) callKey(t *testing.T, key, method, path, token string, body any) testkit.Response {
	t.Helper()
	req := testkit.Request(t, method, path, token, body)
	req.Header.Set("Idempotency-Key", key)
	return testkit.Do(t, f.app, req)
}

// Each creating POST sent twice with the same Idempotency-Key creates once: the retry
// gets the first answer, byte for byte, marked as replayed.
func TestIdempotencyKeyRetryCreatesOnce(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	first := f.callKey(t, "guest-1", "POST", "/api/guests", f.desk, dingBody())
	if first.Status != 201 || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %s", first.Status, first.Body)
	}
	id := first.Map(t)["id"].(string)
	steps := []struct{ name, path, table string }{
		{"guest", "/api/guests", "guests"},
		{"arrival", "/api/arrivals", "arrivals"},
		{"stay", "/api/stays", "stays"},
		{"feedback", "/api/guests/" + id + "/feedback", "feedback"},
	}
	bodies := map[string]any{
		"guest":    dingBody(),
		"arrival":  M{"guest_id": id, "arrival_date": f.today(), "nights": 7, "reference": "PMS-123"},
		"stay":     M{"guest_id": id, "room": "2102", "nights": 7},
		"feedback": M{"kind": "complaint", "text": "the pastry was too sweet"},
	}
	answers := map[string]testkit.Response{"guest": first}
	for _, s := range steps {
		key := s.name + "-1"
		if answers[s.name].Status == 0 {
			answers[s.name] = f.callKey(t, key, "POST", s.path, f.desk, bodies[s.name])
			if answers[s.name].Status != 201 {
				t.Fatalf("%s: %d %s", s.name, answers[s.name].Status, answers[s.name].Body)
			}
		}
		before := f.count(t, "SELECT count(*) FROM "+s.table)
		again := f.callKey(t, key, "POST", s.path, f.desk, bodies[s.name])
		if again.Status != 201 || !bytes.Equal(again.Body, answers[s.name].Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("%s retried: %d %s (replayed %q), want the first answer %s", s.name, again.Status, again.Body,
				again.Header.Get("Idempotent-Replayed"), answers[s.name].Body)
		}
		if after := f.count(t, "SELECT count(*) FROM "+s.table); after != before {
			t.Errorf("%s retried: %d rows, was %d", s.name, after, before)
		}
	}

	// The same key with another body, or another path, is refused, naming the header.
	other := dingBody()
	other["email"] = "someone.else@example.com"
	problemField(t, f.callKey(t, "guest-1", "POST", "/api/guests", f.desk, other), 422, "Idempotency-Key")
	problemField(t, f.callKey(t, "guest-1", "POST", "/api/arrivals", f.desk, bodies["arrival"]), 422, "Idempotency-Key")
	// Keys belong to a token: another token's same key is another request.
	r := f.callKey(t, "guest-1", "POST", "/api/guests", f.manager, M{"family_name": "Thompson", "language": "en"})
	if r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another token's key: %d %s", r.Status, r.Body)
	}
	for _, bad := range []string{strings.Repeat("k", 256), "two words", "ключ"} {
		problemField(t, f.callKey(t, bad, "POST", "/api/guests", f.desk, dingBody()), 422, "Idempotency-Key")
	}
	if n := f.count(t, "SELECT count(*) FROM guests WHERE email = ?", "ding@example.com"); n != 1 {
		t.Errorf("%d guests with Ding's email, want 1", n)
	}
	// Without the header nothing changes: each POST creates.
	f.expect(t, 201, "POST", "/api/guests/"+id+"/feedback", f.desk, bodies["feedback"])
	f.expect(t, 201, "POST", "/api/guests/"+id+"/feedback", f.desk, bodies["feedback"])
	if n := f.count(t, "SELECT count(*) FROM feedback WHERE guest_id = ?", id); n != 3 {
		t.Errorf("%d feedback, want 3", n)
	}
	// Erasing the guest erases the answers kept about them.
	f.expect(t, 204, "DELETE", "/api/guests/"+id, f.manager, nil)
	if n := f.count(t, "SELECT count(*) FROM idempotency_keys WHERE guest_id = ?", id); n != 0 {
		t.Errorf("%d answers about the erased guest kept", n)
	}
}

// A key is kept 24 hours: a day later the same key is a new request; the old answers
// are forgotten on the way.
func TestIdempotencyKeyKept24Hours(t *testing.T) {
	cfg := testkit.Config(t)
	clock := clockwork.NewFakeClockAt(time.Now())
	cfg.StoreClock = clock
	f := newFixtureOn(t, &cfg)
	body := M{"family_name": "Thompson", "given_name": "Emma", "language": "en"}
	first := f.callKey(t, "k", "POST", "/api/guests", f.desk, body)
	clock.Advance(24*time.Hour - time.Second)
	if r := f.callKey(t, "k", "POST", "/api/guests", f.desk, body); !bytes.Equal(r.Body, first.Body) {
		t.Fatalf("within 24 hours: %d %s", r.Status, r.Body)
	}
	clock.Advance(2 * time.Second)
	later := f.callKey(t, "k", "POST", "/api/guests", f.desk, body)
	if later.Status != 201 || later.Header.Get("Idempotent-Replayed") != "" || bytes.Equal(later.Body, first.Body) {
		t.Fatalf("after 24 hours: %d %s", later.Status, later.Body)
	}
	if n := f.count(t, "SELECT count(*) FROM idempotency_keys"); n != 1 {
		t.Errorf("%d answers kept, want only the new one", n)
	}
}

// Requests with the same key at the same time create one guest: the others get the
// first answer, or 409 while it is in progress (never a second guest).
func TestIdempotencyKeyConcurrent(t *testing.T) {
	f := newFixture(t)
	body := M{"family_name": "Ding", "given_name": "Wei", "language": "en", "email": "wei@example.com"}
	var wg sync.WaitGroup
	results := make([]testkit.Response, 8)
	errs := make([]error, len(results))
	for i := range results {
		req := testkit.Request(t, "POST", "/api/guests", f.desk, body)
		req.Header.Set("Idempotency-Key", "same")
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = testkit.Send(f.app, req)
		}()
	}
	wg.Wait()
	var ids []string
	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		switch r.Status {
		case 201:
			var g struct{ ID string }
			if err := json.Unmarshal(r.Body, &g); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, g.ID)
		case 409:
			problemField(t, r, 409, "Idempotency-Key")
		default:
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	}
	if n := f.count(t, "SELECT count(*) FROM guests WHERE email = ?", "wei@example.com"); n != 1 {
		t.Fatalf("%d guests created, want 1", n)
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("answers name different guests: %v", ids)
		}
	}
	t.Logf("%d of %d answered 201 (%s)", len(ids), len(results), fmt.Sprint(ids[:min(1, len(ids))]))
}
