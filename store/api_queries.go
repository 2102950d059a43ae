package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/khidi/khidi/internal/program"
)

// ReproposeRound stores p as round id's proposal in place of the earlier
// one, together with the weights and settings it was computed with, in one
// transaction, and moves the round to proposed. A round keeps its weights
// and settings so that a run can be repeated exactly (program.Round), so
// a proposal computed with new pins or exclusions must not be stored
// without them. The round must be in draft or proposed; otherwise the error
// matches program.ErrConflict.
func (db *DB) ReproposeRound(ctx context.Context, id program.RoundID, weights map[string]float64, settings json.RawMessage, p Proposal) error {
	op := fmt.Sprintf("store: repropose round %d", id)
	if err := p.check(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return db.inTx(ctx, op, func(tx *txn) error {
		if _, err := lockRound(ctx, tx, id, program.RoundDraft, program.RoundProposed); err != nil {
			return err
		}
		if err := deleteProposal(ctx, tx, id); err != nil {
			return err
		}
		q := tx.Rebind(`UPDATE rounds SET weights = ?, settings = ? WHERE id = ?`)
		if _, err := tx.ExecContext(ctx, q, asJSON(&weights), asRawJSON(&settings), int64(id)); err != nil {
			return fmt.Errorf("set weights and settings of round %d: %w", id, err)
		}
		return saveProposal(ctx, tx, id, p)
	})
}
