package sqlite

import (
	"sync"
	"time"

	"regulars/preferences"
)

// tokenTTL is how long a verified API token is trusted without asking the database
// again. Every API request authenticates, so this saves a query per request; a token
// revoked in the database stops working at most this long after.
const tokenTTL = 5 * time.Second

// tokenCache remembers recently verified tokens by their SHA-256 (never the token).
type tokenCache struct {
	mu sync.RWMutex
	m  map[[32]byte]cachedActor
}

type cachedActor struct {
	actor   preferences.Actor
	expires time.Time
}

func (c *tokenCache) get(sum [32]byte, now time.Time) (preferences.Actor, bool) {
	c.mu.RLock()
	e, ok := c.m[sum]
	c.mu.RUnlock()
	if !ok || now.After(e.expires) {
		return preferences.Actor{}, false
	}
	return e.actor, true
}

func (c *tokenCache) put(sum [32]byte, a preferences.Actor, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10_000 { // expired entries go in bulk
		c.m = map[[32]byte]cachedActor{}
	}
	c.m[sum] = cachedActor{actor: a, expires: now.Add(tokenTTL)}
}
