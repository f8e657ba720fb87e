package frontdesk

import "testing"

func TestFieldLabel(t *testing.T) {
	for in, want := range map[string]string{
		"documents[0].number":   "Document number",
		"allergies[1].severity": "Allergy 2 severity",
		"room.min_floor":        "Min floor",
		"family_name":           "Family name",
		"number":                "Document number",
		"":                      "Input",
	} {
		if got := fieldLabel(in); got != want {
			t.Errorf("fieldLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
