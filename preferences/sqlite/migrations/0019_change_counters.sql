-- Change counters: a read kept in memory (the housekeeping board, the free rooms) is
-- used again only while the counter it depends on has not moved since; the counter is
-- read in the same transaction as the data would be, so the kept copy is never staler
-- than a fresh read. Triggers move them with every change that could alter the read.
CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO change_counters (name, n) VALUES ('board', 0), ('rooms', 0);

CREATE TRIGGER change_counters_stay_insert AFTER INSERT ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;
CREATE TRIGGER change_counters_stay_update AFTER UPDATE ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;
CREATE TRIGGER change_counters_stay_delete AFTER DELETE ON stays
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
CREATE TRIGGER change_counters_room_delete AFTER DELETE ON rooms
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name IN ('board', 'rooms');
END;
CREATE TRIGGER change_counters_guest_update AFTER UPDATE OF preferences, erased_at ON guests
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;
CREATE TRIGGER change_counters_note_insert AFTER INSERT ON guest_notes
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;
CREATE TRIGGER change_counters_note_update AFTER UPDATE ON guest_notes
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;
CREATE TRIGGER change_counters_note_delete AFTER DELETE ON guest_notes
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;
