package preferences

import (
	"slices"
	"strings"
)

// Feedback kinds and statuses.
const (
	KindComplaint  = "complaint"
	KindCompliment = "compliment"
	KindRequest    = "request"

	FeedbackOpen     = "open"
	FeedbackResolved = "resolved"
)

// FeedbackKinds are the kinds of feedback a guest can give.
var FeedbackKinds = []string{KindComplaint, KindCompliment, KindRequest}

// Limits on feedback and notes.
const (
	MaxFeedbackLen = 2000
	MaxFollowUpLen = 500
	MaxNoteLen     = 1000
)

// FeedbackInput is a new piece of feedback as a client sends it.
type FeedbackInput struct {
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	StayID string `json:"stay_id"`
}

// Normalize trims the input.
func (f *FeedbackInput) Normalize() {
	f.Kind = strings.ToLower(strings.TrimSpace(f.Kind))
	f.Text = strings.TrimSpace(f.Text)
	f.StayID = strings.TrimSpace(f.StayID)
}

// Validate checks the kind and the text.
func (f *FeedbackInput) Validate() error {
	var v Invalid
	if !slices.Contains(FeedbackKinds, f.Kind) {
		v.Add("kind", "must be complaint, compliment or request")
	}
	required(&v, "text", f.Text, MaxFeedbackLen)
	return v.Err()
}

// Resolution closes a piece of feedback, with an optional follow-up for the guest's next
// visit or departure.
type Resolution struct {
	Resolution string `json:"resolution"`
	FollowUp   string `json:"follow_up"`
}

// Normalize trims the input.
func (r *Resolution) Normalize() {
	r.Resolution = strings.TrimSpace(r.Resolution)
	r.FollowUp = strings.TrimSpace(r.FollowUp)
}

// Validate requires a resolution and limits the follow-up.
func (r *Resolution) Validate() error {
	var v Invalid
	required(&v, "resolution", r.Resolution, MaxFeedbackLen)
	text(&v, "follow_up", r.FollowUp, MaxFollowUpLen, true)
	return v.Err()
}

// Departments a note can be addressed to.
const (
	DeptHousekeeping = "housekeeping"
	DeptFrontOffice  = "front_office"
	DeptKitchen      = "kitchen"
)

// Departments lists every department.
var Departments = []string{DeptHousekeeping, DeptFrontOffice, DeptKitchen}

// Normalize trims the note.
func (n *Note) Normalize() {
	n.Department = strings.ToLower(strings.TrimSpace(n.Department))
	n.Text = strings.TrimSpace(n.Text)
}

// Validate checks the department and the text.
func (n *Note) Validate() error {
	var v Invalid
	if !slices.Contains(Departments, n.Department) {
		v.Add("department", "must be housekeeping, front_office or kitchen")
	}
	required(&v, "text", n.Text, MaxNoteLen)
	return v.Err()
}

// required adds "is required" for empty text, else checks it as multi-line free text.
func required(v *Invalid, field, s string, maxLen int) {
	if s == "" {
		v.Add(field, "is required")
		return
	}
	text(v, field, s, maxLen, true)
}
