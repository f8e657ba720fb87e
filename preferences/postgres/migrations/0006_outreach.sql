-- The outbox of letters (birthday, lapse): one per guest, occasion and period, and one
-- per address, occasion and period (two guests sharing an address get one letter).
CREATE TABLE outreach_messages (
    id              text PRIMARY KEY,
    guest_id        text NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    occasion        text NOT NULL CHECK (occasion IN ('birthday', 'lapse')),
    period          text NOT NULL,
    email           text NOT NULL,
    address         text,          -- lower-cased email; NULL once erased
    language        text NOT NULL,
    subject         text NOT NULL,
    body_text       text NOT NULL,
    body_html       text NOT NULL,
    message_id      text NOT NULL,
    status          text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    next_attempt_at timestamptz,
    claimed_by      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    UNIQUE (guest_id, occasion, period)
);
CREATE INDEX outreach_messages_status ON outreach_messages (status, created_at);
CREATE UNIQUE INDEX outreach_messages_address ON outreach_messages (address, occasion, period);
