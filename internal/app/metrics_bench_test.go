package app

import (
	"path/filepath"
	"testing"
	"time"

	"regulars/preferences/sqlite"
)

// BenchmarkObserveRequest is what the metrics add to every request: one histogram
// observation, its child found in the map of (method, route, status).
func BenchmarkObserveRequest(b *testing.B) {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "m.db"), sqlite.Options{Secret: []byte("0123456789abcdef0123")})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m := newMetrics(db)
	b.ReportAllocs()
	for b.Loop() {
		m.observeRequest("GET", "/api/guests/:id/recognition", 200, 1200*time.Microsecond)
	}
}
