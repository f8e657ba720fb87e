package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"regulars/preferences"
)

// Preferences returns the guest's preferences, with empty sections where nothing is known.
func (db *DB) Preferences(ctx context.Context, guestID string) (preferences.Preferences, error) {
	return db.preferences(ctx, db.read, guestID)
}

func (db *DB) preferences(ctx context.Context, q querier, guestID string) (preferences.Preferences, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT preferences FROM guests WHERE id = ? AND erased_at IS NULL`, guestID).Scan(&raw)
	if err == sql.ErrNoRows {
		return preferences.Preferences{}, notFound("guest")
	}
	if err != nil {
		return preferences.Preferences{}, err
	}
	return decodePreferences(raw)
}

func decodePreferences(raw string) (preferences.Preferences, error) {
	var p preferences.Preferences
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return p, err
	}
	p.Normalize() // fills nil lists so clients always see arrays
	return p, nil
}

// SetPreferences replaces the listed sections, recording old → new for each one that
// changed. That record is the change's audit entry: GuestAudit reads it with the others.
func (db *DB) SetPreferences(ctx context.Context, actor preferences.Actor, guestID string, p preferences.Preferences, sections []string) (preferences.Preferences, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return preferences.Preferences{}, err
	}
	var result preferences.Preferences
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		cur, err := db.preferences(ctx, tx, guestID)
		if err != nil {
			return err
		}
		next := cur
		ts := db.nowText()
		for _, s := range sections {
			oldV, errOld := json.Marshal(section(&cur, s))
			newV, errNew := json.Marshal(section(&p, s))
			if err := errors.Join(errOld, errNew); err != nil {
				return err
			}
			copySection(&next, p, s)
			if bytes.Equal(oldV, newV) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO preference_changes (guest_id, at, actor, role, section, old_value, new_value)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, guestID, ts, actor.Name, actor.Role, s, oldV, newV); err != nil {
				return err
			}
		}
		raw, err := json.Marshal(&next)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE guests SET preferences = ?, updated_at = ? WHERE id = ?`, raw, ts, guestID); err != nil {
			return err
		}
		result = next
		return nil
	})
	db.guestChanged(guestID)
	return result, err
}

// section returns the value of one section of p (SectionRoom, ...), nil for an unknown one.
func section(p *preferences.Preferences, name string) any {
	switch name {
	case preferences.SectionRoom:
		return p.Room
	case preferences.SectionDining:
		return p.Dining
	case preferences.SectionAllergies:
		return p.Allergies
	case preferences.SectionHousekeeping:
		return p.Housekeeping
	case preferences.SectionNotes:
		return p.Notes
	}
	return nil
}

func copySection(dst *preferences.Preferences, src preferences.Preferences, section string) {
	switch section {
	case preferences.SectionRoom:
		dst.Room = src.Room
	case preferences.SectionDining:
		dst.Dining = src.Dining
	case preferences.SectionAllergies:
		dst.Allergies = src.Allergies
	case preferences.SectionHousekeeping:
		dst.Housekeeping = src.Housekeeping
	case preferences.SectionNotes:
		dst.Notes = src.Notes
	}
}

// PreferenceHistory returns every recorded preference change of the guest, oldest first.
func (db *DB) PreferenceHistory(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT at, actor, role, section, old_value, new_value
		FROM preference_changes WHERE guest_id = ? ORDER BY id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.AuditEntry{}
	for rows.Next() {
		var e preferences.AuditEntry
		var at, oldV, newV string
		if err := rows.Scan(&at, &e.Actor, &e.Role, &e.Section, &oldV, &newV); err != nil {
			return nil, err
		}
		e.At, e.Action, e.Old, e.New = parseTime(at), preferences.ActionPrefsChange, preferences.RawJSON(oldV), preferences.RawJSON(newV)
		out = append(out, e)
	}
	return out, rows.Err()
}
