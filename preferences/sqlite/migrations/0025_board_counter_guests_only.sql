-- The board is kept at two counters (sqlstore's keptBoard): "rooms" for which rooms are
-- in use (stays, rooms), "board" for what it shows of the guests in house. A check-in or
-- check-out then moves "rooms" only, and the board re-reads the rooms in use and the new
-- guest's data, not every guest's.
DROP TRIGGER change_counters_stay_insert;
DROP TRIGGER change_counters_stay_update;
DROP TRIGGER change_counters_stay_delete;
DROP TRIGGER change_counters_room_insert;
DROP TRIGGER change_counters_room_update;
DROP TRIGGER change_counters_room_delete;
CREATE TRIGGER change_counters_stay_insert AFTER INSERT ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'rooms';
END;
CREATE TRIGGER change_counters_stay_update AFTER UPDATE ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'rooms';
END;
CREATE TRIGGER change_counters_stay_delete AFTER DELETE ON stays
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'rooms';
END;
CREATE TRIGGER change_counters_room_insert AFTER INSERT ON rooms
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'rooms';
END;
CREATE TRIGGER change_counters_room_update AFTER UPDATE ON rooms
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'rooms';
END;
CREATE TRIGGER change_counters_room_delete AFTER DELETE ON rooms
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = 'rooms';
END;
