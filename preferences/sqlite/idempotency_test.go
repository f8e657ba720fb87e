package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"regulars/preferences"
)

// withReplay is the context of a request sent with an Idempotency-Key.
func withReplay(key string) (context.Context, *preferences.Replay) {
	r := &preferences.Replay{Owner: "t_test", Key: key, Hash: []byte("hash"), Status: 201, Encode: json.Marshal}
	return preferences.WithReplay(context.Background(), r), r
}

// When the change is committed but the log's fsync fails, the caller hears
// storage-failed (not an internal error), and the answer was kept with the guest: a
// retry with the key finds it rather than creating the guest again.
func TestAnswerKeptWhenTheLogSyncFails(t *testing.T) {
	db := openWriterTest(t)
	disk := errors.New("fsync: input/output error")
	db.writer.sync.sync = func() error { return disk }
	ctx, _ := withReplay("k1")
	_, err := db.CreateGuest(ctx, preferences.Actor{ID: "t_test", Name: "test"}, newGuest("Ambiguous"))
	wantReason(t, err, preferences.ReasonFailed, "log sync failed")
	if !errors.Is(err, disk) {
		t.Errorf("the cause is lost: %v", err)
	}
	db.writer.sync.sync = db.writer.sync.syncWAL
	kept, err := db.KeptAnswer(context.Background(), "t_test", "k1")
	if err != nil {
		t.Fatalf("no answer kept: %v", err)
	}
	var g preferences.Guest
	if err := json.Unmarshal(kept.Body, &g); err != nil || kept.Status != 201 || g.FamilyName != "Ambiguous" {
		t.Fatalf("kept %d %s (%v)", kept.Status, kept.Body, err)
	}
	if _, err := db.Guest(context.Background(), g.ID); err != nil {
		t.Fatalf("the kept answer's guest: %v", err)
	}
}

// Two requests with the same key that both found no answer (the second began before
// the first committed): the second's creation is undone, with 409 on the header.
func TestSameKeyInProgressUndoesTheSecond(t *testing.T) {
	db := openWriterTest(t)
	actor := preferences.Actor{ID: "t_test", Name: "test"}
	ctx, _ := withReplay("k2")
	if _, err := db.CreateGuest(ctx, actor, newGuest("First")); err != nil {
		t.Fatal(err)
	}
	ctx, r := withReplay("k2")
	_, err := db.CreateGuest(ctx, actor, newGuest("Second"))
	var de *preferences.Error
	if !errors.As(err, &de) || de.Code != preferences.ECONFLICT || len(de.Fields) != 1 || de.Fields[0].Field != "Idempotency-Key" {
		t.Fatalf("second: %v", err)
	}
	if r.Body != nil {
		t.Error("the second's answer is marked kept")
	}
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM guests WHERE family_name = 'Second'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d second guests stored (%v)", n, err)
	}
}
