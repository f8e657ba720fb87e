package preferences

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// CreateArrival records an expected arrival at the actor's property, dated within
// ArrivalYears of its today, with its audit entry and the idempotent answer; ECONFLICT
// naming reference when another arrival of the property has it.
func (s *Service) CreateArrival(ctx context.Context, actor Actor, a Arrival) (Arrival, error) {
	a.Normalize()
	a.ID, a.Status, a.StayID = NewID("a"), ArrivalExpected, ""
	err := s.repo.Write(ctx, func(tx Tx) error {
		p, err := s.propertyOf(ctx, tx, actor)
		if err != nil {
			return err
		}
		if err := a.Validate(s.today(p)); err != nil {
			return err
		}
		a.PropertyID = p.ID
		if err := tx.LockGuest(ctx, a.GuestID); err != nil {
			return err
		}
		err = tx.InsertArrival(ctx, a, s.Now(), actor.Name)
		if ErrorCode(err) == ECONFLICT { // the only unique key besides the random ID
			return &Error{Code: ECONFLICT, Message: "Another arrival has this reference.",
				Fields: []FieldError{{Field: "reference", Message: "is already used by another arrival"}}}
		}
		if err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, a.GuestID, ActionArrivalCreate, a.ArrivalDate)); err != nil {
			return err
		}
		return s.keepAnswer(ctx, tx, a.GuestID, a)
	})
	return a, err
}

// Arrivals lists the arrivals at the actor's property of a date (YYYY-MM-DD, within
// ArrivalYears of its today) that are not cancelled, the expected ones first, then by
// guest name, each with the flags a clerk needs; each card's read is audited.
func (s *Service) Arrivals(ctx context.Context, actor Actor, date string) ([]ArrivalCard, error) {
	var cards []ArrivalCard
	err := s.repo.Read(ctx, func(tx Tx) error {
		p, err := s.propertyOf(ctx, tx, actor)
		if err != nil {
			return err
		}
		day, err := ParseArrivalDate("date", date, s.today(p))
		if err != nil {
			return err
		}
		all, err := tx.ArrivalsOn(ctx, p.ID, date)
		if err != nil {
			return err
		}
		cards = all[:0]
		for _, c := range all {
			err := fillArrivalCard(ctx, tx, &c, day)
			if ErrorCode(err) == ENOTFOUND {
				continue // erased since the list was read (PostgreSQL reads each statement anew)
			}
			if err != nil {
				return err
			}
			cards = append(cards, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(cards, arrivalOrder)
	for _, c := range cards {
		s.recordRead(actor, c.GuestID, ActionArrivalRead)
	}
	return cards, nil
}

// fillArrivalCard adds the guest and the flags to a card with its counts.
func fillArrivalCard(ctx context.Context, tx Tx, c *ArrivalCard, day time.Time) (err error) {
	if c.Guest, err = tx.GuestByID(ctx, c.GuestID); err != nil {
		return err
	}
	p, err := tx.GuestPreferences(ctx, c.GuestID)
	if err != nil {
		return err
	}
	// StaysCount leaves out the stay of this arrival: a guest checking in does not turn
	// "returning" on the same day's list.
	c.Returning, c.HasAllergies = c.StaysCount > 0, p.HasAllergies()
	c.BirthdayDuringStay = BirthdayDuringStay(c.Guest.Birthday, day, c.Nights)
	return nil
}

// arrivalOrder puts the expected arrivals first, then sorts by family and given name; in
// Go, so that both engines order names alike whatever their collation.
func arrivalOrder(a, b ArrivalCard) int {
	return cmp.Or(
		cmp.Compare(arrivalRank(a.Status), arrivalRank(b.Status)),
		cmp.Compare(a.Guest.FamilyName, b.Guest.FamilyName),
		cmp.Compare(a.Guest.GivenName, b.Guest.GivenName),
		cmp.Compare(a.ID, b.ID))
}

func arrivalRank(status string) int {
	if status == ArrivalExpected {
		return 0
	}
	return 1
}

// ArrivalToday returns the guest's expected arrival for today at the actor's property
// (in its zone); ENOTFOUND when none.
func (s *Service) ArrivalToday(ctx context.Context, actor Actor, guestID string) (Arrival, error) {
	return s.arrivalToday(ctx, actor, func(tx Tx, p Property) (Arrival, error) {
		return tx.ExpectedArrival(ctx, p.ID, guestID, s.today(p))
	})
}

// ArrivalByReference returns today's expected arrival at the actor's property with the
// PMS reference; ENOTFOUND when none (an empty reference finds none).
func (s *Service) ArrivalByReference(ctx context.Context, actor Actor, reference string) (Arrival, error) {
	if reference == "" {
		return Arrival{}, Errorf(ENOTFOUND, "No such arrival.")
	}
	return s.arrivalToday(ctx, actor, func(tx Tx, p Property) (Arrival, error) {
		return tx.ExpectedArrivalByReference(ctx, p.ID, reference, s.today(p))
	})
}

func (s *Service) arrivalToday(ctx context.Context, actor Actor, find func(tx Tx, p Property) (Arrival, error)) (Arrival, error) {
	var a Arrival
	err := s.repo.Read(ctx, func(tx Tx) error {
		p, err := s.propertyOf(ctx, tx, actor)
		if err == nil {
			a, err = find(tx, p)
		}
		return err
	})
	return a, err
}
