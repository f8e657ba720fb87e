package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"regulars/preferences"
)

// cardPostgres is CardFacts as one PostgreSQL statement: one round trip, each part an
// indexed sub-select, the whole card one JSON object whose keys are CardFacts' fields
// and the domain types' JSON names. The free rooms are kept (see counted): the
// statement reads the counter they are kept by, and a second one reads them only when
// it has moved. (JSON functions are PostgreSQL's own: SQLite takes the portable
// path.)
const cardPostgres = `SELECT json_build_object(
	'Guest', json_build_object('id', g.id, 'family_name', g.family_name, 'given_name', g.given_name,
		'salutation', g.salutation, 'email', g.email, 'phone', g.phone, 'birthday', g.birthday, 'language', g.language,
		'time_zone', g.time_zone, 'marketing_consent', g.marketing_consent, 'created_at', g.created_at, 'updated_at', g.updated_at,
		'consent', CASE WHEN g.consent_at IS NOT NULL THEN json_build_object('granted', g.marketing_consent,
			'at', g.consent_at, 'channel', g.consent_channel, 'by', g.consent_by) END,
		'documents', COALESCE((SELECT json_agg(json_build_object('type', d.type, 'last4', d.last4) ORDER BY d.created_at, d.type)
			FROM guest_documents d WHERE d.guest_id = g.id), '[]')),
	'Preferences', g.preferences::json,
	'StaysCount', (SELECT count(*) FROM stays c WHERE c.guest_id = g.id),
	'StaysHere', (SELECT count(*) FROM stays h WHERE h.guest_id = g.id AND h.property_id = ? AND h.check_out IS NOT NULL),
	'InHouse', (SELECT ` + cardStayJSON + ` FROM stays s` + stayJoins + `
		WHERE s.guest_id = g.id AND s.check_out IS NULL),
	'LastStay', (SELECT ` + cardStayJSON + ` FROM stays s` + stayJoins + `
		WHERE s.guest_id = g.id AND s.check_out IS NOT NULL ORDER BY s.check_in DESC, s.id LIMIT 1),
	'Arrival', (SELECT json_build_object('id', a.id, 'guest_id', a.guest_id, 'arrival_date', a.arrival_date, 'nights', a.nights,
			'reference', a.reference, 'status', a.status, 'stay_id', COALESCE(a.stay_id, ''))
		FROM arrivals a WHERE a.guest_id = g.id AND a.property_id = ? AND a.arrival_date = ? AND a.status = 'expected'
		ORDER BY a.created_at, a.id LIMIT 1),
	'FollowUps', COALESCE((SELECT json_agg(json_build_object('id', f.id, 'feedback_id', COALESCE(f.feedback_id, ''),
			'text', f.text, 'created_at', f.created_at,
			'property', COALESCE((SELECT fp.code FROM properties fp WHERE fp.id = f.property_id), '')) ORDER BY f.created_at, f.id)
		FROM follow_ups f WHERE f.guest_id = g.id AND f.done_at IS NULL), '[]'),
	'Notes', COALESCE((SELECT json_agg(json_build_object('id', n.id, 'department', n.department, 'text', n.text,
			'created_at', n.created_at, 'created_by', n.created_by) ORDER BY n.created_at DESC, n.id)
		FROM guest_notes n WHERE n.guest_id = g.id), '[]'),
	'RoomsCounter', (SELECT n FROM change_counters WHERE name = 'rooms')
	)::text
FROM guests g WHERE g.id = ? AND g.erased_at IS NULL`

const cardStayJSON = `json_build_object('id', s.id, 'guest_id', s.guest_id, 'room', s.room, 'floor', COALESCE(r.floor, 0),
	'check_in', s.check_in, 'check_out', s.check_out, 'planned_nights', s.planned_nights, 'spend', s.spend,
	'property', p.code, 'property_name', p.name, 'property_id', s.property_id, 'property_zone', p.time_zone)`

// cardStay is a stay as the card's statement gives it, with its property's ID and zone,
// which Stay does not decode.
type cardStay struct {
	preferences.Stay
	PropertyID   string `json:"property_id"`
	PropertyZone string `json:"property_zone"`
}

// stay is the Stay with its property; nil for none.
func (c *cardStay) stay() *preferences.Stay {
	if c == nil {
		return nil
	}
	st := c.Stay
	st.PropertyID, st.PropertyZone = c.PropertyID, c.PropertyZone
	return &st
}

func (t *tx) cardFactsPostgres(ctx context.Context, guestID, propertyID, today string) (preferences.CardFacts, error) {
	var raw string
	err := t.row(ctx, cardPostgres, propertyID, propertyID, today, guestID).Scan(&raw)
	if err == sql.ErrNoRows {
		return preferences.CardFacts{}, notFound("guest")
	}
	if err != nil {
		return preferences.CardFacts{}, err
	}
	// One decoding: the stays and the free rooms' counter in the fields beside the facts'.
	var card struct {
		preferences.CardFacts
		InHouse, LastStay *cardStay
		RoomsCounter      int64
	}
	if err := json.Unmarshal([]byte(raw), &card); err != nil {
		return card.CardFacts, err
	}
	f := card.CardFacts
	f.InHouse, f.LastStay = card.InHouse.stay(), card.LastStay.stay()
	if f.Arrival != nil {
		f.Arrival.PropertyID = propertyID
	}
	f.Preferences.Normalize()
	inUTC(&f)
	f.FreeRooms, err = keptReadAt(t, &t.s.freeRooms, propertyID, card.RoomsCounter,
		func() ([]preferences.Room, error) { return t.readFreeRooms(ctx, propertyID) }, cloneRooms)
	return f, err
}

// inUTC puts the card's instants in UTC, as the portable path scans them (JSON carries
// the session's offset).
func inUTC(f *preferences.CardFacts) {
	utc := func(t *time.Time) {
		if t != nil {
			*t = t.UTC()
		}
	}
	utc(&f.Guest.CreatedAt)
	utc(&f.Guest.UpdatedAt)
	if f.Guest.Consent != nil {
		utc(&f.Guest.Consent.At)
	}
	for _, s := range []*preferences.Stay{f.InHouse, f.LastStay} {
		if s != nil {
			utc(&s.CheckIn)
			utc(s.CheckOut)
		}
	}
	for i := range f.FollowUps {
		utc(&f.FollowUps[i].CreatedAt)
	}
	for i := range f.Notes {
		utc(&f.Notes[i].CreatedAt)
		f.Notes[i].GuestID = f.Guest.ID // not in a note's JSON
	}
}
