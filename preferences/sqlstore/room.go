package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"regulars/preferences"
)

func (t *tx) UpsertRoom(ctx context.Context, propertyID string, r preferences.Room) error {
	features, err := json.Marshal(r.Features)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO rooms (property_id, number, floor, view, bed, quiet, smoking, features, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (property_id, number) DO UPDATE SET floor = excluded.floor, view = excluded.view, bed = excluded.bed,
			quiet = excluded.quiet, smoking = excluded.smoking, features = excluded.features, updated_at = excluded.updated_at`,
		propertyID, r.Number, r.Floor, r.View, r.Bed, r.Quiet, r.Smoking, string(features), t.at(r.UpdatedAt))
	return err
}

// roomSelect reads rooms with their occupancy: a stay in house. The queries that use
// it choose the property: WHERE r.property_id = ?.
const roomSelect = `SELECT r.number, r.floor, r.view, r.bed, r.quiet, r.smoking, r.features,
	EXISTS (SELECT 1 FROM stays s WHERE s.property_id = r.property_id AND s.room = r.number AND s.check_out IS NULL)
	FROM rooms r `

// scanRoom reads a row of roomSelect.
func scanRoom(row rowScanner) (preferences.Room, error) {
	var r preferences.Room
	var features string
	if err := row.Scan(&r.Number, &r.Floor, &r.View, &r.Bed, &r.Quiet, &r.Smoking, &features, &r.Occupied); err != nil {
		return r, err
	}
	if features == "[]" { // most rooms: no decoding
		r.Features = []string{}
		return r, nil
	}
	err := json.Unmarshal([]byte(features), &r.Features)
	return r, err
}

func (t *tx) Rooms(ctx context.Context, propertyID string) ([]preferences.Room, error) {
	rows, err := t.query(ctx, roomSelect+`WHERE r.property_id = ? ORDER BY r.floor, r.number`, propertyID)
	return scanEach(rows, err, scanRoom)
}

func (t *tx) RoomByNumber(ctx context.Context, propertyID, number string) (preferences.Room, error) {
	r, err := scanRoom(t.row(ctx, roomSelect+`WHERE r.property_id = ? AND r.number = ?`, propertyID, number))
	if err == sql.ErrNoRows {
		return r, notFound("room")
	}
	return r, err
}
