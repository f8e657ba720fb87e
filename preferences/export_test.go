package preferences

// Internals the external tests check directly.
var (
	CleanList = cleanList
)
