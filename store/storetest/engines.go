package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/store"
)

// Engine is a database engine that tests run on, and how to make a fresh
// database of it.
type Engine struct {
	Name string
	// DSN returns the address of a fresh, empty database, removed when tb
	// ends.
	DSN func(tb testing.TB) string
}

// Engines returns the engines every test that touches a database runs on:
// SQLite, a file in the test's temporary folder, and PostgreSQL, a
// database of the test binary's throw-away cluster (its TestMain must run
// pgtest.Main with Migrate).
func Engines() []Engine {
	return []Engine{
		{"sqlite", func(tb testing.TB) string { return "sqlite:" + filepath.Join(tb.TempDir(), "khidi.db") }},
		{"postgres", pgtest.NewDatabase},
	}
}

// Open opens the database at dsn, migrating it, and closes it when tb ends.
func Open(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Seed stores the demo programme of cfg in db and returns it.
func Seed(tb testing.TB, db *store.DB, cfg demodata.Config) demodata.Programme {
	tb.Helper()
	p := demodata.Generate(cfg)
	if err := db.Upsert(context.Background(), store.Records{Organizations: p.Organizations, Participants: p.Participants, Communities: p.Communities}); err != nil {
		tb.Fatal(err)
	}
	return p
}
