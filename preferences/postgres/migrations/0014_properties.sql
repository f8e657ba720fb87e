-- Properties: the hotels of a group (see SQLite's 0021). Rooms, stays, arrivals, kiosk
-- lock-outs and staff scopes belong to one; guests and what they told the hotel are the
-- group's. A database from before becomes a group of one property, p_main (code MAIN),
-- that follows REGULARS_PROPERTY_CODE, REGULARS_HOTEL_NAME and REGULARS_TZ at each start
-- of the service (from_config): every room, stay, arrival, lock-out, and the scope of
-- every account and token but the managers' (the group's), is MAIN's.
CREATE TABLE properties (
    id          text PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL DEFAULT '',
    time_zone   text NOT NULL DEFAULT '',   -- '' until the service's start names it
    address     text NOT NULL DEFAULT '',
    phone       text NOT NULL DEFAULT '',
    from_config boolean NOT NULL DEFAULT false
);
INSERT INTO properties (id, code, from_config) VALUES ('p_main', 'MAIN', true);

-- Staff scope: NULL is the group.
ALTER TABLE staff_users ADD COLUMN property_id text REFERENCES properties (id);
ALTER TABLE api_tokens ADD COLUMN property_id text REFERENCES properties (id);
UPDATE staff_users SET property_id = 'p_main' WHERE role <> 'manager';
UPDATE api_tokens SET property_id = 'p_main' WHERE role <> 'manager';

-- Where feedback and follow-ups arose (NULL: nowhere said).
ALTER TABLE feedback ADD COLUMN property_id text REFERENCES properties (id);
ALTER TABLE follow_ups ADD COLUMN property_id text REFERENCES properties (id);
UPDATE feedback SET property_id = 'p_main';
UPDATE follow_ups SET property_id = 'p_main';

-- The default only fills the rows there are; the store always names the property.
ALTER TABLE arrivals ADD COLUMN property_id text NOT NULL DEFAULT 'p_main' REFERENCES properties (id);
ALTER TABLE arrivals ALTER COLUMN property_id DROP DEFAULT;
DROP INDEX arrivals_reference;
DROP INDEX arrivals_date;
CREATE UNIQUE INDEX arrivals_reference ON arrivals (property_id, reference) WHERE reference <> '';
CREATE INDEX arrivals_date ON arrivals (property_id, arrival_date, status);
ALTER TABLE kiosk_throttles ADD COLUMN property_id text NOT NULL DEFAULT 'p_main' REFERENCES properties (id);
ALTER TABLE kiosk_throttles ALTER COLUMN property_id DROP DEFAULT;
CREATE INDEX kiosk_throttles_property_at ON kiosk_throttles (property_id, at);

-- Room numbers are unique within a property.
ALTER TABLE rooms ADD COLUMN property_id text NOT NULL DEFAULT 'p_main' REFERENCES properties (id);
ALTER TABLE rooms ALTER COLUMN property_id DROP DEFAULT;
ALTER TABLE stays ADD COLUMN property_id text NOT NULL DEFAULT 'p_main';
ALTER TABLE stays ALTER COLUMN property_id DROP DEFAULT;
ALTER TABLE stays DROP CONSTRAINT stays_room_fkey;
ALTER TABLE rooms DROP CONSTRAINT rooms_pkey;
ALTER TABLE rooms ADD PRIMARY KEY (property_id, number);
ALTER TABLE stays ADD FOREIGN KEY (property_id, room) REFERENCES rooms (property_id, number);
DROP INDEX stays_room_in_house;
CREATE UNIQUE INDEX stays_room_in_house ON stays (property_id, room) WHERE check_out IS NULL;
