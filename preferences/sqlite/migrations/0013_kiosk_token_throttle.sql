-- Failed kiosk identifications, counted per kiosk token (the API token a device was
-- paired with) and kept for the lock-out window: a success, a re-pairing or a restart
-- does not forget them. Rows older than the window are pruned at each new failure.
CREATE TABLE kiosk_failures (
    id       INTEGER PRIMARY KEY,
    token_id TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX kiosk_failures_token_at ON kiosk_failures (token_id, at);

-- A lock-out holds for the token, whichever of its devices (or the token itself) asks.
-- Older rows have no token and no longer lock anything out.
ALTER TABLE kiosk_throttles ADD COLUMN token_id TEXT;
CREATE INDEX kiosk_throttles_token_until ON kiosk_throttles (token_id, until);

-- A token pairs one device at a time: pairing looks for the token's active device.
CREATE INDEX kiosk_devices_token ON kiosk_devices (token_id) WHERE revoked_at IS NULL;
