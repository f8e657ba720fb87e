package demo_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/demo"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// TestDemoFrontDesk loads the demo hotel and checks that the desk, the board and the
// manager's page have real content: Ding arriving today with his follow-up and room
// 2102 first, open complaints, and guests in house with allergies.
func TestDemoFrontDesk(t *testing.T) {
	db, loc := loadDemo(t)
	ctx := context.Background()
	arrivals, err := db.Arrivals(ctx, desk, time.Now().In(loc).Format(preferences.DateLayout))
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
	card, err := db.Recognition(ctx, desk, ding.GuestID)
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
	open, err := db.FeedbackList(ctx, desk, preferences.FeedbackOpen)
	if err != nil || len(open) < 1 || open[0].AgeDays < 3 || open[0].Kind != preferences.KindComplaint {
		t.Errorf("open feedback = %+v, %v; want the 3-day-old complaint first", open, err)
	}
	board, err := db.HousekeepingBoard(ctx, desk)
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

// desk is who reads the demo hotel in these tests.
var desk = preferences.Actor{Name: "mei", Role: preferences.RoleFrontDesk}

// loadDemo loads the demo hotel into a fresh database of the tests' engine in Shanghai
// time, as `regulars serve --demo` does.
func loadDemo(t *testing.T) (*app.Store, *time.Location) {
	t.Helper()
	cfg := testkit.Config(t)
	db, err := app.OpenStore(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	creds, err := demo.Load(ctx, db.Repository(), cfg.Secret, cfg.Location)
	if err != nil || creds == nil {
		t.Fatalf("load: %v, %v", creds, err)
	}
	// A second load changes nothing: the database holds a hotel already.
	if again, err := demo.Load(ctx, db.Repository(), cfg.Secret, cfg.Location); err != nil || again != nil {
		t.Fatalf("second load: %v, %v", again, err)
	}
	return db, cfg.Location
}

// TestDemoGuestsInEnglish: the kiosk in English addresses the demo's Chinese guests as
// their Chinese salutation and resident ID say (王芳's ID is a woman's).
func TestDemoGuestsInEnglish(t *testing.T) {
	db, _ := loadDemo(t)
	for q, want := range map[string]string{"丁总": "Mr. Ding", "李女士": "Ms. Li", "张先生": "Mr. Zhang", "王芳": "Ms. Wang",
		"陈女士": "Ms. Chen", "Ms. Thompson": "Ms. Thompson"} {
		found, err := db.SearchGuests(context.Background(), desk, q, 1)
		if err != nil || len(found) != 1 {
			t.Fatalf("search %s: %v, %v", q, found, err)
		}
		if got := preferences.AddressName(found[0], preferences.LangEN); got != want {
			t.Errorf("%s in English = %q, want %q", q, got, want)
		}
	}
}
