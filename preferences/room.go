package preferences

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Room is a hotel room and what it offers.
type Room struct {
	Number   string   `json:"number"`
	Floor    int      `json:"floor"`
	View     string   `json:"view"`
	Bed      string   `json:"bed"`
	Quiet    bool     `json:"quiet"`
	Smoking  bool     `json:"smoking"`
	Features []string `json:"features"`
	Occupied bool     `json:"occupied"`
	// UpdatedAt is when the room was last put; not shown.
	UpdatedAt time.Time `json:"-"`
}

var roomNumberRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,9}$`)

// ValidRoomNumber reports whether s can name a room (1-10 letters, digits or dashes).
func ValidRoomNumber(s string) bool { return roomNumberRE.MatchString(s) }

// Normalize canonicalises the room's identifiers and feature list.
func (r *Room) Normalize() {
	r.Number = strings.TrimSpace(r.Number)
	r.View = strings.ToLower(strings.TrimSpace(r.View))
	r.Bed = strings.ToLower(strings.TrimSpace(r.Bed))
	r.Features = cleanList(r.Features, true)
}

// Validate checks a room description.
func (r *Room) Validate() error {
	var v Invalid
	if !ValidRoomNumber(r.Number) {
		v.Add("number", "must be 1 to 10 letters, digits or dashes")
	}
	if r.Floor < 0 || r.Floor > MaxFloor {
		v.Add("floor", "must be between 0 and %d", MaxFloor)
	}
	if r.View != "" && !IsSlug(r.View) {
		v.Add("view", "must be a short lower-case word such as river, city or garden")
	}
	if !slices.Contains(Beds, r.Bed) {
		v.Add("bed", "must be one of %s", strings.Join(Beds, ", "))
	}
	checkList(&v, "features", r.Features, MaxSlugLen, true)
	return v.Err()
}

// RoomStore keeps the hotel's rooms.
type RoomStore interface {
	// PutRoom creates or replaces a room of the actor's property.
	PutRoom(ctx context.Context, actor Actor, r Room) (Room, error)
	// Rooms lists every room of the actor's property with its occupancy, by number.
	Rooms(ctx context.Context, actor Actor) ([]Room, error)
}
