-- Staff web sessions. Only the SHA-256 of the random session id is stored, so a copy of
-- the database cannot be used to sign in. A session ends at logout, after the idle
-- timeout (last_seen) or at expires_at, whichever comes first.
CREATE TABLE staff_sessions (
    id_hash    BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);
