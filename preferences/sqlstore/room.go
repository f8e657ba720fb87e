package sqlstore

import (
	"context"
	"encoding/json"

	"regulars/preferences"
)

func (t *tx) UpsertRoom(ctx context.Context, r preferences.Room) error {
	features, err := json.Marshal(r.Features)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO rooms (number, floor, view, bed, quiet, smoking, features, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET floor = excluded.floor, view = excluded.view, bed = excluded.bed,
			quiet = excluded.quiet, smoking = excluded.smoking, features = excluded.features, updated_at = excluded.updated_at`,
		r.Number, r.Floor, r.View, r.Bed, r.Quiet, r.Smoking, string(features), t.at(r.UpdatedAt))
	return err
}

func (t *tx) Rooms(ctx context.Context) ([]preferences.Room, error) {
	rows, err := t.query(ctx, `SELECT r.number, r.floor, r.view, r.bed, r.quiet, r.smoking, r.features,
		EXISTS (SELECT 1 FROM stays s WHERE s.room = r.number AND s.check_out IS NULL)
		FROM rooms r ORDER BY r.floor, r.number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.Room{}
	for rows.Next() {
		var r preferences.Room
		var features string
		if err := rows.Scan(&r.Number, &r.Floor, &r.View, &r.Bed, &r.Quiet, &r.Smoking, &features, &r.Occupied); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(features), &r.Features); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
