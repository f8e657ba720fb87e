// Package pgtest gives each test a fresh, empty PostgreSQL database on the server that
// REGULARS_TEST_POSTGRES names; `make test` starts a throw-away one (scripts/with-postgres).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env names the server: a postgres:// URL of a role that may create databases.
const Env = "REGULARS_TEST_POSTGRES"

// URL returns the URL of a new, empty database for t alone, dropped when t ends (its
// connections closed). Without a server the test fails: PostgreSQL is never skipped.
func URL(t testing.TB) string {
	t.Helper()
	server := os.Getenv(Env)
	if server == "" {
		t.Fatalf("%s is not set: run the tests through `make test` (it starts a throw-away PostgreSQL) "+
			"or ./scripts/with-postgres go test …, or set %s=postgres://user@host:port/db to use a server of yours", Env, Env)
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		// Neither the text nor the parse error is shown: the URL may hold a password.
		t.Fatalf("%s must be a postgres:// URL", Env)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "regulars_test_" + hex.EncodeToString(b) // test binaries of several packages share the server
	// template0: empty whatever was added to template1 of a server one brings.
	if err := admin(server, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatalf("pgtest: create the test database: %v", err)
	}
	t.Cleanup(func() {
		if err := admin(server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop the test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// admin runs one statement on the server's own database, on a connection of its own
// (CREATE and DROP DATABASE cannot run in a transaction, nor in the database concerned).
func admin(server, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	return err
}
