package storetest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
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

// Snapshot returns, as JSON, everything a request or a job could change in
// db: the programme, every round with its matches and places, the whole
// audit log, the events, every token and the outbox. Two snapshots differ
// when anything was written, so a test of a refused request can check that
// it changed nothing.
func Snapshot(tb testing.TB, db *store.DB) []byte {
	tb.Helper()
	ctx := context.Background()
	var all []any
	add := func(v any, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, v)
	}
	orgs, err := db.Organizations(ctx)
	add(orgs, err)
	people, err := db.Participants(ctx)
	add(people, err)
	add(db.Communities(ctx))
	rs, err := db.Rounds(ctx)
	add(rs, err)
	for _, r := range rs {
		add(db.RoundMatches(ctx, r.ID))
		add(db.RoundPlaces(ctx, r.ID))
	}
	add(db.Audit(ctx, store.AuditQuery{}))
	add(db.Events(ctx, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC)))
	add(db.Tokens(ctx, program.TokenAdmin, ""))
	add(db.Tokens(ctx, program.TokenMetrics, ""))
	add(db.Tokens(ctx, program.TokenProgramme, ""))
	for _, o := range orgs {
		add(db.Tokens(ctx, program.TokenHost, string(o.ID)))
		add(db.Tokens(ctx, program.TokenFeed, string(o.ID)))
	}
	for _, p := range people {
		add(db.Tokens(ctx, program.TokenFeed, string(p.ID)))
	}
	add(db.Outbox(ctx))
	b, err := json.Marshal(all)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
