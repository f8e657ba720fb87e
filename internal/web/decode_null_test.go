package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"

	"regulars/preferences"
)

// fieldsOf returns the fields an EINVALID error names, nil for no error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	if preferences.ErrorCode(err) != preferences.EINVALID {
		t.Fatalf("error %v is not EINVALID", err)
	}
	var out []string
	for _, f := range err.(*preferences.Error).Fields {
		out = append(out, f.Field)
	}
	return out
}

// A body that is not an object would decode into an untouched zero request: refused,
// naming the body, whatever the request type.
func TestDecodeBodyMustBeObject(t *testing.T) {
	for _, body := range []string{`null`, ` null `, "\nnull\n", `[]`, `[{"notes":"x"}]`, `"x"`, `1`, `true`, `false`} {
		for _, v := range []any{new(preferences.Preferences), new(lookupBody)} {
			err := decodeStrict([]byte(body), v)
			if got := fieldsOf(t, err); !reflect.DeepEqual(got, []string{"body"}) {
				t.Errorf("%q into %T: fields %v (%v), want body", body, v, got, err)
			}
		}
	}
}

// Every null is refused and named by its path, as validation names fields.
func TestDecodeNullNamesField(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{`{"allergies":null}`, []string{"allergies"}},
		{`{"room":null}`, []string{"room"}},
		{`{"room":{"view":"river","min_floor":null}}`, []string{"room.min_floor"}},
		{`{"allergies":[{"allergen":"nuts","severity":"mild"},{"allergen":"soap","severity":null}]}`, []string{"allergies[1].severity"}},
		{`{"room":{"features":["internet",null]}}`, []string{"room.features[1]"}},
		{`{"notes":null,"dining":{"breakfast":null,"dietary":[]}}`, []string{"notes", "dining.breakfast"}},
		{`{"not\u0065s":null}`, []string{"notes"}},
		{`{"notes":"null \"null\" {[,"}`, nil},
		{`{"notes":"","room":{"min_floor":0,"features":[]},"allergies":[]}`, nil},
	}
	for _, tt := range tests {
		var p preferences.Preferences
		err := decodeStrict([]byte(tt.body), &p)
		if got := fieldsOf(t, err); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: fields %v (%v), want %v", tt.body, got, err, tt.want)
		}
	}
}

// keepInTouch declares one field that may be null.
type keepInTouch struct {
	Days *int   `json:"keep_in_touch_days"`
	Name string `json:"name"`
}

func (*keepInTouch) JSONNullable(path string) bool { return path == "keep_in_touch_days" }

func TestDecodeNullableFields(t *testing.T) {
	var v keepInTouch
	if err := decodeStrict([]byte(`{"keep_in_touch_days":null,"name":"a"}`), &v); err != nil || v.Days != nil || v.Name != "a" {
		t.Fatalf("declared nullable: %+v %v", v, err)
	}
	if got := fieldsOf(t, decodeStrict([]byte(`{"keep_in_touch_days":null,"name":null}`), new(keepInTouch))); !reflect.DeepEqual(got, []string{"name"}) {
		t.Fatalf("undeclared null: fields %v, want name", got)
	}
}

// tokenNullPaths is nullPaths written over encoding/json's tokenizer: slower, plainly
// right. body must be valid JSON.
func tokenNullPaths(body []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	var out []string
	var value func(levels []jsonLevel)
	value = func(levels []jsonLevel) {
		tok, _ := dec.Token()
		switch tok {
		case json.Delim('{'):
			levels = append(levels, jsonLevel{})
			for dec.More() {
				key, _ := dec.Token()
				levels[len(levels)-1].key = key.(string)
				value(levels)
			}
			dec.Token()
		case json.Delim('['):
			levels = append(levels, jsonLevel{array: true})
			for i := 0; dec.More(); i++ {
				levels[len(levels)-1].index = i
				value(levels)
			}
			dec.Token()
		case nil:
			out = append(out, jsonPath(levels))
		}
	}
	value(nil)
	return out
}

var nullBodies = []string{
	`{"a":null}`, `{"a":[null,1,null]}`, `{"a":{"b":[{"c":null},{"c":[null]}]},"d":null}`,
	`{"a\"b":null}`, `{"a\\":null,"b":"\\"}`, `{"a":"n\u006ell","b":null}`, `{"a":[[],[null],{}]}`,
	`{ "a" : [ 1 , null ] , "b" : { } }`, `{"ключ":null,"丁":[null]}`, `{"a":null,"a":null}`,
}

func TestNullPathsSameAsTokenizer(t *testing.T) {
	for _, body := range nullBodies {
		sameNullPaths(t, body)
	}
}

// sameNullPaths compares the two on any body DecodeJSON would scan: a valid UTF-8 JSON object.
func sameNullPaths(t *testing.T, body string) {
	var v any
	if !utf8.ValidString(body) || !json.Valid([]byte(body)) || json.Unmarshal([]byte(body), &v) != nil {
		return
	}
	if _, ok := v.(map[string]any); !ok {
		return
	}
	if got, want := nullPaths([]byte(body)), tokenNullPaths([]byte(body)); !reflect.DeepEqual(got, want) {
		t.Errorf("body %s:\nscan  %q\ntoken %q", body, got, want)
	}
}

func FuzzNullPaths(f *testing.F) {
	for _, body := range nullBodies {
		f.Add(body)
	}
	f.Add(`{"x":` + strconv.Quote("\\\"null") + `}`)
	f.Fuzz(sameNullPaths)
}
