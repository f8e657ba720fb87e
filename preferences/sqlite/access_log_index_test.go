package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"regulars/preferences"
)

func readEntry(guest string, n int) preferences.AuditEntry {
	return preferences.AuditEntry{At: time.Date(2026, 11, 25, 8, 0, n, 0, time.UTC), Actor: fmt.Sprintf("clerk %d", n),
		Role: preferences.RoleFrontDesk, Action: preferences.ActionRead, GuestID: guest}
}

// wantReads checks that guest's reads are the actors "clerk N" for ns, in that order.
func wantReads(t *testing.T, a *accessLog, guest string, ns ...int) {
	t.Helper()
	got, err := a.guestReads(context.Background(), guest)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ns) {
		t.Fatalf("%s: %d reads, want %d", guest, len(got), len(ns))
	}
	for i, n := range ns {
		if want := fmt.Sprintf("clerk %d", n); got[i].Actor != want || got[i].Role != preferences.RoleFrontDesk {
			t.Fatalf("%s: read %d is %+v, want %s", guest, i, got[i], want)
		}
	}
}

func indexedUpTo(t *testing.T, a *accessLog) (upTo, last int64) {
	t.Helper()
	err := a.read.QueryRow(`SELECT (SELECT up_to FROM guest_reads_indexed), (SELECT coalesce(max(id), 0) FROM guest_reads)`).Scan(&upTo, &last)
	if err != nil {
		t.Fatal(err)
	}
	return upTo, last
}

// A guest's reads come back whole and in order whether they are in the per-guest index,
// in the tail written since it was last filled, or both; closing indexes the tail.
func TestAccessLogReadsIndexedAndTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "regulars-access.db")
	a, err := openAccessLog(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, n := range []int{1, 2, 3} {
		a.add(readEntry("g_a", n))
		a.add(readEntry("g_b", 10+n))
	}
	a.flushNow(ctx) // the first batch is indexed at once
	for _, n := range []int{4, 5} {
		a.add(readEntry("g_a", n))
	}
	a.add(readEntry("g_c", 20))
	a.flushNow(ctx) // within accessIndexEvery: left in the tail
	if upTo, last := indexedUpTo(t, a); upTo != 6 || last != 9 {
		t.Fatalf("indexed up to %d of %d, want 6 of 9", upTo, last)
	}
	wantReads(t, a, "g_a", 1, 2, 3, 4, 5)
	wantReads(t, a, "g_b", 11, 12, 13)
	wantReads(t, a, "g_c", 20)
	wantReads(t, a, "g_none")
	if err := a.close(); err != nil {
		t.Fatal(err)
	}
	a, err = openAccessLog(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if upTo, last := indexedUpTo(t, a); upTo != last {
		t.Fatalf("after close indexed up to %d of %d", upTo, last)
	}
	wantReads(t, a, "g_a", 1, 2, 3, 4, 5)
	wantReads(t, a, "g_c", 20)
}

// An access log written by the previous version (one index entry per read) is moved to
// the per-guest table at open, every read kept, in order.
func TestAccessLogMigratesVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "regulars-access.db")
	old, err := sql.Open("sqlite3", dsn(path, false, 2_000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(accessSchema); err != nil {
		t.Fatal(err)
	}
	for i, g := range []string{"g_b", "g_a", "g_b", "g_a", "g_a"} {
		e := readEntry(g, i+1)
		if _, err := old.Exec(insertRead, e.At.Format(TimeLayout), e.Actor, string(e.Role), e.Action, e.GuestID); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	a, err := openAccessLog(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	var version int
	var oldIndex int
	if err := a.read.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_master WHERE name = 'guest_reads_guest')`).Scan(&version, &oldIndex); err != nil {
		t.Fatal(err)
	}
	if version != 2 || oldIndex != 0 {
		t.Fatalf("user_version %d, old index left: %d", version, oldIndex)
	}
	if upTo, last := indexedUpTo(t, a); upTo != 5 || last != 5 {
		t.Fatalf("indexed up to %d of %d, want 5 of 5", upTo, last)
	}
	wantReads(t, a, "g_a", 2, 4, 5)
	wantReads(t, a, "g_b", 1, 3)
}

// Within accessIndexEvery, a tail of accessIndexMax entries is indexed at once rather
// than waiting (a pass sorts its entries in memory).
func TestAccessLogIndexesALongTailAtOnce(t *testing.T) {
	a, err := openAccessLog(filepath.Join(t.TempDir(), "regulars-access.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	ctx := context.Background()
	a.add(readEntry("g_a", 1))
	a.flushNow(ctx) // indexed at once: the first batch
	a.add(readEntry("g_a", 2))
	a.flushNow(ctx)
	if upTo, last := indexedUpTo(t, a); upTo != 1 || last != 2 {
		t.Fatalf("indexed up to %d of %d, want 1 of 2", upTo, last)
	}
	for i := range accessIndexMax {
		a.add(readEntry(fmt.Sprintf("g_%d", i%100), 3+i%50))
	}
	a.flushNow(ctx)
	if upTo, last := indexedUpTo(t, a); upTo != last || last != 2+accessIndexMax {
		t.Fatalf("indexed up to %d of %d, want all %d", upTo, last, 2+accessIndexMax)
	}
	wantReads(t, a, "g_a", 1, 2)
}
