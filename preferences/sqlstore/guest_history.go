package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"regulars/preferences"
)

func (t *tx) StorePreferences(ctx context.Context, guestID string, p preferences.Preferences, at, was time.Time) (bool, error) {
	raw, err := json.Marshal(&p)
	if err != nil {
		return false, err
	}
	return t.changed(t.exec(ctx, `UPDATE guests SET preferences = ?, updated_at = ?
		WHERE id = ? AND updated_at = ? AND erased_at IS NULL`, string(raw), t.at(at), guestID, t.at(was)))
}

func (t *tx) InsertPreferenceChange(ctx context.Context, guestID string, e preferences.AuditEntry) error {
	_, err := t.exec(ctx, `INSERT INTO preference_changes (guest_id, at, actor, role, section, old_value, new_value)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, guestID, t.at(e.At), e.Actor, string(e.Role), e.Section, string(e.Old), string(e.New))
	return err
}

func (t *tx) PreferenceChanges(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	rows, err := t.query(ctx, `SELECT at, actor, role, section, old_value, new_value
		FROM preference_changes WHERE guest_id = ? ORDER BY id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.AuditEntry{}
	for rows.Next() {
		e := preferences.AuditEntry{GuestID: guestID, Action: preferences.ActionPrefsChange}
		var oldV, newV string
		if err := rows.Scan(scanAt(&e.At), &e.Actor, &e.Role, &e.Section, &oldV, &newV); err != nil {
			return nil, err
		}
		e.Old, e.New = preferences.RawJSON(oldV), preferences.RawJSON(newV)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *tx) BoardReadsInHouse(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	rows, err := t.query(ctx, `SELECT b.at, b.actor, b.role FROM stays s
		JOIN board_reads b ON b.at >= s.check_in AND (s.check_out IS NULL OR b.at <= s.check_out)
		WHERE s.guest_id = ? ORDER BY b.at, b.id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.AuditEntry{}
	for rows.Next() {
		e := preferences.AuditEntry{GuestID: guestID, Action: preferences.ActionBoardRead}
		if err := rows.Scan(scanAt(&e.At), &e.Actor, &e.Role); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
