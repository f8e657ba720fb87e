-- Outreach: the outbox of birthday greetings and lapse letters, and each guest's last
-- check-out (kept by triggers) so the day's lapses are found through an index.
CREATE TABLE outreach_messages (
    id              TEXT PRIMARY KEY,
    guest_id        TEXT NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    occasion        TEXT NOT NULL CHECK (occasion IN ('birthday', 'lapse')),
    period          TEXT NOT NULL,
    email           TEXT NOT NULL,
    language        TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT,
    claimed_by      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (guest_id, occasion, period)
);
CREATE INDEX outreach_messages_status ON outreach_messages (status, created_at);

CREATE TABLE outreach_last_checkout (
    guest_id       TEXT PRIMARY KEY REFERENCES guests (id) ON DELETE CASCADE,
    last_check_out TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX outreach_last_checkout_at ON outreach_last_checkout (last_check_out);

INSERT INTO outreach_last_checkout (guest_id, last_check_out)
    SELECT guest_id, max(check_out) FROM stays WHERE check_out IS NOT NULL GROUP BY guest_id;

CREATE TRIGGER outreach_stay_inserted AFTER INSERT ON stays WHEN NEW.check_out IS NOT NULL
BEGIN
    INSERT INTO outreach_last_checkout (guest_id, last_check_out) VALUES (NEW.guest_id, NEW.check_out)
        ON CONFLICT (guest_id) DO UPDATE SET last_check_out = max(last_check_out, excluded.last_check_out);
END;

CREATE TRIGGER outreach_stay_checked_out AFTER UPDATE OF check_out ON stays WHEN NEW.check_out IS NOT NULL
BEGIN
    INSERT INTO outreach_last_checkout (guest_id, last_check_out) VALUES (NEW.guest_id, NEW.check_out)
        ON CONFLICT (guest_id) DO UPDATE SET last_check_out = max(last_check_out, excluded.last_check_out);
END;
