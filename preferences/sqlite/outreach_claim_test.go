package sqlite_test

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// Claiming a message records the previous outcome in the same transaction, also when
// the message can no longer be claimed; a second claim of the same message fails.
func TestClaimRecordsThePreviousOutcome(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 12, 3, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	msgs := queueGreetings(t, db, "a@example.cn", "b@example.cn")
	status := func(id string) string {
		t.Helper()
		m, err := db.OutreachMessage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m.Status
	}
	a, b := msgs[0].ID, msgs[1].ID
	if ok, err := db.ClaimOutreach(ctx, a, "me", now, nil); !ok || err != nil {
		t.Fatalf("claim a: %v %v", ok, err)
	}
	sent := &preferences.OutreachResult{ID: a, Outcome: preferences.OutreachOutcome{Status: preferences.OutboxSent}}
	if ok, err := db.ClaimOutreach(ctx, b, "me", now, sent); !ok || err != nil {
		t.Fatalf("claim b: %v %v", ok, err)
	}
	if sa, sb := status(a), status(b); sa != preferences.OutboxSent || sb != preferences.OutboxSending {
		t.Fatalf("after claiming b: a %s, b %s", sa, sb)
	}
	// b is taken already: nothing claimed, but b's outcome given along is recorded.
	failed := &preferences.OutreachResult{ID: b, Outcome: preferences.OutreachOutcome{Status: preferences.OutboxFailed, Error: "550"}}
	if ok, err := db.ClaimOutreach(ctx, b, "me", now, failed); ok || err != nil {
		t.Fatalf("claiming b twice: %v %v", ok, err)
	}
	if s := status(b); s != preferences.OutboxFailed {
		t.Fatalf("b = %s, want failed", s)
	}
}

// queueGreetings queues a birthday greeting to a new guest at each address.
func queueGreetings(t *testing.T, db *sqlite.DB, emails ...string) []preferences.OutreachMessage {
	t.Helper()
	yes := true
	var msgs []preferences.OutreachMessage
	for _, email := range emails {
		family, email := "丁", email
		g, err := db.CreateGuest(context.Background(), desk, preferences.GuestFields{FamilyName: &family, Email: &email, MarketingConsent: &yes})
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, preferences.OutreachMessage{ID: sqlite.NewID("o"), GuestID: g.ID, Kind: preferences.OutreachBirthday,
			Period: "2026", Email: email, Language: "zh", Subject: "生日快乐", Text: "t", HTML: "h", MessageID: "<" + email + ">"})
	}
	if _, err := db.QueueOutreach(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	return msgs
}

// The oldest queued message is the first queued that has not been claimed; with none
// queued there is none.
func TestOldestQueuedOutreach(t *testing.T) {
	ctx := context.Background()
	first := time.Date(2026, 5, 12, 3, 0, 0, 0, time.UTC)
	db := mustOpen(t, first)
	oldest := func() time.Time {
		t.Helper()
		at, err := db.OldestQueuedOutreach(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	if at := oldest(); !at.IsZero() {
		t.Fatalf("empty outbox: oldest %v", at)
	}
	a := queueGreetings(t, db, "a@example.cn")[0]
	later := first.Add(time.Hour)
	db.Now = func() time.Time { return later }
	b := queueGreetings(t, db, "b@example.cn")[0]
	if at := oldest(); !at.Equal(first) {
		t.Fatalf("oldest %v, want %v", at, first)
	}
	if ok, err := db.ClaimOutreach(ctx, a.ID, "me", later, nil); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if at := oldest(); !at.Equal(later) {
		t.Fatalf("after the first is claimed: oldest %v, want %v", at, later)
	}
	if ok, err := db.ClaimOutreach(ctx, b.ID, "me", later, nil); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if at := oldest(); !at.IsZero() {
		t.Fatalf("nothing queued: oldest %v", at)
	}
}
