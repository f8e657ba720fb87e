-- Rooms, stays (check_out NULL: in house) and expected arrivals.
CREATE TABLE rooms (
    number     text PRIMARY KEY,
    floor      integer NOT NULL,
    view       text NOT NULL DEFAULT '',
    bed        text NOT NULL DEFAULT '',
    quiet      boolean NOT NULL DEFAULT false,
    smoking    boolean NOT NULL DEFAULT false,
    features   text NOT NULL DEFAULT '[]', -- JSON list
    updated_at timestamptz NOT NULL
);

CREATE TABLE stays (
    id             text PRIMARY KEY,
    guest_id       text NOT NULL REFERENCES guests (id),
    room           text NOT NULL REFERENCES rooms (number),
    check_in       timestamptz NOT NULL,
    check_out      timestamptz,
    planned_nights integer NOT NULL,
    spend          text NOT NULL DEFAULT ''
);
CREATE INDEX stays_guest ON stays (guest_id, check_in);
-- One guest per room and one room per guest at a time: a race between two check-ins
-- ends in a unique violation, whichever instance runs them.
CREATE UNIQUE INDEX stays_room_in_house ON stays (room) WHERE check_out IS NULL;
CREATE UNIQUE INDEX stays_guest_in_house ON stays (guest_id) WHERE check_out IS NULL;
CREATE INDEX stays_check_out ON stays (check_out) WHERE check_out IS NOT NULL;

CREATE TABLE arrivals (
    id           text PRIMARY KEY,
    guest_id     text NOT NULL REFERENCES guests (id),
    arrival_date text NOT NULL,               -- YYYY-MM-DD, hotel time
    nights       integer NOT NULL,
    reference    text NOT NULL DEFAULT '',    -- PMS reference, unique when given
    status       text NOT NULL DEFAULT 'expected' CHECK (status IN ('expected', 'checked_in', 'cancelled')),
    stay_id      text REFERENCES stays (id),
    created_at   timestamptz NOT NULL,
    created_by   text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX arrivals_reference ON arrivals (reference) WHERE reference <> '';
CREATE INDEX arrivals_date ON arrivals (arrival_date, status);
CREATE INDEX arrivals_guest ON arrivals (guest_id, arrival_date);
