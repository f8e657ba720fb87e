package sqlite

import "context"

// Export parts of the front desk's tables (see exportParts).

func exportArrivals(ctx context.Context, db *DB, guestID string) (any, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+arrivalColumns+` FROM arrivals a WHERE a.guest_id = ? ORDER BY a.arrival_date, a.id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []any{}
	for rows.Next() {
		a, err := scanArrival(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func exportFeedback(ctx context.Context, db *DB, guestID string) (any, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+feedbackColumns+feedbackFrom+`WHERE f.guest_id = ? ORDER BY f.created_at, f.id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []any{}
	for rows.Next() {
		f, err := db.scanFeedback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func exportFollowUps(ctx context.Context, db *DB, guestID string) (any, error) {
	return db.followUps(ctx, db.read, `guest_id = ? ORDER BY created_at, id`, guestID)
}

func exportNotes(ctx context.Context, db *DB, guestID string) (any, error) {
	return db.GuestNotes(ctx, guestID)
}
