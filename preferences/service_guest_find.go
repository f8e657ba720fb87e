package preferences

import (
	"context"
	"strings"
	"unicode"
)

// SearchGuests finds up to limit guests whose names, salutation, email or phone contain
// q, case-insensitively; a phone-like q matches the digits of phone numbers. Each guest
// returned is audited as a search hit.
func (s *Service) SearchGuests(ctx context.Context, actor Actor, q string, limit int) ([]Guest, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return nil, FieldErr("q", "is required")
	}
	if msg := TextProblem(q, MaxSearchLength, false); msg != "" {
		return nil, FieldErr("q", "%s", msg)
	}
	if limit < 1 {
		return nil, FieldErr("limit", "must be at least 1")
	}
	if digits := digitsOf(q); len(digits) >= 4 && isPhoneLike(q) {
		q = digits
	}
	var out []Guest
	err := s.repo.Read(ctx, func(tx Tx) (err error) { out, err = tx.GuestsMatching(ctx, q, limit); return err })
	if err != nil {
		return nil, err
	}
	for _, g := range out {
		s.recordRead(actor, g.ID, ActionSearch)
	}
	return out, nil
}

func digitsOf(s string) string {
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

// LookupGuest finds the guest holding a document (ENOTFOUND when nobody does); the
// number is hashed, never stored or logged. A found guest's read is audited
// (guest.lookup).
func (s *Service) LookupGuest(ctx context.Context, actor Actor, docType, number string) (Guest, error) {
	normalized, _, err := ValidateDocument(DocumentInput{Type: docType, Number: number}, s.Now())
	if err != nil {
		// Name the fields as the look-up body does: document_type, document_number.
		var v Invalid
		for _, f := range err.(*Error).Fields {
			v.Add("document_"+f.Field, "%s", f.Message)
		}
		return Guest{}, v.Err()
	}
	hash := s.sealer.Hash(docType, normalized)
	var g Guest
	err = s.repo.Read(ctx, func(tx Tx) (err error) { g, err = tx.GuestByDocument(ctx, docType, hash); return err })
	if err == nil {
		s.recordRead(actor, g.ID, ActionLookup)
	}
	return g, err
}

// KeptAnswer returns the answer kept for owner's key within AnswerTTL, ENOTFOUND when
// none is.
func (s *Service) KeptAnswer(ctx context.Context, owner, key string) (Answer, error) {
	var a Answer
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		a, err = tx.AnswerSince(ctx, owner, key, s.Now().Add(-AnswerTTL))
		return err
	})
	return a, err
}
