-- Guests, their documents, consent record, preferences, staff access and the audit log.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ'; dates are 'YYYY-MM-DD'.
CREATE TABLE guests (
    id                TEXT PRIMARY KEY,
    family_name       TEXT NOT NULL DEFAULT '',
    given_name        TEXT NOT NULL DEFAULT '',
    salutation        TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    birthday          TEXT NOT NULL DEFAULT '',
    birthday_md       TEXT NOT NULL DEFAULT '',
    language          TEXT NOT NULL DEFAULT 'zh',
    time_zone         TEXT NOT NULL DEFAULT '',
    marketing_consent INTEGER NOT NULL DEFAULT 0,
    consent_at        TEXT,
    consent_channel   TEXT NOT NULL DEFAULT '',
    consent_by        TEXT NOT NULL DEFAULT '',
    preferences       TEXT NOT NULL DEFAULT '{}',
    search_text       TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    erased_at         TEXT
);
CREATE INDEX guests_birthday_md ON guests (birthday_md) WHERE erased_at IS NULL;

CREATE TABLE guest_documents (
    type        TEXT NOT NULL,
    number_hash BLOB NOT NULL,
    guest_id    TEXT NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    last4       TEXT NOT NULL,
    birth_date  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (type, number_hash)
);
CREATE INDEX guest_documents_guest ON guest_documents (guest_id);

CREATE TABLE consent_events (
    id       INTEGER PRIMARY KEY,
    guest_id TEXT NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    granted  INTEGER NOT NULL,
    channel  TEXT NOT NULL,
    actor    TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX consent_events_guest ON consent_events (guest_id, id);

CREATE TABLE preference_changes (
    id        INTEGER PRIMARY KEY,
    guest_id  TEXT NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    section   TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL
);
CREATE INDEX preference_changes_guest ON preference_changes (guest_id, id);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,
    guest_id TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_guest ON audit_log (guest_id, id);

CREATE TABLE rooms (
    number     TEXT PRIMARY KEY,
    floor      INTEGER NOT NULL,
    view       TEXT NOT NULL DEFAULT '',
    bed        TEXT NOT NULL DEFAULT '',
    quiet      INTEGER NOT NULL DEFAULT 0,
    smoking    INTEGER NOT NULL DEFAULT 0,
    features   TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL
);

CREATE TABLE stays (
    id             TEXT PRIMARY KEY,
    guest_id       TEXT NOT NULL REFERENCES guests (id),
    room           TEXT NOT NULL REFERENCES rooms (number),
    check_in       TEXT NOT NULL,
    check_out      TEXT,
    planned_nights INTEGER NOT NULL,
    spend          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stays_guest ON stays (guest_id, check_in);
CREATE UNIQUE INDEX stays_room_in_house ON stays (room) WHERE check_out IS NULL;
CREATE UNIQUE INDEX stays_guest_in_house ON stays (guest_id) WHERE check_out IS NULL;

CREATE TABLE staff_users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
