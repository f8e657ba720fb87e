-- The sender's question, every few seconds: the queued messages due now, earliest
-- first. Only queued rows are indexed, so the index stays as small as the queue.
CREATE INDEX outreach_messages_due ON outreach_messages (next_attempt_at, id) WHERE status = 'queued';
