-- At most one letter per address, occasion and period: two guest records with one email
-- (a duplicate not merged yet) share one letter. address is the email trimmed and in
-- lower case. Of letters already written twice to one address, the first keeps it and
-- the others stay NULL, outside the unique index.
ALTER TABLE outreach_messages ADD COLUMN address TEXT;
UPDATE outreach_messages SET address = lower(trim(email))
    WHERE trim(email) <> '' AND rowid IN (SELECT min(rowid) FROM outreach_messages
        WHERE trim(email) <> '' GROUP BY lower(trim(email)), occasion, period);
CREATE UNIQUE INDEX outreach_messages_address ON outreach_messages (address, occasion, period);
