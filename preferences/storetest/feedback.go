package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// testFeedback covers complaints, compliments and requests, their resolution and the
// follow-ups they leave.
func testFeedback(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	ding := NewGuest(t, s, Named("Ding", "Wei"))

	t.Run("Added", func(t *testing.T) {
		f, err := s.AddFeedback(ctx, Desk, ding.ID, preferences.FeedbackInput{Kind: " Complaint ", Text: " The pastry was too sweet. "})
		if err != nil {
			t.Fatal(err)
		}
		if f.ID == "" || f.GuestID != ding.ID || f.Kind != "complaint" || f.Text != "The pastry was too sweet." ||
			f.Status != "open" || f.StayID != "" || !f.CreatedAt.Equal(clock.Now()) || f.CreatedBy != Desk.Name ||
			f.GuestName != "Wei Ding" || f.AgeDays != 0 || f.FollowUp != nil || f.ResolvedAt != nil {
			t.Fatalf("added %+v", f)
		}
		if got := feedbackOf(t, s, ding.ID); len(got) != 1 || got[0].ID != f.ID || got[0].Text != f.Text {
			t.Fatalf("listed %+v, want the feedback added", got)
		}
		wantFeedbackAudit(t, s, repo, ding.ID, Desk, preferences.ActionFeedbackAdd, "complaint")
	})
	t.Run("OfAStay", func(t *testing.T) {
		stay := feedbackStay(t, s, repo, ding.ID)
		f, err := s.AddFeedback(ctx, Desk, ding.ID, preferences.FeedbackInput{Kind: "request", Text: "Late check-out", StayID: stay})
		if err != nil || f.StayID != stay {
			t.Fatalf("feedback of stay %s = %+v, %v", stay, f, err)
		}
	})
	t.Run("AddRefused", func(t *testing.T) {
		other := NewGuest(t, s, Named("Qian", "Li"))
		othersStay := feedbackStay(t, s, repo, other.ID)
		before := len(feedbackOf(t, s, ding.ID))
		for _, c := range []struct {
			name, guest, code, field string
			in                       preferences.FeedbackInput
		}{
			{"UnknownKind", ding.ID, preferences.EINVALID, "kind", preferences.FeedbackInput{Kind: "rant", Text: "loud"}},
			{"NoText", ding.ID, preferences.EINVALID, "text", preferences.FeedbackInput{Kind: "complaint", Text: "  "}},
			{"TextTooLong", ding.ID, preferences.EINVALID, "text", preferences.FeedbackInput{Kind: "complaint", Text: strings.Repeat("太", preferences.MaxFeedbackLen+1)}},
			{"StayOfAnotherGuest", ding.ID, preferences.EINVALID, "stay_id", preferences.FeedbackInput{Kind: "complaint", Text: "x", StayID: othersStay}},
			{"UnknownStay", ding.ID, preferences.EINVALID, "stay_id", preferences.FeedbackInput{Kind: "complaint", Text: "x", StayID: "s_none"}},
			{"UnknownGuest", "g_unknown", preferences.ENOTFOUND, "", preferences.FeedbackInput{Kind: "complaint", Text: "x"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.AddFeedback(ctx, Desk, c.guest, c.in)
				WantCode(t, err, c.code, c.field)
			})
		}
		if after := len(feedbackOf(t, s, ding.ID)); after != before {
			t.Errorf("refused feedback stored: %d feedback, want %d", after, before)
		}
	})
	t.Run("Resolved", func(t *testing.T) {
		f := mustFeedback(t, s, ding.ID, "complaint")
		clock.Advance(time.Hour)
		r, err := s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: " Recipe changed ", FollowUp: " A box of the new pastry at check-out "})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != "resolved" || r.Resolution != "Recipe changed" || r.ResolvedBy != Manager.Name ||
			r.ResolvedAt == nil || !r.ResolvedAt.Equal(clock.Now()) || r.FollowUp == nil ||
			r.FollowUp.Text != "A box of the new pastry at check-out" || r.FollowUp.FeedbackID != f.ID || r.FollowUp.DoneAt != nil {
			t.Fatalf("resolved %+v (follow-up %+v)", r, r.FollowUp)
		}
		open, err := s.OpenFollowUps(ctx, ding.ID)
		if err != nil || !slices.ContainsFunc(open, func(o preferences.FollowUp) bool { return o.ID == r.FollowUp.ID }) {
			t.Fatalf("open follow-ups %+v, %v; want the resolution's", open, err)
		}
		wantFeedbackAudit(t, s, repo, ding.ID, Manager, preferences.ActionFeedbackDone, "complaint")
		// Without a follow-up, none.
		g := mustFeedback(t, s, ding.ID, "request")
		if r, err := s.ResolveFeedback(ctx, Manager, g.ID, preferences.Resolution{Resolution: "Done"}); err != nil || r.FollowUp != nil {
			t.Fatalf("resolved without a follow-up: %+v, %v", r, err)
		}
	})
	t.Run("ResolveRefused", func(t *testing.T) {
		f := mustFeedback(t, s, ding.ID, "complaint")
		followUps := len(mustOpenFollowUps(t, s, ding.ID))
		_, err := s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: ""})
		WantCode(t, err, preferences.EINVALID, "resolution")
		_, err = s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "ok", FollowUp: strings.Repeat("x", preferences.MaxFollowUpLen+1)})
		WantCode(t, err, preferences.EINVALID, "follow_up")
		_, err = s.ResolveFeedback(ctx, Manager, "f_unknown", preferences.Resolution{Resolution: "ok"})
		WantCode(t, err, preferences.ENOTFOUND, "")
		// Nothing of the refused resolutions was kept.
		if got := feedbackByID(t, s, f.ID); got.Status != "open" || got.Resolution != "" || got.FollowUp != nil {
			t.Fatalf("after refused resolutions: %+v", got)
		}
		if n := len(mustOpenFollowUps(t, s, ding.ID)); n != followUps {
			t.Fatalf("%d open follow-ups after refused resolutions, want %d", n, followUps)
		}
		if _, err := s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "ok"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "again", FollowUp: "call"})
		WantCode(t, err, preferences.ECONFLICT, "")
		if got := feedbackByID(t, s, f.ID); got.Resolution != "ok" || got.FollowUp != nil {
			t.Fatalf("resolved twice: %+v", got)
		}
	})
	t.Run("RacingResolutions", func(t *testing.T) {
		f := mustFeedback(t, s, ding.ID, "complaint")
		won := feedbackRace(t, func() error {
			_, err := s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "ok", FollowUp: "call back"})
			return err
		})
		left := slices.DeleteFunc(mustOpenFollowUps(t, s, ding.ID), func(o preferences.FollowUp) bool { return o.FeedbackID != f.ID })
		if won != 1 || len(left) != 1 {
			t.Fatalf("%d racing resolutions won, leaving %d follow-ups; want one of each", won, len(left))
		}
		// Of racing staff marking its follow-up done, one does.
		won = feedbackRace(t, func() error { _, err := s.FollowUpDone(ctx, Desk, left[0].ID); return err })
		if won != 1 {
			t.Fatalf("%d racing marks of a follow-up done won, want 1", won)
		}
	})
	t.Run("FailedFollowUpUndoesTheResolution", func(t *testing.T) {
		f := mustFeedback(t, s, ding.ID, "complaint")
		failing, err := preferences.NewService(followUpFails{repo}, preferences.ServiceOptions{Secret: Secret, Location: Shanghai, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		defer failing.Close(ctx)
		_, err = failing.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "ok", FollowUp: "call back"})
		if err == nil {
			t.Fatal("resolved although its follow-up could not be stored")
		}
		if got := feedbackByID(t, s, f.ID); got.Status != "open" || got.Resolution != "" || got.ResolvedAt != nil {
			t.Fatalf("half a resolution kept: %+v", got)
		}
	})
	t.Run("FollowUpDone", func(t *testing.T) {
		f := mustFeedback(t, s, ding.ID, "complaint")
		r, err := s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "ok", FollowUp: "Send flowers"})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		done, err := s.FollowUpDone(ctx, Desk, r.FollowUp.ID)
		if err != nil || done.ID != r.FollowUp.ID || done.DoneAt == nil || !done.DoneAt.Equal(clock.Now()) || done.Text != "Send flowers" {
			t.Fatalf("done = %+v, %v", done, err)
		}
		if slices.ContainsFunc(mustOpenFollowUps(t, s, ding.ID), func(o preferences.FollowUp) bool { return o.ID == done.ID }) {
			t.Fatal("a follow-up done is still open")
		}
		wantFeedbackAudit(t, s, repo, ding.ID, Desk, preferences.ActionFollowUpDone, "")
		_, err = s.FollowUpDone(ctx, Desk, done.ID)
		WantCode(t, err, preferences.ECONFLICT, "")
		_, err = s.FollowUpDone(ctx, Desk, "fu_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
		// The feedback still shows its follow-up, done.
		if got := feedbackByID(t, s, f.ID); got.FollowUp == nil || got.FollowUp.DoneAt == nil {
			t.Fatalf("feedback after its follow-up was done: %+v", got)
		}
	})
	t.Run("IdempotentAnswerKeptWithIt", func(t *testing.T) {
		guest := NewGuest(t, s, Named("Zhou", "Xun"))
		replay := func() *preferences.Replay {
			return &preferences.Replay{Owner: "tok_fb", Key: "k-fb", Hash: []byte("h"), Status: 201,
				Encode: func(v any) ([]byte, error) { return []byte(v.(preferences.Feedback).ID), nil }}
		}
		r := replay()
		f, err := s.AddFeedback(preferences.WithReplay(ctx, r), Desk, guest.ID, preferences.FeedbackInput{Kind: "request", Text: "Quiet room"})
		if err != nil || string(r.Body) != f.ID {
			t.Fatalf("kept body %q for feedback %s (%v)", r.Body, f.ID, err)
		}
		// The same key again, while the first is "in progress": the feedback inserted
		// before the answer was refused is undone with it.
		_, err = s.AddFeedback(preferences.WithReplay(ctx, replay()), Desk, guest.ID, preferences.FeedbackInput{Kind: "request", Text: "Quiet room"})
		WantCode(t, err, preferences.ECONFLICT, "Idempotency-Key")
		if got := feedbackOf(t, s, guest.ID); len(got) != 1 {
			t.Fatalf("feedback after a refused repeat = %+v, want the first only", got)
		}
	})
	t.Run("ErasedGuest", func(t *testing.T) {
		guest := NewGuest(t, s, Named("Sun", "Mei"))
		f := mustFeedback(t, s, guest.ID, "complaint")
		r, err := s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "ok", FollowUp: "call"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EraseGuest(ctx, Manager, guest.ID); err != nil {
			t.Fatal(err)
		}
		if got := feedbackOf(t, s, guest.ID); len(got) != 0 {
			t.Fatalf("an erased guest's feedback is listed: %+v", got)
		}
		_, err = s.AddFeedback(ctx, Desk, guest.ID, preferences.FeedbackInput{Kind: "complaint", Text: "x"})
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.ResolveFeedback(ctx, Manager, f.ID, preferences.Resolution{Resolution: "again"})
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.FollowUpDone(ctx, Desk, r.FollowUp.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	// Last: it moves the clock on by days.
	t.Run("ListedOldestFirstWithAge", func(t *testing.T) { testFeedbackList(t, s, repo, clock) })
}

// testFeedbackList covers the list's filters, order, age and audit, looking at the
// feedback of its own guests only.
func testFeedbackList(t *testing.T, s *preferences.Service, repo preferences.Repository, clock *clockwork.FakeClock) {
	ctx := context.Background()
	ding := NewGuest(t, s, Named("Ding", "Wei"))
	salut := Named("丁", "伟")
	salut.Salutation = Ptr("丁总")
	dingZong := NewGuest(t, s, salut)

	oldest := mustFeedback(t, s, ding.ID, "complaint")
	clock.Advance(26 * time.Hour)
	resolved := mustFeedback(t, s, dingZong.ID, "request")
	if _, err := s.ResolveFeedback(ctx, Manager, resolved.ID, preferences.Resolution{Resolution: "ok", FollowUp: "ask"}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(23 * time.Hour)
	newest := mustFeedback(t, s, ding.ID, "compliment")
	clock.Advance(time.Hour)

	mine := func(list []preferences.Feedback) (ids []string, fs []preferences.Feedback) {
		for _, f := range list {
			if f.GuestID == ding.ID || f.GuestID == dingZong.ID {
				ids, fs = append(ids, f.ID), append(fs, f)
			}
		}
		return ids, fs
	}
	for _, c := range []struct {
		status string
		want   []string
	}{
		{"", []string{oldest.ID, resolved.ID, newest.ID}},
		{"open", []string{oldest.ID, newest.ID}},
		{"resolved", []string{resolved.ID}},
	} {
		list, err := s.FeedbackList(ctx, Manager, c.status)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := mine(list); !slices.Equal(got, c.want) {
			t.Errorf("status %q lists %v, want %v", c.status, got, c.want)
		}
	}
	list, err := s.FeedbackList(ctx, Manager, "")
	if err != nil {
		t.Fatal(err)
	}
	_, all := mine(list)
	// 50 hours, 24 and 1 have passed since each was given.
	if all[0].AgeDays != 2 || all[1].AgeDays != 1 || all[2].AgeDays != 0 {
		t.Errorf("ages %d, %d, %d days; want 2, 1, 0", all[0].AgeDays, all[1].AgeDays, all[2].AgeDays)
	}
	if all[0].GuestName != "Wei Ding" || all[1].GuestName != "丁总" || all[1].FollowUp == nil || all[1].FollowUp.Text != "ask" || all[0].FollowUp != nil {
		t.Errorf("listed %+v", all)
	}
	_, err = s.FeedbackList(ctx, Manager, "maybe")
	WantCode(t, err, preferences.EINVALID, "status")
	// The store keeps to the limit, from the oldest.
	var first []preferences.FeedbackRow
	if err := repo.Read(ctx, func(tx preferences.Tx) (err error) { first, err = tx.FeedbackByStatus(ctx, "", 2); return err }); err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].Feedback.ID != list[0].ID || first[1].Feedback.ID != list[1].ID {
		t.Errorf("the first 2 of the store = %+v, want the 2 oldest listed", first)
	}

	// Each guest listed is audited once per list: three lists name each guest.
	for _, g := range []string{ding.ID, dingZong.ID} {
		if n := feedbackAuditCount(t, s, repo, g, preferences.ActionFeedbackRead); n != 3 {
			t.Errorf("guest %s: %d feedback reads audited, want 3", g, n)
		}
	}
}

// mustFeedback adds feedback of the kind to a guest and fails t when that fails.
func mustFeedback(t *testing.T, s *preferences.Service, guestID, kind string) preferences.Feedback {
	t.Helper()
	f, err := s.AddFeedback(context.Background(), Desk, guestID, preferences.FeedbackInput{Kind: kind, Text: "about " + kind})
	if err != nil {
		t.Fatalf("add %s: %v", kind, err)
	}
	return f
}

// feedbackOf lists every feedback of a guest, oldest first.
func feedbackOf(t *testing.T, s *preferences.Service, guestID string) []preferences.Feedback {
	t.Helper()
	all, err := s.FeedbackList(context.Background(), Manager, "")
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(all, func(f preferences.Feedback) bool { return f.GuestID != guestID })
}

// feedbackByID finds listed feedback by its ID; it fails t when it is not listed.
func feedbackByID(t *testing.T, s *preferences.Service, id string) preferences.Feedback {
	t.Helper()
	all, err := s.FeedbackList(context.Background(), Manager, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("feedback %s is not listed", id)
	return preferences.Feedback{}
}

func mustOpenFollowUps(t *testing.T, s *preferences.Service, guestID string) []preferences.FollowUp {
	t.Helper()
	open, err := s.OpenFollowUps(context.Background(), guestID)
	if err != nil {
		t.Fatal(err)
	}
	return open
}

// feedbackStay stores a past stay of the guest, in a room of its own, and returns its ID.
func feedbackStay(t *testing.T, s *preferences.Service, repo preferences.Repository, guestID string) string {
	t.Helper()
	ctx := context.Background()
	room := preferences.Room{Number: "F" + guestID[len(guestID)-4:], Floor: 9, Bed: "king"}
	if _, err := s.PutRoom(ctx, Manager, room); err != nil {
		t.Fatal(err)
	}
	out := s.Now().Add(-24 * time.Hour)
	stay := preferences.Stay{ID: preferences.NewID("s"), GuestID: guestID, PropertyID: preferences.MainPropertyID, Room: room.Number, CheckIn: out.Add(-48 * time.Hour), CheckOut: &out, PlannedNights: 2}
	if err := repo.Write(ctx, func(tx preferences.Tx) error { return tx.InsertStay(ctx, stay) }); err != nil {
		t.Fatal(err)
	}
	return stay.ID
}

// feedbackAuditCount counts the guest's audit entries of the action, reads included.
func feedbackAuditCount(t *testing.T, s *preferences.Service, repo preferences.Repository, guestID, action string) int {
	t.Helper()
	n := 0
	for _, e := range feedbackAudit(t, s, repo, guestID) {
		if e.Action == action {
			n++
		}
	}
	return n
}

// wantFeedbackAudit fails t unless the guest's latest audit entry of the action is by
// actor, with the detail.
func wantFeedbackAudit(t *testing.T, s *preferences.Service, repo preferences.Repository, guestID string, actor preferences.Actor, action, detail string) {
	t.Helper()
	entries := feedbackAudit(t, s, repo, guestID)
	for _, e := range slices.Backward(entries) {
		if e.Action != action {
			continue
		}
		if e.Detail != detail || e.Actor != actor.Name || e.Role != actor.Role {
			t.Fatalf("audit entry %+v, want %s by %s with %q", e, action, actor.Name, detail)
		}
		return
	}
	t.Fatalf("no audit entry %s in %+v", action, entries)
}

func feedbackAudit(t *testing.T, s *preferences.Service, repo preferences.Repository, guestID string) []preferences.AuditEntry {
	t.Helper()
	ctx := context.Background()
	if err := s.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	var entries []preferences.AuditEntry
	if err := repo.Read(ctx, func(tx preferences.Tx) (err error) { entries, err = tx.GuestAuditEntries(ctx, guestID); return err }); err != nil {
		t.Fatal(err)
	}
	return entries
}

// feedbackRace runs change from several goroutines at once and returns how many
// succeeded; it fails t for any error but ECONFLICT.
func feedbackRace(t *testing.T, change func() error) int {
	t.Helper()
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = change() })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case preferences.ErrorCode(err) != preferences.ECONFLICT:
			t.Errorf("a racing change failed: %v", err)
		}
	}
	return won
}

// followUpFails is a repository that cannot store follow-ups: a failure in the middle of
// a change.
type followUpFails struct{ preferences.Repository }

func (r followUpFails) Write(ctx context.Context, fn func(preferences.Tx) error) error {
	return r.Repository.Write(ctx, func(tx preferences.Tx) error { return fn(followUpFailsTx{tx}) })
}

type followUpFailsTx struct{ preferences.Tx }

func (followUpFailsTx) InsertFollowUp(context.Context, string, string, preferences.FollowUp) error {
	return errors.New("storetest: the follow-up could not be stored")
}
