package preferences

import (
	"context"
	"time"
)

// kioskThrottleList bounds the lock-outs KioskThrottles lists.
const kioskThrottleList = 200

// PairKiosk registers a new kiosk device for a kiosk-role actor (from TokenActor) and
// returns the device secret to keep in its cookie; only the secret's SHA-256 is stored.
// A token pairs one device: while it has one, pairing again is ECONFLICT until a manager
// allows re-pairing (AllowKioskRepair).
func (s *Service) PairKiosk(ctx context.Context, token Actor) (string, error) {
	if token.Role != RoleKiosk || token.ID == "" {
		return "", Errorf(EFORBIDDEN, "Only a kiosk token can pair a kiosk.")
	}
	secret, hash := newBearer(kioskSecretPrefix)
	device := KioskDevice{ID: NewID("k"), TokenID: token.ID, Name: token.Name, SecretHash: hash, PairedAt: s.Now()}
	paired := Errorf(ECONFLICT, "This kiosk token already pairs another kiosk. A manager must allow re-pairing first.")
	err := s.repo.Write(ctx, func(tx Tx) error {
		n, err := tx.PairedKioskDevices(ctx, token.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return paired
		}
		return tx.InsertKioskDevice(ctx, device)
	})
	// Two pairings at once on a shared PostgreSQL: the loser meets the unique index.
	if ErrorCode(err) == ECONFLICT {
		return "", paired
	}
	if err != nil {
		return "", err
	}
	return secret, nil
}

// AllowKioskRepair unpairs, at once, the device of the kiosk token in force named name,
// so that the token can pair one device again. It returns how many devices were unpaired
// (0 when none was paired); ENOTFOUND when no kiosk token in force has the name,
// ECONFLICT when several have (tokens created before names were unique for kiosks).
func (s *Service) AllowKioskRepair(ctx context.Context, name string) (int, error) {
	var unpaired int
	now := s.Now()
	err := s.repo.Write(ctx, func(tx Tx) error {
		ids, err := kioskTokensInForce(ctx, tx, name, now)
		if err != nil {
			return err
		}
		switch len(ids) {
		case 0:
			return Errorf(ENOTFOUND, "No active kiosk token has this name.")
		case 1:
		default:
			return Errorf(ECONFLICT, "Several kiosk tokens have this name; revoke all but one.")
		}
		unpaired, err = tx.UnpairKioskDevices(ctx, ids[0], now)
		return err
	})
	return unpaired, err
}

// KioskActor returns the kiosk a device secret belongs to, EUNAUTHORIZED when it is
// unknown, unpaired, or its token was revoked or has expired. The actor's ID is the
// device's, its TokenID the token's it was paired with.
func (s *Service) KioskActor(ctx context.Context, secret string) (Actor, error) {
	bad := Errorf(EUNAUTHORIZED, "This kiosk is not paired.")
	if !bearerShaped(secret, kioskSecretPrefix) {
		return Actor{}, bad
	}
	var d KioskDevice
	var t StoredToken
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		d, t, err = tx.KioskDeviceBySecret(ctx, bearerHash(secret))
		return err
	})
	if ErrorCode(err) == ENOTFOUND || (err == nil && (d.RevokedAt != nil || t.Role != RoleKiosk || !t.inForce(s.Now()))) {
		return Actor{}, bad
	}
	if err != nil {
		return Actor{}, err
	}
	return Actor{ID: d.ID, Name: d.Name, Role: RoleKiosk, TokenID: t.ID, PropertyID: t.PropertyID}, nil
}

// KioskLockedUntil returns until when the kiosk token is locked out at now; the zero
// time when it is not.
func (s *Service) KioskLockedUntil(ctx context.Context, tokenID string, now time.Time) (time.Time, error) {
	until, err := staffRead(ctx, s.repo, func(tx Tx) (time.Time, error) { return tx.LastKioskLockout(ctx, tokenID) })
	if err != nil || !until.After(now) {
		return time.Time{}, err
	}
	return until, nil
}

// RecordKioskFailure records a failed identification by kiosk at now against its token.
// When it makes max failures of the token within window, the token is locked out for
// window (recorded for the front desk, KioskThrottles) and the end is returned; otherwise
// the zero time. A success in between does not forget failures.
func (s *Service) RecordKioskFailure(ctx context.Context, kiosk Actor, now time.Time, window time.Duration, max int) (time.Time, error) {
	if kiosk.TokenID == "" {
		return time.Time{}, Errorf(EFORBIDDEN, "Only a kiosk can fail an identification.")
	}
	var until time.Time
	err := s.repo.Write(ctx, func(tx Tx) error {
		// Instances counting the same token's failures at once take turns, so that the
		// max-th failure locks it out whichever instance records it.
		if err := tx.LockKioskToken(ctx, kiosk.TokenID); err != nil {
			return err
		}
		// Every kiosk's failures older than the window count no more.
		if err := tx.DeleteKioskFailuresUpTo(ctx, now.Add(-window)); err != nil {
			return err
		}
		if err := tx.InsertKioskFailure(ctx, kiosk.TokenID, now); err != nil {
			return err
		}
		n, err := tx.CountKioskFailures(ctx, kiosk.TokenID)
		if err != nil || n < max {
			return err
		}
		if err := tx.DeleteKioskFailures(ctx, kiosk.TokenID); err != nil {
			return err
		}
		until = now.Add(window)
		p, err := s.propertyOf(ctx, tx, kiosk)
		if err != nil {
			return err
		}
		return tx.InsertKioskLockout(ctx, KioskLockout{DeviceID: kiosk.ID, TokenID: kiosk.TokenID, Kiosk: kiosk.Name, Failures: n,
			At: now, Until: until, PropertyID: p.ID})
	})
	if err != nil {
		return time.Time{}, err
	}
	return until, nil
}

// KioskThrottles lists the lock-outs of the kiosks of the actor's property that began
// at or after since, newest first, each active while it lasts now.
func (s *Service) KioskThrottles(ctx context.Context, actor Actor, since time.Time) ([]KioskThrottle, error) {
	list, err := staffRead(ctx, s.repo, func(tx Tx) ([]KioskThrottle, error) {
		p, err := s.propertyOf(ctx, tx, actor)
		if err != nil {
			return nil, err
		}
		return tx.KioskLockoutsSince(ctx, p.ID, since, kioskThrottleList)
	})
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]KioskThrottle, 0, len(list)) // an empty list, never null, in JSON
	for _, k := range list {
		k.Active = now.Before(k.Until)
		out = append(out, k)
	}
	return out, nil
}
