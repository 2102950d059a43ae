package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// The schedule's revision (migration 00010) makes laying out a year an
// optimistic transaction: a layout takes about a second, too long to hold
// a lock across, and two of them rarely run at once, so each reads the
// events with the revision (EventsAt), computes without holding anything,
// and saves only if the revision has not moved (SaveEvents' expect).
// The loser of a race learns it from program.ErrConflict and lays out
// again from what the winner stored.

// EventsAt returns what Events returns together with the schedule's
// revision they are current at: the number of saves of events so far. The
// events and the revision come from one snapshot of the database, so a
// save committed between the reads cannot give events newer than the
// revision (which SaveEvents would then wrongly accept) or older (a
// needless conflict). Pass the revision to SaveEvents with the events
// computed from these.
func (db *DB) EventsAt(ctx context.Context, from, to time.Time) ([]program.Event, int64, error) {
	var (
		es  []program.Event
		rev int64
	)
	err := func() error {
		// A read-only REPEATABLE READ transaction takes PostgreSQL's
		// snapshot at its first statement and keeps it to the end. The
		// SQLite driver ignores the isolation level but begins a read-only
		// transaction with a plain (deferred) BEGIN rather than BEGIN
		// IMMEDIATE, so it takes no write lock, and in WAL mode its first
		// read fixes the snapshot for the rest: the same guarantee, with no
		// difference to put in dialect.
		tx, err := db.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return err
		}
		defer tx.Rollback() // it wrote nothing
		if err := tx.QueryRowxContext(ctx, `SELECT revision FROM schedule_revision WHERE id = 1`).Scan(&rev); err != nil {
			return fmt.Errorf("read the schedule's revision: %w", err)
		}
		es, err = loadEvents(ctx, tx, "", from, to)
		return err
	}()
	if err != nil {
		return nil, 0, wrap(err, "store: events at the schedule's revision", "")
	}
	return es, rev, nil
}

// AnyRevision, given to SaveEvents, saves events whatever was saved
// before: for events written whole rather than computed from stored ones.
const AnyRevision int64 = -1

// advanceSchedule locks the schedule's revision within tx until tx ends,
// so that saves of events run one after the other, and checks it against
// expect (SaveEvents' argument) unless that is AnyRevision. It then raises
// the revision if write is set: a save that writes no events changes
// nothing another layout could have read, and raising the revision would
// only make that layout start again.
func advanceSchedule(ctx context.Context, tx *txn, expect int64, write bool) error {
	var rev int64
	q := `SELECT revision FROM schedule_revision WHERE id = 1` + tx.d.forUpdate
	if err := tx.QueryRowxContext(ctx, q).Scan(&rev); err != nil {
		return fmt.Errorf("lock the schedule's revision: %w", translate(err))
	}
	if expect != AnyRevision && expect != rev {
		return fmt.Errorf("the events were computed from the schedule at revision %d, but it is at %d: "+
			"events were saved meanwhile (another layout running at the same time?) and nothing was written; "+
			"read the events again and lay them out anew: %w", expect, rev, program.ErrConflict)
	}
	if !write {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schedule_revision SET revision = revision + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("raise the schedule's revision: %w", err)
	}
	return nil
}
