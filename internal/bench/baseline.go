package bench

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	_ "github.com/mattn/go-sqlite3" // the driver the store uses

	"regulars/preferences/sqlite"
)

// ServeBaseline serves the raw-limit baselines on ln until ctx ends:
//
//	GET /static      a fixed small JSON (baseline A)
//	GET /guests/:id  one prepared primary-key SELECT on the database at dbPath,
//	                 through a read pool opened like the store's (baseline B)
//
// B's pool is larger than the store's (see readConns): 8 connections of 20 MB of page
// cache. Alternated at 1M guests, B served 30.2k req/s as it is and 28.7k with 4 of
// 16 MB, and B is meant as the stack's fastest.
func ServeBaseline(ctx context.Context, ln net.Listener, dbPath string) error {
	app, closeDB, err := BaselineApp(dbPath)
	if err != nil {
		return err
	}
	defer closeDB()
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return app.ShutdownWithTimeout(5 * time.Second)
}

// BaselineApp is the baselines' Fiber app on the database at dbPath (ServeBaseline);
// closeDB closes the database once the app is done.
func BaselineApp(dbPath string) (app *fiber.App, closeDB func(), err error) {
	db, err := sql.Open("sqlite3", sqlite.DSN(dbPath, true))
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	stmt, err := db.Prepare(`SELECT id, family_name, given_name, email FROM guests WHERE id = ?`)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	app = fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/static", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok", "service": "baseline"})
	})
	app.Get("/guests/:id", func(c *fiber.Ctx) error {
		var g struct {
			ID     string `json:"id"`
			Family string `json:"family_name"`
			Given  string `json:"given_name"`
			Email  string `json:"email"`
		}
		err := stmt.QueryRowContext(c.UserContext(), c.Params("id")).Scan(&g.ID, &g.Family, &g.Given, &g.Email)
		if errors.Is(err, sql.ErrNoRows) {
			return c.SendStatus(fiber.StatusNotFound)
		}
		if err != nil {
			return err
		}
		return c.JSON(g)
	})
	return app, func() { stmt.Close(); db.Close() }, nil
}
