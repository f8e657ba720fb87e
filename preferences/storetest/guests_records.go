package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// testGuestPreferences covers setting preferences and their history old → new.
func testGuestPreferences(t *testing.T, s *preferences.Service) {
	ctx := context.Background()
	g := NewGuest(t, s, Named("Pan", "Yue"))

	t.Run("HistoryOldToNew", func(t *testing.T) {
		first := preferences.Preferences{Notes: "Quiet room", Room: preferences.RoomPrefs{Bed: "king"}}
		got, err := s.SetPreferences(ctx, Desk, g.ID, first, []string{preferences.SectionNotes})
		if err != nil || got.Notes != "Quiet room" || got.Room.Bed != "" {
			t.Fatalf("set notes only = %+v, %v; the room section was not listed", got, err)
		}
		// A listed section that does not change records nothing.
		second := preferences.Preferences{Notes: "Quiet room, high floor", Room: preferences.RoomPrefs{Bed: "king"}}
		if _, err := s.SetPreferences(ctx, Manager, g.ID, second, preferences.Sections); err != nil {
			t.Fatal(err)
		}
		history, err := s.PreferenceHistory(ctx, Desk, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 3 {
			t.Fatalf("history = %+v, want notes, then room and notes", history)
		}
		wantChange(t, history[0], preferences.SectionNotes, `""`, `"Quiet room"`, Desk)
		// The second call's sections in their order: room, then notes.
		if history[1].Section != preferences.SectionRoom || history[2].Section != preferences.SectionNotes {
			t.Fatalf("second change's sections = %s, %s", history[1].Section, history[2].Section)
		}
		wantChange(t, history[2], preferences.SectionNotes, `"Quiet room"`, `"Quiet room, high floor"`, Manager)
		// The same changes, old → new, are the preference entries of the guest's audit.
		if e := findAction(auditOf(t, s, g.ID), preferences.ActionPrefsChange); e == nil || string(e.New) != `"Quiet room, high floor"` {
			t.Fatalf("audit's preference change = %+v", e)
		}
	})
	t.Run("InvalidPreferencesChangeNothing", func(t *testing.T) {
		bad := preferences.Preferences{Notes: "Changed", Room: preferences.RoomPrefs{Bed: "hammock"}}
		_, err := s.SetPreferences(ctx, Desk, g.ID, bad, preferences.Sections)
		WantCode(t, err, preferences.EINVALID, "room.bed")
		p, _ := s.Preferences(ctx, Desk, g.ID)
		if p.Notes != "Quiet room, high floor" {
			t.Fatalf("notes after a refused change = %q", p.Notes)
		}
		_, err = s.SetPreferences(ctx, Desk, "g_unknown", preferences.Preferences{}, preferences.Sections)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.PreferenceHistory(ctx, Desk, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
}

func wantChange(t *testing.T, e preferences.AuditEntry, section, old, new string, by preferences.Actor) {
	t.Helper()
	if e.Action != preferences.ActionPrefsChange || e.Section != section || string(e.Old) != old || string(e.New) != new ||
		e.Actor != by.Name || e.Role != by.Role {
		t.Fatalf("change = %+v (old %s, new %s), want %s %s → %s by %s", e, e.Old, e.New, section, old, new, by.Name)
	}
}

// testGuestRecords covers the guest's audit and the export.
func testGuestRecords(t *testing.T, s *preferences.Service, repo preferences.Repository, clock *clockwork.FakeClock) {
	ctx := context.Background()
	PutRooms(t, s, preferences.Room{Number: "1208", Floor: 12, Bed: "king"})
	g := NewGuest(t, s, Named("Qin", "Hao"))
	other := NewGuest(t, s, Named("Qiu", "Rui"))
	// In house for two nights, checked out an hour ago; then the board is read.
	in, out := clock.Now().Add(-49*time.Hour), clock.Now().Add(-time.Hour)
	mustWrite(t, repo, func(tx preferences.Tx) error {
		if err := tx.InsertStay(ctx, preferences.Stay{ID: "s_qin", GuestID: g.ID, PropertyID: preferences.MainPropertyID, Room: "1208", CheckIn: in, CheckOut: &out, PlannedNights: 2, Spend: "1200"}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx,
			preferences.AuditEntry{At: in.Add(-time.Minute), Actor: Maid.Name, Role: Maid.Role, Action: preferences.ActionBoardRead},
			preferences.AuditEntry{At: in.Add(time.Hour), Actor: Maid.Name, Role: Maid.Role, Action: preferences.ActionBoardRead},
			preferences.AuditEntry{At: out.Add(time.Minute), Actor: Maid.Name, Role: Maid.Role, Action: preferences.ActionBoardRead})
	})

	t.Run("AuditHasTheBoardReadsWhileInHouseSortedByTime", func(t *testing.T) {
		entries := auditOf(t, s, g.ID)
		if len(entries) != 2 || entries[0].Action != preferences.ActionBoardRead || !entries[0].At.Equal(in.Add(time.Hour)) ||
			entries[1].Action != preferences.ActionCreate {
			t.Fatalf("audit = %+v, want the board read in house, then the creation", entries)
		}
		// The read of the audit is itself audited.
		if e := findAction(auditOf(t, s, g.ID), preferences.ActionAuditRead); e == nil || e.Actor != Manager.Name {
			t.Fatalf("audit read's entry = %+v", e)
		}
		if e := findAction(auditOf(t, s, other.ID), preferences.ActionBoardRead); e != nil {
			t.Fatalf("a guest never in house has a board read: %+v", e)
		}
		_, err := s.GuestAudit(ctx, Manager, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("ExportHasEverything", func(t *testing.T) {
		if _, err := s.AddNote(ctx, Desk, g.ID, preferences.Note{Department: "kitchen", Text: "No peanuts"}); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, repo, func(tx preferences.Tx) error {
			return tx.InsertFollowUp(ctx, g.ID, Desk.Name, preferences.FollowUp{ID: "f_qin", Text: "Send the receipt", CreatedAt: clock.Now()})
		})
		ex, err := s.ExportGuest(ctx, Manager, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(ex)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Guest preferences.Guest
			Audit []preferences.AuditEntry
			Extra struct {
				Stays     []map[string]any `json:"stays"`
				Notes     []preferences.Note
				FollowUps []preferences.FollowUp `json:"follow_ups"`
				Feedback  []any
				Arrivals  []any
				Outreach  []any
			}
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		x := got.Extra
		if got.Guest.ID != g.ID || len(got.Audit) == 0 || len(x.Stays) != 1 || x.Stays[0]["spend"] != "1200" ||
			x.Stays[0]["nights"] != 2.0 || len(x.Notes) != 1 || len(x.FollowUps) != 1 || x.FollowUps[0].Text != "Send the receipt" ||
			x.Feedback == nil || x.Arrivals == nil || x.Outreach == nil || !ex.ExportedAt.Equal(clock.Now()) {
			t.Fatalf("export = %s", raw)
		}
		if e := findAction(auditOf(t, s, g.ID), preferences.ActionExport); e == nil || e.Actor != Manager.Name {
			t.Fatalf("export's audit entry = %+v", e)
		}
		_, err = s.ExportGuest(ctx, Manager, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
}

// mustWrite runs fn in a write of repo, for fixtures no use case makes, and fails t
// when it fails.
func mustWrite(t *testing.T, repo preferences.Repository, fn func(tx preferences.Tx) error) {
	t.Helper()
	if err := repo.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
