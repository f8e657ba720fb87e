package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"regulars/internal/benchdata"
	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// BenchmarkStayThenReads is the mixed load's check-in/check-out and the reads that
// follow it, through the store: a check-in or check-out (in turn), then a recognition
// card, a look-up and a housekeeping board, on the bench's hotel (600 rooms, 400
// occupied, 5,000 guests). A change waits for its commit (an fsync), so ns/op is mostly
// waiting: cpu-ns/op is the process's CPU time (user and system) per iteration.
func BenchmarkStayThenReads(b *testing.B) {
	ctx := context.Background()
	secret := []byte("0123456789abcdef0123")
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Secret: secret, Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	const guests = 5000
	if err := benchdata.Generate(ctx, db, benchdata.Options{Guests: guests, Occupied: 400, Secret: secret, Location: time.UTC}); err != nil {
		b.Fatal(err)
	}
	var room string
	if err := db.Reader().QueryRow(`SELECT number FROM rooms WHERE number NOT IN
		(SELECT room FROM stays WHERE check_out IS NULL) ORDER BY number LIMIT 1`).Scan(&room); err != nil {
		b.Fatal(err)
	}
	type sample struct {
		id  string
		doc preferences.DocumentInput
	}
	var out []sample // guests not in house
	for i := 0; i < guests; i += 7 {
		var s sample
		err := db.Reader().QueryRow(`SELECT id FROM guests WHERE rowid = ? AND open_stay_id IS NULL`, i+1).Scan(&s.id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // in house
		}
		if err != nil {
			b.Fatal(err)
		}
		s.doc = benchdata.PersonAt(i).Document
		out = append(out, s)
	}
	stay := ""
	b.ReportAllocs()
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		if stay == "" {
			s, err := db.CheckIn(ctx, desk, out[i%len(out)].id, room, 2)
			if err != nil {
				b.Fatal(err)
			}
			stay = s.ID
		} else {
			if _, err := db.CheckOut(ctx, desk, stay, "1280.00"); err != nil {
				b.Fatal(err)
			}
			stay = ""
		}
		card := out[(i*31+7)%len(out)]
		r, err := db.Recognition(ctx, card.id)
		if err != nil || len(r.SuggestedRooms) == 0 {
			b.Fatalf("card: %d rooms, %v", len(r.SuggestedRooms), err)
		}
		look := out[(i*17+3)%len(out)]
		if _, err := db.LookupGuest(ctx, look.doc.Type, look.doc.Number); err != nil {
			b.Fatal(err)
		}
		board, err := db.HousekeepingBoard(ctx)
		if err != nil || len(board) < 400 {
			b.Fatalf("board: %d rooms, %v", len(board), err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's CPU time so far (user and system), in nanoseconds.
func cpuTime() int64 {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return u.Utime.Nano() + u.Stime.Nano()
}
