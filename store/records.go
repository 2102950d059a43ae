package store

import (
	"context"

	"github.com/khidi/khidi/internal/program"
)

// Records are the programme's own records, as an import brings them.
type Records struct {
	Organizations []program.Organization
	Participants  []program.Participant
	Communities   []program.Community
}

// Upsert writes r in one transaction: records whose ids are new are
// inserted, those already stored are updated, and on any error nothing is
// written, and ProgrammeVersion rises. Organisations go first, so participants may name organisations
// written in the same call.
//
// A row the schema refuses (an unknown sector, a negative capacity, an
// organization_id naming no organisation) gives an error matching
// program.ErrInvalid; an id given twice, program.ErrConflict. Preferences
// are not checked against stored organisations here: see
// program.CheckPreferences.
func (db *DB) Upsert(ctx context.Context, r Records) error {
	return db.inTx(ctx, "store: upsert", func(tx *txn) error {
		if err := organizations.upsert(ctx, tx, r.Organizations); err != nil {
			return err
		}
		if err := participants.upsert(ctx, tx, r.Participants); err != nil {
			return err
		}
		if err := communities.upsert(ctx, tx, r.Communities); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE programme_version SET version = version + 1 WHERE id = 1`)
		return err
	})
}

// ProgrammeVersion returns a number that every Upsert raises: what was
// computed from the programme's records at one version holds while the
// version is the same.
func (db *DB) ProgrammeVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.db.QueryRowxContext(ctx, `SELECT version FROM programme_version WHERE id = 1`).Scan(&v)
	return v, wrap(err, "store: programme version", "")
}
