package preferences

import (
	"context"
	"strconv"
	"time"
)

// CreateGuest validates and stores a new guest with documents, consent and an audit
// entry, all in one transaction.
func (s *Service) CreateGuest(ctx context.Context, actor Actor, in GuestFields) (Guest, error) {
	now := s.Now()
	g, sealed, err := newGuest(&in, now, s.sealer)
	if err != nil {
		return Guest{}, err
	}
	g.ID, g.CreatedAt, g.UpdatedAt = NewID("g"), now, now
	var created Guest
	err = s.repo.Write(ctx, func(tx Tx) error {
		if err := checkDocumentsFree(ctx, tx, g.ID, sealed); err != nil {
			return err
		}
		if err := tx.InsertGuest(ctx, g); err != nil {
			return err
		}
		if err := tx.InsertDocuments(ctx, g.ID, sealed, now); err != nil {
			return err
		}
		if in.MarketingConsent != nil {
			if err := s.appendConsent(ctx, tx, g.ID, *in.MarketingConsent, actor.Channel(), actor.Name); err != nil {
				return err
			}
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, g.ID, ActionCreate, "")); err != nil {
			return err
		}
		if err := s.applyKeepInTouch(ctx, tx, actor, g.ID, in.KeepInTouchDays); err != nil {
			return err
		}
		if created, err = tx.GuestByID(ctx, g.ID); err != nil {
			return err
		}
		if created.KeepInTouchDays, err = keepInTouchDays(ctx, tx, g.ID); err != nil {
			return err
		}
		return s.keepAnswer(ctx, tx, g.ID, created)
	})
	return created, err
}

// Guest returns one guest; a staff member's read is audited.
func (s *Service) Guest(ctx context.Context, actor Actor, id string) (Guest, error) {
	var g Guest
	err := s.repo.Read(ctx, func(tx Tx) (err error) { g, err = tx.GuestByID(ctx, id); return err })
	if err == nil {
		s.recordRead(actor, id, ActionRead)
	}
	return g, err
}

// Preferences returns the guest's preferences (empty sections where nothing is known);
// a staff member's read is audited.
func (s *Service) Preferences(ctx context.Context, actor Actor, guestID string) (Preferences, error) {
	var p Preferences
	err := s.repo.Read(ctx, func(tx Tx) (err error) { p, err = tx.GuestPreferences(ctx, guestID); return err })
	if err == nil {
		s.recordRead(actor, guestID, ActionPrefsRead)
	}
	return p, err
}

// recordRead audits a read by a person or a kiosk; the service's own reads (a letter
// being written) are not anyone's access.
func (s *Service) recordRead(actor Actor, guestID, action string) {
	if actor.Role != RoleSystem {
		s.reads.add(s.audit(actor, guestID, action, ""))
	}
}

// appendConsent records a consent decision with its audit entry.
func (s *Service) appendConsent(ctx context.Context, tx Tx, guestID string, granted bool, channel, by string) error {
	e := ConsentEvent{Granted: granted, At: s.Now(), Channel: channel, By: by}
	if err := tx.AppendConsent(ctx, guestID, e); err != nil {
		return err
	}
	detail := "withdrawn via " + channel
	if granted {
		detail = "granted via " + channel
	}
	return tx.AppendAudit(ctx, s.audit(Actor{Name: by, Role: roleForChannel(channel)}, guestID, ActionConsent, detail))
}

func roleForChannel(channel string) Role {
	switch channel {
	case ChannelKiosk:
		return RoleKiosk
	case ChannelDesk:
		return RoleFrontDesk
	}
	return RoleSystem
}

// keepAnswer keeps, in the creation's transaction, the answer to a request sent with an
// Idempotency-Key (the Replay in ctx; nothing to do without one), so that a retry after
// any failure gets the first answer. The same key kept already (a request with it in
// progress) undoes the creation: ECONFLICT.
func (s *Service) keepAnswer(ctx context.Context, tx Tx, guestID string, created any) error {
	r := ReplayOf(ctx)
	if r == nil {
		return nil
	}
	body, err := r.Encode(created)
	if err != nil {
		return err
	}
	now := s.Now()
	if err := tx.ForgetAnswers(ctx, now.Add(-AnswerTTL)); err != nil {
		return err
	}
	err = tx.InsertAnswer(ctx, KeptAnswer{Owner: r.Owner, Key: r.Key, Answer: Answer{Hash: r.Hash, Status: r.Status, Body: body},
		GuestID: guestID, At: now})
	if ErrorCode(err) == ECONFLICT {
		return &Error{Code: ECONFLICT, Message: "Another request with this Idempotency-Key is in progress; retry it in a moment.",
			Fields: []FieldError{{Field: "Idempotency-Key", Message: "is in use by a request in progress"}}}
	}
	if err != nil {
		return err
	}
	r.Body = body
	return nil
}

// newGuest normalizes and judges a new guest's fields, seals its documents and fills
// its birthday from a resident ID: all of CreateGuest that needs no store.
func newGuest(in *GuestFields, now time.Time, sealer *Sealer) (Guest, []SealedDocument, error) {
	in.Normalize()
	if err := in.Validate(true, now); err != nil {
		return Guest{}, nil, err
	}
	var docs []DocumentInput
	if in.Documents != nil {
		docs = *in.Documents
	}
	sealed, err := sealDocuments(sealer, docs, now)
	if err != nil {
		return Guest{}, nil, err
	}
	g := Guest{FamilyName: *in.FamilyName, Language: DefaultLanguage(*in.FamilyName)}
	applyFields(&g, *in)
	if err := reconcileBirthday(&g, in.Birthday != nil && *in.Birthday != "", sealed); err != nil {
		return Guest{}, nil, err
	}
	return g, sealed, nil
}

// checkSealer seals only to judge: its hashes are compared with each other, never stored.
var checkSealer = NewSealer([]byte("regulars: judging only, never stored"))

// CheckNewGuest judges a new guest's fields exactly as CreateGuest (POST /api/guests)
// does, with the same field names and messages, without a store: for a file of guests
// judged before any is written. It normalizes in and returns the guest as it would be
// created (no ID), with the birthday a resident ID carries. A document that belongs to
// another guest can only be found by the store.
func CheckNewGuest(in *GuestFields, now time.Time) (Guest, error) {
	g, _, err := newGuest(in, now, checkSealer)
	return g, err
}

func sealDocuments(sealer *Sealer, in []DocumentInput, now time.Time) ([]SealedDocument, error) {
	var v Invalid
	out := make([]SealedDocument, 0, len(in))
	seen := map[string]bool{}
	for i, d := range in {
		sd, err := sealer.Seal(d, now)
		if err != nil {
			v.Merge("documents["+strconv.Itoa(i)+"]", err)
			continue
		}
		key := sd.Type + string(sd.Hash)
		if seen[key] {
			v.Add("documents["+strconv.Itoa(i)+"]", "is listed twice")
			continue
		}
		seen[key] = true
		out = append(out, sd)
	}
	return out, v.Err()
}

// checkDocumentsFree refuses documents held by another guest, naming the one at fault.
func checkDocumentsFree(ctx context.Context, tx Tx, guestID string, docs []SealedDocument) error {
	for i, d := range docs {
		owner, err := tx.DocumentOwner(ctx, d.Type, d.Hash)
		if err != nil {
			return err
		}
		if owner != "" && owner != guestID {
			return &Error{Code: ECONFLICT, Message: "This document belongs to another guest.",
				Fields: []FieldError{{Field: "documents[" + strconv.Itoa(i) + "].number", Message: "already belongs to another guest"}}}
		}
	}
	return nil
}

func applyFields(g *Guest, in GuestFields) {
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

// reconcileBirthday fills an empty birthday from a resident ID and refuses one that
// contradicts it.
func reconcileBirthday(g *Guest, birthdaySent bool, docs []SealedDocument) error {
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
				return FieldErr("birthday", "contradicts the birth date in the resident ID (documents[%d])", i)
			}
			return FieldErr("documents["+strconv.Itoa(i)+"].number", "its birth date contradicts the guest's birthday")
		}
	}
	return nil
}
