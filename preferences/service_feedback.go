package preferences

import (
	"context"
	"time"
)

// FeedbackListLimit bounds the feedback one list returns.
const FeedbackListLimit = 1000

// AddFeedback records a complaint, compliment or request of a guest (ENOTFOUND when the
// guest is unknown or erased); a stay, when given, must be one of the guest's (EINVALID
// naming stay_id otherwise).
func (s *Service) AddFeedback(ctx context.Context, actor Actor, guestID string, in FeedbackInput) (Feedback, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return Feedback{}, err
	}
	f := Feedback{ID: NewID("f"), GuestID: guestID, StayID: in.StayID, Kind: in.Kind, Text: in.Text,
		Status: FeedbackOpen, CreatedAt: s.Now(), CreatedBy: actor.Name}
	err := s.repo.Write(ctx, func(tx Tx) error {
		if err := tx.LockGuest(ctx, guestID); err != nil {
			return err
		}
		stayAt, err := checkGuestStay(ctx, tx, guestID, in.StayID)
		if err != nil {
			return err
		}
		if f.PropertyID, err = s.feedbackProperty(ctx, tx, actor, stayAt); err != nil {
			return err
		}
		if err := tx.InsertFeedback(ctx, f); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, guestID, ActionFeedbackAdd, f.Kind)); err != nil {
			return err
		}
		if f, err = s.feedbackByID(ctx, tx, f.ID); err != nil {
			return err
		}
		return s.keepAnswer(ctx, tx, guestID, f)
	})
	return f, err
}

// checkGuestStay refuses a stay ID that is not one of the guest's, and returns the
// stay's property; "" is no stay (and no property).
func checkGuestStay(ctx context.Context, tx Tx, guestID, stayID string) (string, error) {
	if stayID == "" {
		return "", nil
	}
	st, err := tx.StayByID(ctx, stayID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	if st.GuestID != guestID {
		return "", FieldErr("stay_id", "is not a stay of this guest")
	}
	return st.PropertyID, nil
}

// feedbackProperty is where feedback arose: its stay's property, else the one the actor
// acts in; "" when a group-scope manager of several properties names none.
func (s *Service) feedbackProperty(ctx context.Context, tx Tx, actor Actor, stayAt string) (string, error) {
	if stayAt != "" {
		return stayAt, nil
	}
	p, err := s.optionalProperty(ctx, tx, actor)
	return p.ID, err
}

// ResolveFeedback records how open feedback was put right (ECONFLICT when it is resolved
// already) and, when r.FollowUp is not empty, a follow-up that shows on the guest's card
// and at check-out until done.
func (s *Service) ResolveFeedback(ctx context.Context, actor Actor, feedbackID string, r Resolution) (Feedback, error) {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return Feedback{}, err
	}
	now := s.Now()
	var f Feedback
	err := s.repo.Write(ctx, func(tx Tx) error {
		var err error
		if f, err = s.feedbackByID(ctx, tx, feedbackID); err != nil {
			return err
		}
		resolved, err := tx.MarkFeedbackResolved(ctx, feedbackID, r.Resolution, now, actor.Name)
		if err != nil {
			return err
		}
		if !resolved {
			return Errorf(ECONFLICT, "The feedback is already resolved.")
		}
		if r.FollowUp != "" {
			fu := FollowUp{ID: NewID("fu"), FeedbackID: feedbackID, Text: r.FollowUp, CreatedAt: now, PropertyID: f.PropertyID}
			if err := tx.InsertFollowUp(ctx, f.GuestID, actor.Name, fu); err != nil {
				return err
			}
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, f.GuestID, ActionFeedbackDone, f.Kind)); err != nil {
			return err
		}
		f, err = s.feedbackByID(ctx, tx, feedbackID)
		return err
	})
	return f, err
}

// FeedbackList lists feedback with the status (open, resolved, or "" for all), oldest
// first, with its age in days; erased guests' feedback is not listed. The read of each
// guest listed is audited (feedback.read) once.
func (s *Service) FeedbackList(ctx context.Context, actor Actor, status string) ([]Feedback, error) {
	if status != "" && status != FeedbackOpen && status != FeedbackResolved {
		return nil, FieldErr("status", "must be open or resolved")
	}
	var rows []FeedbackRow
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		rows, err = tx.FeedbackByStatus(ctx, status, FeedbackListLimit)
		return err
	})
	if err != nil {
		return nil, err
	}
	now, seen := s.Now(), map[string]bool{}
	out := make([]Feedback, len(rows))
	for i, r := range rows {
		out[i] = presentFeedback(r, now)
		if !seen[r.Guest.ID] {
			seen[r.Guest.ID] = true
			s.RecordAccess(ctx, actor, r.Guest.ID, ActionFeedbackRead)
		}
	}
	return out, nil
}

// FollowUpDone marks a follow-up done (ECONFLICT when it is already); it no longer shows
// on the card or at check-out.
func (s *Service) FollowUpDone(ctx context.Context, actor Actor, followUpID string) (FollowUp, error) {
	var f FollowUp
	err := s.repo.Write(ctx, func(tx Tx) error {
		guestID, _, err := tx.FollowUpByID(ctx, followUpID)
		if err != nil {
			return err
		}
		done, err := tx.MarkFollowUpDone(ctx, followUpID, s.Now(), actor.Name)
		if err != nil {
			return err
		}
		if !done {
			return Errorf(ECONFLICT, "The follow-up is already done.")
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, guestID, ActionFollowUpDone, "")); err != nil {
			return err
		}
		_, f, err = tx.FollowUpByID(ctx, followUpID)
		return err
	})
	return f, err
}

// feedbackByID reads feedback as it is shown now.
func (s *Service) feedbackByID(ctx context.Context, tx Tx, id string) (Feedback, error) {
	r, err := tx.FeedbackByID(ctx, id)
	if err != nil {
		return Feedback{}, err
	}
	return presentFeedback(r, s.Now()), nil
}

// presentFeedback is stored feedback as staff see it at now: with the guest's name and
// its age in whole days.
func presentFeedback(r FeedbackRow, now time.Time) Feedback {
	f := r.Feedback
	f.GuestName = r.Guest.DisplayName()
	f.AgeDays = int(now.Sub(f.CreatedAt).Hours() / 24)
	return f
}
