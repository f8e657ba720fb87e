package preferences

import (
	"context"
	"time"
)

// Arrival is a guest expected on a date, from the PMS or typed in at the desk.
type Arrival struct {
	ID          string `json:"id"`
	GuestID     string `json:"guest_id"`
	ArrivalDate string `json:"arrival_date"`
	Nights      int    `json:"nights"`
	Reference   string `json:"reference"`
	Status      string `json:"status"` // expected, checked_in, cancelled
	StayID      string `json:"stay_id,omitempty"`
	PropertyID  string `json:"-"` // the property the guest is expected at
}

// Arrival statuses.
const (
	ArrivalExpected  = "expected"
	ArrivalCheckedIn = "checked_in"
	ArrivalCancelled = "cancelled"
)

// ArrivalCard is an arrival with the flags a clerk needs before the guest reaches the desk.
type ArrivalCard struct {
	Arrival
	Guest              Guest `json:"guest"`
	Returning          bool  `json:"returning"`
	StaysCount         int   `json:"stays_count"`
	HasAllergies       bool  `json:"has_allergies"`
	BirthdayDuringStay bool  `json:"birthday_during_stay"`
	OpenFollowUps      int   `json:"open_follow_ups"`
}

// Stay is one visit: check-in to check-out in one room.
type Stay struct {
	ID       string     `json:"id"`
	GuestID  string     `json:"guest_id"`
	Room     string     `json:"room"`
	Floor    int        `json:"floor"`
	CheckIn  time.Time  `json:"check_in"`
	CheckOut *time.Time `json:"check_out"`
	// Nights is what the stay counts as: the nights actually stayed once checked out
	// (hotel dates, 0 for a day use), the planned nights while open (see StayNights).
	Nights int `json:"nights"`
	// PlannedNights is the nights booked at check-in.
	PlannedNights int        `json:"planned_nights"`
	Spend         string     `json:"spend,omitempty"`
	FollowUps     []FollowUp `json:"follow_ups,omitempty"`
	// The stay's property: its code and name tell the group's stays apart; its zone
	// is where the nights are counted.
	PropertyID   string `json:"-"`
	Property     string `json:"property,omitempty"`
	PropertyName string `json:"property_name,omitempty"`
	PropertyZone string `json:"-"`
}

// SuggestedRoom is a free room with the reasons it suits the guest, best first.
type SuggestedRoom struct {
	Number  string   `json:"number"`
	Floor   int      `json:"floor"`
	View    string   `json:"view"`
	Bed     string   `json:"bed"`
	Score   int      `json:"score"`
	Reasons []string `json:"reasons"`
}

// Feedback is a complaint, compliment or request from a guest.
type Feedback struct {
	ID         string     `json:"id"`
	GuestID    string     `json:"guest_id"`
	StayID     string     `json:"stay_id,omitempty"`
	Kind       string     `json:"kind"` // complaint, compliment, request
	Text       string     `json:"text"`
	Status     string     `json:"status"` // open, resolved
	CreatedAt  time.Time  `json:"created_at"`
	CreatedBy  string     `json:"created_by"`
	Resolution string     `json:"resolution,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	FollowUp   *FollowUp  `json:"follow_up,omitempty"`
	AgeDays    int        `json:"age_days"`
	GuestName  string     `json:"guest_name,omitempty"`
	// The property where it arose (the stay's, or the desk's), if told: its code.
	PropertyID string `json:"-"`
	Property   string `json:"property,omitempty"`
}

// FollowUp is something to do for a guest on their next visit or at check-out, until done.
type FollowUp struct {
	ID         string     `json:"id"`
	FeedbackID string     `json:"feedback_id,omitempty"`
	Text       string     `json:"text"`
	CreatedAt  time.Time  `json:"created_at"`
	DoneAt     *time.Time `json:"done_at,omitempty"`
	// The property where it arose (its feedback's), if told: its code. A follow-up
	// shows at whichever property the guest comes to.
	PropertyID string `json:"-"`
	Property   string `json:"property,omitempty"`
}

// Note is a staff note addressed to one department.
type Note struct {
	ID         string    `json:"id"`
	GuestID    string    `json:"-"`
	Department string    `json:"department"` // housekeeping, front_office, kitchen
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
}

// HousekeepingRoom is what housekeeping sees of an occupied room: no guest identity,
// contact, document, birthday or spend.
type HousekeepingRoom struct {
	GuestID   string    `json:"-"` // for the audit log only; never sent
	Room      string    `json:"room"`
	Floor     int       `json:"floor"`
	Allergies []Allergy `json:"allergies"`
	Laundry   string    `json:"laundry"`
	Amenities []string  `json:"amenities"`
	Notes     []string  `json:"notes"`
}

// Recognition is the check-in card.
type Recognition struct {
	Guest     Guest  `json:"guest"`
	Greeting  string `json:"greeting"`
	Returning bool   `json:"returning"` // to the group: a stay completed at any property
	// FirstStayHere: no stay completed at the card's property (Property) yet.
	FirstStayHere      bool            `json:"first_stay_here"`
	Property           string          `json:"property"`
	StaysCount         int             `json:"stays_count"`
	LastStay           *Stay           `json:"last_stay"`
	InHouse            *Stay           `json:"in_house"`
	Arrival            *Arrival        `json:"arrival"`
	Preferences        Preferences     `json:"preferences"`
	FollowUps          []FollowUp      `json:"follow_ups"`
	Notes              []Note          `json:"notes"`
	BirthdayDuringStay bool            `json:"birthday_during_stay"`
	SuggestedRooms     []SuggestedRoom `json:"suggested_rooms"`
	// LastContacts are the latest contacts with the guest (LastContactsShown), newest
	// first: those staff logged and the letters sent.
	LastContacts []Contact `json:"last_contacts"`
	// MailSuppressed says that letters to the guest's address are stopped (bounces); nil
	// when they go.
	MailSuppressed *MailSuppression `json:"mail_suppressed"`
}

// StayStore keeps arrivals, stays, feedback, follow-ups and notes. "Today" is the hotel's
// date in its time zone. Errors: ENOTFOUND for an unknown guest, room, stay, feedback or
// follow-up; EINVALID for bad input; ECONFLICT for an occupied room, a guest already in
// house, a stay already closed or feedback already resolved.
type StayStore interface {
	// CreateArrival records an expected arrival, dated within ArrivalYears of today;
	// ECONFLICT when the reference is taken.
	CreateArrival(ctx context.Context, actor Actor, a Arrival) (Arrival, error)
	// TodayOf is the date at the actor's property, in its zone.
	TodayOf(ctx context.Context, actor Actor) (string, error)
	// Arrivals lists the arrivals at the actor's property of a date (YYYY-MM-DD, its
	// time, within ArrivalYears of today) with their flags.
	Arrivals(ctx context.Context, actor Actor, date string) ([]ArrivalCard, error)
	// ArrivalToday returns the guest's expected arrival for today at the actor's
	// property, ENOTFOUND when none.
	ArrivalToday(ctx context.Context, actor Actor, guestID string) (Arrival, error)
	// ArrivalByReference returns the expected arrival for today at the actor's property
	// with that reference.
	ArrivalByReference(ctx context.Context, actor Actor, reference string) (Arrival, error)
	// FreeRooms lists the rooms of the actor's property nobody is in, by floor and number.
	FreeRooms(ctx context.Context, actor Actor) ([]Room, error)
	// CheckIn starts a stay in one transaction and consumes the guest's expected arrival
	// for today. nights 0 takes the nights of that arrival. ECONFLICT when the room is
	// occupied or the guest is in house.
	CheckIn(ctx context.Context, actor Actor, guestID, room string, nights int) (Stay, error)
	// CheckInBestRoom checks the guest in to the free room that best meets their
	// preferences (RankRooms); safe when callers race. ENOTFOUND when no room suits.
	CheckInBestRoom(ctx context.Context, actor Actor, guestID string, nights int) (Stay, error)
	// CheckOut closes a stay, recording the spend (a decimal string, optional), and
	// returns it with the guest's open follow-ups to act on at departure.
	CheckOut(ctx context.Context, actor Actor, stayID, spend string) (Stay, error)
	// GuestStays lists a guest's stays, newest first.
	GuestStays(ctx context.Context, actor Actor, guestID string) ([]Stay, error)
	// AddFeedback records a complaint, compliment or request, optionally tied to a stay.
	AddFeedback(ctx context.Context, actor Actor, guestID string, in FeedbackInput) (Feedback, error)
	// ResolveFeedback records the resolution and, when given, a follow-up for the guest.
	ResolveFeedback(ctx context.Context, actor Actor, feedbackID string, r Resolution) (Feedback, error)
	// FeedbackList lists feedback with a status ("" for all), oldest first, with age.
	FeedbackList(ctx context.Context, actor Actor, status string) ([]Feedback, error)
	// FollowUpDone marks a follow-up done; it no longer shows on the card or at check-out.
	FollowUpDone(ctx context.Context, actor Actor, followUpID string) (FollowUp, error)
	// OpenFollowUps lists the guest's follow-ups not yet done, oldest first.
	OpenFollowUps(ctx context.Context, guestID string) ([]FollowUp, error)
	// AddNote records a staff note for one department.
	AddNote(ctx context.Context, actor Actor, guestID string, n Note) (Note, error)
	// GuestNotes lists all of the guest's notes, newest first.
	GuestNotes(ctx context.Context, guestID string) ([]Note, error)
	// HousekeepingBoard lists occupied rooms by floor with allergies (most severe first),
	// laundry and amenity instructions and housekeeping notes; nothing else of the guest.
	// It returns the same slice until the board changes; callers must not modify it.
	HousekeepingBoard(ctx context.Context, actor Actor) ([]HousekeepingRoom, error)
	// Recognition builds the check-in card of a guest.
	Recognition(ctx context.Context, actor Actor, guestID string) (Recognition, error)
}

// Audit actions of the front desk.
const (
	ActionArrivalCreate = "arrival.create"
	ActionArrivalRead   = "arrival.read"
	ActionCheckIn       = "stay.checkin"
	ActionCheckOut      = "stay.checkout"
	ActionStaysRead     = "stays.read"
	ActionFeedbackAdd   = "feedback.create"
	ActionFeedbackDone  = "feedback.resolve"
	ActionFeedbackRead  = "feedback.read"
	ActionFollowUpDone  = "follow_up.done"
	ActionNoteAdd       = "note.create"
	ActionRecognition   = "recognition.read"
	ActionBoardRead     = "housekeeping.read"
)
