// Package store is the only package of khidi that speaks SQL: it persists
// the programme's organisations, participants and communities, the rounds
// that match them with their matches and offers, and calendar events, in
// PostgreSQL (through lib/pq) or in an embedded, pure-Go SQLite database (no
// cgo, no server), both behind one [DB] type built on sqlx.
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
// theme ([DB.HostCandidates] and its siblings) use the engines' JSON
// functions; a side table can be added by a later migration if profiling
// asks for an index. An empty list loads as nil. Instants are stored in UTC
// to the microsecond (PostgreSQL's precision); SQLite keeps them as
// fixed-width text so that text order is time order.
//
// # Writes
//
// Every exported write is one transaction: all of it is written or none of
// it, and every instant it stamps is the same, read once from [DB.Now]. Bulk
// writes (an import, a round's proposal) stream rows with COPY … FROM STDIN
// on PostgreSQL, through a temporary table when they upsert, and send
// multi-row INSERT statements sized under SQLite's limit on bound variables.
//
// # Capacity
//
// Each round records the places of every host, community or study circle
// it sends people to (round_places). Triggers on the
// matches table count the accepted offers per place, and a CHECK refuses a
// count above capacity, so the database itself refuses the acceptance that
// would overfill a host, whichever code path tries it and however many
// requests race: on PostgreSQL the second transaction waits for the row lock
// on the place and then sees the new count; on SQLite write transactions
// begin IMMEDIATE and so run one at a time.
//
// # Errors
//
// Database failures are translated in one place: a missing row becomes
// [program.ErrNotFound], a duplicate key [program.ErrConflict], and a foreign
// key, CHECK or NOT NULL violation [program.ErrInvalid], and the capacity
// CHECK [program.ErrCapacity]; every error is wrapped with the operation and
// the id involved.
package store
