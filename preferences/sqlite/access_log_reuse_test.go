package sqlite

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"regulars/preferences"
)

// The queue's array goes from batch to batch: every round's entries are written, and
// between batches the array holds no entry (no guest's data).
func TestAccessLogReusesItsQueueEmptied(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	for round := 1; round <= 4; round++ {
		for i := range 100 * round {
			db.access.add(preferences.AuditEntry{At: db.now(), Actor: "desk", Role: preferences.RoleFrontDesk,
				Action: preferences.ActionRead, GuestID: fmt.Sprintf("g_%d", i%7)})
		}
		db.access.flushNow(ctx)
		db.access.mu.Lock()
		spare := db.access.spare
		db.access.mu.Unlock()
		if cap(spare) == 0 {
			t.Fatalf("round %d: the queue's array was not kept", round)
		}
		for i, e := range spare[:cap(spare)] {
			if !reflect.ValueOf(e).IsZero() {
				t.Fatalf("round %d: entry %d still held: %+v", round, i, e)
			}
		}
	}
	n := 0
	for g := range 7 {
		reads, err := db.access.guestReads(ctx, fmt.Sprintf("g_%d", g))
		if err != nil {
			t.Fatal(err)
		}
		n += len(reads)
	}
	if n != 100+200+300+400 {
		t.Fatalf("%d entries written, want 1000", n)
	}
}
