package preferences

// ParseCanonical is ParseStored's fast path, exported to the tests: ok tells a test it did
// not fall back to json.Unmarshal.
var ParseCanonical = parseCanonical
