package sqlstore

import (
	"context"
	"database/sql"

	"time"

	"regulars/preferences"
)

func (t *tx) InsertContact(ctx context.Context, c preferences.Contact, materialKey string) error {
	_, err := t.exec(ctx, `INSERT INTO guest_contacts (id, guest_id, channel, material, material_key, note, created_by,
		created_at, repeat_confirmed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.GuestID, c.Channel, c.Material, materialKey, c.Note, c.By, t.at(c.At), c.RepeatConfirmed)
	return err
}

// contactColumns are a contact's columns as scanContact reads them; a letter sent
// gives the same from the outbox (its source, channel letter and occasion).
const contactColumns = `id, 'staff' AS source, channel, material, note, '' AS occasion, created_by, created_at, repeat_confirmed`

func scanContact(r rowScanner) (preferences.Contact, error) {
	var c preferences.Contact
	err := r.Scan(&c.ID, &c.Source, &c.Channel, &c.Material, &c.Note, &c.Occasion, &c.By, scanAt(&c.At), &c.RepeatConfirmed)
	return c, err
}

func (t *tx) LastMaterialContact(ctx context.Context, guestID, materialKey string, since time.Time) (*preferences.Contact, error) {
	c, err := scanContact(t.row(ctx, `SELECT `+contactColumns+` FROM guest_contacts
		WHERE guest_id = ? AND material_key = ? AND created_at >= ? ORDER BY created_at DESC, id LIMIT 1`,
		guestID, materialKey, t.at(since)))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.GuestID = guestID
	return &c, nil
}

// guestContactsQuery lists a guest's contacts and letters sent (parameters: the guest
// twice, the limit).
const guestContactsQuery = `SELECT ` + contactColumns + ` FROM guest_contacts WHERE guest_id = ?
		UNION ALL
		SELECT id, 'outreach', 'letter', '', '', occasion, 'outreach', sent_at, (1 = 0) FROM outreach_messages
		WHERE guest_id = ? AND status = 'sent' AND sent_at IS NOT NULL
		ORDER BY 8 DESC, 1 LIMIT ?`

func (t *tx) GuestContacts(ctx context.Context, guestID string, limit int) ([]preferences.Contact, error) {
	// The letters are read where the outbox keeps them, never copied: (1 = 0) is false
	// in both engines' boolean (PostgreSQL) or integer (SQLite) form.
	rows, err := t.query(ctx, guestContactsQuery, guestID, guestID, limit)
	out, err := scanEach(rows, err, scanContact)
	for i := range out {
		out[i].GuestID = guestID
	}
	return out, err
}

func (t *tx) SaveKeepInTouch(ctx context.Context, guestID string, k preferences.KeepInTouch) error {
	_, err := t.exec(ctx, `INSERT INTO keep_in_touch (guest_id, every_days, since, set_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (guest_id) DO UPDATE SET every_days = excluded.every_days, set_by = excluded.set_by,
		since = CASE WHEN keep_in_touch.every_days = excluded.every_days THEN keep_in_touch.since ELSE excluded.since END`,
		guestID, k.EveryDays, t.at(k.Since), k.By)
	return err
}

func (t *tx) DeleteKeepInTouch(ctx context.Context, guestID string) error {
	_, err := t.exec(ctx, `DELETE FROM keep_in_touch WHERE guest_id = ?`, guestID)
	return err
}

func (t *tx) KeepInTouchOf(ctx context.Context, guestID string) (*preferences.KeepInTouch, error) {
	var k preferences.KeepInTouch
	err := t.row(ctx, `SELECT every_days, since, set_by FROM keep_in_touch WHERE guest_id = ?`, guestID).
		Scan(&k.EveryDays, scanAt(&k.Since), &k.By)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &k, nil
}

func (t *tx) KeepInTouchRows(ctx context.Context) ([]preferences.KeepInTouchRow, error) {
	rows, err := t.query(ctx, `SELECT k.guest_id, g.family_name, g.given_name, g.salutation, k.every_days, k.since, k.set_by,
		(SELECT max(c.created_at) FROM guest_contacts c WHERE c.guest_id = k.guest_id),
		(SELECT max(m.sent_at) FROM outreach_messages m WHERE m.guest_id = k.guest_id AND m.status = 'sent')
		FROM keep_in_touch k JOIN guests g ON g.id = k.guest_id WHERE g.erased_at IS NULL`)
	return scanEach(rows, err, func(r rowScanner) (preferences.KeepInTouchRow, error) {
		var k preferences.KeepInTouchRow
		err := r.Scan(&k.Guest.ID, &k.Guest.FamilyName, &k.Guest.GivenName, &k.Guest.Salutation, &k.Rhythm.EveryDays,
			scanAt(&k.Rhythm.Since), &k.Rhythm.By, scanAtOrNil(&k.LastStaff), scanAtOrNil(&k.LastSent))
		return k, err
	})
}
