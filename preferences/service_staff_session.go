package preferences

import (
	"context"
	"errors"
	"time"
)

// touchEvery limits how often a session's last use is written: at most once this often.
const touchEvery = 30 * time.Second

// CreateSession starts a staff session with 256 random bits and returns its id; only the
// id's SHA-256 is stored. Sessions past their lifetime are purged on the way.
func (s *Service) CreateSession(ctx context.Context, actor Actor, lifetime time.Duration) (string, error) {
	if actor.ID == "" || lifetime <= 0 {
		return "", errors.New("preferences: CreateSession needs an authenticated staff user and a lifetime")
	}
	id, hash := newBearer(sessionPrefix)
	now := s.Now()
	err := s.repo.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteSessionsExpiredBefore(ctx, now); err != nil {
			return err
		}
		return tx.InsertSession(ctx, StoredSession{Hash: hash, UserID: actor.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(lifetime)})
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// SessionActor returns the staff member of a live session, refreshing its last use;
// EUNAUTHORIZED when the id is unknown, the session was idle longer than idle or has
// passed its lifetime (it is deleted then), or the login is disabled.
func (s *Service) SessionActor(ctx context.Context, id string, idle time.Duration) (Actor, error) {
	bad := Errorf(EUNAUTHORIZED, "Please sign in.")
	if !bearerShaped(id, sessionPrefix) {
		return Actor{}, bad
	}
	hash := bearerHash(id)
	var sess StoredSession
	var u StoredUser
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		sess, u, err = tx.SessionByHash(ctx, hash)
		return err
	})
	if ErrorCode(err) == ENOTFOUND || (err == nil && u.DisabledAt != nil) {
		return Actor{}, bad
	}
	if err != nil {
		return Actor{}, err
	}
	now := s.Now()
	switch {
	case !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeen) > idle:
		if err := s.repo.Write(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, hash) }); err != nil {
			return Actor{}, err
		}
		return Actor{}, bad
	case now.Sub(sess.LastSeen) >= touchEvery:
		if err := s.repo.Write(ctx, func(tx Tx) error { return tx.TouchSession(ctx, hash, now) }); err != nil {
			return Actor{}, err
		}
	}
	return Actor{ID: u.ID, Name: u.Name, Role: u.Role, PropertyID: u.PropertyID}, nil
}

// DeleteSession ends a session (logout); an unknown id is not an error.
func (s *Service) DeleteSession(ctx context.Context, id string) error {
	return s.repo.Write(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, bearerHash(id)) })
}
