-- The contact log (calls, visits, emails, letters, material sent) and the keep-in-touch
-- rhythms. Letters the outreach sent stay in outreach_messages: the guest's list reads
-- them there. material_key is the material as compared (preferences.MaterialKey): the
-- same material within 180 days is refused unless confirmed.
CREATE TABLE guest_contacts (
    id               TEXT PRIMARY KEY,
    guest_id         TEXT NOT NULL REFERENCES guests (id),
    channel          TEXT NOT NULL CHECK (channel IN ('call', 'visit', 'email', 'letter', 'material')),
    material         TEXT NOT NULL DEFAULT '',
    material_key     TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    repeat_confirmed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX guest_contacts_guest ON guest_contacts (guest_id, created_at);
CREATE INDEX guest_contacts_material ON guest_contacts (guest_id, material_key, created_at) WHERE material_key <> '';

CREATE TABLE keep_in_touch (
    guest_id   TEXT PRIMARY KEY REFERENCES guests (id),
    every_days INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 3650),
    since      TEXT NOT NULL,
    set_by     TEXT NOT NULL DEFAULT ''
);
