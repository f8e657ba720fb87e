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
	db, loc := loadDemo(t)
	ctx := context.Background()
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
	// The demo's history is written with hotel dates, so the week in 2102 counts 7 nights.
	if last := card.LastStay; last == nil || last.Room != "2102" || last.Nights != 7 || last.PlannedNights != 7 {
		t.Errorf("Ding's last stay = %+v, want 7 nights in 2102", last)
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

// loadDemo loads the demo hotel into a fresh database in Shanghai time.
func loadDemo(t *testing.T) (*sqlite.DB, *time.Location) {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "demo.db"), sqlite.Options{Secret: []byte("0123456789abcdef0123"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Load(context.Background(), db, loc); err != nil {
		t.Fatal(err)
	}
	return db, loc
}

// TestDemoGuestsInEnglish: the kiosk in English addresses the demo's Chinese guests as
// their Chinese salutation and resident ID say (王芳's ID is a woman's).
func TestDemoGuestsInEnglish(t *testing.T) {
	db, _ := loadDemo(t)
	for q, want := range map[string]string{"丁总": "Mr. Ding", "李女士": "Ms. Li", "张先生": "Mr. Zhang", "王芳": "Ms. Wang",
		"陈女士": "Ms. Chen", "Ms. Thompson": "Ms. Thompson"} {
		found, err := db.SearchGuests(context.Background(), q, 1)
		if err != nil || len(found) != 1 {
			t.Fatalf("search %s: %v, %v", q, found, err)
		}
		if got := preferences.AddressName(found[0], preferences.LangEN); got != want {
			t.Errorf("%s in English = %q, want %q", q, got, want)
		}
	}
}
