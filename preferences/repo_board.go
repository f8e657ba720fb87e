package preferences

import (
	"context"
	"time"
)

// CardRepo reads what the recognition card is made of.
type CardRepo interface {
	// CardFacts returns the stored facts of a guest not erased for the recognition card
	// at a property, in one call (an engine may answer it in one statement); ENOTFOUND
	// otherwise. today is the property's date, the date of the expected arrival wanted.
	CardFacts(ctx context.Context, guestID, propertyID, today string) (CardFacts, error)
}

// CardFacts are a guest's stored facts, before the card's rules (greeting, returning,
// birthday, ranking) are applied. The stays' Nights are not counted.
type CardFacts struct {
	Guest       Guest       // with documents and consent
	Preferences Preferences // only the allergies and housekeeping sections
	StaysCount  int         // every stay at every property, the open one too
	StaysHere   int         // the closed stays at the card's property
	LastStay    *Stay       // the closed stay that began last, anywhere (ties: the smallest id); nil for none
	InHouse     *Stay       // the open stay, anywhere; nil for none
	// Arrival is the first expected arrival (by creation) at the property dated today;
	// nil for none.
	Arrival   *Arrival
	FollowUps []FollowUp // open, oldest first
	Notes     []Note     // every department's, newest first
	FreeRooms []Room     // the property's rooms nobody is in, by floor and number
}

// BoardRepo reads the housekeeping board and its reads.
type BoardRepo interface {
	// BoardRows lists the property's rooms of the open stays with what the board may
	// show of their guests (erased guests' rooms too: the room is still occupied).
	BoardRows(ctx context.Context, propertyID string) ([]BoardRow, error)
	// BoardReads lists the reads of the board at or after since, oldest first.
	BoardReads(ctx context.Context, since time.Time) ([]AuditEntry, error)
}

// BoardRow is an occupied room with its guest's stored instructions.
type BoardRow struct {
	Room        string
	Floor       int
	GuestID     string
	Preferences Preferences // only the allergies and housekeeping sections
	Notes       []string    // the housekeeping notes, newest first
}
