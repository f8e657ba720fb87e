package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// HeaderIdempotencyKey makes a creating POST safe to retry.
const HeaderIdempotencyKey = "Idempotency-Key"

// maxIdempotencyKey bounds a key's length (a UUID has 36 characters).
const maxIdempotencyKey = 255

// Idempotent serves a creating POST (answered 201) sent with an Idempotency-Key: the
// first request runs, and the store keeps its answer with the creation
// (preferences.Replay); a retry with the same key and the same method, path and body
// within preferences.AnswerTTL gets that answer again, marked Idempotent-Replayed, and
// creates nothing; the same key with another request gets 422. Keys are per token. A
// request that failed kept nothing: its retry runs again. Without the header it costs
// one header look-up.
func Idempotent(answers preferences.AnswerStore) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Get(HeaderIdempotencyKey)
		if key == "" {
			return c.Next()
		}
		if !validIdempotencyKey(key) {
			return preferences.FieldErr(HeaderIdempotencyKey, "must be 1 to %d visible ASCII characters", maxIdempotencyKey)
		}
		owner := ActorOf(c).ID // the token's
		if owner == "" {
			owner = "actor:" + ActorOf(c).Name
		}
		h := sha256.New()
		h.Write([]byte(c.Method() + " " + c.Path() + "\n"))
		h.Write(c.Body())
		r := &preferences.Replay{Owner: owner, Key: strings.Clone(key), Hash: h.Sum(nil),
			Status: fiber.StatusCreated, Encode: json.Marshal}
		ctx := c.UserContext()
		kept, err := answers.KeptAnswer(ctx, r.Owner, r.Key)
		if err == nil {
			if !bytes.Equal(kept.Hash, r.Hash) {
				return preferences.FieldErr(HeaderIdempotencyKey, "was used for another request in the last 24 hours: use a new key")
			}
			c.Set("Idempotent-Replayed", "true")
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
			return c.Status(kept.Status).Send(kept.Body)
		}
		if preferences.ErrorCode(err) != preferences.ENOTFOUND {
			return err
		}
		c.SetUserContext(preferences.WithReplay(ctx, r))
		if err := c.Next(); err != nil {
			return err
		}
		if r.Body != nil {
			c.Response().SetBody(r.Body) // the answer sent is the one kept, byte for byte
		}
		return nil
	}
}

func validIdempotencyKey(key string) bool {
	if len(key) > maxIdempotencyKey {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] > '~' {
			return false
		}
	}
	return true
}
