package importfile_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"regulars/internal/importfile"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// TestSameRulesAsTheAPI: a JSON line is refused with exactly the field names and
// messages with which POST /api/guests refuses the same body, on the real service.
func TestSameRulesAsTheAPI(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	desk := testkit.Token(t, a, preferences.RoleFrontDesk)
	bodies := []string{
		`{"given_name":"Wei"}`,
		`{"family_name":"Ding","email":"ding@","birthday":"1975-02-30","time_zone":"Mars/Olympus","language":"fr"}`,
		`{"family_name":"Ding","documents":[{"type":"cn_resident_id","number":"110105197505120039"}]}`,
		`{"family_name":"Ding","documents":[{"type":"passport","number":"K1"}]}`,
		`{"family_name":"Ding","documents":[{"type":"id_card","number":"12345"}]}`,
		`{"family_name":"Ding","birthday":"1975-05-13","documents":[{"type":"cn_resident_id","number":"110105197505120038"}]}`,
		`{"family_name":"Ding","marketing_consent":"yes"}`,
		`{"family_name":"Ding","phone":"call me"}`,
		`{"family_name":"Ding","nickname":"Jay"}`,
		`{"family_name":null}`,
		`{"family_name":"` + strings.Repeat("丁", 101) + `"}`,
	}
	for _, body := range bodies {
		r := testkit.Call(t, a, "POST", "/api/guests", desk, body)
		if r.Status != 422 {
			t.Fatalf("the API took %s: %d %s", body, r.Status, r.Body)
		}
		var problem struct{ Errors []importfile.RowError }
		if err := json.Unmarshal(r.Body, &problem); err != nil {
			t.Fatal(err)
		}
		recs, _ := readAll(t, strings.NewReader(body+"\n"), importfile.Options{Format: importfile.FormatJSONL})
		if len(recs) != 1 || !recs[0].Bad() {
			t.Fatalf("the import took %s", body)
		}
		var api, imp []string
		for _, e := range problem.Errors {
			api = append(api, e.Field+": "+e.Message)
		}
		for _, e := range recs[0].Errors {
			imp = append(imp, e.Field+": "+e.Message)
		}
		if !reflect.DeepEqual(api, imp) {
			t.Errorf("%s\n API    %q\n import %q", body, api, imp)
		}
	}
}
