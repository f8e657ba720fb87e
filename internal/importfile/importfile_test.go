package importfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"regulars/internal/importfile"
	"regulars/preferences"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// readAll reads every record of a file, failing the test on a reading error.
func readAll(t testing.TB, r io.Reader, opt importfile.Options) ([]importfile.Record, []importfile.RowError) {
	t.Helper()
	opt.Now = now
	rd, err := importfile.NewReader(r, opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []importfile.Record
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out, rd.Notices()
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
}

func readFile(t testing.TB, name string, opt importfile.Options) ([]importfile.Record, []importfile.RowError) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if opt.Format == "" {
		opt.Format = importfile.FormatFor(name)
	}
	return readAll(t, f, opt)
}

// errorsOf lists every row error as "row field: message".
func errorsOf(recs []importfile.Record) []string {
	var out []string
	for _, r := range recs {
		for _, e := range r.Errors {
			out = append(out, fmt.Sprintf("%d %s: %s", e.Row, e.Field, e.Message))
		}
	}
	return out
}

func good(recs []importfile.Record) []importfile.Record {
	var out []importfile.Record
	for _, r := range recs {
		if !r.Bad() {
			out = append(out, r)
		}
	}
	return out
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestGenericCSV(t *testing.T) {
	recs, notices := readFile(t, "guests.csv", importfile.Options{})
	if len(recs) != 5 || len(notices) != 0 {
		t.Fatalf("%d records, notices %v", len(recs), notices)
	}
	ding := recs[0].Guest
	if recs[0].Row != 2 || ding == nil || ding.ExternalID != "PMS-0001" || str(ding.Fields.FamilyName) != "丁" || str(ding.Fields.Salutation) != "丁总" {
		t.Fatalf("first row (after the BOM and header): %+v %v", recs[0], recs[0].Errors)
	}
	if !*ding.Fields.MarketingConsent || ding.ConsentAt != time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC) || ding.ConsentSource != "registration card" {
		t.Errorf("consent: %v %v %q", *ding.Fields.MarketingConsent, ding.ConsentAt, ding.ConsentSource)
	}
	if d := *ding.Fields.Documents; len(d) != 1 || d[0].Type != "cn_resident_id" {
		t.Errorf("documents: %d", len(d))
	}
	p := ding.Preferences
	wantRoom := preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Quiet: true, Features: []string{"internet", "bathtub"}}
	if !reflect.DeepEqual(p.Room, wantRoom) || p.Dining.Breakfast != "in room: nutritious fruit platter" ||
		!reflect.DeepEqual(p.Allergies, []preferences.Allergy{{Allergen: "laundry detergent", Severity: "moderate", Instructions: "wash clothes with soap only"}}) ||
		p.Housekeeping.Laundry != "soap only, no detergent" || p.Notes != "Prefers the river side.\nFound the pastry too sweet last time." {
		t.Errorf("preferences: %+v", p)
	}
	if want := []string{"room", "dining", "allergies", "housekeeping", "notes"}; !reflect.DeepEqual(ding.Sections, want) {
		t.Errorf("sections %v, want %v", ding.Sections, want)
	}
	li := recs[1].Guest
	if li == nil || len(li.Preferences.Allergies) != 2 || li.Preferences.Allergies[0].Severity != "severe" || !reflect.DeepEqual(li.Sections, []string{"dining", "allergies"}) {
		t.Errorf("second row: %+v %v", li, recs[1].Errors)
	}
	// A cell that looks like a formula is kept as the text it is.
	if smith := recs[2].Guest; smith == nil || smith.Preferences.Notes != `=HYPERLINK("http://evil.example")` {
		t.Errorf("third row: %+v %v", smith, recs[2].Errors)
	}
	want := []string{
		"5 birthday: must be a real date as YYYY-MM-DD", // 30 February
		"5 time_zone: must be an IANA time zone such as Asia/Shanghai",
		"6 documents[0].number: the check digit does not match (GB 11643)",
	}
	if got := errorsOf(recs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}
	if recs[3].Guest != nil || recs[4].Guest != nil {
		t.Error("a bad row must hold nothing but its errors")
	}
}

func TestSemicolonsAndUnknownColumns(t *testing.T) {
	recs, notices := readFile(t, "guests_semicolon.csv", importfile.Options{})
	if want := []importfile.RowError{{Row: 1, Field: "Loyalty Tier", Message: "is not a known column: its values are not imported"}}; !reflect.DeepEqual(notices, want) {
		t.Errorf("notices %v, want %v (once, not per row)", notices, want)
	}
	if len(good(recs)) != 2 || str(recs[0].Guest.Fields.FamilyName) != "欧阳" || recs[0].Guest.Preferences.Notes != "Likes tea; green, not black" {
		t.Fatalf("%+v %v", recs, errorsOf(recs))
	}
}

func TestStaysFile(t *testing.T) {
	recs, _ := readFile(t, "stays.csv", importfile.Options{})
	want := []string{"5 check_out: must not be before check_in", "6 external_id: is required: it names the guest of the stay"}
	if got := errorsOf(recs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
	g := good(recs)
	if len(g) != 3 || g[0].Guest != nil || len(g[0].Stays) != 1 {
		t.Fatalf("%+v", g)
	}
	s := g[0].Stays[0]
	if s.ExternalID != "PMS-0001" || s.Property != "MAIN" || s.Room != "2102" || !s.DateOnly || s.Spend != "8640.00" ||
		s.CheckIn != time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC) || s.CheckOut != time.Date(2024, 3, 8, 0, 0, 0, 0, time.UTC) {
		t.Errorf("stay %+v", s)
	}
	if g[2].Stays[0].Property != "MAIN" {
		t.Errorf("property codes are upper case: %q", g[2].Stays[0].Property)
	}
}

func TestOperaMapping(t *testing.T) {
	m, err := importfile.LoadMapping("opera")
	if err != nil {
		t.Fatal(err)
	}
	recs, notices := readFile(t, "opera_history.txt", importfile.Options{Format: importfile.FormatCSV, Mapping: m})
	if len(notices) != 0 {
		t.Errorf("notices %v", notices)
	}
	if want := []string{"5 birthday: must be a real date as MM/DD/YYYY"}; !reflect.DeepEqual(errorsOf(recs), want) {
		t.Errorf("errors %q, want %q", errorsOf(recs), want)
	}
	g := good(recs)
	if len(g) != 3 {
		t.Fatalf("%d good rows", len(g))
	}
	ding := g[1]
	if ding.Guest.ExternalID != "100234" || str(ding.Guest.Fields.FamilyName) != "DING" || str(ding.Guest.Fields.Birthday) != "1975-05-12" || len(ding.Stays) != 1 {
		t.Fatalf("%+v", ding.Guest)
	}
	if s := ding.Stays[0]; s.Room != "2102" || s.Property != "MAIN" || s.CheckIn != time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC) || s.Spend != "2400.00" {
		t.Errorf("stay %+v", s)
	}
}

func TestMewsMapping(t *testing.T) {
	m, err := importfile.LoadMapping("mews")
	if err != nil {
		t.Fatal(err)
	}
	recs, notices := readFile(t, "mews_customers.csv", importfile.Options{Mapping: m})
	if len(notices) != 0 || len(good(recs)) != 2 {
		t.Fatalf("notices %v errors %v", notices, errorsOf(recs))
	}
	novak, zhang := recs[0].Guest, recs[1].Guest
	if str(novak.Fields.Language) != "en" || novak.Preferences.Notes != "Late arrival usually; Returning" || str(novak.Fields.GivenName) != "Jan" {
		t.Errorf("novak %+v", novak)
	}
	if str(zhang.Fields.Language) != "zh" || zhang.Preferences.Notes != "Vip, Media" || zhang.ExternalID != "6f1b7c2e-0c6e-4c55-9a63-2b7d9f1a0002" {
		t.Errorf("zhang %+v", zhang)
	}
}

func TestMappingFiles(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "ours.json")
	if err := os.WriteFile(own, []byte(`{"delimiter":"\t","date_format":"02.01.2006","columns":{"Name":"family_name","Geburtstag":"birthday","Zimmer":"room"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := importfile.LoadMapping(own)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := readAll(t, strings.NewReader("Name\tGeburtstag\nMüller\t24.12.1970\n"), importfile.Options{Mapping: m})
	if len(recs) != 1 || recs[0].Bad() || str(recs[0].Guest.Fields.Birthday) != "1970-12-24" {
		t.Fatalf("%+v %v", recs, errorsOf(recs))
	}
	for name, body := range map[string]string{
		"unknown target": `{"columns":{"A":"favourite_colour"}}`,
		"bad layout":     `{"date_format":"dd/mm/yyyy","columns":{"A":"family_name"}}`,
		"two-rune comma": `{"delimiter":"||","columns":{"A":"family_name"}}`,
		"no columns":     `{"delimiter":"|"}`,
		"unknown key":    `{"colums":{"A":"family_name"}}`,
	} {
		if _, err := importfile.ParseMapping([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := importfile.LoadMapping("fidelio"); err == nil {
		t.Error("an unknown mapping name was accepted")
	}
	if _, err := importfile.NamedMapping(own); err == nil {
		t.Error("NamedMapping read a file")
	}
	if m, err := importfile.NamedMapping("opera"); err != nil || m.Delimiter != "|" || m.Name != "opera" {
		t.Errorf("opera by name: %+v %v", m, err)
	}
}

func TestJSONLines(t *testing.T) {
	recs, _ := readFile(t, "guests.jsonl", importfile.Options{})
	want := []string{
		"4 marketing_consent: must be true or false",
		"5 nickname: is not a known field",
		"6 preferences.room.min_floor: must be between 0 and 200",
		"7 body: must be a JSON object",
	}
	if got := errorsOf(recs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}
	ding := recs[0]
	if ding.Row != 1 || ding.Bad() || ding.Guest.ExternalID != "J-1" || !reflect.DeepEqual(ding.Guest.Sections, []string{"room", "allergies"}) ||
		ding.Guest.ConsentAt != time.Date(2023, 5, 1, 2, 0, 0, 0, time.UTC) || len(ding.Stays) != 2 {
		t.Fatalf("%+v %v", ding.Guest, ding.Errors)
	}
	if s := ding.Stays[1]; s.DateOnly || s.CheckIn != time.Date(2025, 4, 10, 14, 3, 0, 0, time.UTC) {
		t.Errorf("a stay given in instants: %+v", s)
	}
	if recs[1].Row != 3 || recs[1].Guest.Preferences.Notes != "prefers a late check-out" {
		t.Errorf("the row after a blank line: %+v", recs[1])
	}
}

func TestVCards(t *testing.T) {
	recs, _ := readFile(t, "cards.vcf", importfile.Options{})
	if want := []string{"3 email: must be an email address like name@example.com"}; !reflect.DeepEqual(errorsOf(recs), want) {
		t.Errorf("errors %q, want %q", errorsOf(recs), want)
	}
	ding, ouyang := recs[0].Guest, recs[1].Guest
	if ding == nil || str(ding.Fields.FamilyName) != "Ding" || str(ding.Fields.GivenName) != "Wei" || str(ding.Fields.Email) != "ding@example.com" ||
		str(ding.Fields.Phone) != "+86 139 0000 0000" || str(ding.Fields.Birthday) != "1975-05-12" ||
		ding.Preferences.Notes != "General Manager, Huaxia Trading Co., Sales" {
		t.Fatalf("first card: %+v %v", ding, recs[0].Errors)
	}
	if ding.Fields.MarketingConsent != nil {
		t.Error("a business card is not marketing consent")
	}
	if ouyang == nil || str(ouyang.Fields.FamilyName) != "欧阳" || str(ouyang.Fields.GivenName) != "修" || str(ouyang.Fields.Language) != "zh" ||
		str(ouyang.Fields.Phone) != "+86-138-1234-5678" || str(ouyang.Fields.Birthday) != "1970-01-02" || ouyang.ExternalID != "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1" {
		t.Fatalf("second card: %+v %v", ouyang, recs[1].Errors)
	}
}

// TestThousandRows: 37 bad rows among 1,000 are reported, exactly those, and the others read.
func TestThousandRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("external_id,family_name,email,birthday,min_floor\n")
	bad := map[int]bool{}
	for i := 0; i < 1000; i++ {
		row := i + 2
		switch {
		case i%27 == 5 && len(bad) < 37:
			bad[row] = true
			fmt.Fprintf(&b, "X%d,Guest%d,guest%d@example.com,1980-02-30,3\n", i, i, i)
		default:
			fmt.Fprintf(&b, "X%d,Guest%d,guest%d@example.com,1980-02-28,3\n", i, i, i)
		}
	}
	recs, _ := readAll(t, strings.NewReader(b.String()), importfile.Options{})
	if len(recs) != 1000 || len(good(recs)) != 963 || len(bad) != 37 {
		t.Fatalf("%d records, %d good, %d bad planted", len(recs), len(good(recs)), len(bad))
	}
	for _, r := range recs {
		if r.Bad() != bad[r.Row] {
			t.Fatalf("row %d bad=%v: %v", r.Row, r.Bad(), r.Errors)
		}
	}
}

func TestHostileCSV(t *testing.T) {
	long := strings.Repeat("x", importfile.MaxLineBytes+10)
	huge := `"` + strings.Repeat("y\n", importfile.MaxRowBytes/2+10) + `"`
	file := "family_name,notes\n" +
		"Ok1,fine\n" +
		"Long," + long + "\n" +
		"Ok2,fine\n" +
		"Huge," + huge + "\n" +
		"Ok3,fine\n" +
		"Bad\xff\xfeUTF8,x\n" +
		"Few\n" +
		"Many,a,b\n" +
		"+Plus,@at\n" +
		"-Minus,=1+1\n" +
		"Bare\"quote,x\n" +
		"Ok4,fine\n" +
		"Unclosed,\"never closed\n" + strings.Repeat("z,z\n", 20)
	recs, _ := readAll(t, strings.NewReader(file), importfile.Options{})
	want := []string{
		"3 row: is longer than 1024 KiB (or a quoted field is never closed)",
		"5 row: is longer than 1024 KiB (or a quoted field is never closed)",
		"7 family_name: must be valid UTF-8",
		"8 row: has 1 columns; the header has 2",
		"9 row: has 3 columns; the header has 2",
		`12 row: is not valid CSV: bare " in non-quoted-field`,
		`14 row: is not valid CSV: extraneous or missing " in quoted-field`,
	}
	if got := errorsOf(recs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}
	var names []string
	for _, r := range good(recs) {
		names = append(names, str(r.Guest.Fields.FamilyName)+"|"+r.Guest.Preferences.Notes)
	}
	if want := []string{"Ok1|fine", "Ok2|fine", "Ok3|fine", "+Plus|@at", "-Minus|=1+1", "Ok4|fine"}; !reflect.DeepEqual(names, want) {
		t.Errorf("good rows %q, want %q (formulas kept as text)", names, want)
	}
}

func TestHostileVCards(t *testing.T) {
	card := func(body string) string { return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + body + "END:VCARD\r\n" }
	photo := "PHOTO;ENCODING=b;TYPE=JPEG:" + strings.Repeat("A", importfile.MaxLineBytes*2) + "\r\n"
	folded := "NOTE:" + strings.Repeat("note\r\n ", importfile.MaxRowBytes/6) + "\r\n"
	file := card("FN:Big Photo\r\n"+photo) + card("FN:Long Note\r\n"+folded) + card("FN:Fine One\r\n") +
		card("FN:\xff\xfe\r\n") + "BEGIN:VCARD\r\nFN:No End\r\n"
	recs, _ := readAll(t, strings.NewReader(file), importfile.Options{Format: importfile.FormatVCard})
	want := []string{
		"2 card: is longer than 1024 KiB",
		"4 family_name: must be valid UTF-8",
		"5 card: has no END:VCARD",
	}
	if got := errorsOf(recs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}
	if g := good(recs); len(g) != 2 || str(g[0].Guest.Fields.FamilyName) != "Photo" || str(g[1].Guest.Fields.FamilyName) != "One" {
		t.Errorf("good cards: %v", g)
	}
}

// TestNoDocumentNumberInErrors: a report names the row and field, never the number.
func TestNoDocumentNumberInErrors(t *testing.T) {
	numbers := []string{"110105197505120039", "11010519750512003X", "K12", "ÄÖÜ12345"}
	var b strings.Builder
	b.WriteString("family_name,document_type,document_number\n")
	for i, n := range numbers {
		typ := []string{"cn_resident_id", "cn_resident_id", "passport", "passport"}[i]
		fmt.Fprintf(&b, "Guest,%s,%s\n", typ, n)
	}
	b.WriteString("Guest,,110105197505120038\n")
	recs, _ := readAll(t, strings.NewReader(b.String()), importfile.Options{})
	report := strings.Join(errorsOf(recs), "\n")
	if len(good(recs)) != 0 || !strings.Contains(report, "documents[0].number") || !strings.Contains(report, "documents[0].type") {
		t.Fatalf("report:\n%s", report)
	}
	for _, n := range append(numbers, "110105197505120038", "20038", "0038") {
		if strings.Contains(report, n) {
			t.Errorf("the report holds %q:\n%s", n, report)
		}
	}
}

func TestNotAnImportFile(t *testing.T) {
	for name, body := range map[string]string{"empty": "", "no guest column": "colour,size\nred,1\n"} {
		rd, err := importfile.NewReader(strings.NewReader(body), importfile.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rd.Next(); err == nil || errors.Is(err, io.EOF) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzCSV(f *testing.F) {
	fuzzFormat(f, importfile.FormatCSV, []string{"guests.csv", "guests_semicolon.csv", "stays.csv"}, "family_name,notes\n\"a\"\"b\",\"\n\n\"\n")
}

func FuzzVCard(f *testing.F) {
	fuzzFormat(f, importfile.FormatVCard, []string{"cards.vcf"}, "BEGIN:VCARD\nN:;;;\nFN:\nBDAY:--0512\nEND:VCARD\n")
}

// fuzzFormat fuzzes a reader from the sample files and one more seed.
func fuzzFormat(f *testing.F, format string, samples []string, seed string) {
	for _, name := range samples {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(seed))
	f.Fuzz(func(t *testing.T, data []byte) { drain(t, data, importfile.Options{Format: format, Now: now}) })
}

// drain reads a file to its end: no panic, a row number on every record, and a bad row
// that holds nothing else.
func drain(t *testing.T, data []byte, opt importfile.Options) {
	rd, err := importfile.NewReader(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for i := 0; ; i++ {
		rec, err := rd.Next()
		if err != nil {
			return
		}
		if rec.Row <= last || rec.Bad() && (rec.Guest != nil || rec.Stays != nil) || !rec.Bad() && rec.Guest == nil && rec.Stays == nil {
			t.Fatalf("record %d: %+v", i, rec)
		}
		last = rec.Row
	}
}

// TestTwoHundredCards: a trade fair's 200 business cards, in both versions, are 200 guests.
func TestTwoHundredCards(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 200; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Guest%d;Anna;;;\r\nFN:Anna Guest%d\r\nORG:Firm %d\r\nEMAIL;TYPE=INTERNET:anna%d@example.com\r\nTEL;TYPE=WORK:+49 30 %07d\r\nEND:VCARD\r\n", i, i, i, i, i)
		} else {
			fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:王%s\r\nTITLE:经理\r\nTEL;VALUE=uri:tel:+86-139-%04d-0000\r\nLANG:zh\r\nEND:VCARD\r\n", string(rune('一'+i)), i)
		}
	}
	recs, _ := readAll(t, strings.NewReader(b.String()), importfile.Options{Format: importfile.FormatVCard})
	if len(recs) != 200 || len(good(recs)) != 200 {
		t.Fatalf("%d cards, %d good: %v", len(recs), len(good(recs)), errorsOf(recs))
	}
	for _, r := range recs {
		if r.Guest.Fields.MarketingConsent != nil || !reflect.DeepEqual(r.Guest.Sections, []string{"notes"}) {
			t.Fatalf("card %d: %+v", r.Row, r.Guest)
		}
	}
	if w := recs[199].Guest; str(w.Fields.FamilyName) != "王" || w.Preferences.Notes != "经理" {
		t.Errorf("last card: %+v", w)
	}
}
