package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"regulars/preferences"
)

const guestColumns = `id, family_name, given_name, salutation, email, phone, birthday, language, time_zone,
	marketing_consent, consent_at, consent_channel, consent_by, created_at, updated_at`

// guestColumnsOfG is guestColumns of the table named g.
var guestColumnsOfG = "g." + strings.Join(strings.Fields(strings.ReplaceAll(guestColumns, ",", "")), ", g.")

func (t *tx) GuestByID(ctx context.Context, id string) (preferences.Guest, error) {
	return t.oneGuest(ctx, `g.id = ?`, id)
}

// oneGuest returns the guest not erased that where (on guests g) selects, with its
// documents; ENOTFOUND when none is.
func (t *tx) oneGuest(ctx context.Context, where string, args ...any) (preferences.Guest, error) {
	g, _, err := t.guestRow(ctx, `''`, where, args...)
	return g, err
}

// guestRow reads the guest not erased that where (on guests g) selects, its documents
// and the column more of g, in one statement: a row per document (a round trip less
// than two queries, on PostgreSQL, and a statement less on SQLite).
func (t *tx) guestRow(ctx context.Context, more, where string, args ...any) (preferences.Guest, string, error) {
	rows, err := t.query(ctx, `SELECT `+guestColumnsOfG+`, `+more+`, d.type, d.last4, d.created_at
		FROM guests g LEFT JOIN guest_documents d ON d.guest_id = g.id WHERE g.erased_at IS NULL AND `+where, args...)
	if err != nil {
		return preferences.Guest{}, "", err
	}
	defer rows.Close()
	var g preferences.Guest
	var moreValue string
	var docs []shownDocument
	for found := false; rows.Next(); found = true {
		var d shownDocument
		var docType, last4 sql.NullString
		row, err := scanGuest(rows, &moreValue, &docType, &last4, scanAtOrNil(&d.at))
		if err != nil {
			return g, "", err
		}
		if !found {
			g = row
		}
		if docType.Valid {
			d.guestID, d.doc = g.ID, preferences.Document{Type: docType.String, Last4: last4.String}
			docs = append(docs, d)
		}
	}
	if err := rows.Err(); err != nil {
		return g, "", err
	}
	if g.ID == "" {
		return g, "", notFound("guest")
	}
	for _, d := range sortDocuments(docs) {
		g.Documents = append(g.Documents, d.doc)
	}
	return g, moreValue, nil
}

// guests returns the guests not erased that where (SQL after WHERE, ORDER BY and LIMIT
// included) selects, with their documents.
func (t *tx) guests(ctx context.Context, where string, args ...any) ([]preferences.Guest, error) {
	rows, err := t.query(ctx, `SELECT `+guestColumns+` FROM guests WHERE erased_at IS NULL AND `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.Guest{}
	for rows.Next() {
		g, err := scanGuest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // one query at a time on a transaction's connection
	return out, t.fillDocuments(ctx, out)
}

func scanGuest(rows *sql.Rows, more ...any) (preferences.Guest, error) {
	var g preferences.Guest
	var consentAt *time.Time
	var channel, by string
	err := rows.Scan(append([]any{&g.ID, &g.FamilyName, &g.GivenName, &g.Salutation, &g.Email, &g.Phone, &g.Birthday, &g.Language,
		&g.TimeZone, &g.MarketingConsent, scanAtOrNil(&consentAt), &channel, &by, scanAt(&g.CreatedAt), scanAt(&g.UpdatedAt)}, more...)...)
	if consentAt != nil {
		g.Consent = &preferences.ConsentEvent{Granted: g.MarketingConsent, At: *consentAt, Channel: channel, By: by}
	}
	g.Documents = []preferences.Document{}
	return g, err
}

// fillDocuments adds what is shown of their documents to guests, in the order given,
// with one query.
func (t *tx) fillDocuments(ctx context.Context, guests []preferences.Guest) error {
	if len(guests) == 0 {
		return nil
	}
	byID := make(map[string]*preferences.Guest, len(guests))
	ids := make([]any, len(guests))
	for i := range guests {
		byID[guests[i].ID], ids[i] = &guests[i], guests[i].ID
	}
	rows, err := t.query(ctx, `SELECT guest_id, type, last4, created_at FROM guest_documents
		WHERE guest_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var docs []shownDocument
	for rows.Next() {
		var d shownDocument
		var at time.Time
		if err := rows.Scan(&d.guestID, &d.doc.Type, &d.doc.Last4, scanAt(&at)); err != nil {
			return err
		}
		d.at = &at
		docs = append(docs, d)
	}
	for _, d := range sortDocuments(docs) {
		byID[d.guestID].Documents = append(byID[d.guestID].Documents, d.doc)
	}
	return rows.Err()
}

// shownDocument is what is shown of a guest's document, with when it was added.
type shownDocument struct {
	guestID string
	doc     preferences.Document
	at      *time.Time
}

// sortDocuments puts documents oldest first, in order here: SQLite's sorter costs more
// than a guest's few rows.
func sortDocuments(docs []shownDocument) []shownDocument {
	slices.SortFunc(docs, func(a, b shownDocument) int {
		return cmp.Or(a.at.Compare(*b.at), strings.Compare(a.doc.Type, b.doc.Type))
	})
	return docs
}

func (t *tx) InsertGuest(ctx context.Context, g preferences.Guest) error {
	_, err := t.exec(ctx, `INSERT INTO guests (id, family_name, given_name, salutation, email, phone,
		birthday, birthday_md, language, time_zone, search_text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.FamilyName, g.GivenName, g.Salutation, g.Email, g.Phone, g.Birthday, monthDay(g.Birthday),
		g.Language, g.TimeZone, searchText(g), t.at(g.CreatedAt), t.at(g.UpdatedAt))
	return err
}

func (t *tx) DocumentOwner(ctx context.Context, docType string, hash []byte) (string, error) {
	var owner string
	err := t.row(ctx, `SELECT guest_id FROM guest_documents WHERE type = ? AND number_hash = ?`, docType, hash).Scan(&owner)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return owner, err
}

func (t *tx) InsertDocuments(ctx context.Context, guestID string, docs []preferences.SealedDocument, at time.Time) error {
	for _, d := range docs {
		_, err := t.exec(ctx, `INSERT INTO guest_documents (type, number_hash, guest_id, last4, birth_date, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, d.Type, d.Hash, guestID, d.Last4, d.BirthDate, t.at(at))
		if err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) AppendConsent(ctx context.Context, guestID string, e preferences.ConsentEvent) error {
	if _, err := t.exec(ctx, `INSERT INTO consent_events (guest_id, granted, channel, actor, at) VALUES (?, ?, ?, ?, ?)`,
		guestID, e.Granted, e.Channel, e.By, t.at(e.At)); err != nil {
		return err
	}
	// Not on an erased guest: a decision racing an erasure is refused, not kept.
	ok, err := t.changed(t.exec(ctx, `UPDATE guests SET marketing_consent = ?, consent_at = ?, consent_channel = ?, consent_by = ?
		WHERE id = ? AND erased_at IS NULL`, e.Granted, t.at(e.At), e.Channel, e.By, guestID))
	if err == nil && !ok {
		err = notFound("guest")
	}
	return err
}

func (t *tx) GuestPreferences(ctx context.Context, guestID string) (preferences.Preferences, error) {
	var raw string
	err := t.row(ctx, `SELECT preferences FROM guests WHERE id = ? AND erased_at IS NULL`, guestID).Scan(&raw)
	if err == sql.ErrNoRows {
		return preferences.Preferences{}, notFound("guest")
	}
	if err != nil {
		return preferences.Preferences{}, err
	}
	return decodePreferences(raw)
}

// decodePreferences reads a guest's stored preferences.
func decodePreferences(raw string) (preferences.Preferences, error) {
	var p preferences.Preferences
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return p, err
	}
	p.Normalize() // nil lists become empty ones: clients always see arrays
	return p, nil
}

func (t *tx) ForgetAnswers(ctx context.Context, before time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, t.at(before))
	return err
}

func (t *tx) InsertAnswer(ctx context.Context, a preferences.KeptAnswer) error {
	_, err := t.exec(ctx, `INSERT INTO idempotency_keys (owner, key, hash, status, body, guest_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.Owner, a.Key, a.Answer.Hash, a.Answer.Status, a.Answer.Body, a.GuestID, t.at(a.At))
	return err
}

// SearchText is the guests.search_text a bulk loader writes for g.
func SearchText(g preferences.Guest) string { return searchText(g) }

// MonthDay is the guests.birthday_md a bulk loader writes for a YYYY-MM-DD birthday.
func MonthDay(birthday string) string { return monthDay(birthday) }

// searchText is what a search matches: the names in both orders, the salutation, email
// and phone (also as bare digits), lower-cased.
func searchText(g preferences.Guest) string {
	parts := []string{g.FamilyName, g.GivenName, preferences.FullName(g.FamilyName, g.GivenName),
		g.GivenName + " " + g.FamilyName, g.Salutation, g.Email, g.Phone, phoneDigits(g.Phone)}
	return strings.ToLower(strings.Join(parts, "\x1f"))
}

func phoneDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// monthDay is the "MM-DD" of a birthday, for the birthday letters' selection.
func monthDay(birthday string) string {
	if len(birthday) != 10 {
		return ""
	}
	return birthday[5:]
}

func (t *tx) CountGuests(ctx context.Context) (int, error) {
	var n int
	err := t.row(ctx, `SELECT count(*) FROM guests WHERE erased_at IS NULL`).Scan(&n)
	return n, err
}
