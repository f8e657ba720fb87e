-- The contact log (calls, visits, emails, letters, material sent) and the keep-in-touch
-- rhythms. Letters the outreach sent stay in outreach_messages: the guest's list reads
-- them there. material_key is the material as compared (preferences.MaterialKey): the
-- same material within 180 days is refused unless confirmed.
CREATE TABLE guest_contacts (
    id               text PRIMARY KEY,
    guest_id         text NOT NULL REFERENCES guests (id),
    channel          text NOT NULL CHECK (channel IN ('call', 'visit', 'email', 'letter', 'material')),
    material         text NOT NULL DEFAULT '',
    material_key     text NOT NULL DEFAULT '',
    note             text NOT NULL DEFAULT '',
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL,
    repeat_confirmed boolean NOT NULL DEFAULT false
);
CREATE INDEX guest_contacts_guest ON guest_contacts (guest_id, created_at);
CREATE INDEX guest_contacts_material ON guest_contacts (guest_id, material_key, created_at) WHERE material_key <> '';

CREATE TABLE keep_in_touch (
    guest_id   text PRIMARY KEY REFERENCES guests (id),
    every_days integer NOT NULL CHECK (every_days BETWEEN 1 AND 3650),
    since      timestamptz NOT NULL,
    set_by     text NOT NULL DEFAULT ''
);
