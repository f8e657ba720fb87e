package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"regulars/internal/demo"
	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// TestDemoFrontDesk loads the demo hotel and checks that the desk, the board and the
// manager's page have real content: Ding arriving today with his follow-up and room
// 2102 first, open complaints, and guests in house with allergies.
func TestDemoFrontDesk(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "demo.db"), sqlite.Options{Secret: []byte("0123456789abcdef0123"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, loc); err != nil {
		t.Fatal(err)
	}
	arrivals, err := db.Arrivals(ctx, time.Now().In(loc).Format(preferences.DateLayout))
	if err != nil {
		t.Fatal(err)
	}
	var ding *preferences.ArrivalCard
	for i := range arrivals {
		if arrivals[i].Reference == "PMS-1001" {
			ding = &arrivals[i]
		}
	}
	if len(arrivals) < 3 || ding == nil || ding.Guest.Salutation != "丁总" || !ding.Returning || ding.OpenFollowUps != 1 || !ding.HasAllergies {
		t.Fatalf("arrivals = %+v", arrivals)
	}
	card, err := db.Recognition(ctx, ding.GuestID)
	if err != nil {
		t.Fatal(err)
	}
	if card.SuggestedRooms[0].Number != "2102" || len(card.FollowUps) != 1 || card.Greeting != "丁总,欢迎您再次入住!" {
		t.Errorf("Ding's card: first room %s, follow-ups %v, greeting %q", card.SuggestedRooms[0].Number, card.FollowUps, card.Greeting)
	}
	open, err := db.FeedbackList(ctx, preferences.FeedbackOpen)
	if err != nil || len(open) < 1 || open[0].AgeDays < 3 || open[0].Kind != preferences.KindComplaint {
		t.Errorf("open feedback = %+v, %v; want the 3-day-old complaint first", open, err)
	}
	board, err := db.HousekeepingBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	withAllergies := 0
	for _, r := range board {
		if len(r.Allergies) > 0 {
			withAllergies++
		}
	}
	if len(board) < 3 || withAllergies < 3 {
		t.Errorf("board = %+v, want at least 3 occupied rooms with allergies", board)
	}
}
