package bench

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"runtime"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/mattn/go-sqlite3" // the driver the store uses

	"regulars/internal/app"
	"regulars/preferences/sqlite"
)

// ServeBaseline serves the raw-limit baselines on ln until ctx ends:
//
//	GET /static      a fixed small JSON (baseline A)
//	GET /guests/:id  one primary-key SELECT on db (baseline B on an SQLite file,
//	                 baseline P on a postgres:// URL)
//
// B reads through a read pool opened like the store's but larger (see readConns): 8
// connections of 20 MB of page cache. Alternated at 1M guests, B served 30.2k req/s as
// it is and 28.7k with 4 of 16 MB, and B is meant as the stack's fastest. P reads
// through pgx's own pool (no database/sql), of twice the service's connections.
func ServeBaseline(ctx context.Context, ln net.Listener, db string) error {
	srv, closeDB, err := BaselineApp(db)
	if err != nil {
		return err
	}
	defer closeDB()
	errc := make(chan error, 1)
	go func() { errc <- srv.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return srv.ShutdownWithTimeout(5 * time.Second)
}

// baselineGuest is what baseline B and P answer.
type baselineGuest struct {
	ID     string `json:"id"`
	Family string `json:"family_name"`
	Given  string `json:"given_name"`
	Email  string `json:"email"`
}

const baselineSQL = `SELECT id, family_name, given_name, email FROM guests WHERE id = `

// BaselineApp is the baselines' Fiber app on db, an SQLite file's path or a postgres://
// URL (ServeBaseline); closeDB closes the database once the app is done.
func BaselineApp(db string) (srv *fiber.App, closeDB func(), err error) {
	var read func(ctx context.Context, id string) (baselineGuest, error)
	if app.IsPostgres(db) {
		read, closeDB, err = pgBaseline(db)
	} else {
		read, closeDB, err = sqliteBaseline(db)
	}
	if err != nil {
		return nil, nil, err
	}
	srv = fiber.New(fiber.Config{DisableStartupMessage: true})
	srv.Get("/static", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok", "service": "baseline"})
	})
	srv.Get("/guests/:id", func(c *fiber.Ctx) error {
		g, err := read(c.UserContext(), c.Params("id"))
		if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
			return c.SendStatus(fiber.StatusNotFound)
		}
		if err != nil {
			return err
		}
		return c.JSON(g)
	})
	return srv, closeDB, nil
}

// sqliteBaseline reads a guest with a prepared statement on a read-only pool.
func sqliteBaseline(path string) (func(context.Context, string) (baselineGuest, error), func(), error) {
	db, err := sql.Open("sqlite3", sqlite.DSN(path, true))
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	stmt, err := db.Prepare(baselineSQL + `?`)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	read := func(ctx context.Context, id string) (g baselineGuest, err error) {
		err = stmt.QueryRowContext(ctx, id).Scan(&g.ID, &g.Family, &g.Given, &g.Email)
		return g, err
	}
	return read, func() { stmt.Close(); db.Close() }, nil
}

// pgBaseline reads a guest with one query on a pgx pool (pgx prepares and caches it on
// each connection).
func pgBaseline(url string) (func(context.Context, string) (baselineGuest, error), func(), error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, nil, errors.New("bench: the baseline's database URL is malformed")
	}
	cfg.MaxConns = int32(8 * runtime.NumCPU()) // the service has 4 a CPU (postgres.Open)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, nil, err
	}
	read := func(ctx context.Context, id string) (g baselineGuest, err error) {
		err = pool.QueryRow(ctx, baselineSQL+`$1`, id).Scan(&g.ID, &g.Family, &g.Given, &g.Email)
		return g, err
	}
	return read, pool.Close, nil
}
