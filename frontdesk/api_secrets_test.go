package frontdesk_test

import (
	"bytes"
	"strings"
	"testing"

	"regulars/internal/testkit"
)

// TestNoSecretsInLogsOrResponses runs a whole session of calls and checks that no
// document number or token reaches the log, and responses carry only the last four.
func TestNoSecretsInLogsOrResponses(t *testing.T) {
	f := newFixture(t)
	g := f.createDing(t)
	id := g["id"].(string)
	passport := "E98765432"
	var bodies []string
	keep := func(b []byte) { bodies = append(bodies, string(b)) }
	keep(f.call(t, "PATCH", "/api/guests/"+id, f.desk, map[string]any{"documents": append(doc("cn_resident_id", dingID), doc("passport", passport)...)}).Body)
	keep(f.call(t, "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "passport", "document_number": passport}).Body)
	keep(f.call(t, "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "cn_resident_id", "document_number": dingID}).Body)
	keep(f.call(t, "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "cn_resident_id", "document_number": "110105197505120039"}).Body)
	keep(f.call(t, "POST", "/api/guests", f.desk, with("documents", doc("cn_resident_id", dingID))).Body)
	keep(f.call(t, "GET", "/api/guests/"+id, f.desk, nil).Body)
	keep(f.call(t, "GET", "/api/guests?q=ding", f.desk, nil).Body)
	keep(f.call(t, "GET", "/api/guests/"+id+"/export", f.manager, nil).Body)
	keep(f.call(t, "GET", "/api/guests/"+id+"/audit", f.manager, nil).Body)
	keep(f.call(t, "GET", "/api/guests/"+id, "rgl_wrongtoken", nil).Body)

	logs := f.logs.String()
	if !strings.Contains(logs, "route=/api/guests/lookup") {
		t.Fatalf("the log did not record the session:\n%s", logs)
	}
	secrets := []string{dingID, "19750512", passport, "98765432", "110105197505120039", f.desk, f.manager, "rgl_wrongtoken"}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("log contains %q", s)
		}
		for i, b := range bodies {
			if strings.Contains(b, s) {
				t.Errorf("response %d contains %q: %s", i, s, b)
			}
		}
	}
	if !strings.Contains(bodies[0], `"last4":"5432"`) || !strings.Contains(bodies[0], `"last4":"0038"`) {
		t.Errorf("documents are not shown by their last four: %s", bodies[0])
	}
	if f.count(t, `SELECT count(*) FROM guest_documents`) == 0 {
		t.Fatal("no documents stored: the check below would pass on nothing")
	}
	rows, err := testkit.DB(t, f.app).Query(`SELECT number_hash FROM guest_documents`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var hash []byte
		if err := rows.Scan(&hash); err != nil {
			t.Fatal(err)
		}
		for _, clear := range []string{passport, dingID} {
			if bytes.Contains(hash, []byte(clear)) {
				t.Errorf("a clear document number is stored: %q", hash)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
