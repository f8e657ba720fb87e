-- Kiosk devices paired with a kiosk token, and the times a kiosk was throttled.
CREATE TABLE kiosk_devices (
    id           TEXT PRIMARY KEY,
    token_id     TEXT NOT NULL REFERENCES api_tokens (id),
    name         TEXT NOT NULL,
    secret_hash  BLOB NOT NULL UNIQUE,
    paired_at    TEXT NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE kiosk_throttles (
    id        INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    kiosk     TEXT NOT NULL,
    failures  INTEGER NOT NULL,
    at        TEXT NOT NULL,
    until     TEXT NOT NULL
);
CREATE INDEX kiosk_throttles_at ON kiosk_throttles (at);
