package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/khidi/khidi/internal/program"
	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// errKind selects the sentinel a dbError unwraps to.
type errKind int

const (
	errNotFound errKind = iota
	errConflict
	errInvalid
	errCapacity
)

// capacityConstraint is the CHECK on round_places that refuses an accepted
// offer beyond a host's capacity; both migrations name it so.
const capacityConstraint = "round_places_capacity"

// dbError is a driver error that also matches one of program's sentinel
// errors with errors.Is, while errors.As still reaches the driver's error.
type dbError struct {
	err  error
	kind errKind
}

func (e *dbError) Error() string {
	switch e.kind {
	case errNotFound:
		return program.ErrNotFound.Error()
	case errCapacity:
		return program.ErrCapacity.Error()
	}
	// PostgreSQL names the offending key in the detail, e.g.
	// Key (organization_id)=(o-9) is not present in table "organizations".
	var pe *pq.Error
	if errors.As(e.err, &pe) && pe.Detail != "" {
		return e.err.Error() + ": " + pe.Detail
	}
	return e.err.Error()
}

func (e *dbError) Unwrap() []error {
	var sentinel error
	switch e.kind {
	case errNotFound:
		sentinel = program.ErrNotFound
	case errConflict:
		sentinel = program.ErrConflict
	case errCapacity:
		sentinel = program.ErrCapacity
	default:
		sentinel = program.ErrInvalid
	}
	return []error{sentinel, e.err}
}

// wrap translates err and prefixes it with the operation and, when not
// empty, the id involved: "load organization \"o-1\": not found". It returns
// nil for a nil err.
func wrap(err error, op, id string) error {
	if err == nil {
		return nil
	}
	if id == "" {
		return fmt.Errorf("%s: %w", op, translate(err))
	}
	return fmt.Errorf("%s %q: %w", op, id, translate(err))
}

// translate maps a driver error onto khidi's sentinel errors, keeping the
// original in the chain: sql.ErrNoRows → program.ErrNotFound, a unique or
// primary key violation → program.ErrConflict, a foreign key, CHECK or NOT
// NULL violation → program.ErrInvalid, the capacity CHECK on round_places →
// program.ErrCapacity. Any other error is returned as is.
// It is the only place that inspects driver errors.
func translate(err error) error {
	var done *dbError
	if err == nil || errors.As(err, &done) {
		return err // already translated
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &dbError{err: err, kind: errNotFound}
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		if pe.Constraint == capacityConstraint {
			return &dbError{err: err, kind: errCapacity}
		}
		switch pe.Code {
		case "23505": // unique_violation
			return &dbError{err: err, kind: errConflict}
		case "23503", "23514", "23502": // foreign_key, check, not_null violation
			return &dbError{err: err, kind: errInvalid}
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		// SQLite names a CHECK's constraint, or a trigger's RAISE text,
		// only in the message.
		if strings.Contains(se.Error(), capacityConstraint) {
			return &dbError{err: err, kind: errCapacity}
		}
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &dbError{err: err, kind: errConflict}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return &dbError{err: err, kind: errInvalid}
		}
	}
	return err
}
