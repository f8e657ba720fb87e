package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"regulars/preferences"
)

// guestColumns are what scanGuest reads, from guests aliased g. The documents come from
// doc_summary, kept by the triggers of migration 0008.
const guestColumns = `g.id, g.family_name, g.given_name, g.salutation, g.email, g.phone, g.birthday, g.language,
	g.time_zone, g.marketing_consent, g.consent_at, g.consent_channel, g.consent_by, g.created_at, g.updated_at, g.doc_summary`

// guestColumnCount is the number of guestColumns.
const guestColumnCount = 16

type scanner interface{ Scan(dest ...any) error }

func scanGuest(row scanner) (preferences.Guest, error) {
	values := make(driverRow, guestColumnCount)
	if err := scanRow(row, values); err != nil {
		return preferences.Guest{}, err
	}
	return guestFrom(values), nil
}

// guestFrom reads a guest from a row that starts with guestColumns.
func guestFrom(r driverRow) preferences.Guest {
	g := preferences.Guest{ID: r.text(0), FamilyName: r.text(1), GivenName: r.text(2), Salutation: r.text(3),
		Email: r.text(4), Phone: r.text(5), Birthday: r.text(6), Language: r.text(7), TimeZone: r.text(8),
		MarketingConsent: r.integer(9) != 0, CreatedAt: parseTime(r.text(13)), UpdatedAt: parseTime(r.text(14)),
		Documents: parseDocSummary(r.text(15))}
	if at := r.nullText(10); at.Valid {
		g.Consent = &preferences.ConsentEvent{Granted: g.MarketingConsent, At: parseTime(at.String), Channel: r.text(11), By: r.text(12)}
	}
	return g
}

// Guest returns one guest with documents and current consent.
func (db *DB) Guest(ctx context.Context, id string) (preferences.Guest, error) {
	return db.guest(ctx, db.read, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (db *DB) guest(ctx context.Context, q querier, id string) (preferences.Guest, error) {
	g, err := scanGuest(q.QueryRowContext(ctx, `SELECT `+guestColumns+` FROM guests g WHERE g.id = ? AND g.erased_at IS NULL`, id))
	if err == sql.ErrNoRows {
		return g, notFound("guest")
	}
	return g, err
}

// parseDocSummary reads guests.doc_summary: type US last4, joined by RS, in display order.
func parseDocSummary(s string) []preferences.Document {
	docs := make([]preferences.Document, 0, strings.Count(s, "\x1e")+1)
	for s != "" {
		var item string
		item, s, _ = strings.Cut(s, "\x1e")
		typ, last4, _ := strings.Cut(item, "\x1f")
		docs = append(docs, preferences.Document{Type: typ, Last4: last4})
	}
	return docs
}

// CreateGuest validates and stores a new guest with documents, consent and an audit entry.
func (db *DB) CreateGuest(ctx context.Context, actor preferences.Actor, in preferences.GuestFields) (preferences.Guest, error) {
	in.Normalize()
	now := db.now()
	if err := in.Validate(true, now); err != nil {
		return preferences.Guest{}, err
	}
	var docs []preferences.DocumentInput
	if in.Documents != nil {
		docs = *in.Documents
	}
	sealed, err := db.sealDocuments(docs, now)
	if err != nil {
		return preferences.Guest{}, err
	}
	g := preferences.Guest{
		ID:         newID("g"),
		FamilyName: *in.FamilyName,
		Language:   preferences.DefaultLanguage(*in.FamilyName),
	}
	applyFields(&g, in)
	if err := reconcileBirthday(&g, in.Birthday != nil && *in.Birthday != "", sealed); err != nil {
		return preferences.Guest{}, err
	}
	ts := now.Format(TimeLayout)
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.checkDocumentsFree(ctx, tx, g.ID, sealed); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO guests (id, family_name, given_name, salutation, email, phone,
			birthday, birthday_md, language, time_zone, search_text, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.ID, g.FamilyName, g.GivenName, g.Salutation, g.Email, g.Phone, g.Birthday, monthDay(g.Birthday),
			g.Language, g.TimeZone, searchText(g), ts, ts)
		if err != nil {
			return err
		}
		if err := db.insertDocuments(ctx, tx, g.ID, sealed, ts); err != nil {
			return err
		}
		if in.MarketingConsent != nil {
			if err := db.recordConsent(ctx, tx, g.ID, *in.MarketingConsent, actor.Channel(), actor.Name); err != nil {
				return err
			}
		}
		if err := db.auditTx(ctx, tx, actor, g.ID, preferences.ActionCreate, ""); err != nil {
			return err
		}
		return db.keepAnswer(ctx, tx, g.ID, func() (any, error) { return db.guest(ctx, tx, g.ID) })
	})
	if err != nil {
		return preferences.Guest{}, err
	}
	return db.guest(ctx, db.write, g.ID)
}

// UpdateGuest applies the fields sent, all or nothing.
func (db *DB) UpdateGuest(ctx context.Context, actor preferences.Actor, id string, in preferences.GuestFields) (preferences.Guest, error) {
	in.Normalize()
	now := db.now()
	if err := in.Validate(false, now); err != nil {
		return preferences.Guest{}, err
	}
	var sealed []preferences.SealedDocument
	if in.Documents != nil {
		var err error
		if sealed, err = db.sealDocuments(*in.Documents, now); err != nil {
			return preferences.Guest{}, err
		}
	}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		g, err := db.guest(ctx, tx, id)
		if err != nil {
			return err
		}
		applyFields(&g, in)
		if in.Documents == nil {
			// Keep checking the birthday against the documents already held.
			if sealed, err = db.storedBirthDates(ctx, tx, id); err != nil {
				return err
			}
		}
		if err := reconcileBirthday(&g, in.Birthday != nil && *in.Birthday != "", sealed); err != nil {
			return err
		}
		ts := now.Format(TimeLayout)
		if in.Documents != nil {
			if err := db.checkDocumentsFree(ctx, tx, id, sealed); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM guest_documents WHERE guest_id = ?`, id); err != nil {
				return err
			}
			if err := db.insertDocuments(ctx, tx, id, sealed, ts); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE guests SET family_name = ?, given_name = ?, salutation = ?, email = ?,
			phone = ?, birthday = ?, birthday_md = ?, language = ?, time_zone = ?, search_text = ?, updated_at = ?
			WHERE id = ?`,
			g.FamilyName, g.GivenName, g.Salutation, g.Email, g.Phone, g.Birthday, monthDay(g.Birthday),
			g.Language, g.TimeZone, searchText(g), ts, id)
		if err != nil {
			return err
		}
		// Every decision sent is recorded, a re-confirmation too: the ledger is the evidence.
		if in.MarketingConsent != nil {
			if err := db.recordConsent(ctx, tx, id, *in.MarketingConsent, actor.Channel(), actor.Name); err != nil {
				return err
			}
		}
		return db.auditTx(ctx, tx, actor, id, preferences.ActionUpdate, changedFields(in))
	})
	if err != nil {
		return preferences.Guest{}, err
	}
	return db.guest(ctx, db.write, id)
}

func applyFields(g *preferences.Guest, in preferences.GuestFields) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&g.FamilyName, in.FamilyName)
	set(&g.GivenName, in.GivenName)
	set(&g.Salutation, in.Salutation)
	set(&g.Email, in.Email)
	set(&g.Phone, in.Phone)
	set(&g.Birthday, in.Birthday)
	set(&g.Language, in.Language)
	set(&g.TimeZone, in.TimeZone)
}

// changedFields names the fields a patch sent, for the audit log; never their values.
func changedFields(in preferences.GuestFields) string {
	var names []string
	add := func(name string, sent bool) {
		if sent {
			names = append(names, name)
		}
	}
	add("family_name", in.FamilyName != nil)
	add("given_name", in.GivenName != nil)
	add("salutation", in.Salutation != nil)
	add("email", in.Email != nil)
	add("phone", in.Phone != nil)
	add("birthday", in.Birthday != nil)
	add("language", in.Language != nil)
	add("time_zone", in.TimeZone != nil)
	add("marketing_consent", in.MarketingConsent != nil)
	add("documents", in.Documents != nil)
	return strings.Join(names, ",")
}

// reconcileBirthday fills an empty birthday from a resident ID and refuses one that
// contradicts it.
func reconcileBirthday(g *preferences.Guest, birthdaySent bool, docs []preferences.SealedDocument) error {
	for i, d := range docs {
		if d.BirthDate == "" {
			continue
		}
		if g.Birthday == "" {
			g.Birthday = d.BirthDate
			continue
		}
		if g.Birthday != d.BirthDate {
			if birthdaySent {
				return preferences.FieldErr("birthday", "contradicts the birth date in the resident ID (documents[%d])", i)
			}
			return preferences.FieldErr("documents["+strconv.Itoa(i)+"].number", "its birth date contradicts the guest's birthday")
		}
	}
	return nil
}

func (db *DB) sealDocuments(in []preferences.DocumentInput, now time.Time) ([]preferences.SealedDocument, error) {
	var v preferences.Invalid
	out := make([]preferences.SealedDocument, 0, len(in))
	seen := map[string]bool{}
	for i, d := range in {
		s, err := db.sealer.Seal(d, now)
		if err != nil {
			v.Merge("documents["+strconv.Itoa(i)+"]", err)
			continue
		}
		key := s.Type + string(s.Hash)
		if seen[key] {
			v.Add("documents["+strconv.Itoa(i)+"]", "is listed twice")
			continue
		}
		seen[key] = true
		out = append(out, s)
	}
	return out, v.Err()
}

func (db *DB) storedBirthDates(ctx context.Context, tx *sql.Tx, guestID string) ([]preferences.SealedDocument, error) {
	rows, err := tx.QueryContext(ctx, `SELECT type, birth_date FROM guest_documents WHERE guest_id = ? AND birth_date <> ''`, guestID)
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

// documentOwner selects the guest ID of a document by type and number hash from the
// covering index of migration 0011 (no read of the table row).
const documentOwner = `guest_id FROM guest_documents INDEXED BY guest_documents_lookup WHERE type = ? AND number_hash = ?`

func (db *DB) checkDocumentsFree(ctx context.Context, tx *sql.Tx, guestID string, docs []preferences.SealedDocument) error {
	for i, d := range docs {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT `+documentOwner, d.Type, d.Hash).Scan(&owner)
		if err == sql.ErrNoRows || err == nil && owner == guestID {
			continue
		}
		if err != nil {
			return err
		}
		return &preferences.Error{Code: preferences.ECONFLICT, Message: "This document belongs to another guest.",
			Fields: []preferences.FieldError{{Field: "documents[" + strconv.Itoa(i) + "].number", Message: "already belongs to another guest"}}}
	}
	return nil
}

func (db *DB) insertDocuments(ctx context.Context, tx *sql.Tx, guestID string, docs []preferences.SealedDocument, ts string) error {
	for _, d := range docs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO guest_documents (type, number_hash, guest_id, last4, birth_date, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, d.Type, d.Hash, guestID, d.Last4, d.BirthDate, ts); err != nil {
			if isUnique(err) {
				return preferences.Errorf(preferences.ECONFLICT, "This document belongs to another guest.")
			}
			return err
		}
	}
	return nil
}

// recordConsent appends to the consent ledger and updates the guest's current state.
func (db *DB) recordConsent(ctx context.Context, tx *sql.Tx, guestID string, granted bool, channel, by string) error {
	ts := db.nowText()
	if _, err := tx.ExecContext(ctx, `INSERT INTO consent_events (guest_id, granted, channel, actor, at) VALUES (?, ?, ?, ?, ?)`,
		guestID, granted, channel, by, ts); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE guests SET marketing_consent = ?, consent_at = ?, consent_channel = ?, consent_by = ? WHERE id = ?`,
		granted, ts, channel, by, guestID)
	if err != nil {
		return err
	}
	detail := "withdrawn via " + channel
	if granted {
		detail = "granted via " + channel
	}
	return db.auditTx(ctx, tx, preferences.Actor{Name: by, Role: roleForChannel(channel)}, guestID, preferences.ActionConsent, detail)
}

func roleForChannel(channel string) preferences.Role {
	if channel == preferences.ChannelKiosk {
		return preferences.RoleKiosk
	}
	if channel == preferences.ChannelDesk {
		return preferences.RoleFrontDesk
	}
	return preferences.RoleSystem
}

// RecordConsent appends a consent decision made outside the staff API (an email link,
// an import) and updates the guest's current state.
func (db *DB) RecordConsent(ctx context.Context, guestID string, granted bool, channel, by string) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.guest(ctx, tx, guestID); err != nil {
			return err
		}
		return db.recordConsent(ctx, tx, guestID, granted, channel, by)
	})
}

// ConsentHistory returns the guest's consent ledger, oldest first.
func (db *DB) ConsentHistory(ctx context.Context, id string) ([]preferences.ConsentEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT granted, channel, actor, at FROM consent_events WHERE guest_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.ConsentEvent{}
	for rows.Next() {
		var e preferences.ConsentEvent
		var at string
		if err := rows.Scan(&e.Granted, &e.Channel, &e.By, &at); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SearchGuests finds guests whose name, salutation, email or phone contains q.
func (db *DB) SearchGuests(ctx context.Context, q string, limit int) ([]preferences.Guest, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return nil, preferences.FieldErr("q", "is required")
	}
	if msg := preferences.TextProblem(q, preferences.MaxSearchLength, false); msg != "" {
		return nil, preferences.FieldErr("q", "%s", msg)
	}
	if digits := phoneDigits(q); len(digits) >= 4 && isPhoneLike(q) {
		q = digits
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+guestColumns+` FROM guests g
		WHERE g.erased_at IS NULL AND g.search_text LIKE ? ESCAPE '\' ORDER BY g.family_name, g.given_name, g.id LIMIT ?`,
		"%"+likeEscape(q)+"%", limit)
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
	return out, rows.Err()
}

// searchText is what SearchGuests matches: names in both orders, email, phone digits.
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

func isPhoneLike(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsDigit(r) || strings.ContainsRune("+-() ./", r))
	}) < 0
}

func monthDay(birthday string) string {
	if len(birthday) != 10 {
		return ""
	}
	return birthday[5:]
}

// LookupGuest finds the guest holding the document, ENOTFOUND when nobody does.
func (db *DB) LookupGuest(ctx context.Context, docType, number string) (preferences.Guest, error) {
	normalized, _, err := preferences.ValidateDocument(preferences.DocumentInput{Type: docType, Number: number}, db.now())
	if err != nil {
		// Name the fields as the look-up body does: document_type, document_number.
		var v preferences.Invalid
		for _, f := range err.(*preferences.Error).Fields {
			v.Add("document_"+f.Field, "%s", f.Message)
		}
		return preferences.Guest{}, v.Err()
	}
	if err := db.gate.enter(ctx); err != nil {
		return preferences.Guest{}, err
	}
	defer db.gate.leave()
	// One query finds and reads the guest with its documents (look-ups are the hottest path).
	row := make(driverRow, guestColumnCount)
	err = db.readRow(ctx, row, `SELECT `+guestColumns+` FROM guests g
		WHERE g.id = (SELECT `+documentOwner+`) AND g.erased_at IS NULL`,
		docType, db.sealer.Hash(docType, normalized))
	if err == sql.ErrNoRows {
		return preferences.Guest{}, notFound("guest")
	}
	if err != nil {
		return preferences.Guest{}, err
	}
	return guestFrom(row), nil
}

// StaysCount returns the number of stays of the guest.
func (db *DB) StaysCount(ctx context.Context, id string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM stays WHERE guest_id = ?`, id).Scan(&n)
	return n, err
}

// eraseStatements remove or blank every copy of a guest's personal data in the database;
// each takes the guest ID as its only argument. This list is the one place where a table
// that keeps guest values adds its redaction (stored Idempotency-Key answers, merge
// snapshots, ...): a copy missing here survives erasure. The audit trail keeps who, when
// and what kind of action (audit_log, the sections of preference_changes, the access
// log), never a value. secure_delete (see dsn) zeroes the bytes these statements free.
var eraseStatements = []string{
	`DELETE FROM guest_documents WHERE guest_id = ?`,
	`DELETE FROM consent_events WHERE guest_id = ?`,
	`UPDATE preference_changes SET old_value = '', new_value = '' WHERE guest_id = ?`,
	`DELETE FROM outreach_messages WHERE guest_id = ?`,
	`UPDATE stays SET spend = '' WHERE guest_id = ?`,
	`DELETE FROM follow_ups WHERE guest_id = ?`,
	`DELETE FROM feedback WHERE guest_id = ?`,
	`DELETE FROM guest_notes WHERE guest_id = ?`,
	`DELETE FROM arrivals WHERE guest_id = ?`,
	`DELETE FROM idempotency_keys WHERE guest_id = ?`, // kept answers about the guest
	`UPDATE guests SET family_name = '', given_name = '', salutation = '', email = '', phone = '', birthday = '',
		birthday_md = '', time_zone = '', marketing_consent = 0, consent_at = NULL, consent_channel = '', consent_by = '',
		preferences = '{}', search_text = '', doc_summary = '' WHERE id = ?`,
}

// EraseGuest removes the guest's personal data and marks the profile erased; stays
// remain as anonymous records and the audit log keeps who did it. Once committed, the
// write-ahead log, which still holds the old page images, is emptied (see truncateWait),
// and the erasure hooks remove the copies outside the store.
func (db *DB) EraseGuest(ctx context.Context, actor preferences.Actor, id string) error {
	erased := preferences.Erased{GuestID: id}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.guest(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if erased.MessageIDs, err = guestMessageIDs(ctx, tx, id); err != nil {
			return err
		}
		for _, stmt := range eraseStatements {
			if _, err := tx.ExecContext(ctx, stmt, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE guests SET erased_at = ?, updated_at = ? WHERE id = ?`, db.nowText(), db.nowText(), id); err != nil {
			return err
		}
		return db.auditTx(ctx, tx, actor, id, preferences.ActionErase, "")
	})
	db.guestChanged(id)
	if err != nil {
		return err
	}
	if err := db.ckpt.truncateLog(ctx); err != nil {
		// Committed all the same; the checkpointer keeps trying and says when it succeeds.
		db.log.Warn("sqlite: erasure committed; the old page images stay in the write-ahead log until it can be emptied", "err", err)
	}
	var errs []error
	for _, h := range db.eraseHooks {
		errs = append(errs, h(ctx, erased))
	}
	return errors.Join(errs...)
}

// OnErase adds h to what EraseGuest runs once an erasure has committed. Call it while
// wiring the service, before it serves.
func (db *DB) OnErase(h preferences.ErasureHook) { db.eraseHooks = append(db.eraseHooks, h) }

// guestMessageIDs returns the Message-IDs of the guest's letters.
func guestMessageIDs(ctx context.Context, tx *sql.Tx, guestID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT message_id FROM outreach_messages WHERE guest_id = ?`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ExportGuest gathers everything stored about the guest.
func (db *DB) ExportGuest(ctx context.Context, id string) (preferences.GuestExport, error) {
	var ex preferences.GuestExport
	var err error
	if ex.Guest, err = db.Guest(ctx, id); err != nil {
		return ex, err
	}
	if ex.Preferences, err = db.Preferences(ctx, id); err != nil {
		return ex, err
	}
	if ex.ConsentHistory, err = db.ConsentHistory(ctx, id); err != nil {
		return ex, err
	}
	if ex.PreferenceHistory, err = db.PreferenceHistory(ctx, id); err != nil {
		return ex, err
	}
	if ex.Audit, err = db.GuestAudit(ctx, id); err != nil {
		return ex, err
	}
	ex.Extra = map[string]any{}
	for name, part := range exportParts {
		v, err := part(ctx, db, id)
		if err != nil {
			return ex, err
		}
		ex.Extra[name] = v
	}
	ex.ExportedAt = db.now()
	return ex, nil
}

// exportParts add further records (stays, feedback, messages…) to an export by name.
var exportParts = map[string]func(ctx context.Context, db *DB, guestID string) (any, error){
	"stays":      exportStays,
	"arrivals":   exportArrivals,
	"feedback":   exportFeedback,
	"follow_ups": exportFollowUps,
	"notes":      exportNotes,
	"outreach":   exportOutreach,
}

func exportStays(ctx context.Context, db *DB, guestID string) (any, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, room, check_in, check_out, planned_nights, spend FROM stays WHERE guest_id = ? ORDER BY check_in`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []map[string]any{}
	for rows.Next() {
		var id, room, in, spend string
		var out2 sql.NullString
		var planned int
		if err := rows.Scan(&id, &room, &in, &out2, &planned, &spend); err != nil {
			return nil, err
		}
		checkIn, checkOut := parseTime(in), nullTime(out2)
		out = append(out, map[string]any{"id": id, "room": room, "check_in": checkIn, "check_out": checkOut,
			"nights": preferences.StayNights(checkIn, checkOut, planned, db.loc), "planned_nights": planned, "spend": spend})
	}
	return out, rows.Err()
}
