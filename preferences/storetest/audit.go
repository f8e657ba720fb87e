package storetest

import (
	"context"
	"testing"

	"regulars/preferences"
)

// Changes' entries are written with the change; reads' entries reach the log by the
// next flush, in the order they happened, and each guest sees only their own.
func testAudit(t *testing.T, open Opener) {
	ctx := context.Background()
	repo := open(t)
	s, err := preferences.NewService(repo, preferences.ServiceOptions{Secret: Secret, Location: Shanghai})
	if err != nil {
		t.Fatal(err)
	}
	s.RecordAccess(ctx, Desk, "g_one", preferences.ActionRead)
	s.RecordAccess(ctx, Maid, "g_two", preferences.ActionRead)
	s.RecordAccess(ctx, Manager, "g_one", preferences.ActionExport)
	if err := s.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	var one []preferences.AuditEntry
	if err := repo.Read(ctx, func(tx preferences.Tx) (err error) {
		one, err = tx.GuestAuditEntries(ctx, "g_one")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(one) != 2 || one[0].Actor != Desk.Name || one[0].Action != preferences.ActionRead ||
		one[1].Role != preferences.RoleManager || one[1].Action != preferences.ActionExport || one[0].At.IsZero() {
		t.Fatalf("g_one's audit = %+v, want Desk's read then the manager's export", one)
	}
	// A read recorded just before Close is written by Close.
	s.RecordAccess(ctx, Desk, "g_two", preferences.ActionPrefsRead)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var two []preferences.AuditEntry
	repo.Read(ctx, func(tx preferences.Tx) (err error) { two, err = tx.GuestAuditEntries(ctx, "g_two"); return err })
	if len(two) != 2 || two[1].Action != preferences.ActionPrefsRead {
		t.Fatalf("g_two's audit after Close = %+v, want the housekeeper's read and the preferences read", two)
	}
	// A write that fails keeps none of its entries.
	err = repo.Write(ctx, func(tx preferences.Tx) error {
		if err := tx.AppendAudit(ctx, preferences.AuditEntry{At: Start, Actor: "x", Role: preferences.RoleManager, Action: "guest.erase", GuestID: "g_three"}); err != nil {
			return err
		}
		return preferences.FieldErr("id", "made up, to roll back")
	})
	if err == nil {
		t.Fatal("the failing write answered nil")
	}
	var three []preferences.AuditEntry
	repo.Read(ctx, func(tx preferences.Tx) (err error) { three, err = tx.GuestAuditEntries(ctx, "g_three"); return err })
	if len(three) != 0 {
		t.Fatalf("a rolled-back write kept its audit entry: %+v", three)
	}
}
