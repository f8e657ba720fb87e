-- Fewer and cheaper triggers on stays, keeping the values of 0007 (open_stays_version),
-- 0008 (stays_count, last_stay_*) and 0010 (open_stay_id). Each of those updated the
-- guests row on its own: a check-in ran three trigger programs and wrote the row twice;
-- a check-out ran three (besides 0003's) and wrote it twice, after recounting the
-- guest's stays, searching the last closed one (index range scans and a table page for
-- each stay) and looking the open stay up again, although closing a stay changes the
-- count by nothing and the last stay only by the stay closed. Now a check-in and a
-- check-out write the guests row once, from the stay itself, reading no other stay; the
-- recounts of 0008 and 0010 are kept for the changes the store makes rarely or never (a
-- stay moved to another guest, re-opened, its spend blanked by erasure, a delete).
-- 0003's triggers (another table) and 0007's update trigger (one small statement, for
-- any update) stay as they are.
-- Only triggers change: nothing is rewritten, so this is instant at any size.
-- IF EXISTS: the tests that re-apply 0008 or 0010 re-apply this one after it, with only
-- that migration's triggers back.
DROP TRIGGER IF EXISTS open_stays_version_insert;
DROP TRIGGER IF EXISTS open_stays_version_delete;
DROP TRIGGER IF EXISTS guest_summary_stay_insert;
DROP TRIGGER IF EXISTS guest_summary_stay_update;
DROP TRIGGER IF EXISTS guest_summary_stay_delete;
DROP TRIGGER IF EXISTS guest_card_stay_insert;
DROP TRIGGER IF EXISTS guest_card_stay_update;
DROP TRIGGER IF EXISTS guest_card_stay_delete;

-- An insert counts; an open stay (a check-in) is the guest's open stay and bumps the
-- version of the open stays; a closed one (history) becomes the last stay when it began
-- later than the last one (ties: the smaller id), the order of 0008's recount. It reads
-- only the guests row, so bulk loads without the stays' secondary indexes stay fast.
CREATE TRIGGER guest_stays_insert AFTER INSERT ON stays
BEGIN
    UPDATE guests SET stays_count = stays_count + 1,
        open_stay_id = CASE WHEN NEW.check_out IS NULL THEN NEW.id ELSE open_stay_id END
    WHERE id = NEW.guest_id;
    UPDATE guests SET (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights,
            last_stay_spend) = (NEW.id, NEW.room, NEW.check_in, NEW.check_out, NEW.planned_nights, NEW.spend)
    WHERE id = NEW.guest_id AND NEW.check_out IS NOT NULL AND (last_stay_id IS NULL OR NEW.check_in > last_stay_check_in
        OR NEW.check_in = last_stay_check_in AND NEW.id < last_stay_id);
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1 AND NEW.check_out IS NULL;
END;

-- An update of check_out or spend (a check-out; erasure blanking the spend) of a stay
-- that keeps its id and guest. A check-out of a stay that began later than the last one
-- (as on insert; with a check-in of today, always) changes nothing else: the count is
-- the same, the guest has no open stay left (stays_guest_in_house allows one), and the
-- closed stays are the ones before and this one, the last. The second statement does
-- the rest (re-opening, new dates or spend of a closed stay, the check-out of a stay
-- that began before the last one, e.g. a past stay imported during the stay): the open
-- stay follows from this one's check-out, the last stay is searched again; it skips
-- what the first did (its last stay is this one). Ids are compared with IS: SQLite
-- lets a TEXT PRIMARY KEY be NULL, and the recount orders a NULL id first.
CREATE TRIGGER guest_stays_check_out AFTER UPDATE OF check_out, spend ON stays
BEGIN
    UPDATE guests SET open_stay_id = NULL, (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out,
            last_stay_planned_nights, last_stay_spend) = (NEW.id, NEW.room, NEW.check_in, NEW.check_out, NEW.planned_nights, NEW.spend)
    WHERE id = NEW.guest_id AND NEW.id IS OLD.id AND NEW.guest_id = OLD.guest_id AND OLD.check_out IS NULL AND NEW.check_out IS NOT NULL
        AND (last_stay_id IS NULL OR NEW.check_in > last_stay_check_in OR NEW.check_in = last_stay_check_in AND NEW.id < last_stay_id);
    UPDATE guests SET open_stay_id = CASE WHEN NEW.check_out IS NULL THEN NEW.id WHEN OLD.check_out IS NULL THEN NULL ELSE open_stay_id END,
        (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights, last_stay_spend) =
            (SELECT l.id, l.room, l.check_in, l.check_out, l.planned_nights, l.spend FROM stays l
             WHERE l.guest_id = guests.id AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1)
    WHERE id = NEW.guest_id AND NEW.id IS OLD.id AND NEW.guest_id = OLD.guest_id
        AND (OLD.check_out IS NULL AND NEW.check_out IS NOT NULL AND last_stay_id IS NEW.id) IS NOT TRUE;
END;

-- An update of the other columns (the store makes none: a stay moved to another guest,
-- renamed, its dates corrected) recounts both guests as 0008 and 0010 did. It is a
-- trigger of its own so that the check-out's statement, which names only check_out and
-- spend, does not compile these subqueries (SQLite compiles every trigger that may fire
-- into the statement, which the store may prepare for each call). When an update sets
-- columns of both lists, both triggers run, in either order: the one above does nothing
-- when the id or guest changes, and otherwise leaves the recount as it is.
CREATE TRIGGER guest_stays_update AFTER UPDATE OF id, guest_id, room, check_in, planned_nights ON stays
BEGIN
    UPDATE guests SET stays_count = (SELECT count(*) FROM stays WHERE guest_id = guests.id),
        (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights, last_stay_spend) =
            (SELECT l.id, l.room, l.check_in, l.check_out, l.planned_nights, l.spend FROM stays l
             WHERE l.guest_id = guests.id AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1),
        open_stay_id = (SELECT s.id FROM stays s WHERE s.guest_id = guests.id AND s.check_out IS NULL ORDER BY s.id LIMIT 1)
    WHERE id IN (OLD.guest_id, NEW.guest_id);
END;

-- A delete (the store never deletes a stay) recounts the guest.
CREATE TRIGGER guest_stays_delete AFTER DELETE ON stays
BEGIN
    UPDATE guests SET stays_count = (SELECT count(*) FROM stays WHERE guest_id = guests.id),
        (last_stay_id, last_stay_room, last_stay_check_in, last_stay_check_out, last_stay_planned_nights, last_stay_spend) =
            (SELECT l.id, l.room, l.check_in, l.check_out, l.planned_nights, l.spend FROM stays l
             WHERE l.guest_id = guests.id AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1),
        open_stay_id = (SELECT s.id FROM stays s WHERE s.guest_id = guests.id AND s.check_out IS NULL ORDER BY s.id LIMIT 1)
    WHERE id = OLD.guest_id;
    UPDATE open_stays_version SET n = n + 1 WHERE id = 1 AND OLD.check_out IS NULL;
END;
