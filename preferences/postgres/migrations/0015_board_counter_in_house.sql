-- The board shows the guests in house only: a preference change or a note of anyone
-- else leaves it as it is, so the board's counter no longer moves for them (in the
-- benchmark's mixed load nearly every preference change was of a guest not in house,
-- and each one made the next board read the whole board again). Row triggers, since
-- whether a guest is in house is a question about that row's guest.
CREATE FUNCTION bump_board_if_in_house() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_guest text;
    new_guest text;
    old_dept text;
    new_dept text;
BEGIN
    IF TG_TABLE_NAME = 'guests' THEN
        new_guest := NEW.id;
    ELSE
        IF TG_OP <> 'INSERT' THEN old_guest := OLD.guest_id; old_dept := OLD.department; END IF;
        IF TG_OP <> 'DELETE' THEN new_guest := NEW.guest_id; new_dept := NEW.department; END IF;
        IF COALESCE(old_dept, '') <> 'housekeeping' AND COALESCE(new_dept, '') <> 'housekeeping' THEN
            RETURN NULL;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM stays WHERE guest_id IN (old_guest, new_guest) AND check_out IS NULL) THEN
        UPDATE change_counters SET n = n + 1 WHERE name = 'board';
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER change_counters_guests ON guests;
CREATE TRIGGER change_counters_guests AFTER UPDATE OF preferences, erased_at ON guests
    FOR EACH ROW WHEN (OLD.preferences IS DISTINCT FROM NEW.preferences OR OLD.erased_at IS DISTINCT FROM NEW.erased_at)
    EXECUTE FUNCTION bump_board_if_in_house();

DROP TRIGGER change_counters_notes ON guest_notes;
CREATE TRIGGER change_counters_notes AFTER INSERT OR UPDATE OR DELETE ON guest_notes
    FOR EACH ROW EXECUTE FUNCTION bump_board_if_in_house();
CREATE TRIGGER change_counters_notes_truncate AFTER TRUNCATE ON guest_notes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counters('board');
