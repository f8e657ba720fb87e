package preferences

import (
	"context"
	"encoding/hex"
	"time"
)

// hashDomainEmail separates the keyed hashes of addresses from those of documents.
const hashDomainEmail = "email"

// addressHash is the keyed hash an address is stored as: HMAC with the service secret
// of the address trimmed and in lower case (AddressKey), hex-encoded.
func (s *Service) addressHash(email string) string {
	return hex.EncodeToString(s.sealer.Hash(hashDomainEmail, AddressKey(email)))
}

// RecordBounce records that a letter to b.Email came back and applies the rules: a hard
// bounce or a complaint stops mail to the address at once, SoftBounceLimit soft bounces
// within SoftBounceWindow stop it too. The same bounce (address, kind, at) twice counts
// once. A bounce from before a manager lifted the address's suppression does not stop
// it again. The log keeps the address's keyed hash and the diagnostic without addresses.
func (s *Service) RecordBounce(ctx context.Context, b Bounce) (BounceResult, error) {
	now := s.Now()
	if err := b.Validate(now); err != nil {
		return BounceResult{}, err
	}
	b.At = b.At.UTC().Truncate(time.Microsecond) // as the engines store it: a repeat matches
	h := s.addressHash(b.Email)
	res := BounceResult{Email: b.Email, Kind: b.Kind, At: b.At}
	err := s.repo.Write(ctx, func(tx Tx) error {
		res = BounceResult{Email: b.Email, Kind: b.Kind, At: b.At}
		// Reports of one address from several instances take turns: the later counts
		// the earlier's soft bounce.
		err := tx.TakeBounceTurn(ctx, h)
		if err != nil {
			return err
		}
		res.Recorded, err = tx.InsertBounce(ctx, StoredBounce{AddressHash: h, Kind: b.Kind, At: b.At,
			Diagnostic: CleanDiagnostic(b.Diagnostic), Source: b.Source, RecordedAt: now})
		if err != nil {
			return err
		}
		sup, liftedAt, ok, err := tx.MailSuppression(ctx, h)
		if err != nil {
			return err
		}
		soft, err := tx.SoftBounceTimes(ctx, h, b.At.Add(-SoftBounceWindow), b.At.Add(SoftBounceWindow))
		if err != nil {
			return err
		}
		var counted []time.Time // those after a lift: the manager's decision stands for older ones
		for _, at := range soft {
			if liftedAt == nil || at.After(*liftedAt) {
				counted = append(counted, at)
			}
			if !at.Before(b.At.Add(-SoftBounceWindow)) && !at.After(b.At) {
				res.SoftBounces++
			}
		}
		active := ok && liftedAt == nil
		stops := b.Kind != BounceSoft || softSuppresses(counted)
		if res.Recorded && !active && stops && (liftedAt == nil || b.At.After(*liftedAt)) {
			sup, active = MailSuppression{Kind: b.Kind, Since: b.At}, true
			if err := tx.SuppressAddress(ctx, h, sup); err != nil {
				return err
			}
		}
		if active {
			res.Suppressed, res.Suppression = true, &sup
		}
		return nil
	})
	if err != nil {
		return BounceResult{}, err
	}
	if res.Recorded {
		s.log.Info("outreach: bounce recorded", "kind", string(b.Kind), "source", b.Source, "suppressed", res.Suppressed)
	}
	return res, nil
}

// LiftSuppression lets letters go to email again (a manager's decision: the guest gave
// a working address, or the relay was wrong). ENOTFOUND when no suppression is in force.
// Soft bounces from before the lift no longer count.
func (s *Service) LiftSuppression(ctx context.Context, actor Actor, email string) (MailSuppression, error) {
	var v Invalid
	checkBounceEmail(&v, email)
	if err := v.Err(); err != nil {
		return MailSuppression{}, err
	}
	h := s.addressHash(email)
	var sup MailSuppression
	err := s.repo.Write(ctx, func(tx Tx) error {
		var ok bool
		var liftedAt *time.Time
		var err error
		if sup, liftedAt, ok, err = tx.MailSuppression(ctx, h); err != nil {
			return err
		}
		if ok && liftedAt == nil {
			ok, err = tx.LiftSuppression(ctx, h, actor.Name, s.Now())
		}
		if err == nil && (!ok || liftedAt != nil) {
			err = Errorf(ENOTFOUND, "Letters to this address are not stopped.")
		}
		return err
	})
	if err == nil {
		s.log.Info("outreach: suppression lifted", "by", actor.Name, "kind", string(sup.Kind))
	}
	return sup, err
}

// MailSuppressionOf returns the suppression in force for email; nil when letters go.
func (s *Service) MailSuppressionOf(ctx context.Context, email string) (*MailSuppression, error) {
	var sup *MailSuppression
	err := s.repo.Read(ctx, func(tx Tx) (err error) { sup, err = s.mailSuppression(ctx, tx, email); return err })
	return sup, err
}

// mailSuppression returns the suppression in force for email within tx; nil when none is
// (or there is no address).
func (s *Service) mailSuppression(ctx context.Context, tx Tx, email string) (*MailSuppression, error) {
	if email == "" {
		return nil, nil
	}
	sup, liftedAt, ok, err := tx.MailSuppression(ctx, s.addressHash(email))
	if err != nil || !ok || liftedAt != nil {
		return nil, err
	}
	return &sup, nil
}

// suppressQueued marks a letter just queued suppressed, never to be sent, when its
// address is stopped (decided again just before sending: stopClaimed).
func (s *Service) suppressQueued(ctx context.Context, tx Tx, m *OutreachMessage) error {
	sup, err := s.mailSuppression(ctx, tx, m.Email)
	if err != nil || sup == nil {
		return err
	}
	m.Status, m.NextAttemptAt, m.LastError = OutboxSuppressed, nil, sup.Reason()
	return tx.SuppressQueuedOutreachMessage(ctx, m.ID, m.LastError, m.UpdatedAt)
}

// stopClaimed marks a queued letter suppressed, instead of claiming it, when its address
// was stopped since it was queued; it tells whether it did.
func (s *Service) stopClaimed(ctx context.Context, tx Tx, m OutreachMessage) (bool, error) {
	sup, err := s.mailSuppression(ctx, tx, m.Email)
	if err != nil || sup == nil {
		return false, err
	}
	return true, tx.SuppressQueuedOutreachMessage(ctx, m.ID, sup.Reason(), s.Now())
}
