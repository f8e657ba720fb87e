package benchdata_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"regulars/internal/benchdata"
)

// TestGenerateTiming times a load of REGULARS_BENCHDATA_GUESTS guests into the engines
// REGULARS_BENCHDATA_ENGINES names ("sqlite,postgres" by default), with progress lines:
//
//	REGULARS_BENCHDATA_GUESTS=100000 ./scripts/with-postgres go test -count=1 -v -timeout 1h \
//		-run TestGenerateTiming ./internal/benchdata/
//
// Without the variable it is skipped: it takes minutes at the sizes worth timing.
func TestGenerateTiming(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("REGULARS_BENCHDATA_GUESTS"))
	if n == 0 {
		t.Skip("REGULARS_BENCHDATA_GUESTS is not set")
	}
	engines := os.Getenv("REGULARS_BENCHDATA_ENGINES")
	if engines == "" {
		engines = "sqlite,postgres"
	}
	opt := benchdata.Options{Guests: n, Secret: secret, Location: shanghai, Progress: testWriter{t}}
	for _, engine := range strings.Split(engines, ",") {
		ctx := context.Background()
		var start time.Time
		var err error
		var guests int
		switch engine {
		case "sqlite":
			db := openSQLite(t)
			start = time.Now()
			err = benchdata.Generate(ctx, db, opt)
			guests = count(t, db.Reader(), "guests")
		case "postgres":
			db := openPostgres(t)
			start = time.Now()
			err = benchdata.GeneratePostgres(ctx, db.Pool(), opt)
			guests = count(t, db.SQL(), "guests")
		default:
			t.Fatalf("unknown engine %q", engine)
		}
		if err != nil || guests != n {
			t.Fatalf("%s: %v, %d guests", engine, err, guests)
		}
		t.Logf("%s: %d guests in %.1f s", engine, n, time.Since(start).Seconds()) // with the count
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
