package preferences

// Internals the external tests check directly.
var (
	// ParseCanonical is ParseStored's fast path: ok tells a test it did not fall back to
	// json.Unmarshal.
	ParseCanonical = parseCanonical
	CleanList      = cleanList
)
