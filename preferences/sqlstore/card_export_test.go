package sqlstore

import (
	"context"

	"regulars/preferences"
)

// CardFactsPortable reads the card's facts through the portable queries whatever the
// engine, for tests comparing them with the engine's own path.
func CardFactsPortable(ctx context.Context, x preferences.Tx, guestID, propertyID, today string) (preferences.CardFacts, error) {
	return x.(*tx).cardFactsPortable(ctx, guestID, propertyID, today)
}
