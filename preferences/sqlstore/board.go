package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"regulars/preferences"
)

// BoardRows reads the property's open stays' rooms and their guests' allergies,
// housekeeping preferences and housekeeping notes. The rows are kept (see keptBoard): a
// check-in or check-out re-reads which rooms are in use and the new stay's guest only.
func (t *tx) BoardRows(ctx context.Context, propertyID string) ([]preferences.BoardRow, error) {
	if !t.reading {
		rows, _, err := t.readBoard(ctx, propertyID, nil)
		return rows, err
	}
	rooms, board, err := t.boardCounters(ctx)
	if err != nil {
		return nil, err
	}
	k := &t.s.board
	if rows, ok := k.rowsAt(propertyID, rooms, board); ok {
		return cloneBoard(rows), nil
	}
	if err := lockRefill(t, &k.loading); err != nil {
		return nil, err
	}
	defer k.loading.Unlock()
	if rows, ok := k.rowsAt(propertyID, rooms, board); ok { // refilled while this one waited
		return cloneBoard(rows), nil
	}
	rows, stays, err := t.readBoard(ctx, propertyID, k.staysAt(propertyID, board))
	if err != nil {
		return nil, err
	}
	k.put(propertyID, keptBoardOf{ok: true, rooms: rooms, board: board, rows: rows, stays: stays})
	return cloneBoard(rows), nil
}

// keptBoard is each property's board kept at two change counters (one each for the
// group): "rooms" moves with every change of stays and rooms (which rooms are in use),
// "board" with every change of what the board shows of a guest in house (their
// preferences, their housekeeping notes). Each open stay's guest data is kept at the
// board counter, so while only "rooms" moves the data of the stays still open is used
// again.
type keptBoard struct {
	mu       sync.Mutex
	property map[string]keptBoardOf
	loading  sync.Mutex // held by the one read refilling a board
}

// keptBoardOf is one property's kept board.
type keptBoardOf struct {
	ok           bool
	rooms, board int64
	rows         []preferences.BoardRow
	stays        map[string]boardGuest // open stay ID → its guest's data, at board
}

// boardGuest is what the board shows of the guest of one open stay.
type boardGuest struct {
	preferences preferences.Preferences
	notes       []string
}

// rowsAt returns the property's rows kept at the counters rooms and board.
func (k *keptBoard) rowsAt(propertyID string, rooms, board int64) ([]preferences.BoardRow, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	b := k.property[propertyID]
	return b.rows, b.ok && b.rooms == rooms && b.board == board
}

// staysAt returns the property's stays' guest data kept at board, nil if none is.
func (k *keptBoard) staysAt(propertyID string, board int64) map[string]boardGuest {
	k.mu.Lock()
	defer k.mu.Unlock()
	if b := k.property[propertyID]; b.ok && b.board == board {
		return b.stays
	}
	return nil
}

// put keeps the property's board as read, unless a later read is kept.
func (k *keptBoard) put(propertyID string, read keptBoardOf) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if b := k.property[propertyID]; b.ok && (b.rooms > read.rooms || b.board > read.board) {
		return
	}
	if k.property == nil {
		k.property = map[string]keptBoardOf{}
	}
	k.property[propertyID] = read
}

// boardCounters reads the two counters the board is kept by, in one statement.
func (t *tx) boardCounters(ctx context.Context) (rooms, board int64, err error) {
	rows, err := t.query(ctx, `SELECT name, n FROM change_counters WHERE name IN ('rooms', 'board')`)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return 0, 0, err
		}
		if name == "rooms" {
			rooms = n
		} else {
			board = n
		}
	}
	return rooms, board, rows.Err()
}

// cloneBoard copies the rows and the lists the board shows (its rows hold no other
// preferences), so that a caller changing them changes no kept copy. Each kind of list
// is copied into one array: a board of 450 rooms is four allocations, not 1,800.
func cloneBoard(rows []preferences.BoardRow) []preferences.BoardRow {
	var allergies, amenities, notes int
	for _, r := range rows {
		allergies += len(r.Preferences.Allergies)
		amenities += len(r.Preferences.Housekeeping.Amenities)
		notes += len(r.Notes)
	}
	a, m, n := make([]preferences.Allergy, 0, allergies), make([]string, 0, amenities), make([]string, 0, notes)
	out := slices.Clone(rows)
	for i := range out {
		p := &out[i].Preferences
		p.Allergies = copyInto(&a, p.Allergies)
		p.Housekeeping.Amenities = copyInto(&m, p.Housekeeping.Amenities)
		out[i].Notes = copyInto(&n, out[i].Notes)
	}
	return out
}

// copyInto appends list to *all and returns the copy, capped so that appending to it
// cannot reach the next row's.
func copyInto[T any](all *[]T, list []T) []T {
	from := len(*all)
	*all = append(*all, list...)
	return (*all)[from:len(*all):len(*all)]
}

// readBoard reads the property's rooms in use and the data of their guests, taking that of the
// stays in known as it is; it returns the rows and every open stay's guest data.
func (t *tx) readBoard(ctx context.Context, propertyID string, known map[string]boardGuest) ([]preferences.BoardRow, map[string]boardGuest, error) {
	rows, err := t.query(ctx, `SELECT s.id, s.room, r.floor, s.guest_id
		FROM stays s JOIN rooms r ON r.property_id = s.property_id AND r.number = s.room
		WHERE s.property_id = ? AND s.check_out IS NULL`, propertyID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := []preferences.BoardRow{}
	var stayIDs []string
	var missing []any // guests of the stays not known
	for rows.Next() {
		var b preferences.BoardRow
		var stayID string
		if err := rows.Scan(&stayID, &b.Room, &b.Floor, &b.GuestID); err != nil {
			return nil, nil, err
		}
		if _, ok := known[stayID]; !ok {
			missing = append(missing, b.GuestID)
		}
		out, stayIDs = append(out, b), append(stayIDs, stayID)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	read, err := t.boardGuests(ctx, missing)
	if err != nil {
		return nil, nil, err
	}
	stays := make(map[string]boardGuest, len(out))
	for i := range out {
		g, ok := known[stayIDs[i]]
		if !ok {
			g = read[out[i].GuestID]
		}
		if g.notes == nil {
			g.notes = []string{}
		}
		stays[stayIDs[i]] = g
		out[i].Preferences, out[i].Notes = g.preferences, g.notes
	}
	return out, stays, nil
}

// boardGuests reads what the board shows of the guests: their allergies and
// housekeeping preferences, and their housekeeping notes, newest first.
func (t *tx) boardGuests(ctx context.Context, ids []any) (map[string]boardGuest, error) {
	out := make(map[string]boardGuest, len(ids))
	for chunk := range slices.Chunk(ids, letterChunk) {
		if err := t.boardPreferences(ctx, chunk, out); err != nil {
			return nil, err
		}
		if err := t.boardNotes(ctx, chunk, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) boardPreferences(ctx context.Context, ids []any, out map[string]boardGuest) error {
	rows, err := t.query(ctx, `SELECT id, preferences FROM guests WHERE id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		p, err := decodePreferences(raw)
		if err != nil {
			return err
		}
		g := out[id]
		g.preferences = preferences.Preferences{Allergies: p.Allergies, Housekeeping: p.Housekeeping} // all the board shows
		out[id] = g
	}
	return rows.Err()
}

// boardNotes adds the guests' housekeeping notes, newest first (put in order here: see
// cardFactsPortable).
func (t *tx) boardNotes(ctx context.Context, ids []any, out map[string]boardGuest) error {
	rows, err := t.query(ctx, `SELECT guest_id, text, created_at, id FROM guest_notes
		WHERE department = ? AND guest_id IN (`+placeholders(len(ids))+`)`, append([]any{preferences.DeptHousekeeping}, ids...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type note struct {
		guestID, text, id string
		at                time.Time
	}
	var notes []note
	for rows.Next() {
		var n note
		if err := rows.Scan(&n.guestID, &n.text, scanAt(&n.at), &n.id); err != nil {
			return err
		}
		notes = append(notes, n)
	}
	slices.SortFunc(notes, func(a, b note) int { return cmp.Or(b.at.Compare(a.at), strings.Compare(a.id, b.id)) })
	for _, n := range notes {
		g := out[n.guestID]
		g.notes = append(g.notes, n.text)
		out[n.guestID] = g
	}
	return rows.Err()
}

func (t *tx) BoardReads(ctx context.Context, since time.Time) ([]preferences.AuditEntry, error) {
	rows, err := t.query(ctx, `SELECT at, actor, role FROM board_reads WHERE at >= ? ORDER BY id`, t.at(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.AuditEntry{}
	for rows.Next() {
		e := preferences.AuditEntry{Action: preferences.ActionBoardRead}
		if err := rows.Scan(scanAt(&e.At), &e.Actor, &e.Role); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
