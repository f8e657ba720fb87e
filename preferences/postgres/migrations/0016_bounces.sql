-- Bounces and the addresses they stop mail to. An address is kept only as its keyed
-- hash (HMAC with the service secret, like document numbers), so an erased guest leaves
-- no address behind. A bounce counts once per (address, kind, at): a relay that posts
-- it again changes nothing.
CREATE TABLE mail_bounces (
    address_hash text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    at           timestamptz NOT NULL,
    diagnostic   text NOT NULL DEFAULT '',
    source       text NOT NULL,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (address_hash, kind, at)
);

-- One row per address with bounces: every report of the address updates it first, so
-- reports of one address from several instances take turns (the row's lock), and the
-- later one sees the earlier one's bounces when it counts the soft ones.
CREATE TABLE mail_bounce_addresses (
    address_hash text PRIMARY KEY,
    reports      bigint NOT NULL
);

-- One row per address ever stopped; lifted_at set when a manager lifted it.
CREATE TABLE mail_suppressions (
    address_hash text PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    since        timestamptz NOT NULL,
    lifted_at    timestamptz,
    lifted_by    text NOT NULL DEFAULT ''
);

-- A letter to a stopped address is recorded with the status 'suppressed'.
ALTER TABLE outreach_messages DROP CONSTRAINT outreach_messages_status_check,
    ADD CONSTRAINT outreach_messages_status_check
        CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'suppressed'));
