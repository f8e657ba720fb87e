package app

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"

	"regulars/internal/benchdata"
	"regulars/preferences"
	"regulars/preferences/postgres"
	"regulars/preferences/sqlite"
)

// Store is the open database, whichever engine holds it, with the use cases over it.
// Everything above the store (web packages, scheduler, commands) uses the Service.
type Store struct {
	*preferences.Service
	// Engine is "sqlite" or "postgres".
	Engine string
	engine engine
}

// engine is what the composition root needs of an engine besides the Repository.
type engine interface {
	preferences.Repository
	Health(ctx context.Context) error
	Pools() map[string]*sql.DB
	Close() error
}

// IsPostgres reports whether db (REGULARS_DB, --db) names a PostgreSQL database rather
// than an SQLite file.
func IsPostgres(db string) bool {
	lower := strings.ToLower(db)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// DataDir is the folder of the service's own files (the secret, the .eml outbox): the
// SQLite file's folder, or data/ under the working directory beside PostgreSQL.
func DataDir(cfg Config) string {
	if IsPostgres(cfg.DBPath) {
		return filepath.Dir(DefaultDB)
	}
	return filepath.Dir(cfg.DBPath)
}

// OpenStore opens the database cfg names (which must be resolved), applying its
// migrations, and the use cases over it; the CLI commands use it alone.
func OpenStore(cfg Config, log *slog.Logger) (*Store, error) {
	var (
		e   engine
		err error
	)
	s := &Store{}
	if IsPostgres(cfg.DBPath) {
		s.Engine = "postgres"
		e, err = postgres.Open(context.Background(), cfg.DBPath, postgres.Options{Logger: log})
	} else {
		s.Engine = "sqlite"
		e, err = sqlite.Open(cfg.DBPath, sqlite.Options{Logger: log, BusyTimeout: cfg.BusyTimeout})
	}
	if err != nil {
		return nil, err
	}
	s.engine = e
	s.Service, err = preferences.NewService(e, preferences.ServiceOptions{Secret: cfg.Secret, Location: cfg.Location,
		Clock: cfg.StoreClock, Logger: log})
	if err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if db, ok := e.(*sqlite.DB); ok {
		s.OnErase(db.AfterErase) // the write-ahead log still holds the erased rows
	}
	return s, nil
}

// Health answers nil when requests can read and write the database, else an
// EUNAVAILABLE error whose reason says why.
func (s *Store) Health(ctx context.Context) error { return s.engine.Health(ctx) }

// Pools are the engine's connection pools by name, for their statistics.
func (s *Store) Pools() map[string]*sql.DB { return s.engine.Pools() }

// Close writes the pending audit entries of reads and closes the database.
func (s *Store) Close() error {
	return errors.Join(s.Service.Close(context.Background()), s.engine.Close())
}

// Repository is the engine under the use cases, for loaders that make their own
// Service (the demo hotel, on a clock of its own).
func (s *Store) Repository() preferences.Repository { return s.engine }

// GenerateBench fills the empty database with a generated hotel for benchmarks, with
// the engine's bulk loader.
func (s *Store) GenerateBench(ctx context.Context, opt benchdata.Options) error {
	switch db := s.engine.(type) {
	case *sqlite.DB:
		return benchdata.Generate(ctx, db, opt)
	case *postgres.DB:
		return benchdata.GeneratePostgres(ctx, db.Pool(), opt)
	}
	return errors.New("app: no bulk loader for the " + s.Engine + " engine")
}
