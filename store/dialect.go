package store

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// dialect is everything that differs between the two engines.
type dialect struct {
	name      string        // "postgres" or "sqlite", for messages
	driver    string        // database/sql driver name
	goose     goose.Dialect // goose's name for the engine
	dir       string        // folder of migrations in the embedded FS
	maxParams int           // bound variables allowed in one statement
	// advisoryLock is whether migrations take a session advisory lock.
	advisoryLock bool
}

var (
	postgresDialect = dialect{
		name:         "postgres",
		driver:       "postgres",
		goose:        goose.DialectPostgres,
		dir:          "migrations/postgres",
		maxParams:    65535, // the wire protocol counts parameters in 16 bits
		advisoryLock: true,
	}
	sqliteDialect = dialect{
		name:   "sqlite",
		driver: "sqlite",
		goose:  goose.DialectSQLite3,
		dir:    "migrations/sqlite",
		// SQLITE_MAX_VARIABLE_NUMBER defaults to 32766 since SQLite 3.32;
		// staying far below it also keeps each statement's text small.
		maxParams: 32766,
	}
)

// migrationFS returns the dialect's migrations as the root of an fs.FS.
func (d dialect) migrationFS() fs.FS {
	sub, err := fs.Sub(migrations, d.dir)
	if err != nil {
		panic("store: embedded migrations missing: " + err.Error()) // d.dir is a constant
	}
	return sub
}

// migrationVersions returns the versions of d's embedded migrations in
// increasing order, read from the file names as goose does (00001_init.sql
// is version 1).
func migrationVersions(d dialect) ([]int64, error) {
	entries, err := fs.ReadDir(d.migrationFS(), ".")
	if err != nil {
		return nil, fmt.Errorf("store: read %s migrations: %w", d.name, err)
	}
	var vs []int64
	for _, e := range entries { // ReadDir sorts by name, and names are zero-padded
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: %s migration %q: want NNNNN_name.sql", d.name, e.Name())
		}
		vs = append(vs, v)
	}
	return vs, nil
}
