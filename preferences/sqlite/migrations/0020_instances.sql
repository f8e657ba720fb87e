-- Several instances on one database (PostgreSQL; SQLite runs the same code in one
-- process). Each scheduled run's slot (job, and the slot's hotel-local date/time) is
-- claimed by one instance with INSERT … ON CONFLICT DO NOTHING; the claim's lease lets
-- another instance take over a run whose instance died before it was done.
CREATE TABLE scheduled_runs (
    job         TEXT NOT NULL,
    slot        TEXT NOT NULL,
    claimed_by  TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    done_at     TEXT,
    PRIMARY KEY (job, slot)
) WITHOUT ROWID;
CREATE INDEX scheduled_runs_claimed ON scheduled_runs (claimed_at);

-- A message being sent is leased to its instance: once the lease has run out (the
-- instance died mid-send) any instance marks it unknown, never to be retried.
ALTER TABLE outreach_messages ADD COLUMN lease_until TEXT;
CREATE INDEX outreach_messages_sending ON outreach_messages (lease_until) WHERE status = 'sending';

-- Failed staff sign-ins, shared by every instance: one row per throttled key (the
-- SHA-256 of a client address, a name, or both) with its recent failures (Unix
-- milliseconds, space-separated), locked while a failure is counted.
CREATE TABLE signin_throttles (
    key           BLOB PRIMARY KEY,
    failures      TEXT NOT NULL DEFAULT '',
    blocked_until TEXT,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX signin_throttles_updated ON signin_throttles (updated_at);

-- A guest's session at a lobby kiosk, from identification to check-in, on any
-- instance. Only the SHA-256 of the random session id is stored.
CREATE TABLE kiosk_sessions (
    id_hash  BLOB PRIMARY KEY,
    device   TEXT NOT NULL,
    guest_id TEXT NOT NULL,
    nights   INTEGER NOT NULL,
    seen_at  TEXT NOT NULL
);
CREATE INDEX kiosk_sessions_seen ON kiosk_sessions (seen_at);
