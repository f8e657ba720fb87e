-- Properties: the hotels of a group. Rooms, stays, arrivals, kiosk lock-outs and staff
-- scopes belong to one; guests and what they told the hotel are the group's. A database
-- from before becomes a group of one property, p_main (code MAIN), that follows
-- REGULARS_PROPERTY_CODE, REGULARS_HOTEL_NAME and REGULARS_TZ at each start of the
-- service (from_config); nothing is lost: every room, stay, arrival, lock-out, and the
-- scope of every account and token but the managers' (the group's), is MAIN's.
CREATE TABLE properties (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    time_zone   TEXT NOT NULL DEFAULT '',   -- '' until the service's start names it
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    from_config INTEGER NOT NULL DEFAULT 0
);
INSERT INTO properties (id, code, from_config) VALUES ('p_main', 'MAIN', 1);

-- Staff scope: NULL is the group.
ALTER TABLE staff_users ADD COLUMN property_id TEXT REFERENCES properties (id);
ALTER TABLE api_tokens ADD COLUMN property_id TEXT REFERENCES properties (id);
UPDATE staff_users SET property_id = 'p_main' WHERE role <> 'manager';
UPDATE api_tokens SET property_id = 'p_main' WHERE role <> 'manager';

-- Where feedback and follow-ups arose (NULL: nowhere said).
ALTER TABLE feedback ADD COLUMN property_id TEXT REFERENCES properties (id);
ALTER TABLE follow_ups ADD COLUMN property_id TEXT REFERENCES properties (id);
UPDATE feedback SET property_id = 'p_main';
UPDATE follow_ups SET property_id = 'p_main';

-- SQLite adds a NOT NULL column only with a default; the store always names the property.
ALTER TABLE arrivals ADD COLUMN property_id TEXT NOT NULL DEFAULT 'p_main';
DROP INDEX arrivals_reference;
DROP INDEX arrivals_date;
CREATE UNIQUE INDEX arrivals_reference ON arrivals (property_id, reference) WHERE reference <> '';
CREATE INDEX arrivals_date ON arrivals (property_id, arrival_date, status);
ALTER TABLE kiosk_throttles ADD COLUMN property_id TEXT NOT NULL DEFAULT 'p_main';
CREATE INDEX kiosk_throttles_property_at ON kiosk_throttles (property_id, at);

-- Room numbers are unique within a property: rooms get the key (property_id, number)
-- and stays the property, which SQLite changes only by building both tables anew. The
-- old rows wait in plain copies while the tables are dropped (which drops their
-- triggers first, so no trigger fires) and made again; arrivals and feedback that name
-- a stay see it back before the commit (their checks are deferred until then).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE rooms_v20 AS SELECT * FROM rooms;
CREATE TABLE stays_v20 AS SELECT * FROM stays;
DROP TABLE stays;
DROP TABLE rooms;

CREATE TABLE rooms (
    property_id TEXT NOT NULL REFERENCES properties (id),
    number      TEXT NOT NULL,
    floor       INTEGER NOT NULL,
    view        TEXT NOT NULL DEFAULT '',
    bed         TEXT NOT NULL DEFAULT '',
    quiet       INTEGER NOT NULL DEFAULT 0,
    smoking     INTEGER NOT NULL DEFAULT 0,
    features    TEXT NOT NULL DEFAULT '[]',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (property_id, number)
);
INSERT INTO rooms (property_id, number, floor, view, bed, quiet, smoking, features, updated_at)
    SELECT 'p_main', number, floor, view, bed, quiet, smoking, features, updated_at FROM rooms_v20;

CREATE TABLE stays (
    id             TEXT PRIMARY KEY,
    guest_id       TEXT NOT NULL REFERENCES guests (id),
    property_id    TEXT NOT NULL,
    room           TEXT NOT NULL,
    check_in       TEXT NOT NULL,
    check_out      TEXT,
    planned_nights INTEGER NOT NULL,
    spend          TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (property_id, room) REFERENCES rooms (property_id, number)
);
INSERT INTO stays (id, guest_id, property_id, room, check_in, check_out, planned_nights, spend)
    SELECT id, guest_id, 'p_main', room, check_in, check_out, planned_nights, spend FROM stays_v20;
DROP TABLE stays_v20;
DROP TABLE rooms_v20;

CREATE INDEX stays_guest ON stays (guest_id, check_in);
CREATE UNIQUE INDEX stays_room_in_house ON stays (property_id, room) WHERE check_out IS NULL;
CREATE UNIQUE INDEX stays_guest_in_house ON stays (guest_id) WHERE check_out IS NULL;
CREATE INDEX stays_open ON stays (property_id, room, guest_id, check_out) WHERE check_out IS NULL;

-- The triggers of both tables, as 0003, 0007, 0012 and 0019 left them.
CREATE TRIGGER change_counters_room_delete AFTER DELETE ON rooms
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;

CREATE TRIGGER change_counters_room_insert AFTER INSERT ON rooms
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;

CREATE TRIGGER change_counters_room_update AFTER UPDATE ON rooms
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;

CREATE TRIGGER change_counters_stay_delete AFTER DELETE ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;

CREATE TRIGGER change_counters_stay_insert AFTER INSERT ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;

CREATE TRIGGER change_counters_stay_update AFTER UPDATE ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;

CREATE TRIGGER guest_stays_check_out AFTER UPDATE OF check_out, spend ON stays
BEGIN
    UPDATE guests SET open_stay_id = NULL, (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out,
            last_stay_planned_nights, last_stay_spend) = (NEW.id, NEW.room, NEW.check_in, NEW.check_out, NEW.planned_nights, NEW.spend)
    WHERE id = NEW.guest_id AND NEW.id IS OLD.id AND NEW.guest_id = OLD.guest_id AND OLD.check_out IS NULL AND NEW.check_out IS NOT NULL
        AND (last_stay_id IS NULL OR NEW.check_in > last_stay_check_in OR NEW.check_in = last_stay_check_in AND NEW.id < last_stay_id);
    UPDATE guests SET open_stay_id = CASE WHEN NEW.check_out IS NULL THEN NEW.id WHEN OLD.check_out IS NULL THEN NULL ELSE open_stay_id END,
        (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights, last_stay_spend) =
            (SELECT l.id, l.room, l.check_in, l.check_out, l.planned_nights, l.spend FROM stays l
             WHERE l.guest_id = guests.id AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1)
    WHERE id = NEW.guest_id AND NEW.id IS OLD.id AND NEW.guest_id = OLD.guest_id
        AND (OLD.check_out IS NULL AND NEW.check_out IS NOT NULL AND last_stay_id IS NEW.id) IS NOT TRUE;
END;

CREATE TRIGGER guest_stays_delete AFTER DELETE ON stays
BEGIN
    UPDATE guests SET stays_count = (SELECT count(*) FROM stays WHERE guest_id = guests.id),
        (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights, last_stay_spend) =
            (SELECT l.id, l.room, l.check_in, l.check_out, l.planned_nights, l.spend FROM stays l
             WHERE l.guest_id = guests.id AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1),
        open_stay_id = (SELECT s.id FROM stays s WHERE s.guest_id = guests.id AND s.check_out IS NULL ORDER BY s.id LIMIT 1)
    WHERE id = OLD.guest_id;
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1 AND OLD.check_out IS NULL;
END;

CREATE TRIGGER guest_stays_insert AFTER INSERT ON stays
BEGIN
    UPDATE guests SET stays_count = stays_count + 1,
        open_stay_id = CASE WHEN NEW.check_out IS NULL THEN NEW.id ELSE open_stay_id END
    WHERE id = NEW.guest_id;
    UPDATE guests SET (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights,
            last_stay_spend) = (NEW.id, NEW.room, NEW.check_in, NEW.check_out, NEW.planned_nights, NEW.spend)
    WHERE id = NEW.guest_id AND NEW.check_out IS NOT NULL AND (last_stay_id IS NULL OR NEW.check_in > last_stay_check_in
        OR NEW.check_in = last_stay_check_in AND NEW.id < last_stay_id);
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1 AND NEW.check_out IS NULL;
END;

CREATE TRIGGER guest_stays_update AFTER UPDATE OF id, guest_id, room, check_in, planned_nights ON stays
BEGIN
    UPDATE guests SET stays_count = (SELECT count(*) FROM stays WHERE guest_id = guests.id),
        (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights, last_stay_spend) =
            (SELECT l.id, l.room, l.check_in, l.check_out, l.planned_nights, l.spend FROM stays l
             WHERE l.guest_id = guests.id AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1),
        open_stay_id = (SELECT s.id FROM stays s WHERE s.guest_id = guests.id AND s.check_out IS NULL ORDER BY s.id LIMIT 1)
    WHERE id IN (OLD.guest_id, NEW.guest_id);
END;

CREATE TRIGGER open_stays_version_update AFTER UPDATE ON stays
WHEN OLD.check_out IS NULL OR NEW.check_out IS NULL
BEGIN
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER outreach_stay_checked_out AFTER UPDATE OF check_out ON stays WHEN NEW.check_out IS NOT NULL
BEGIN
    INSERT INTO outreach_last_checkout (guest_id, last_check_out) VALUES (NEW.guest_id, NEW.check_out)
        ON CONFLICT (guest_id) DO UPDATE SET last_check_out = max(last_check_out, excluded.last_check_out);
END;

CREATE TRIGGER outreach_stay_inserted AFTER INSERT ON stays WHEN NEW.check_out IS NOT NULL
BEGIN
    INSERT INTO outreach_last_checkout (guest_id, last_check_out) VALUES (NEW.guest_id, NEW.check_out)
        ON CONFLICT (guest_id) DO UPDATE SET last_check_out = max(last_check_out, excluded.last_check_out);
END;
