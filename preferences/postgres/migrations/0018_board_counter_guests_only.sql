-- The board is kept at two counters (sqlstore's keptBoard): "rooms" for which rooms are
-- in use (stays, rooms), "board" for what it shows of the guests in house. A check-in or
-- check-out then moves "rooms" only, and the board re-reads the rooms in use and the new
-- guest's data, not every guest's.
DROP TRIGGER change_counters_stays ON stays;
DROP TRIGGER change_counters_rooms ON rooms;
CREATE TRIGGER change_counters_stays AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stays
    FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counters('rooms');
CREATE TRIGGER change_counters_rooms AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rooms
    FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counters('rooms');
