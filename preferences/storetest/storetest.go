// Package storetest is the conformance suite of the preferences store: behaviour tests,
// through the use cases, that every engine passes from the same code. An engine's own
// test calls Run with a function that opens a fresh, empty store.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// Opener returns a fresh, empty repository for t, closed when t ends.
type Opener func(t *testing.T) preferences.Repository

// Run runs the whole suite on the engine open gives.
func Run(t *testing.T, open Opener) {
	parts := []struct {
		name string
		run  func(*testing.T, Opener)
	}{
		{"Audit", testAudit},
		{"Guests", testGuests},
		{"Stays", testStays},
		{"Feedback", testFeedback},
		{"Notes", testNotes},
		{"Staff", testStaff},
		{"Outreach", testOutreach},
		{"Bounces", testBounces},
		{"Cards", testCards},
		{"Board", testBoard},
		{"ConcurrentBoardReads", testConcurrentBoardReads},
		{"Contacts", testContacts},
		{"Properties", testProperties},
	}
	for _, p := range parts {
		t.Run(p.name, func(t *testing.T) { p.run(t, open) })
	}
}

// Engine names the engine of repo ("sqlite", "postgres"), "" when it does not say.
func Engine(repo preferences.Repository) string {
	if e, ok := repo.(interface{ Engine() string }); ok {
		return e.Engine()
	}
	return ""
}

// Start is the instant the suite's fake clocks start at: a Monday morning in Shanghai.
var Start = time.Date(2026, 3, 16, 1, 30, 0, 0, time.UTC)

// Shanghai is the hotel's zone in the suite.
var Shanghai = mustZone("Asia/Shanghai")

// Secret keys the suite's document hashes.
var Secret = []byte("storetest-secret-0123456789abcdef")

// Service returns the use cases over a fresh store, on a fake clock at Start; it is
// closed when t ends.
func Service(t *testing.T, open Opener) (*preferences.Service, *clockwork.FakeClock) {
	t.Helper()
	s, _, clock := ServiceRepo(t, open)
	return s, clock
}

// ServiceRepo is Service with its repository, for fixtures no use case makes (a stay
// in house since a given instant, a follow-up of a given age).
func ServiceRepo(t *testing.T, open Opener) (*preferences.Service, preferences.Repository, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(Start)
	repo := open(t)
	s, err := preferences.NewService(repo, preferences.ServiceOptions{Secret: Secret, Location: Shanghai, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			t.Errorf("close the service: %v", err)
		}
	})
	return s, repo, clock
}

// Staff actors the suite acts as.
var (
	Desk    = preferences.Actor{ID: "u_desk", Name: "lin.desk", Role: preferences.RoleFrontDesk}
	Manager = preferences.Actor{ID: "u_mgr", Name: "wu.manager", Role: preferences.RoleManager}
	Maid    = preferences.Actor{ID: "u_hk", Name: "zhao.hk", Role: preferences.RoleHousekeeping}
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
