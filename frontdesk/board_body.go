package frontdesk

import (
	"encoding/json"
	"sync"

	"regulars/preferences"
)

// boardBody keeps the encoded housekeeping board while the store hands back the same
// board: the store keeps one board (the same slice) until a change makes it stale, and
// encoding 400 rooms again on every tablet's refresh was most of the request's work.
type boardBody struct {
	mu    sync.Mutex
	first *preferences.HousekeepingRoom // identifies the board the body was made from
	n     int
	body  []byte
}

// board is the body of GET /api/housekeeping.
type board struct {
	Rooms []preferences.HousekeepingRoom `json:"rooms"`
}

// encode returns {"rooms": rooms} as JSON, reusing the last body for the same board.
func (b *boardBody) encode(rooms []preferences.HousekeepingRoom) ([]byte, error) {
	if len(rooms) == 0 {
		return json.Marshal(board{rooms})
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.first == &rooms[0] && b.n == len(rooms) {
		return b.body, nil
	}
	body, err := json.Marshal(board{rooms})
	if err != nil {
		return nil, err
	}
	b.first, b.n, b.body = &rooms[0], len(rooms), body
	return body, nil
}
