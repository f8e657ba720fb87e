package pgtest_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"regulars/internal/pgtest"
)

// Each call gives a database of its own with nothing in it, gone when its test ends.
func TestURLGivesAFreshDatabaseDroppedAtTheEnd(t *testing.T) {
	var names []string
	ok := t.Run("use", func(t *testing.T) {
		for range 2 {
			conn := connect(t, pgtest.URL(t))
			var name string
			var tables int
			if err := conn.QueryRow(context.Background(), `SELECT current_database(),
				(SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))`).Scan(&name, &tables); err != nil {
				t.Fatal(err)
			}
			if tables != 0 {
				t.Errorf("database %s has %d tables, want none", name, tables)
			}
			if _, err := conn.Exec(context.Background(), `CREATE TABLE left_open (x int)`); err != nil {
				t.Fatal(err)
			}
			names = append(names, name) // the connection stays open: the drop must close it
		}
	})
	if !ok {
		return
	}
	if len(names) != 2 || names[0] == names[1] {
		t.Fatalf("databases %v, want two different ones", names)
	}
	server := connect(t, os.Getenv(pgtest.Env))
	var left int
	if err := server.QueryRow(context.Background(), `SELECT count(*) FROM pg_database WHERE datname = ANY($1)`, names).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d of the databases %v are still there after their test", left, names)
	}
}

// Without a server the test fails, never skips, and says how to get one.
func TestURLFailsWithoutAServer(t *testing.T) {
	t.Setenv(pgtest.Env, "")
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		pgtest.URL(r)
	}()
	<-done
	if !strings.Contains(r.fatal, "make test") || !strings.Contains(r.fatal, pgtest.Env) {
		t.Errorf("the failure says %q; want it to name `make test` and %s", r.fatal, pgtest.Env)
	}
}

// recorder keeps t.Fatalf's message and stops the goroutine as the testing package does.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
