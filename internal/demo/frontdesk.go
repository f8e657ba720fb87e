package demo

import (
	"context"
	"fmt"
	"time"

	"regulars/internal/shiftclock"
	"regulars/preferences"
)

var (
	clerk     = preferences.Actor{Name: "demo clerk", Role: preferences.RoleFrontDesk}
	demoChef  = preferences.Actor{Name: "demo manager", Role: preferences.RoleManager}
	dustMites = []preferences.Allergy{{Allergen: "dust mites", Severity: "mild", Instructions: "hypoallergenic bedding; vacuum with the HEPA unit"}}
)

// loadFrontDesk gives the front desk and housekeeping something real to show: today's
// arrivals (Mr. Ding among them), his pastry complaint resolved with a follow-up for this
// visit, an open complaint a few days old, and guests in house with allergies.
func loadFrontDesk(ctx context.Context, db *preferences.Service, clock *shiftclock.Clock, today time.Time) error {
	ids := map[string]string{}
	for _, q := range []string{"丁总", "李女士", "Ms. Thompson", "张先生", "Mr. O'Brien", "Sra. Garcia", "Mme Martin", "刘洋"} {
		g, err := db.SearchGuests(ctx, preferences.System, q, 1)
		if err != nil || len(g) == 0 {
			return fmt.Errorf("demo: guest %s: %v", q, err)
		}
		ids[q] = g[0].ID
	}
	// The quiet corner room on 21 is the one Mr. Ding had last time.
	if _, err := db.PutRoom(ctx, system, preferences.Room{Number: "2102", Floor: 21, View: "river", Bed: "king", Quiet: true,
		Features: []string{"internet"}}); err != nil {
		return err
	}
	// Guests in house, each in the room that suits them best.
	if _, err := db.SetPreferences(ctx, clerk, ids["刘洋"], preferences.Preferences{Allergies: dustMites}, []string{preferences.SectionAllergies}); err != nil {
		return err
	}
	for _, g := range []struct {
		who    string
		nights int
	}{{"Mr. O'Brien", 4}, {"Sra. Garcia", 2}, {"Mme Martin", 3}, {"刘洋", 5}} {
		if _, err := db.CheckInBestRoom(ctx, clerk, ids[g.who], g.nights); err != nil {
			return fmt.Errorf("demo: check in %s: %w", g.who, err)
		}
	}
	notes := []struct{ who, dept, text string }{
		{"Mr. O'Brien", preferences.DeptHousekeeping, "Remove every nut product from the minibar; check the welcome tray."},
		{"Mr. O'Brien", preferences.DeptKitchen, "Peanut allergy (severe): no nuts in any dish, separate fryer."},
		{"Sra. Garcia", preferences.DeptHousekeeping, "No turndown service, please."},
		{"丁总", preferences.DeptFrontOffice, "Offer the quiet river room on 21 he had last time; ask if he stays a week again."},
	}
	for _, n := range notes {
		if _, err := db.AddNote(ctx, clerk, ids[n.who], preferences.Note{Department: n.dept, Text: n.text}); err != nil {
			return err
		}
	}
	// Mr. Ding's complaint from his first stay, resolved with a follow-up for this visit.
	stays, err := db.GuestStays(ctx, preferences.System, ids["丁总"])
	if err != nil || len(stays) == 0 {
		return fmt.Errorf("demo: Ding's stays: %v", err)
	}
	clock.Set(stays[0].CheckOut.Add(-24 * time.Hour)) // given the day before he left
	pastry, err := db.AddFeedback(ctx, clerk, ids["丁总"], preferences.FeedbackInput{Kind: preferences.KindComplaint,
		Text: "The pastry at breakfast was far too sweet.", StayID: stays[0].ID})
	if err != nil {
		return err
	}
	if _, err := db.ResolveFeedback(ctx, demoChef, pastry.ID, preferences.Resolution{
		Resolution: "The kitchen changed the recipe: less sugar, more fruit.",
		FollowUp:   "Hand him a box of the new, less sweet pastry at check-out."}); err != nil {
		return err
	}
	// Open feedback, the oldest first on the manager's page.
	open := []struct {
		who, kind, text string
		daysAgo         int
	}{
		{"Mr. O'Brien", preferences.KindComplaint, "The air conditioning in the room rattles at night.", 3},
		{"Sra. Garcia", preferences.KindRequest, "Late check-out at 14:00 on departure day.", 0},
	}
	for _, o := range open {
		clock.Shift(-time.Duration(o.daysAgo) * 24 * time.Hour)
		if _, err := db.AddFeedback(ctx, clerk, ids[o.who], preferences.FeedbackInput{Kind: o.kind, Text: o.text}); err != nil {
			return err
		}
	}
	clock.Shift(0)
	// Today's arrivals from the PMS.
	date := today.Format(preferences.DateLayout)
	for i, a := range []struct {
		who    string
		nights int
	}{{"丁总", 7}, {"李女士", 3}, {"Ms. Thompson", 4}, {"张先生", 2}} {
		if _, err := db.CreateArrival(ctx, clerk, preferences.Arrival{GuestID: ids[a.who], ArrivalDate: date, Nights: a.nights,
			Reference: fmt.Sprintf("PMS-%d", 1001+i)}); err != nil {
			return err
		}
	}
	return nil
}
