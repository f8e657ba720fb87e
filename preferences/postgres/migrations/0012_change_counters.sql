-- Change counters: a read kept in memory (the housekeeping board, the free rooms) is
-- used again only while the counter it depends on has not moved since; the counter is
-- read in the same transaction as the data would be, so every instance's kept copy is
-- never staler than a fresh read. Statement triggers move them with every change that
-- could alter the read, whichever instance makes it.
CREATE TABLE change_counters (
    name text PRIMARY KEY,
    n    bigint NOT NULL
);
INSERT INTO change_counters (name, n) VALUES ('board', 0), ('rooms', 0);

CREATE FUNCTION bump_change_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = ANY (TG_ARGV);
    RETURN NULL;
END
$$;

CREATE TRIGGER change_counters_stays AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stays
    FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counters('board', 'rooms');
CREATE TRIGGER change_counters_rooms AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rooms
    FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counters('board', 'rooms');
CREATE TRIGGER change_counters_guests AFTER UPDATE OF preferences, erased_at ON guests
    FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counters('board');
CREATE TRIGGER change_counters_notes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON guest_notes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counters('board');
