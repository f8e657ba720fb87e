-- The board shows the guests in house only: a preference change or a note of anyone
-- else leaves it as it is, so the board's counter no longer moves for them (in the
-- benchmark's mixed load nearly every preference change was of a guest not in house,
-- and each one made the next board read the whole board again).
DROP TRIGGER change_counters_guest_update;
CREATE TRIGGER change_counters_guest_update AFTER UPDATE OF preferences, erased_at ON guests
WHEN EXISTS (SELECT 1 FROM stays WHERE guest_id = NEW.id AND check_out IS NULL)
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;

DROP TRIGGER change_counters_note_insert;
CREATE TRIGGER change_counters_note_insert AFTER INSERT ON guest_notes
WHEN NEW.department = 'housekeeping' AND EXISTS (SELECT 1 FROM stays WHERE guest_id = NEW.guest_id AND check_out IS NULL)
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;

DROP TRIGGER change_counters_note_update;
CREATE TRIGGER change_counters_note_update AFTER UPDATE ON guest_notes
WHEN (OLD.department = 'housekeeping' OR NEW.department = 'housekeeping')
    AND EXISTS (SELECT 1 FROM stays WHERE guest_id IN (OLD.guest_id, NEW.guest_id) AND check_out IS NULL)
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;

DROP TRIGGER change_counters_note_delete;
CREATE TRIGGER change_counters_note_delete AFTER DELETE ON guest_notes
WHEN OLD.department = 'housekeeping' AND EXISTS (SELECT 1 FROM stays WHERE guest_id = OLD.guest_id AND check_out IS NULL)
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'board';
END;
