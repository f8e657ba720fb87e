-- Bounces and the addresses they stop mail to. An address is kept only as its keyed
-- hash (HMAC with the service secret, like document numbers), so an erased guest leaves
-- no address behind. A bounce counts once per (address, kind, at): a relay that posts
-- it again changes nothing.
CREATE TABLE mail_bounces (
    address_hash TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    at           TEXT NOT NULL,
    diagnostic   TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (address_hash, kind, at)
) WITHOUT ROWID;

-- One row per address with bounces: every report of the address updates it first, so
-- reports of one address take turns (one writer here; row locks on PostgreSQL).
CREATE TABLE mail_bounce_addresses (
    address_hash TEXT PRIMARY KEY,
    reports      INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per address ever stopped; lifted_at set when a manager lifted it.
CREATE TABLE mail_suppressions (
    address_hash TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    since        TEXT NOT NULL,
    lifted_at    TEXT,
    lifted_by    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- A letter to a stopped address is recorded with the status 'suppressed'. SQLite
-- cannot change a CHECK in place: the outbox is copied into a table with the wider one.
CREATE TABLE outreach_messages_new (
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
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'suppressed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT,
    claimed_by      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT,
    address         TEXT,
    lease_until     TEXT,
    UNIQUE (guest_id, occasion, period)
);
INSERT INTO outreach_messages_new (id, guest_id, occasion, period, email, language, subject, body_text,
        body_html, message_id, status, attempts, last_error, next_attempt_at, claimed_by, created_at,
        updated_at, sent_at, address, lease_until)
    SELECT id, guest_id, occasion, period, email, language, subject, body_text,
        body_html, message_id, status, attempts, last_error, next_attempt_at, claimed_by, created_at,
        updated_at, sent_at, address, lease_until
    FROM outreach_messages;
DROP TABLE outreach_messages;
ALTER TABLE outreach_messages_new RENAME TO outreach_messages;
CREATE INDEX outreach_messages_status ON outreach_messages (status, created_at);
CREATE UNIQUE INDEX outreach_messages_address ON outreach_messages (address, occasion, period);
CREATE INDEX outreach_messages_sending ON outreach_messages (lease_until) WHERE status = 'sending';
