package importfile_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"regulars/internal/importfile"
)

// BenchmarkGenericCSV parses and judges 100,000 guest rows of the generic CSV, every
// column filled as a PMS export fills it: rows/s is what an import can read at most.
func BenchmarkGenericCSV(b *testing.B) {
	const rows = 100_000
	var file bytes.Buffer
	file.WriteString("external_id,family_name,given_name,email,phone,birthday,language,marketing_consent,document_type,document_number,min_floor,view,bed,features,dietary,allergies,notes\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&file, "X%07d,王,芳%d,guest%d@example.com,+86 139 %04d %04d,1980-%02d-%02d,zh,yes,passport,E%08d,%d,river,king,internet;bathtub,vegetarian,peanuts:severe:no nuts,\"likes tea, green\"\n",
			i, i, i, i/10000, i%10000, i%12+1, i%28+1, i, i%30)
	}
	data := file.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		rd, err := importfile.NewReader(bytes.NewReader(data), importfile.Options{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		count := 0
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil || rec.Bad() {
				b.Fatalf("%v %v", err, rec.Errors)
			}
			count++
		}
		if count != rows {
			b.Fatalf("%d rows", count)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(0, "ns/op")
}
