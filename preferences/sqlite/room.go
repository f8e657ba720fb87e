package sqlite

import (
	"context"
	"encoding/json"

	"regulars/preferences"
)

// PutRoom creates or replaces a room.
func (db *DB) PutRoom(ctx context.Context, actor preferences.Actor, r preferences.Room) (preferences.Room, error) {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return r, err
	}
	features, _ := json.Marshal(r.Features)
	_, err := db.write.ExecContext(ctx, `INSERT INTO rooms (number, floor, view, bed, quiet, smoking, features, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET floor = excluded.floor, view = excluded.view, bed = excluded.bed,
			quiet = excluded.quiet, smoking = excluded.smoking, features = excluded.features, updated_at = excluded.updated_at`,
		r.Number, r.Floor, r.View, r.Bed, r.Quiet, r.Smoking, string(features), db.nowText())
	if err != nil {
		return r, err
	}
	db.roomsChanged()
	return r, nil
}

// Rooms lists every room with its occupancy, ordered by floor and number.
func (db *DB) Rooms(ctx context.Context) ([]preferences.Room, error) {
	return db.rooms(ctx, db.read)
}

// FreeRooms lists the rooms nobody is in, ordered by floor and number.
func (db *DB) FreeRooms(ctx context.Context) ([]preferences.Room, error) {
	return db.freeRooms(ctx, db.read)
}

func (db *DB) freeRooms(ctx context.Context, q querier) ([]preferences.Room, error) {
	all, err := db.rooms(ctx, q)
	if err != nil {
		return nil, err
	}
	free := all[:0]
	for _, r := range all {
		if !r.Occupied {
			free = append(free, r)
		}
	}
	return free, nil
}

func (db *DB) rooms(ctx context.Context, q querier) ([]preferences.Room, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.number, r.floor, r.view, r.bed, r.quiet, r.smoking, r.features,
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

var _ preferences.RoomStore = (*DB)(nil)
