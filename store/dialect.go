package store

import (
	"context"
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
	// forUpdate ends a SELECT that locks the rows it reads until the
	// transaction ends. SQLite needs none: a write transaction holds the
	// whole database from BEGIN IMMEDIATE.
	forUpdate string
	// skipLocked ends a SELECT that locks the rows it reads and passes over
	// rows another transaction holds, so that replicas draining one queue
	// take different rows instead of waiting for each other. SQLite, with
	// one writer at a time, needs none.
	skipLocked string
	// jsonEach is a FROM item, formatted with a column holding a JSON
	// array of strings, that yields one row per element as e.value.
	jsonEach string
	// copyIn is whether bulk writes stream rows with COPY … FROM STDIN
	// rather than sending multi-row INSERT statements.
	copyIn bool
	// maxConns bounds the connections one DB opens; 0 leaves them
	// unbounded.
	maxConns int
}

var (
	postgresDialect = dialect{
		name:         "postgres",
		driver:       "postgres",
		goose:        goose.DialectPostgres,
		dir:          "migrations/postgres",
		maxParams:    65535, // the wire protocol counts parameters in 16 bits
		advisoryLock: true,
		copyIn:       true,
		// NO KEY UPDATE: a row is locked to change it, never its key, so
		// rows that reference it (an accept's audit entry points at its
		// round) need not wait for the lock holder, as they would behind
		// FOR UPDATE.
		forUpdate:  " FOR NO KEY UPDATE",
		skipLocked: " FOR NO KEY UPDATE SKIP LOCKED",
		// A replica holds at most this many server connections: PostgreSQL
		// allows 100 by default, shared by every replica and job, and a
		// burst of requests past the pool waits for a connection instead of
		// failing with "too many clients".
		maxConns: 20,
		jsonEach: "jsonb_array_elements_text(%s::jsonb) AS e(value)",
	}
	sqliteDialect = dialect{
		name:   "sqlite",
		driver: "sqlite",
		goose:  goose.DialectSQLite3,
		dir:    "migrations/sqlite",
		// SQLITE_MAX_VARIABLE_NUMBER defaults to 32766 since SQLite 3.32;
		// staying far below it also keeps each statement's text small.
		maxParams: 32766,
		jsonEach:  "json_each(%s) AS e",
	}
)

// insert writes n rows into table's columns within tx; row(i) gives the
// values of row i. PostgreSQL streams them with COPY, which sends each row
// once and parses no SQL per row; SQLite, in process, takes multi-row INSERT
// statements sized under its limit on bound variables.
func (d dialect) insert(ctx context.Context, tx *txn, table string, columns []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	if d.copyIn {
		// A statement prepared in the transaction, as lib/pq 1.12 asks
		// instead of its deprecated pq.CopyIn.
		stmt, err := tx.PrepareContext(ctx, "COPY "+table+" ("+strings.Join(columns, ", ")+") FROM STDIN")
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range n {
			if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
				return err
			}
		}
		_, err = stmt.ExecContext(ctx) // flushes the rows and ends the COPY
		return err
	}
	return d.insertBatches(ctx, tx, table, columns, n, row, "")
}

// upsert writes n rows like insert, updating the rows whose id is already
// stored. On PostgreSQL the rows are copied into a temporary table and
// merged with one INSERT … SELECT … ON CONFLICT.
func (d dialect) upsert(ctx context.Context, tx *txn, table string, columns []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	update := " ON CONFLICT (id) DO UPDATE SET "
	for i, c := range columns[1:] {
		if i > 0 {
			update += ", "
		}
		update += c + " = excluded." + c
	}
	if !d.copyIn {
		return d.insertBatches(ctx, tx, table, columns, n, row, update)
	}
	const stage = "khidi_stage"
	cols := strings.Join(columns, ", ")
	if _, err := tx.ExecContext(ctx, "CREATE TEMPORARY TABLE "+stage+" (LIKE "+table+" INCLUDING DEFAULTS) ON COMMIT DROP"); err != nil {
		return err
	}
	if err := d.insert(ctx, tx, stage, columns, n, row); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+cols+") SELECT "+cols+" FROM "+stage+update); err != nil {
		return err
	}
	// Dropped now, not at commit, so the transaction can stage another table.
	_, err := tx.ExecContext(ctx, "DROP TABLE "+stage)
	return err
}

// insertBatches sends multi-row INSERT statements, each followed by suffix
// (an ON CONFLICT clause or nothing).
func (d dialect) insertBatches(ctx context.Context, tx *txn, table string, columns []string, n int, row func(i int) []any, suffix string) error {
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	perBatch := d.maxParams / len(columns)
	for start := 0; start < n; start += perBatch {
		end := min(start+perBatch, n)
		var q strings.Builder
		q.WriteString(head)
		args := make([]any, 0, (end-start)*len(columns))
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = append(args, row(i)...)
		}
		q.WriteString(suffix)
		if _, err := tx.ExecContext(ctx, tx.Rebind(q.String()), args...); err != nil {
			return fmt.Errorf("rows %d to %d: %w", start+1, end, err)
		}
	}
	return nil
}

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
