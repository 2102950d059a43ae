package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/khidi/khidi/internal/program"
)

// jsonText stores the value *v points to as JSON text and loads it back. An
// empty slice is written as [] and a loaded empty slice becomes nil, so nil
// and empty lists are the same value in the database.
type jsonText[T any] struct{ v *T }

// asJSON returns a Valuer and Scanner for *v as JSON text.
func asJSON[T any](v *T) jsonText[T] { return jsonText[T]{v} }

// Value implements driver.Valuer.
func (j jsonText[T]) Value() (driver.Value, error) {
	rv := reflect.ValueOf(*j.v)
	if rv.Kind() == reflect.Slice && rv.Len() == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(*j.v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (j jsonText[T]) Scan(src any) error {
	var b []byte
	switch s := src.(type) {
	case string:
		b = []byte(s)
	case []byte:
		b = s
	default:
		return fmt.Errorf("scan JSON from %T", src)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("scan JSON %.40q: %w", b, err)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Len() == 0 {
		var zero T
		v = zero
	}
	*j.v = v
	return nil
}

// nullText stores an empty string as NULL and loads NULL as "", for
// optional references such as a participant's organisation.
type nullText[T ~string] struct{ v *T }

// asNullText returns a Valuer and Scanner for *v that maps "" to NULL.
func asNullText[T ~string](v *T) nullText[T] { return nullText[T]{v} }

// Value implements driver.Valuer.
func (n nullText[T]) Value() (driver.Value, error) {
	if *n.v == "" {
		return nil, nil
	}
	return string(*n.v), nil
}

// Scan implements sql.Scanner.
func (n nullText[T]) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		*n.v = ""
	case string:
		*n.v = T(s)
	case []byte:
		*n.v = T(s)
	default:
		return fmt.Errorf("scan text from %T", src)
	}
	return nil
}

// table describes how one domain type T maps onto the columns of a table.
type table[T any] struct {
	name    string          // table name, e.g. "organizations"
	kind    string          // singular for messages, e.g. "organization"
	columns []string        // in the order of args and scan; columns[0] is the id
	id      func(*T) string // the record's id
	args    func(*T) []any  // values for columns
	scan    func(*T) []any  // scan destinations for columns
}

// selectSQL returns "SELECT cols FROM name".
func (tb *table[T]) selectSQL() string {
	return "SELECT " + strings.Join(tb.columns, ", ") + " FROM " + tb.name
}

// get loads the record with the given id.
func (tb *table[T]) get(ctx context.Context, db *DB, id string) (T, error) {
	var v T
	q := db.db.Rebind(tb.selectSQL() + " WHERE id = ?")
	err := db.db.QueryRowxContext(ctx, q, id).Scan(tb.scan(&v)...)
	if err != nil {
		var zero T
		return zero, wrap(err, "store: load "+tb.kind, id)
	}
	return v, nil
}

// list loads every record, ordered by id.
func (tb *table[T]) list(ctx context.Context, db *DB) ([]T, error) {
	rows, err := db.db.QueryxContext(ctx, tb.selectSQL()+" ORDER BY id")
	if err != nil {
		return nil, wrap(err, "store: list "+tb.name, "")
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(tb.scan(&v)...); err != nil {
			return nil, wrap(err, "store: list "+tb.name, "")
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "store: list "+tb.name, "")
	}
	return out, nil
}

// upsert writes items in one transaction, inserting new ids and updating
// existing ones, in batches of multi-row INSERT … ON CONFLICT statements.
// An id repeated within items is a conflict and nothing is written.
func (tb *table[T]) upsert(ctx context.Context, db *DB, items []T) error {
	op := "store: upsert " + tb.name
	seen := make(map[string]bool, len(items))
	for i := range items {
		id := tb.id(&items[i])
		if seen[id] {
			return fmt.Errorf("%s: id %q appears twice in one batch: %w", op, id, program.ErrConflict)
		}
		seen[id] = true
	}
	if len(items) == 0 {
		return nil
	}

	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return wrap(err, op, "")
	}
	defer tx.Rollback() // a no-op after Commit
	perBatch := db.dialect.maxParams / len(tb.columns)
	for start := 0; start < len(items); start += perBatch {
		batch := items[start:min(start+perBatch, len(items))]
		if err := tb.insertBatch(ctx, tx, batch); err != nil {
			return fmt.Errorf("%s, batch of %d from id %q: %w", op, len(batch), tb.id(&batch[0]), translate(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return wrap(err, op, "")
	}
	return nil
}

// insertBatch runs one multi-row INSERT … ON CONFLICT (id) DO UPDATE for
// batch, a syntax PostgreSQL and SQLite (3.24 and later) share.
func (tb *table[T]) insertBatch(ctx context.Context, tx *sqlx.Tx, batch []T) error {
	var q strings.Builder
	q.WriteString("INSERT INTO " + tb.name + " (" + strings.Join(tb.columns, ", ") + ") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(tb.columns)), ", ") + ")"
	args := make([]any, 0, len(batch)*len(tb.columns))
	for i := range batch {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(row)
		args = append(args, tb.args(&batch[i])...)
	}
	q.WriteString(" ON CONFLICT (id) DO UPDATE SET ")
	for i, c := range tb.columns[1:] {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(c + " = excluded." + c)
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(q.String()), args...)
	return err
}
