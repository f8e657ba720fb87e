package sqlite

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// newSecret returns a bearer secret (an API token, a staff session id, a kiosk device
// secret): a kind prefix and 256 random bits, with the SHA-256 that is all the store keeps.
func newSecret(prefix string) (secret string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, secretHash(secret)
}

// secretHash is the stored form of a bearer secret. The secrets carry 256 random bits,
// so a fast unkeyed hash is enough.
func secretHash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
