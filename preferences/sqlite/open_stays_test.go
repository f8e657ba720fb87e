package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"regulars/preferences"
)

var testDesk = preferences.Actor{Name: "clerk", Role: preferences.RoleFrontDesk}

// openTestDB opens the store on path, closed at the test's end.
func openTestDB(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path, Options{Secret: []byte("0123456789abcdef0123"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// testHotel is a small hotel: rooms on a few floors with views, beds, features and
// smoking, and guests with a few kinds of room preferences (or none).
type testHotel struct {
	rooms  []string
	guests []string
	prefs  map[string]preferences.Preferences
}

func newTestHotel(t *testing.T, db *DB, rooms, guests int) *testHotel {
	t.Helper()
	ctx := context.Background()
	h := &testHotel{prefs: map[string]preferences.Preferences{}}
	views, beds, features := []string{"", "sea", "city"}, []string{"king", "twin"}, []string{"bathtub", "balcony", "hypoallergenic"}
	for i := range rooms {
		r := preferences.Room{Number: fmt.Sprintf("%d%02d", 2+i%5, i), Floor: 2 + i%5, View: views[i%3], Bed: beds[i%2],
			Quiet: i%4 == 0, Smoking: i%7 == 0, Features: features[:i%4]}
		if _, err := db.PutRoom(ctx, testDesk, r); err != nil {
			t.Fatal(err)
		}
		h.rooms = append(h.rooms, r.Number)
	}
	kinds := []preferences.Preferences{{},
		{Room: preferences.RoomPrefs{Bed: "twin"}},
		{Room: preferences.RoomPrefs{View: "sea", MinFloor: 4}},
		{Room: preferences.RoomPrefs{Quiet: true, Features: []string{"bathtub"}}},
		{Allergies: []preferences.Allergy{{Allergen: "feathers", Severity: "severe"}}}}
	for i := range guests {
		name := fmt.Sprintf("Guest%d", i)
		g, err := db.CreateGuest(ctx, testDesk, preferences.GuestFields{FamilyName: &name})
		if err != nil {
			t.Fatal(err)
		}
		p := kinds[i%len(kinds)]
		if _, err := db.SetPreferences(ctx, testDesk, g.ID, p, preferences.Sections); err != nil {
			t.Fatal(err)
		}
		h.guests = append(h.guests, g.ID)
		h.prefs[g.ID] = p
	}
	return h
}

// freshHouseAndBoard reads the open stays and builds the board with no cache: every
// row read.
func (db *DB) freshHouseAndBoard(t *testing.T) (*house, []preferences.HousekeepingRoom) {
	t.Helper()
	ctx := context.Background()
	list, err := db.rooms(ctx, db.read)
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.readHouse(ctx, 0, newRoomList(list))
	if err != nil {
		t.Fatal(err)
	}
	board, err := db.housekeepingBoard(ctx, h, map[string]preferences.HousekeepingRoom{})
	if err != nil {
		t.Fatal(err)
	}
	return h, board
}

// checkCaches compares what db's caches answer with fresh reads: the board, the cached
// open stays and the suggested rooms of guest.
func checkCaches(t *testing.T, db *DB, hotel *testHotel, guest string, step int) {
	t.Helper()
	ctx := context.Background()
	board, err := db.HousekeepingBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, wantBoard := db.freshHouseAndBoard(t)
	if !reflect.DeepEqual(board, wantBoard) {
		t.Fatalf("step %d: board\n%+v\nwant\n%+v", step, board, wantBoard)
	}
	r, err := db.Recognition(ctx, guest)
	if err != nil {
		t.Fatal(err)
	}
	free, err := db.FreeRooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if best := preferences.BestRooms(hotel.prefs[guest], free, MaxSuggestedRooms); !reflect.DeepEqual(r.SuggestedRooms, best) {
		t.Fatalf("step %d: suggested\n%+v\nwant\n%+v", step, r.SuggestedRooms, best)
	}
	db.reads.house.mu.Lock()
	got := db.reads.house.h
	db.reads.house.mu.Unlock()
	if got.version != want.version || !reflect.DeepEqual(got.guests, want.guests) || len(got.others) != 0 {
		t.Fatalf("step %d: open stays at %d %q, want at %d %q", step, got.version, got.guests, want.version, want.guests)
	}
	if !reflect.DeepEqual(got.free(), want.free()) {
		t.Fatalf("step %d: free rooms\n%+v\nwant\n%+v", step, got.free(), want.free())
	}
}

// TestCachesFollowRandomStays: after random check-ins and check-outs, by this handle
// (applied to the caches room by room) and by a second handle on the same file (read
// again), with preference changes and notes of guests in house in between, and reads
// only now and then (so that the board and the suggestions follow several changes at
// once), the cached board, open stays, free rooms and suggestions equal fresh reads.
func TestCachesFollowRandomStays(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	db, other := openTestDB(t, path), openTestDB(t, path)
	hotel := newTestHotel(t, db, 24, 40)
	rnd := rand.New(rand.NewPCG(7, 7))
	open := map[string]preferences.Stay{} // by guest
	free := map[string]bool{}
	for _, r := range hotel.rooms {
		free[r] = true
	}
	applied := 0
	for step := range 400 {
		by := db
		if rnd.IntN(8) == 0 {
			by = other
		}
		guest := hotel.guests[rnd.IntN(len(hotel.guests))]
		before := db.reads.house.h
		switch s, in := open[guest]; {
		case in && rnd.IntN(8) == 0:
			p := preferences.Preferences{Housekeeping: preferences.HousekeepingPrefs{Laundry: fmt.Sprint("step ", step)}}
			if _, err := db.SetPreferences(ctx, testDesk, guest, p, []string{preferences.SectionHousekeeping}); err != nil {
				t.Fatal(err)
			}
		case in && rnd.IntN(8) == 0:
			n := preferences.Note{Department: preferences.DeptHousekeeping, Text: fmt.Sprint("note ", step)}
			if _, err := db.AddNote(ctx, testDesk, guest, n); err != nil {
				t.Fatal(err)
			}
		case in:
			if _, err := by.CheckOut(ctx, testDesk, s.ID, "10.00"); err != nil {
				t.Fatal(err)
			}
			delete(open, guest)
			free[s.Room] = true
		default:
			room := hotel.rooms[rnd.IntN(len(hotel.rooms))]
			if !free[room] {
				continue
			}
			s, err := by.CheckIn(ctx, testDesk, guest, room, 1)
			if err != nil {
				t.Fatal(err)
			}
			open[guest] = s
			free[room] = false
		}
		if h := db.reads.house.h; h != before && h != nil && len(h.recent) > 0 {
			applied++
		}
		if rnd.IntN(3) == 0 {
			checkCaches(t, db, hotel, hotel.guests[rnd.IntN(len(hotel.guests))], step)
		}
	}
	checkCaches(t, db, hotel, hotel.guests[0], -1)
	if applied < 100 {
		t.Errorf("only %d check-ins and check-outs applied room by room", applied)
	}
}

// TestStayBumpsTheVersionOnce: stayChanged counts on each check-in and check-out
// bumping the open stays' version by exactly one.
func TestStayBumpsTheVersionOnce(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t, filepath.Join(t.TempDir(), "regulars.db"))
	hotel := newTestHotel(t, db, 2, 1)
	version := func() uint64 {
		v, err := db.openStaysVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v := version()
	s, err := db.CheckIn(ctx, testDesk, hotel.guests[0], hotel.rooms[1], 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := version(); got != v+1 {
		t.Fatalf("check-in: version %d, want %d", got, v+1)
	}
	if _, err := db.CheckOut(ctx, testDesk, s.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := version(); got != v+2 {
		t.Fatalf("check-out: version %d, want %d", got, v+2)
	}
}

// TestConcurrentStaysShowAtOnce: desks check guests in and out of their own rooms while
// others read cards and boards; after each change a desk's next reads show it (never a
// result older than the change it was told of), and at the end the caches equal fresh
// reads.
func TestConcurrentStaysShowAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	db, other := openTestDB(t, path), openTestDB(t, path)
	hotel := newTestHotel(t, db, 12, 24)
	const desks = 4
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 2 { // readers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.Recognition(ctx, hotel.guests[(i+j)%len(hotel.guests)]); err != nil {
					t.Error(err)
					return
				}
				if _, err := db.HousekeepingBoard(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	errs := make(chan error, desks)
	for d := range desks {
		go func() {
			errs <- func() error {
				by := db
				if d == 0 {
					by = other // another process's changes are read again
				}
				room, guest := hotel.rooms[d], hotel.guests[d]
				for range 25 {
					s, err := by.CheckIn(ctx, testDesk, guest, room, 1)
					if err != nil {
						return err
					}
					if err := roomShows(db, hotel, room, guest, true); err != nil {
						return err
					}
					if _, err := by.CheckOut(ctx, testDesk, s.ID, ""); err != nil {
						return err
					}
					if err := roomShows(db, hotel, room, guest, false); err != nil {
						return err
					}
				}
				return nil
			}()
		}()
	}
	for range desks {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
	checkCaches(t, db, hotel, hotel.guests[desks], -1)
}

// roomShows checks that db's board and a card show room taken by guest, or free.
func roomShows(db *DB, hotel *testHotel, room, guest string, taken bool) error {
	ctx := context.Background()
	board, err := db.HousekeepingBoard(ctx)
	if err != nil {
		return err
	}
	onBoard := false
	for _, r := range board {
		onBoard = onBoard || (r.Room == room && r.GuestID == guest)
	}
	// Guest 20 has no preferences: every free room is suggested (fewer than ten).
	card, err := db.Recognition(ctx, hotel.guests[20])
	if err != nil {
		return err
	}
	suggested := false
	for _, r := range card.SuggestedRooms {
		suggested = suggested || r.Number == room
	}
	if onBoard != taken || (suggested == taken && len(card.SuggestedRooms) < MaxSuggestedRooms) {
		return fmt.Errorf("room %s taken %v: on the board %v, suggested %v", room, taken, onBoard, suggested)
	}
	return nil
}

// TestGroupedStaysApplyInOrder: desks check guests in and out at once, so that the
// writer commits several in one transaction; every change is still applied room by
// room, in version order, with no read in between.
func TestGroupedStaysApplyInOrder(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t, filepath.Join(t.TempDir(), "regulars.db"))
	hotel := newTestHotel(t, db, 12, 24)
	checkCaches(t, db, hotel, hotel.guests[0], 0)
	const desks = 6
	errs := make(chan error, desks)
	for d := range desks {
		go func() {
			errs <- func() error {
				for range 20 {
					s, err := db.CheckIn(ctx, testDesk, hotel.guests[d], hotel.rooms[d], 1)
					if err != nil {
						return err
					}
					if _, err := db.CheckOut(ctx, testDesk, s.ID, ""); err != nil {
						return err
					}
				}
				return nil
			}()
		}()
	}
	for range desks {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	want, _ := db.freshHouseAndBoard(t)
	db.reads.house.mu.Lock()
	got := db.reads.house.h
	db.reads.house.mu.Unlock()
	if got.version != want.version || !reflect.DeepEqual(got.guests, want.guests) {
		t.Fatalf("open stays at %d %q, want at %d %q", got.version, got.guests, want.version, want.guests)
	}
	checkCaches(t, db, hotel, hotel.guests[0], 1)
}
