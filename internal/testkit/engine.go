package testkit

import (
	"os"
	"path/filepath"
	"testing"

	"regulars/internal/pgtest"
)

// EngineEnv chooses the engine of the service tests start: unset or "sqlite" for a
// file in the test's temp dir, "postgres" for a fresh database on the server
// REGULARS_TEST_POSTGRES names. `make test` runs the service tests once on each.
const EngineEnv = "REGULARS_TEST_ENGINE"

// Engine is the engine the tests run on.
func Engine() string {
	if os.Getenv(EngineEnv) == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// Database returns REGULARS_DB for a fresh, empty database on the tests' engine.
func Database(t testing.TB) string {
	t.Helper()
	if Engine() == "postgres" {
		return pgtest.URL(t)
	}
	return filepath.Join(t.TempDir(), "regulars.db")
}
