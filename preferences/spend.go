package preferences

import "regexp"

var spendRE = regexp.MustCompile(`^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$`)

// ValidateSpend checks a stay's spend: empty (not known) or a decimal amount such as
// "1234.50", at most two decimals, no sign, no exponent. It is stored exactly as given.
func ValidateSpend(s string) error {
	if s == "" || spendRE.MatchString(s) {
		return nil
	}
	return FieldErr("spend", "must be a decimal amount such as 1234.50")
}
