package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the "postgres" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the "sqlite" driver, pure Go
)

func init() {
	// sqlx knows lib/pq's placeholders but not the pure-Go SQLite driver's
	// name; without this, Rebind would leave '?' alone only by accident.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// DefaultDSN is the database used when none is given: a SQLite file in the
// working directory, so that a newcomer needs nothing installed.
const DefaultDSN = "sqlite:khidi.db"

// Names of the migration bookkeeping, shared by both engines.
const (
	// versionTable records the applied migrations (goose's table).
	versionTable = "schema_migrations"
	// migrateLockID is the PostgreSQL advisory lock key held while
	// migrating: the bytes of "khidimig", so it will not collide with the
	// keys of other applications sharing the server.
	migrateLockID = 0x6b68_6964_696d_6967
)

// sqlitePragmas are set on every SQLite connection: foreign keys enforced
// (SQLite leaves them off by default), write-ahead logging so readers do not
// block the writer, a wait of up to ten seconds for a busy database instead
// of an immediate SQLITE_BUSY, and BEGIN IMMEDIATE so a write transaction
// takes the write lock up front rather than failing when it upgrades.
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"

// DB is an open khidi database on either engine. It is safe for concurrent
// use.
type DB struct {
	db      *sqlx.DB
	dialect dialect
	// Now is the clock the store reads when it stamps a record; tests
	// replace it. Open sets it to time.Now.
	Now func() time.Time
}

// Open connects to the database named by dsn and applies any migrations it
// lacks. dsn is one of
//
//	postgres://user:pass@host/db?sslmode=disable   (also postgresql://)
//	host=/run/postgresql dbname=khidi              (lib/pq key=value form)
//	sqlite:khidi.db                                (a file, created if missing)
//
// ctx bounds connecting and migrating, not the life of the DB.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var (
		d         dialect
		driverDSN string
	)
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"), strings.HasPrefix(dsn, "host="):
		d, driverDSN = postgresDialect, dsn
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" || strings.ContainsRune(path, '?') {
			return nil, fmt.Errorf("store: open %q: want sqlite:PATH with a file path that has no '?'", dsn)
		}
		d, driverDSN = sqliteDialect, path+"?"+sqlitePragmas
	default:
		// The DSN may hold a password, so it is not repeated.
		return nil, errors.New("store: open: unknown database form; want postgres://…, a lib/pq key=value DSN starting with host=, or sqlite:PATH")
	}

	sdb, err := sqlx.Open(d.driver, driverDSN)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", d.name, err)
	}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", d.name, err)
	}
	if d.maxConns > 0 {
		sdb.SetMaxOpenConns(d.maxConns)
		sdb.SetMaxIdleConns(d.maxConns)
	}
	db := &DB{db: sdb, dialect: d, Now: time.Now}
	if err := db.Migrate(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database's connections.
func (db *DB) Close() error { return db.db.Close() }

// provider returns a goose provider for db's embedded migrations.
func (db *DB) provider() (*goose.Provider, error) {
	opts := []goose.ProviderOption{
		goose.WithTableName(versionTable),
		goose.WithLogger(goose.NopLogger()),
	}
	if db.dialect.advisoryLock {
		// Poll every second for up to five minutes: a replica that
		// starts while another migrates waits for it, then finds nothing
		// left to do.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrateLockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(db.dialect.goose, db.db.DB, db.dialect.migrationFS(), opts...)
}

// Migrate applies the embedded migrations that db lacks, each in its own
// transaction. Open calls it; calling it again does nothing.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("store: migrate %s: %w", db.dialect.name, err)
	}
	// Not p.Close: it would close db's connections.
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", db.dialect.name, err)
	}
	return nil
}

// SchemaVersion returns the version of the newest migration applied to db
// (0 when none is).
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// LatestVersion returns the version of the newest migration embedded in the
// binary, which Open brings every database to.
func LatestVersion() int64 {
	var latest int64
	for _, d := range []dialect{postgresDialect, sqliteDialect} {
		vs, err := migrationVersions(d)
		if err != nil {
			panic(err) // the embedded files are fixed at build time; a test checks them
		}
		if n := len(vs); n > 0 && vs[n-1] > latest {
			latest = vs[n-1]
		}
	}
	return latest
}
