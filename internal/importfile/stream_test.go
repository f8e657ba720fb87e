package importfile_test

import (
	"fmt"
	"io"
	"runtime"
	"testing"

	"regulars/internal/importfile"
)

// rowSource makes a CSV of n guest rows as it is read: the file is never in memory.
type rowSource struct {
	n, i int
	buf  []byte
}

func (s *rowSource) Read(p []byte) (int, error) {
	for len(s.buf) < len(p) && s.i <= s.n {
		if s.i == 0 {
			s.buf = append(s.buf, "external_id,family_name,email,birthday,allergies,notes\n"...)
		} else {
			s.buf = fmt.Appendf(s.buf, "S%d,Guest%d,g%d@example.com,1980-01-%02d,peanuts:severe:none,\"line one\nline two\"\n", s.i, s.i, s.i, s.i%28+1)
		}
		s.i++
	}
	if len(s.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// TestStreamsInBoundedMemory: reading many rows holds no more than reading a few.
func TestStreamsInBoundedMemory(t *testing.T) {
	const rows = 60_000
	rd, err := importfile.NewReader(&rowSource{n: rows}, importfile.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var peak uint64
	var m runtime.MemStats
	for count := 0; ; count++ {
		rec, err := rd.Next()
		if err == io.EOF {
			if count != rows {
				t.Fatalf("%d rows", count)
			}
			break
		}
		if err != nil || rec.Bad() {
			t.Fatalf("%v %v", err, rec.Errors)
		}
		if count%5000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
	}
	if peak > 16<<20 { // the rows alone are ~20 MiB: keeping them would show
		t.Errorf("the heap reached %d MiB reading %d rows", peak>>20, rows)
	}
}
