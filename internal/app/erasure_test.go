package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// erasureSentinels are a guest's values, each a string found nowhere else, in every
// place the service copies them: the profile, the search text, preferences changed twice
// (so that old values exist), notes, feedback with its resolution and follow-up, a
// contact (its material and note), and the birthday letter.
var erasureSentinels = map[string]string{
	"family_name":  "Vexquorinth",
	"given_name":   "Ulthrabiel",
	"email":        "ulthra.vexquorinth@sentinel.example",
	"phone":        "+86 139 7531 8642",
	"phone_digits": "8613975318642",
	"birthday":     "1953-10-29",
	"time_zone":    "America/Punta_Arenas",
	"allergen":     "zorblatt pollen",
	"instructions": "keep glixwort away",
	"laundry":      "用马鞭草皂洗",
	"old_notes":    "brambleworth pillow",
	"notes":        "quillmoss pillow",
	"dept_note":    "no snorklewort in the soup",
	"feedback":     "pastry too sweet for glimmerquist",
	"resolution":   "recipe changed for frindlewhistle",
	"follow_up":    "hand wobblecrank a box of pastry",
	"material":     "snargleplume spa offer",
	"contact_note": "asked about wibblethorn tickets",
}

// TestErasureLeavesNoTrace: after DELETE /api/guests/{id} none of the guest's values is
// left while the service still runs, after a clean stop and after a restart. On SQLite
// none is in the raw bytes of any file under the data folder (the database, its
// write-ahead log and shared memory, the outbox's .eml files). On PostgreSQL, whose
// files are the server's, none is in any row of any table (read as text) nor in the
// outbox's files; the old row versions until VACUUM and the server's WAL are not
// reached (README, "What erasure guarantees"). Before the erasure every value is found
// there, so the search does find what is there.
func TestErasureLeavesNoTrace(t *testing.T) {
	cfg := testkit.Config(t)
	if testkit.Engine() == "postgres" {
		t.Chdir(t.TempDir()) // beside PostgreSQL the outbox is data/outbox under the working directory
	}
	dataDir, err := filepath.Abs(app.DataDir(cfg))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	desk, manager := testkit.Token(t, a, preferences.RoleFrontDesk), testkit.Token(t, a, preferences.RoleManager)
	call := func(a *app.App, method, path, token string, body any, want int) testkit.Response {
		t.Helper()
		r := testkit.Call(t, a, method, path, token, body)
		if r.Status != want {
			t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
		return r
	}
	s := erasureSentinels
	// Created with an Idempotency-Key: the stored answer is one more copy of the values.
	create := testkit.Request(t, "POST", "/api/guests", desk, map[string]any{"family_name": s["family_name"], "given_name": s["given_name"],
		"email": s["email"], "phone": s["phone"], "birthday": s["birthday"], "time_zone": s["time_zone"],
		"marketing_consent": true})
	create.Header.Set("Idempotency-Key", "erasure-test-create")
	created := testkit.Do(t, a, create)
	if created.Status != 201 {
		t.Fatalf("create: %d %s", created.Status, created.Body)
	}
	id := created.Map(t)["id"].(string)
	// A guest who stays, with a letter of the same day: only the erased guest's goes.
	keeper := call(a, "POST", "/api/guests", desk, map[string]any{"family_name": "Keeper", "email": "keeper@example.com",
		"birthday": "1960-10-29", "marketing_consent": true}, 201).Map(t)["id"].(string)

	prefs := "/api/guests/" + id + "/preferences"
	call(a, "PUT", prefs, desk, map[string]any{"notes": s["old_notes"], "housekeeping": map[string]any{"laundry": "any"}, "allergies": []any{}}, 200)
	call(a, "PATCH", prefs, desk, map[string]any{"notes": s["notes"], "housekeeping": map[string]any{"laundry": s["laundry"]},
		"allergies": []map[string]string{{"allergen": s["allergen"], "severity": "severe", "instructions": s["instructions"]}}}, 200)
	call(a, "POST", "/api/guests/"+id+"/notes", desk, map[string]string{"department": "kitchen", "text": s["dept_note"]}, 201)
	call(a, "POST", "/api/guests/"+id+"/contacts", desk, map[string]string{"channel": "material", "material": s["material"], "note": s["contact_note"]}, 201)
	fb := call(a, "POST", "/api/guests/"+id+"/feedback", desk, map[string]string{"kind": "complaint", "text": s["feedback"]}, 201).Map(t)["id"].(string)
	call(a, "POST", "/api/feedback/"+fb+"/resolve", desk, map[string]string{"resolution": s["resolution"], "follow_up": s["follow_up"]}, 200)
	// A date of this year: the run takes dates within two years of today.
	run := call(a, "POST", "/api/outreach/birthday/run", manager, map[string]any{"date": fmt.Sprintf("%d-10-29", time.Now().Year()), "dry_run": false}, 200)
	if n := strings.Count(string(run.Body), `"status":"queued"`); n != 2 {
		t.Fatalf("birthday run: %s", run.Body)
	}
	if err := a.Outreach.Deliver(context.Background()); err != nil { // the letters written now, not by the background sender
		t.Fatal(err)
	}
	for range 3 {
		call(a, "GET", "/api/guests/"+id, desk, nil, 200)
		call(a, "GET", "/api/guests/"+id+"/recognition", desk, nil, 200)
	}
	if err := a.Store.FlushAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a.Store.Engine == "sqlite" {
		// The files hold text as UTF-8 (no UTF-16 forms to look for).
		var encoding string
		if err := testkit.QueryRow(t, a, `PRAGMA encoding`).Scan(&encoding); err != nil || encoding != "UTF-8" {
			t.Fatalf("encoding %q (%v)", encoding, err)
		}
	}

	found := traces(t, a, dataDir)
	for name, value := range s {
		if len(found[value]) == 0 {
			t.Errorf("before the erasure %s (%q) is in no file of the data folder: the search finds nothing", name, value)
		}
	}
	if !slicesHasSuffix(found[s["email"]], ".eml") {
		t.Errorf("before the erasure the email is in no .eml file: %v", found[s["email"]])
	}
	if t.Failed() {
		t.FailNow()
	}

	call(a, "DELETE", "/api/guests/"+id, manager, nil, 204)
	assertNoSentinel(t, a, dataDir, "right after the erasure, the service running")
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoSentinel(t, nil, dataDir, "after a clean stop")

	b, err := app.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	call(b, "GET", "/api/guests/"+id, desk, nil, 404)
	call(b, "GET", "/api/guests/"+keeper, desk, nil, 200)
	letters, err := filepath.Glob(filepath.Join(dataDir, "outbox", "*.eml"))
	if err != nil || len(letters) != 1 {
		t.Fatalf("the outbox holds %v (%v), want the other guest's letter alone", letters, err)
	}
	// Who did what and when is kept; the values are not.
	var changes, withValues int
	err = testkit.QueryRow(t, b, `SELECT count(*), count(*) FILTER (WHERE old_value <> '' OR new_value <> '')
		FROM preference_changes WHERE guest_id = ?`, id).Scan(&changes, &withValues)
	if err != nil || changes == 0 || withValues != 0 {
		t.Fatalf("preference changes of the erased guest: %d, %d with values (%v)", changes, withValues, err)
	}
	assertNoSentinel(t, b, dataDir, "after a restart")
}

// assertNoSentinel fails for every sentinel traces finds (in the files alone when a is nil).
func assertNoSentinel(t *testing.T, a *app.App, dir, when string) {
	t.Helper()
	for value, places := range traces(t, a, dir) {
		t.Errorf("%s: %q is still in %v", when, value, places)
	}
}

// traces maps each sentinel to the places it is found: the files under dir and, on
// PostgreSQL (whose files are the server's), the tables of a's database, when a is
// not nil.
func traces(t *testing.T, a *app.App, dir string) map[string][]string {
	t.Helper()
	found := sentinelsIn(t, dir)
	if a != nil && a.Store.Engine == "postgres" {
		for value, tables := range sentinelsInTables(t, a) {
			found[value] = append(found[value], tables...)
		}
	}
	return found
}

// sentinelsInTables maps each sentinel found in a row of a table of a's PostgreSQL
// database, the whole row read as text, to those tables.
func sentinelsInTables(t *testing.T, a *app.App) map[string][]string {
	t.Helper()
	db := testkit.DB(t, a)
	rows, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil || len(tables) == 0 {
		t.Fatalf("tables %v: %v", tables, err)
	}
	found := map[string][]string{}
	for _, table := range tables {
		var text string
		if err := db.QueryRow(`SELECT coalesce(string_agg(r::text, E'\n'), '') FROM ` + pgx.Identifier{table}.Sanitize() + ` AS r`).Scan(&text); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		for _, value := range erasureSentinels {
			if slices.ContainsFunc(sentinelForms(value), func(form string) bool { return strings.Contains(text, form) }) {
				found[value] = append(found[value], "table "+table)
			}
		}
	}
	return found
}

// sentinelsIn maps each sentinel found in the raw bytes of a file under dir to those
// files: as UTF-8 and, since JSON (the stored preferences) may escape other characters
// than ASCII, in that form too.
func sentinelsIn(t *testing.T, dir string) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, value := range erasureSentinels {
			for _, form := range sentinelForms(value) {
				if bytes.Contains(b, []byte(form)) {
					found[value] = append(found[value], filepath.Base(path))
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// sentinelForms returns s as UTF-8 and, when it has other characters than ASCII, as
// JSON writes them escaped (\uXXXX; the sentinels are in the Basic Multilingual Plane).
func sentinelForms(s string) []string {
	var escaped strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			escaped.WriteRune(r)
		} else {
			fmt.Fprintf(&escaped, `\u%04x`, r)
		}
	}
	if escaped.String() == s {
		return []string{s}
	}
	return []string{s, escaped.String()}
}

// slicesHasSuffix reports whether a name in names ends with suffix.
func slicesHasSuffix(names []string, suffix string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, suffix) })
}
