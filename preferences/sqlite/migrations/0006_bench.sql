-- Reads of the housekeeping board: one row per read instead of one audit row per
-- occupied room. A guest's audit derives them from the guest's stays: the board shows
-- exactly the guests in house, so a read during a stay is a read of that guest.
CREATE TABLE board_reads (
    id    INTEGER PRIMARY KEY,
    at    TEXT NOT NULL,
    actor TEXT NOT NULL,
    role  TEXT NOT NULL
);
CREATE INDEX board_reads_at ON board_reads (at);
