package preferences

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// The prefixes of bearer secrets, so that a leaked one is recognisable in a scan.
const (
	apiTokenPrefix    = "rgl_" // API tokens
	sessionPrefix     = "rgs_" // staff session ids
	kioskSecretPrefix = "rgk_" // kiosk device secrets (the device cookie)
)

// newBearer returns a bearer secret (an API token, a staff session id, a kiosk device
// secret): a kind prefix and 256 random bits, with the SHA-256 that is all the store keeps.
func newBearer(prefix string) (secret string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, bearerHash(secret)
}

// bearerHash is the stored form of a bearer secret. The secrets carry 256 random bits,
// so a fast unkeyed hash is enough.
func bearerHash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// bearerShaped reports whether s could be a secret of the kind prefix: anything else is
// refused without asking the store.
func bearerShaped(s, prefix string) bool {
	return len(s) > len(prefix) && len(s) <= 100 && strings.HasPrefix(s, prefix)
}
