package sqlstore

import (
	"context"

	"regulars/preferences"
)

// CardFactsBothWays reads the card's facts through the engine's path and the portable
// one, for a test that they agree.
func CardFactsBothWays(ctx context.Context, x preferences.Tx, guestID, today string) (engine, portable preferences.CardFacts, err error) {
	t := x.(*tx)
	if engine, err = t.CardFacts(ctx, guestID, today); err != nil {
		return engine, portable, err
	}
	portable, err = t.cardFactsPortable(ctx, guestID, today)
	return engine, portable, err
}
