// Package store is the only package of khidi that speaks SQL: it persists
// the programme's organisations, participants and communities in PostgreSQL
// (through lib/pq) or in an embedded, pure-Go SQLite database (no cgo, no
// server), both behind one [DB] type built on sqlx.
//
// [Open] chooses the engine from the DSN and applies the migrations embedded
// from migrations/postgres and migrations/sqlite, which carry the same
// version numbers, with goose. On PostgreSQL a session advisory lock is held
// while migrating, so several replicas started together migrate once.
//
// # Row shapes
//
// List-valued fields (themes, languages, needs, preferences) and nested
// values (availability windows, blackout dates) are stored as JSON text on
// both engines. SQLite has no array type, so the alternatives were JSON or
// side tables; one encoding on both engines keeps one Go code path, one row
// shape and one round-trip test, and these lists are small, read whole with
// their row and never updated element by element. Queries that filter by
// theme (candidates by theme, in a later step) can still use the engines'
// JSON functions, or a side table added by a later migration if profiling
// asks for an index. An empty list loads as nil.
//
// # Writes
//
// Every exported write is one transaction: all of it is written or none of
// it. Upserts are batched multi-row INSERT … ON CONFLICT (id) DO UPDATE
// statements, sized under SQLite's limit on bound variables.
//
// # Errors
//
// Database failures are translated in one place: a missing row becomes
// [program.ErrNotFound], a duplicate key [program.ErrConflict], and a foreign
// key, CHECK or NOT NULL violation [program.ErrInvalid]; every error is
// wrapped with the operation and the id involved.
package store
