package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"regulars/preferences"
)

// Migration 0015 applies to an outbox that already holds two letters to one address
// (the bug it fixes): the first keeps the address, the other stays outside the unique
// index; from then on a third letter to the address is refused.
func TestOutreachAddressMigrationKeepsOldDuplicates(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 12, 3, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "regulars.db")
	db := openAt(t, path, now)
	yes, email := true, "ding@example.cn"
	var ids []string
	for _, family := range []string{"丁", "Ding", "Deng"} {
		g, err := db.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: &family, Email: &email, MarketingConsent: &yes})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	letter := func(id, guestID, addr string) string {
		return `INSERT INTO outreach_messages (id, guest_id, occasion, period, email, language, subject, body_text, body_html,
			message_id, status, created_at, updated_at) VALUES ('` + id + `', '` + guestID + `', 'birthday', '2026', '` + addr + `',
			'zh', 's', 't', 'h', '` + id + `@x', 'sent', '2026-05-12T01:00:00Z', '2026-05-12T01:00:00Z')`
	}
	db = reapply(t, db, path, now, "0015_", `DROP INDEX outreach_messages_address`, `ALTER TABLE outreach_messages DROP COLUMN address`,
		letter("ob_1", ids[0], email), letter("ob_2", ids[1], "Ding@Example.CN"))
	var kept, outside int
	if err := db.Reader().QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE address = ?), count(*) FILTER (WHERE address IS NULL)
		FROM outreach_messages`, email).Scan(&kept, &outside); err != nil || kept != 1 || outside != 1 {
		t.Fatalf("after the migration: %d with the address, %d without (%v)", kept, outside, err)
	}
	third := preferences.OutreachMessage{ID: "ob_3", GuestID: ids[2], Kind: preferences.OutreachBirthday, Period: "2026",
		Email: email, Language: "zh", Subject: "s", Text: "t", HTML: "h", MessageID: "ob_3@x"}
	if created, err := db.QueueOutreach(ctx, []preferences.OutreachMessage{third}); err != nil || len(created) != 0 {
		t.Fatalf("a third letter to the address: %+v %v", created, err)
	}
	third.Period = "2027" // another year is another letter
	if created, err := db.QueueOutreach(ctx, []preferences.OutreachMessage{third}); err != nil || len(created) != 1 {
		t.Fatalf("next year's letter: %+v %v", created, err)
	}
}
