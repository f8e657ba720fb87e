package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"regulars/internal/benchdata"
	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// fixture is what the load rows need from the database: tokens, a sample of guests
// (with their documents as a client would type them) and the free rooms.
type fixture struct {
	deskToken, boardToken string
	ids                   []string // guests not in house
	lookups               [][]byte // look-up request bodies of the same guests
	freeRooms             []string
}

const sampleSize = 4096

func loadFixture(ctx context.Context, cfg Config, dbPath string) (*fixture, error) {
	db, err := sqlite.Open(dbPath, sqlite.Options{Secret: Secret})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return loadFixtureDB(ctx, cfg.Guests, db)
}

func loadFixtureDB(ctx context.Context, guests int, db *sqlite.DB) (*fixture, error) {
	var err error
	fx := &fixture{}
	if fx.deskToken, err = db.CreateToken(ctx, preferences.RoleFrontDesk, "bench front desk"); err != nil {
		return nil, err
	}
	if fx.boardToken, err = db.CreateToken(ctx, preferences.RoleHousekeeping, "bench housekeeping"); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	stmt, err := db.Reader().PrepareContext(ctx, `SELECT id FROM guests g WHERE rowid = ?
		AND NOT EXISTS (SELECT 1 FROM stays s WHERE s.guest_id = g.id AND s.check_out IS NULL)`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	seen := map[int]bool{}
	for len(fx.ids) < min(sampleSize, guests/2) {
		i := r.IntN(guests)
		if seen[i] {
			continue
		}
		seen[i] = true
		var id string
		if err := stmt.QueryRowContext(ctx, i+1).Scan(&id); err != nil {
			continue // in house
		}
		d := benchdata.PersonAt(i).Document
		body, _ := json.Marshal(map[string]string{"document_type": d.Type, "document_number": d.Number})
		fx.ids = append(fx.ids, id)
		fx.lookups = append(fx.lookups, body)
	}
	rows, err := db.Reader().QueryContext(ctx, `SELECT number FROM rooms WHERE number NOT IN
		(SELECT room FROM stays WHERE check_out IS NULL) ORDER BY number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		fx.freeRooms = append(fx.freeRooms, n)
	}
	if len(fx.ids) == 0 {
		return nil, fmt.Errorf("bench: no guests sampled")
	}
	return fx, rows.Err()
}
