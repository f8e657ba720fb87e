package web

import "testing"

// lookupBody is a request of string fields only, like the look-up's.
type lookupBody struct {
	Type   string `json:"document_type"`
	Number string `json:"document_number"`
}

// BenchmarkDecodeLookup decodes a look-up body, the hottest request body.
func BenchmarkDecodeLookup(b *testing.B) {
	body := []byte(`{"document_type":"cn_resident_id","document_number":"110105197505120038"}`)
	b.Run("Strict", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v lookupBody
			if err := decodeStrict(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
