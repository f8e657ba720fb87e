-- A version of the set of open stays, bumped by triggers whenever a stay is opened, an
-- open stay changes or is closed (or deleted), so that the cached free rooms and
-- housekeeping board check with one primary-key read whether they are still current
-- (instead of counting the open stays on every card). Past stays imported closed do
-- not touch it.
CREATE TABLE open_stays_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO open_stays_version (id, n) VALUES (1, 0);

CREATE TRIGGER open_stays_version_insert AFTER INSERT ON stays WHEN NEW.check_out IS NULL
BEGIN
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER open_stays_version_update AFTER UPDATE ON stays
WHEN OLD.check_out IS NULL OR NEW.check_out IS NULL
BEGIN
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER open_stays_version_delete AFTER DELETE ON stays WHEN OLD.check_out IS NULL
BEGIN
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1;
END;
