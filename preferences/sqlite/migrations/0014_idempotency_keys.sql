-- The answers to creating POSTs sent with an Idempotency-Key (guests, arrivals, stays,
-- feedback), kept 24 hours per token: a retry with the same key gets the first answer
-- and creates nothing. A row is written in the transaction of the creation it answers,
-- so a retry after any failure, even one after the commit, finds it.
CREATE TABLE idempotency_keys (
	owner      TEXT NOT NULL, -- the token the key belongs to
	key        TEXT NOT NULL,
	hash       BLOB NOT NULL, -- SHA-256 of the method, path and body
	status     INTEGER NOT NULL,
	body       BLOB NOT NULL,
	guest_id   TEXT NOT NULL, -- the guest the answer is about: erasure deletes it
	created_at TEXT NOT NULL,
	PRIMARY KEY (owner, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_guest ON idempotency_keys (guest_id);
