package web

import (
	"reflect"
	"testing"

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

// Every null is named by its path, however the body is spelled.
func TestNullPaths(t *testing.T) {
	for body, want := range map[string][]string{
		`{"a":null}`:          {"a"},
		`{"a":[null,1,null]}`: {"a[0]", "a[2]"},
		`{"a":{"b":[{"c":null},{"c":[null]}]},"d":null}`: {"a.b[0].c", "a.b[1].c[0]", "d"},
		`{"a\"b":null}`:                      {`a"b`},
		`{"a\\":null,"b":"\\"}`:              {`a\`},
		`{"a":"n\u006ell","b":null}`:         {"b"},
		`{"a":[[],[null],{}]}`:               {"a[1][0]"},
		`{ "a" : [ 1 , null ] , "b" : { } }`: {"a[1]"},
		`{"ключ":null,"丁":[null]}`:           {"ключ", "丁[0]"},
		`{"a":null,"a":null}`:                {"a", "a"},
		`{"x":"\\\"null"}`:                   nil,
	} {
		if got := nullPaths([]byte(body)); !reflect.DeepEqual(got, want) {
			t.Errorf("body %s: null paths %q, want %q", body, got, want)
		}
	}
}
