-- The list of all feedback, oldest first (GET /api/feedback with no status), reads this
-- index in order instead of sorting the table; feedback_status serves one status.
CREATE INDEX feedback_created ON feedback (created_at, id);
