package storetest

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// testNotes covers notes to departments.
func testNotes(t *testing.T, open Opener) {
	ctx := context.Background()
	s, clock := Service(t, open)
	g := NewGuest(t, s, Named("Ding", "Wei"))
	first, err := s.AddNote(ctx, Desk, g.ID, preferences.Note{Department: "housekeeping", Text: " Extra pillows "})
	if err != nil || first.Text != "Extra pillows" || first.CreatedBy != Desk.Name {
		t.Fatalf("add note = %+v, %v", first, err)
	}
	clock.Advance(time.Minute)
	if _, err := s.AddNote(ctx, Desk, g.ID, preferences.Note{Department: "kitchen", Text: "No coriander"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddNote(ctx, Desk, g.ID, preferences.Note{Department: "spa", Text: "x"})
	WantCode(t, err, preferences.EINVALID, "department")
	_, err = s.AddNote(ctx, Desk, "g_unknown", preferences.Note{Department: "kitchen", Text: "x"})
	WantCode(t, err, preferences.ENOTFOUND, "")
	notes, err := s.GuestNotes(ctx, g.ID)
	if err != nil || len(notes) != 2 || notes[0].Department != "kitchen" || notes[1].Text != "Extra pillows" {
		t.Fatalf("notes, newest first = %+v, %v", notes, err)
	}
}
