package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"regulars/preferences"
)

func (t *tx) UpdateGuestFields(ctx context.Context, g preferences.Guest, was time.Time) (bool, error) {
	return t.changed(t.exec(ctx, `UPDATE guests SET family_name = ?, given_name = ?, salutation = ?, email = ?, phone = ?,
		birthday = ?, birthday_md = ?, language = ?, time_zone = ?, search_text = ?, updated_at = ?
		WHERE id = ? AND updated_at = ? AND erased_at IS NULL`,
		g.FamilyName, g.GivenName, g.Salutation, g.Email, g.Phone, g.Birthday, monthDay(g.Birthday),
		g.Language, g.TimeZone, searchText(g), t.at(g.UpdatedAt), g.ID, t.at(was)))
}

// changed reports whether a conditional UPDATE found its row.
func (t *tx) changed(r sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

func (t *tx) DeleteDocuments(ctx context.Context, guestID string) error {
	_, err := t.exec(ctx, `DELETE FROM guest_documents WHERE guest_id = ?`, guestID)
	return err
}

func (t *tx) DocumentBirthDates(ctx context.Context, guestID string) ([]preferences.SealedDocument, error) {
	rows, err := t.query(ctx, `SELECT type, birth_date FROM guest_documents WHERE guest_id = ? AND birth_date <> ''
		ORDER BY created_at, type`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []preferences.SealedDocument
	for rows.Next() {
		var d preferences.SealedDocument
		if err := rows.Scan(&d.Type, &d.BirthDate); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (t *tx) ConsentEvents(ctx context.Context, guestID string) ([]preferences.ConsentEvent, error) {
	rows, err := t.query(ctx, `SELECT granted, channel, actor, at FROM consent_events WHERE guest_id = ? ORDER BY id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.ConsentEvent{}
	for rows.Next() {
		var e preferences.ConsentEvent
		if err := rows.Scan(&e.Granted, &e.Channel, &e.By, scanAt(&e.At)); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *tx) GuestsMatching(ctx context.Context, text string, limit int) ([]preferences.Guest, error) {
	return t.guests(ctx, `search_text LIKE ? ESCAPE '\' ORDER BY family_name, given_name, id LIMIT ?`,
		"%"+likeEscape(strings.ToLower(text))+"%", limit)
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (t *tx) GuestByDocument(ctx context.Context, docType string, hash []byte) (preferences.Guest, error) {
	return t.oneGuest(ctx, `g.id = (SELECT x.guest_id FROM guest_documents x WHERE x.type = ? AND x.number_hash = ?)`, docType, hash)
}

func (t *tx) AnswerSince(ctx context.Context, owner, key string, since time.Time) (preferences.Answer, error) {
	var a preferences.Answer
	err := t.row(ctx, `SELECT hash, status, body FROM idempotency_keys WHERE owner = ? AND key = ? AND created_at >= ?`,
		owner, key, t.at(since)).Scan(&a.Hash, &a.Status, &a.Body)
	if err == sql.ErrNoRows {
		return a, notFound("answer")
	}
	return a, err
}
