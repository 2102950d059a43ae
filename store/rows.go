package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
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

// nullInt stores 0 as NULL and loads NULL as 0, for optional numbers such
// as a match's study circle or an audit entry's round.
type nullInt[T ~int | ~int64] struct{ v *T }

// asNullInt returns a Valuer and Scanner for *v that maps 0 to NULL.
func asNullInt[T ~int | ~int64](v *T) nullInt[T] { return nullInt[T]{v} }

// Value implements driver.Valuer.
func (n nullInt[T]) Value() (driver.Value, error) {
	if *n.v == 0 {
		return nil, nil
	}
	return int64(*n.v), nil
}

// Scan implements sql.Scanner.
func (n nullInt[T]) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		*n.v = 0
	case int64:
		*n.v = T(s)
	default:
		return fmt.Errorf("scan integer from %T", src)
	}
	return nil
}

// rawJSON stores a JSON document as text, nil as {}, and loads {} as nil.
type rawJSON struct{ v *json.RawMessage }

// asRawJSON returns a Valuer and Scanner for *v.
func asRawJSON(v *json.RawMessage) rawJSON { return rawJSON{v} }

// Value implements driver.Valuer.
func (r rawJSON) Value() (driver.Value, error) {
	if len(*r.v) == 0 {
		return "{}", nil
	}
	if !json.Valid(*r.v) {
		return nil, fmt.Errorf("not JSON: %.40q", *r.v)
	}
	return string(*r.v), nil
}

// Scan implements sql.Scanner.
func (r rawJSON) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan JSON from %T", src)
	}
	if s == "{}" {
		*r.v = nil
	} else {
		*r.v = json.RawMessage(s)
	}
	return nil
}

// table describes how one domain type T maps onto the columns of a table.
type table[T any] struct {
	name    string          // table name, e.g. "organizations"
	kind    string          // singular for messages, e.g. "organization"
	columns []string        // in the order of args and scan; columns[0] is the id
	id      func(*T) string // the record's id, for upserts
	args    func(*T) []any  // values for columns, for upserts
	scan    func(*T) []any  // scan destinations for columns
}

// selectSQL returns "SELECT cols FROM name".
func (tb *table[T]) selectSQL() string {
	return "SELECT " + strings.Join(tb.columns, ", ") + " FROM " + tb.name
}

// get loads the record with the given id.
func (tb *table[T]) get(ctx context.Context, q queryer, id any) (T, error) {
	var v T
	err := q.QueryRowxContext(ctx, q.Rebind(tb.selectSQL()+" WHERE id = ?"), id).Scan(tb.scan(&v)...)
	if err != nil {
		var zero T
		if s, ok := id.(string); ok {
			id = strconv.Quote(s)
		}
		return zero, fmt.Errorf("store: load %s %v: %w", tb.kind, id, translate(err))
	}
	return v, nil
}

// list loads every record, ordered by id.
func (tb *table[T]) list(ctx context.Context, q queryer) ([]T, error) {
	out, err := tb.query(ctx, q, "ORDER BY id")
	return out, wrap(err, "store: list "+tb.name, "")
}

// query loads the records selected by rest, the part of the statement after
// FROM table (WHERE, ORDER BY), written with ? placeholders for args.
func (tb *table[T]) query(ctx context.Context, q queryer, rest string, args ...any) ([]T, error) {
	return queryRows(ctx, q, tb.selectSQL()+" "+rest, args, tb.scan)
}

// queryRows runs query and scans each row into a new T through scan.
func queryRows[T any](ctx context.Context, q queryer, query string, args []any, scan func(*T) []any) ([]T, error) {
	rows, err := q.QueryxContext(ctx, q.Rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(scan(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryer is what reads need: a *sqlx.DB, or a transaction when a write
// must read what it is about to change.
type queryer interface {
	sqlx.QueryerContext
	// Rebind turns the ? placeholders every query is written with into
	// the driver's own ($1 on PostgreSQL).
	Rebind(query string) string
}

// upsert writes items within tx, inserting new ids and updating existing
// ones, through the dialect's bulk path. An id repeated within items is a
// conflict.
func (tb *table[T]) upsert(ctx context.Context, tx *txn, items []T) error {
	seen := make(map[string]bool, len(items))
	for i := range items {
		id := tb.id(&items[i])
		if seen[id] {
			return fmt.Errorf("upsert %s: id %q appears twice in one batch: %w", tb.name, id, program.ErrConflict)
		}
		seen[id] = true
	}
	err := tx.d.upsert(ctx, tx, tb.name, tb.columns, len(items), func(i int) []any { return tb.args(&items[i]) })
	if err != nil {
		return fmt.Errorf("upsert %d %s: %w", len(items), tb.name, err)
	}
	return nil
}
