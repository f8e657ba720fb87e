package preferences

import (
	"context"
	"time"
)

// AnswerTTL is how long the answer to a request with an Idempotency-Key is kept.
const AnswerTTL = 24 * time.Hour

// Replay carries a creating request's Idempotency-Key to the store, which keeps the
// answer in the transaction of the creation, so that a retry after any failure, even
// one after the commit, gets the first answer and creates nothing.
type Replay struct {
	Owner  string // the token the key belongs to
	Key    string
	Hash   []byte // of the method, path and body
	Status int    // of the answer to a creation
	// Encode gives the answer's body for the value created.
	Encode func(v any) ([]byte, error)
	// Body is the answer kept, set by the store when it kept one.
	Body []byte
}

// Answer is a kept answer.
type Answer struct {
	Hash   []byte
	Status int
	Body   []byte
}

// AnswerStore keeps the answers to requests sent with an Idempotency-Key.
type AnswerStore interface {
	// KeptAnswer returns the answer kept for owner's key within AnswerTTL, ENOTFOUND when none.
	KeptAnswer(ctx context.Context, owner, key string) (Answer, error)
}

type replayKey struct{}

// WithReplay returns ctx carrying r to the store.
func WithReplay(ctx context.Context, r *Replay) context.Context {
	return context.WithValue(ctx, replayKey{}, r)
}

// ReplayOf returns the Replay ctx carries, nil when the request has no Idempotency-Key.
func ReplayOf(ctx context.Context) *Replay {
	r, _ := ctx.Value(replayKey{}).(*Replay)
	return r
}
