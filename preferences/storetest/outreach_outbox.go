package storetest

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"regulars/preferences"
)

// testOutbox covers the outbox's life cycle: queued once, claimed by one sender,
// finished, retried, recovered after a crash.
func testOutbox(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	o := outreachOf(t, s)
	birthday := preferences.OutreachBirthday
	msg := func(id string) preferences.OutreachMessage {
		t.Helper()
		m, err := s.OutreachMessage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	claim := func(id, owner string) bool {
		t.Helper()
		ok, err := s.ClaimOutreach(ctx, id, owner, clock.Now(), Lease)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	finish := func(id, owner string, out preferences.OutreachOutcome) {
		t.Helper()
		if err := s.FinishOutreach(ctx, id, owner, out); err != nil {
			t.Fatal(err)
		}
	}
	queued := func() preferences.OutreachMessage {
		t.Helper()
		email := preferences.NewID("m")[2:] + "@example.cn" // an address of its own
		return o.queue(Letter(Contactable(t, s, "Ding", email, ""), birthday, "2026"))[0]
	}

	t.Run("QueuedOnce", func(t *testing.T) {
		a := Contactable(t, s, "Ding", "ding@example.cn", "")
		created := o.queue(Letter(a, birthday, "2026"))
		if len(created) != 1 || created[0].Status != preferences.OutboxQueued || created[0].NextAttemptAt == nil ||
			!created[0].NextAttemptAt.Equal(clock.Now()) || !created[0].CreatedAt.Equal(clock.Now()) {
			t.Fatalf("created %+v", created)
		}
		if m := msg(created[0].ID); m.Status != preferences.OutboxQueued || m.Email != a.Email || m.Text != "t" || m.HTML != "<p>h</p>" {
			t.Fatalf("stored %+v", m)
		}
		// The same guest, occasion and period again; another guest at the address.
		twin := Contactable(t, s, "Ding", "DING@example.cn", "")
		if again := o.queue(Letter(a, birthday, "2026"), Letter(twin, birthday, "2026")); len(again) != 0 {
			t.Fatalf("queued twice: %+v", again)
		}
		if next := o.queue(Letter(a, birthday, "2027"), Letter(a, preferences.OutreachLapse, "2026")); len(next) != 2 {
			t.Fatalf("another period and occasion: %+v", next)
		}
	})
	t.Run("FailedQueueLeavesNothing", func(t *testing.T) {
		g := Contactable(t, s, "Qian", "qian@example.cn", "")
		good := Letter(g, birthday, "2026")
		bad := Letter(g, "anniversary", "2026")
		_, err := s.QueueOutreach(ctx, []preferences.OutreachMessage{good, bad})
		WantCode(t, err, preferences.EINVALID, "messages[1].kind")
		_, err = s.OutreachMessage(ctx, good.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		// A guest unknown or erased since the selection gets no letter; the others go.
		unknown := Letter(preferences.Guest{ID: "g_unknown", Email: "x@example.cn"}, birthday, "2026")
		created, err := s.QueueOutreach(ctx, []preferences.OutreachMessage{good, unknown})
		if err != nil || len(created) != 1 || created[0].ID != good.ID {
			t.Fatalf("queued %+v (%v), want only the letter to the known guest", created, err)
		}
		if _, err := s.OutreachMessage(ctx, unknown.ID); preferences.ErrorCode(err) != preferences.ENOTFOUND {
			t.Fatalf("the letter to an unknown guest: %v", err)
		}
	})
	t.Run("OneClaimWins", func(t *testing.T) {
		m := queued()
		var wins sync.WaitGroup
		won := make(chan string, 4)
		for _, owner := range []string{"a", "b", "c", "d"} {
			wins.Go(func() {
				if ok, err := s.ClaimOutreach(ctx, m.ID, owner, clock.Now(), Lease); err != nil {
					t.Error(err)
				} else if ok {
					won <- owner
				}
			})
		}
		wins.Wait()
		close(won)
		var owners []string
		for w := range won {
			owners = append(owners, w)
		}
		if got := msg(m.ID); len(owners) != 1 || got.Status != preferences.OutboxSending || got.Attempts != 1 || got.NextAttemptAt != nil {
			t.Fatalf("claimed by %v: %+v", owners, got)
		}
		if claim(m.ID, "e") {
			t.Fatal("claimed while sending")
		}
		// The store's claim is atomic by itself: a sender that read the message queued
		// before another claimed it cannot claim it too.
		m = queued()
		for i, want := range []bool{true, false} {
			var ok bool
			err := repo.Write(ctx, func(tx preferences.Tx) (err error) {
				ok, err = tx.ClaimOutreachMessage(ctx, m.ID, "owner"+strconv.Itoa(i), clock.Now(), clock.Now().Add(Lease))
				return err
			})
			if err != nil || ok != want {
				t.Fatalf("store's claim %d: %v (%v), want %v", i, ok, err, want)
			}
		}
	})
	t.Run("FinishSent", func(t *testing.T) {
		m := queued()
		claim(m.ID, "me")
		finish(m.ID, "other", preferences.OutreachOutcome{Status: preferences.OutboxFailed, Error: "550"})
		if got := msg(m.ID); got.Status != preferences.OutboxSending {
			t.Fatalf("another owner's outcome recorded: %+v", got)
		}
		clock.Advance(time.Second)
		finish(m.ID, "me", preferences.OutreachOutcome{Status: preferences.OutboxSent})
		if got := msg(m.ID); got.Status != preferences.OutboxSent || got.SentAt == nil || !got.SentAt.Equal(clock.Now()) || got.LastError != "" {
			t.Fatalf("sent %+v", got)
		}
		if claim(m.ID, "me") {
			t.Fatal("a sent message claimed again")
		}
	})
	t.Run("RetryLater", func(t *testing.T) {
		m := queued()
		claim(m.ID, "me")
		next := clock.Now().Add(time.Minute)
		finish(m.ID, "me", preferences.OutreachOutcome{Status: preferences.OutboxQueued, Error: "421 try later", NextAttemptAt: &next})
		if got := msg(m.ID); got.Status != preferences.OutboxQueued || got.LastError != "421 try later" || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(next) {
			t.Fatalf("queued again %+v", got)
		}
		if due := dueIDs(t, s, clock.Now()); due[m.ID] || claim(m.ID, "me") {
			t.Fatal("a retry was due before its time")
		}
		clock.Advance(time.Minute)
		if due := dueIDs(t, s, clock.Now()); !due[m.ID] || !claim(m.ID, "me") {
			t.Fatal("a retry was not due at its time")
		}
		finish(m.ID, "me", preferences.OutreachOutcome{Status: preferences.OutboxFailed, Error: "gave up after 2 attempts: 421"})
		if got := msg(m.ID); got.Status != preferences.OutboxFailed || got.Attempts != 2 || got.NextAttemptAt != nil {
			t.Fatalf("failed %+v", got)
		}
	})
	t.Run("BadOutcome", func(t *testing.T) {
		m := queued()
		claim(m.ID, "me")
		WantCode(t, s.FinishOutreach(ctx, m.ID, "me", preferences.OutreachOutcome{Status: "lost"}), preferences.EINVALID, "status")
		err := s.FinishOutreach(ctx, m.ID, "me", preferences.OutreachOutcome{Status: preferences.OutboxQueued})
		WantCode(t, err, preferences.EINVALID, "next_attempt_at")
		if got := msg(m.ID); got.Status != preferences.OutboxSending {
			t.Fatalf("after refused outcomes: %+v", got)
		}
	})
	t.Run("ConsentWithdrawnBeforeTheClaim", func(t *testing.T) {
		m := queued()
		decide(t, repo, m.GuestID, false, preferences.ChannelEmailLink)
		if claim(m.ID, "me") {
			t.Fatal("a letter claimed after its guest unsubscribed")
		}
		if got := msg(m.ID); got.Status != preferences.OutboxFailed || got.LastError == "" {
			t.Fatalf("not failed: %+v", got)
		}
	})
	t.Run("RecoverAfterACrash", func(t *testing.T) {
		m := queued()
		claim(m.ID, "crashed")
		// While its lease lasts, the sender may be alive (another instance): it keeps it.
		clock.Advance(Lease - time.Second)
		if _, err := s.RecoverOutreach(ctx, clock.Now()); err != nil { // earlier tests' messages may go
			t.Fatal(err)
		}
		if got := msg(m.ID); got.Status != preferences.OutboxSending {
			t.Fatalf("within the lease %+v", got)
		}
		clock.Advance(time.Second)
		n, err := s.RecoverOutreach(ctx, clock.Now())
		if err != nil || n < 1 {
			t.Fatalf("recovered %d (%v)", n, err)
		}
		if got := msg(m.ID); got.Status != preferences.OutboxUnknown || got.LastError == "" || claim(m.ID, "me") {
			t.Fatalf("after recovery %+v", got)
		}
		if n, err := s.RecoverOutreach(ctx, clock.Now()); err != nil || n != 0 {
			t.Fatalf("recovered again %d (%v)", n, err)
		}
		// The sender learnt the outcome after all: it is kept.
		finish(m.ID, "crashed", preferences.OutreachOutcome{Status: preferences.OutboxSent})
		if got := msg(m.ID); got.Status != preferences.OutboxSent {
			t.Fatalf("known outcome after recovery: %+v", got)
		}
	})
	t.Run("DueEarliestFirst", func(t *testing.T) {
		first := queued()
		clock.Advance(time.Second)
		second := queued()
		due, err := s.DueOutreach(ctx, clock.Now(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		at := func(id string) int {
			for i, m := range due {
				if m.ID == id {
					return i
				}
			}
			return -1
		}
		if i, j := at(first.ID), at(second.ID); i < 0 || j < 0 || i > j {
			t.Fatalf("due order: first at %d, second at %d", i, j)
		}
	})
	t.Run("UnknownMessage", func(t *testing.T) {
		_, err := s.OutreachMessage(ctx, "ob_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
		if claim("ob_unknown", "me") {
			t.Fatal("an unknown message claimed")
		}
	})
}

// Lease is how long the tests' senders hold a message they claimed.
const Lease = time.Minute

func dueIDs(t *testing.T, s *preferences.Service, now time.Time) map[string]bool {
	t.Helper()
	due, err := s.DueOutreach(context.Background(), now, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range due {
		out[m.ID] = true
	}
	return out
}

// testOutboxCounts covers the counts by status, the oldest queued message and the list,
// on an outbox of their own.
func testOutboxCounts(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	o := outreachOf(t, s)
	oldest := func() time.Time {
		t.Helper()
		at, err := s.OldestQueuedOutreach(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	counts := func() map[string]int {
		t.Helper()
		n, err := s.OutreachCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if at, n := oldest(), counts(); !at.IsZero() || len(n) != 0 {
		t.Fatalf("empty outbox: oldest %v, counts %v", at, n)
	}
	first := Start
	a := o.queue(Letter(Contactable(t, s, "Ding", "a@example.cn", ""), preferences.OutreachBirthday, "2026"))[0]
	clock.Advance(time.Hour)
	b := o.queue(Letter(Contactable(t, s, "Qian", "b@example.cn", ""), preferences.OutreachBirthday, "2026"))[0]
	if at := oldest(); !at.Equal(first) {
		t.Fatalf("oldest %v, want %v", at, first)
	}
	if ok, err := s.ClaimOutreach(ctx, a.ID, "me", clock.Now(), Lease); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if at, n := oldest(), counts(); !at.Equal(first.Add(time.Hour)) || n[preferences.OutboxQueued] != 1 || n[preferences.OutboxSending] != 1 || len(n) != 2 {
		t.Fatalf("after a claim: oldest %v, counts %v", at, n)
	}
	if ok, err := s.ClaimOutreach(ctx, b.ID, "me", clock.Now(), Lease); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if at := oldest(); !at.IsZero() {
		t.Fatalf("nothing queued: oldest %v", at)
	}

	// The list: newest first, by status, each message's guest audited.
	all, err := s.OutreachMessages(ctx, Manager, "", 10)
	if err != nil || len(all) != 2 || all[0].ID != b.ID || all[1].ID != a.ID {
		t.Fatalf("all messages %+v (%v)", all, err)
	}
	if one, err := s.OutreachMessages(ctx, Manager, preferences.OutboxSending, 1); err != nil || len(one) != 1 || one[0].ID != b.ID {
		t.Fatalf("one sending message %+v (%v)", one, err)
	}
	if none, err := s.OutreachMessages(ctx, Manager, preferences.OutboxSent, 10); err != nil || len(none) != 0 {
		t.Fatalf("sent messages %+v (%v)", none, err)
	}
	_, err = s.OutreachMessages(ctx, Manager, "lost", 10)
	WantCode(t, err, preferences.EINVALID, "status")
	_, err = s.OutreachMessages(ctx, Manager, "", 0)
	WantCode(t, err, preferences.EINVALID, "limit")
	if err := s.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if !audited(t, repo, a.GuestID, preferences.ActionOutreachRead, Manager) {
		t.Fatal("the list's guests were not audited")
	}
}
