package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// txn is one write transaction. Every record it stamps gets the same
// instant, read from the DB's clock once when the transaction begins, so a
// round published at 09:30:00.123 has all its offers published then too.
type txn struct {
	*sqlx.Tx
	d   dialect
	now time.Time // UTC, whole microseconds (PostgreSQL's precision)
}

// inTx runs fn in a transaction and commits it when fn returns nil. Any
// error rolls everything back, so a failed write leaves nothing behind; it
// is returned wrapped with op ("store: publish round 7").
func (db *DB) inTx(ctx context.Context, op string, fn func(tx *txn) error) error {
	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return wrap(err, op, "")
	}
	defer tx.Rollback() // a no-op after Commit
	t := &txn{Tx: tx, d: db.dialect, now: instantOf(db.Now())}
	if err := fn(t); err != nil {
		return wrap(err, op, "")
	}
	if err := tx.Commit(); err != nil {
		return wrap(err, op, "")
	}
	return nil
}

// instantLayout is how instants are written: UTC, fixed width, to the
// microsecond. Fixed width makes text order time order on SQLite, which has
// no timestamp type; PostgreSQL parses it into timestamptz.
const instantLayout = "2006-01-02T15:04:05.000000Z"

// instantOf returns t as the store keeps it: UTC, whole microseconds.
func instantOf(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// instant stores *t as an instant, the zero time as NULL, and loads it back
// in UTC.
type instant struct{ t *time.Time }

// asInstant returns a Valuer and Scanner for *t.
func asInstant(t *time.Time) instant { return instant{t} }

// Value implements driver.Valuer.
func (in instant) Value() (driver.Value, error) {
	if in.t.IsZero() {
		return nil, nil
	}
	return in.t.UTC().Format(instantLayout), nil
}

// Scan implements sql.Scanner for PostgreSQL's time.Time, SQLite's text and
// NULL.
func (in instant) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		*in.t = time.Time{}
	case time.Time:
		*in.t = s.UTC()
	case string:
		return in.parse(s)
	case []byte:
		return in.parse(string(s))
	default:
		return fmt.Errorf("scan instant from %T", src)
	}
	return nil
}

func (in instant) parse(s string) error {
	t, err := time.Parse(instantLayout, s)
	if err != nil {
		return fmt.Errorf("scan instant: %w", err)
	}
	*in.t = t
	return nil
}
