package scheduler

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Unsubscriber signs and checks unsubscribe tokens: the guest's ID and an HMAC of it under
// a key derived from the service secret, so nobody can make one for another guest.
type Unsubscriber struct {
	key       []byte
	publicURL string
}

// NewUnsubscriber derives the token key from secret; links point at publicURL + "/u/".
func NewUnsubscriber(secret []byte, publicURL string) *Unsubscriber {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("regulars/unsubscribe/v1"))
	return &Unsubscriber{key: m.Sum(nil), publicURL: strings.TrimRight(publicURL, "/")}
}

func (u *Unsubscriber) mac(guestID string) string {
	m := hmac.New(sha256.New, u.key)
	m.Write([]byte(guestID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// Token returns the guest's unsubscribe token.
func (u *Unsubscriber) Token(guestID string) string { return guestID + "." + u.mac(guestID) }

// URL returns the guest's one-click unsubscribe link.
func (u *Unsubscriber) URL(guestID string) string { return u.publicURL + "/u/" + u.Token(guestID) }

// GuestID returns the guest a token names, false when it was not made by this service.
func (u *Unsubscriber) GuestID(token string) (string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i <= 0 || len(token) > 200 {
		return "", false
	}
	id, mac := token[:i], token[i+1:]
	return id, hmac.Equal([]byte(mac), []byte(u.mac(id)))
}
