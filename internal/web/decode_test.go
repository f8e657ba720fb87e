package web

import (
	"reflect"
	"testing"
)

// fastPair takes DecodeJSON's fast path; slowPair is the same request without it.
type fastPair struct {
	Type   string `json:"document_type"`
	Number string `json:"document_number"`
}

func (p *fastPair) JSONStringField(name []byte) *string {
	switch string(name) {
	case "document_type":
		return &p.Type
	case "document_number":
		return &p.Number
	}
	return nil
}

type slowPair struct {
	Type   string `json:"document_type"`
	Number string `json:"document_number"`
}

var decodeBodies = []string{
	`{"document_type":"cn_resident_id","document_number":"110105197505120038"}`,
	" \t\r\n{ \"document_type\" : \"passport\" ,\n\"document_number\":\"E1234567\" } \n",
	`{"document_number":"丁总 номер","document_type":"passport"}`,
	`{}`, ` { } `, `{"document_type":""}`, `{"document_type":"a","document_type":"b"}`,
	`{"Document_Type":"passport"}`, `{"document_type":"pass\"port"}`, `{"document_type":"pass\u0070ort"}`,
	`{"document_type":"tab	inside"}`, `{"number":"1"}`, `{"document_type":null}`, `{"document_type":1}`,
	`{"document_type":"a",}`, `{"document_type":"a"}x`, `{"document_type":"a"}{}`, `{"document_type":"a"`,
	`{"document_type" "a"}`, `{"document_type":"a" "document_number":"b"}`, `{document_type:"a"}`, `["a"]`,
	`"a"`, `{"document_type":"a","document_number":{"x":"y"}}`, `{"":"a"}`, `{"document_type":"a"}  ` + "\x00",
	`{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9"}`,
	`{"document_type":"1","document_type":"2","document_type":"3","document_type":"4","document_type":"5",` +
		`"document_type":"6","document_type":"7","document_type":"8","document_type":"9"}`,
	"{\"document_type\":\"bad \xff utf8\"}", "", "   ", `{`, `}`, `{"document_type":"a"}` + "\u00a0",
}

// sameDecode checks that the fast path decodes body to the same value and error as the
// strict decoder alone.
func sameDecode(t *testing.T, body string) {
	t.Helper()
	var fast fastPair
	var slow slowPair
	errFast := decodeStrict([]byte(body), &fast)
	errSlow := decodeStrict([]byte(body), &slow)
	if fast != fastPair(slow) || !reflect.DeepEqual(errFast, errSlow) {
		t.Errorf("body %q:\nfast %+v %v\nslow %+v %v", body, fast, errFast, slow, errSlow)
	}
}

// DecodeJSON's reflection-free path for flat string requests gives what the strict
// decoder gives, for plain bodies and for every shape it must leave to the decoder.
func TestDecodeFlatStringsSameAsStrict(t *testing.T) {
	for _, body := range decodeBodies {
		sameDecode(t, body)
	}
	// The ordinary look-up bodies do take the fast path.
	for _, body := range decodeBodies[:4] {
		if !decodeFlatStrings([]byte(body), new(fastPair)) {
			t.Errorf("fast path not taken for %q", body)
		}
	}
}

func FuzzDecodeFlatStrings(f *testing.F) {
	for _, body := range decodeBodies {
		f.Add(body)
	}
	f.Fuzz(sameDecode)
}

func BenchmarkDecodeLookup(b *testing.B) {
	body := []byte(decodeBodies[0])
	b.Run("Strict", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v slowPair
			if err := decodeStrict(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FlatStrings", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v fastPair
			if err := decodeStrict(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
