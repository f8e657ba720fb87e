package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The gate admits n at a time; a waiter gets in when one leaves, or gives up with its ctx.
func TestReadGateAdmitsNAtATime(t *testing.T) {
	g := newReadGate(2)
	ctx := context.Background()
	for range 2 {
		if err := g.enter(ctx); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := g.enter(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third enter on a full gate: %v, want its deadline", err)
	}
	in := make(chan error)
	go func() { in <- g.enter(ctx) }()
	select {
	case err := <-in:
		t.Fatalf("entered a full gate: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	g.leave()
	if err := <-in; err != nil {
		t.Fatal(err)
	}
}
