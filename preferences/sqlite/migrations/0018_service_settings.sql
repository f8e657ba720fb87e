-- What the service started with, kept for the commands that work on its database from
-- another environment: its public URL (the unsubscribe links `regulars outreach run`
-- writes must point at the service) and its time zone. One row a setting, rewritten at
-- every start.
CREATE TABLE service_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
