package app

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkObserveRequest is what the metrics add to every request: one histogram
// observation, its child found in the map of (method, route, status).
func BenchmarkObserveRequest(b *testing.B) {
	db, err := OpenStore(Config{DBPath: filepath.Join(b.TempDir(), "m.db"), Secret: []byte("0123456789abcdef0123"), Location: time.UTC},
		slog.New(slog.DiscardHandler))
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
