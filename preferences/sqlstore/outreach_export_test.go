package sqlstore

// The outreach queries, for the plan test (package sqlstore_test: it opens SQLite, which
// imports this package).
var (
	OutreachBirthdayQuery    = birthdayQuery(2)
	OutreachSQLiteLapseQuery = sqliteLapseQuery
	OutreachCandidateQuery   = candidateSelect + ` WHERE g.id = ?`
	OutreachDueQuery         = `SELECT id FROM outreach_messages ` + dueWhere
	OutreachOldestQuery      = oldestQueuedQuery
	GuestContactsQuery       = guestContactsQuery
)
