-- Front desk: expected arrivals, feedback with follow-ups, and department notes.
-- Rooms and stays are in 0001 (stays has one open stay per room and per guest).
CREATE TABLE arrivals (
    id           TEXT PRIMARY KEY,
    guest_id     TEXT NOT NULL REFERENCES guests (id),
    arrival_date TEXT NOT NULL,               -- YYYY-MM-DD, hotel time
    nights       INTEGER NOT NULL,
    reference    TEXT NOT NULL DEFAULT '',    -- PMS reference, unique when given
    status       TEXT NOT NULL DEFAULT 'expected' CHECK (status IN ('expected', 'checked_in', 'cancelled')),
    stay_id      TEXT REFERENCES stays (id),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX arrivals_reference ON arrivals (reference) WHERE reference <> '';
CREATE INDEX arrivals_date ON arrivals (arrival_date, status);
CREATE INDEX arrivals_guest ON arrivals (guest_id, arrival_date);

CREATE TABLE feedback (
    id          TEXT PRIMARY KEY,
    guest_id    TEXT NOT NULL REFERENCES guests (id),
    stay_id     TEXT REFERENCES stays (id),
    kind        TEXT NOT NULL CHECK (kind IN ('complaint', 'compliment', 'request')),
    text        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    resolution  TEXT NOT NULL DEFAULT '',
    resolved_at TEXT,
    resolved_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_status ON feedback (status, created_at);
CREATE INDEX feedback_guest ON feedback (guest_id, created_at);

CREATE TABLE follow_ups (
    id          TEXT PRIMARY KEY,
    guest_id    TEXT NOT NULL REFERENCES guests (id),
    feedback_id TEXT REFERENCES feedback (id),
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    done_at     TEXT,
    done_by     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX follow_ups_open ON follow_ups (guest_id, created_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_feedback ON follow_ups (feedback_id);

CREATE TABLE guest_notes (
    id         TEXT PRIMARY KEY,
    guest_id   TEXT NOT NULL REFERENCES guests (id),
    department TEXT NOT NULL CHECK (department IN ('housekeeping', 'front_office', 'kitchen')),
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX guest_notes_guest ON guest_notes (guest_id, department, created_at);
