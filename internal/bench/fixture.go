package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"

	"regulars/internal/app"
	"regulars/internal/benchdata"
	"regulars/preferences"
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
	db, err := openStore(dbPath, "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return loadFixtureDB(ctx, cfg.Guests, db)
}

// openStore opens the bench's database in-process, with the outreach letters going to
// smtpURL ("": .eml files).
func openStore(dbPath, smtpURL string) (*app.Store, error) {
	ac, err := benchConfig(dbPath, smtpURL)
	if err != nil {
		return nil, err
	}
	return app.OpenStore(ac, slog.New(slog.DiscardHandler))
}

func loadFixtureDB(ctx context.Context, guests int, db *app.Store) (*fixture, error) {
	var err error
	fx := &fixture{}
	if fx.deskToken, err = db.CreateToken(ctx, preferences.RoleFrontDesk, "bench front desk"); err != nil {
		return nil, err
	}
	if fx.boardToken, err = db.CreateToken(ctx, preferences.RoleHousekeeping, "bench housekeeping"); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	q := storeSQL(db)
	seen := map[int]bool{}
	for len(fx.ids) < min(sampleSize, guests/2) {
		i := r.IntN(guests)
		if seen[i] {
			continue
		}
		seen[i] = true
		d := benchdata.PersonAt(i).Document
		id, err := guestOut(ctx, db, q, d)
		if err != nil {
			return nil, err
		}
		if id == "" {
			continue // in house
		}
		body, _ := json.Marshal(map[string]string{"document_type": d.Type, "document_number": d.Number})
		fx.ids = append(fx.ids, id)
		fx.lookups = append(fx.lookups, body)
	}
	rows, err := q.QueryContext(ctx, `SELECT number FROM rooms WHERE number NOT IN
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

// guestOut returns the id of the guest holding the generated document d (found as the
// service finds them, by its hash), or "" when they are in house.
func guestOut(ctx context.Context, db *app.Store, q sqlDB, d preferences.DocumentInput) (string, error) {
	g, err := db.LookupGuest(ctx, preferences.System, d.Type, d.Number)
	if err != nil {
		return "", fmt.Errorf("bench: a generated guest's document: %w", err)
	}
	var open int
	if err := q.queryRow(ctx, `SELECT count(*) FROM stays WHERE guest_id = ? AND check_out IS NULL`, g.ID).Scan(&open); err != nil {
		return "", err
	}
	if open > 0 {
		return "", nil
	}
	return g.ID, nil
}
