-- A guest's letters by guest (the card's last contacts, the contact log): without
-- statistics SQLite preferred the index on status for "guest_id = ? AND status = 'sent'",
-- and read every letter sent (17 ms a card at 1M guests after a day's 10,000 letters).
CREATE INDEX outreach_messages_guest ON outreach_messages (guest_id, status, sent_at);
