package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// rounds maps program.Round onto its table. The id is the database's.
var rounds = &table[program.Round]{
	name:    "rounds",
	kind:    "round",
	columns: []string{"id", "name", "kind", "status", "weights", "settings", "seed", "input_hash", "solver_version", "created_at", "updated_at"},
	scan: func(r *program.Round) []any {
		return []any{&r.ID, &r.Name, &r.Kind, &r.Status, asJSON(&r.Weights), asRawJSON(&r.Settings), asBits(&r.Seed), &r.InputHash,
			&r.SolverVersion, asInstant(&r.CreatedAt), asInstant(&r.UpdatedAt)}
	},
}

// CreateRound stores r as a new round in draft, stamped with the current
// time, and returns it with its id. r.ID, r.Status and the stamps are
// ignored.
func (db *DB) CreateRound(ctx context.Context, r program.Round) (program.Round, error) {
	err := db.inTx(ctx, "store: create round", func(tx *txn) error { return createRound(ctx, tx, &r) })
	return r, err
}

// CreateProposedRound stores r as a new round with p as its proposal, in
// one transaction: either the round is stored, proposed, with all its
// matches, or nothing is. It returns the round as stored.
func (db *DB) CreateProposedRound(ctx context.Context, r program.Round, p Proposal) (program.Round, error) {
	if err := p.check(); err != nil {
		return r, fmt.Errorf("store: create round: %w", err)
	}
	err := db.inTx(ctx, "store: create round", func(tx *txn) error {
		if err := createRound(ctx, tx, &r); err != nil {
			return err
		}
		if err := saveProposal(ctx, tx, r.ID, p); err != nil {
			return err
		}
		r.Status, r.InputHash, r.SolverVersion = program.RoundProposed, p.InputHash, p.SolverVersion
		return nil
	})
	return r, err
}

// createRound inserts r in draft and sets its id and stamps.
func createRound(ctx context.Context, tx *txn, r *program.Round) error {
	r.Status = program.RoundDraft
	r.CreatedAt, r.UpdatedAt = tx.now, tx.now
	q := tx.Rebind(`INSERT INTO rounds (name, kind, status, weights, settings, seed, input_hash, solver_version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	return tx.QueryRowxContext(ctx, q, r.Name, string(r.Kind), string(r.Status), asJSON(&r.Weights), asRawJSON(&r.Settings),
		asBits(&r.Seed), r.InputHash, r.SolverVersion, asInstant(&r.CreatedAt), asInstant(&r.UpdatedAt)).Scan(&r.ID)
}

// Round returns the round with the given id, or an error matching
// program.ErrNotFound.
func (db *DB) Round(ctx context.Context, id program.RoundID) (program.Round, error) {
	return rounds.get(ctx, db.db, int64(id))
}

// Rounds returns every round, oldest first.
func (db *DB) Rounds(ctx context.Context) ([]program.Round, error) {
	return rounds.list(ctx, db.db)
}

// Proposal is the matcher's answer for a round: the places each host
// offers and the matches proposed.
type Proposal struct {
	// InputHash identifies the input the proposal was computed from, and
	// SolverVersion the matcher that computed it; see program.Round.
	InputHash, SolverVersion string
	// Places holds every host (or community) that Matches name, with its
	// capacity; Accepted must be 0.
	Places []program.Place
	// Matches must all be in status proposed; their IDs and RoundIDs are
	// ignored.
	Matches []program.Match
}

// SaveProposal stores p as round id's proposal, replacing any earlier one,
// and moves the round to proposed, in one transaction: a crash leaves the
// previous state. The round must be in draft or proposed; otherwise the
// error matches program.ErrConflict. Thousands of matches are written with
// the engine's bulk path (COPY on PostgreSQL).
func (db *DB) SaveProposal(ctx context.Context, id program.RoundID, p Proposal) error {
	if err := p.check(); err != nil {
		return fmt.Errorf("store: save proposal of round %d: %w", id, err)
	}
	return db.inTx(ctx, fmt.Sprintf("store: save proposal of round %d", id), func(tx *txn) error {
		if _, err := lockRound(ctx, tx, id, program.RoundDraft, program.RoundProposed); err != nil {
			return err
		}
		if err := deleteProposal(ctx, tx, id); err != nil {
			return err
		}
		return saveProposal(ctx, tx, id, p)
	})
}

// check refuses a proposal the store must not write.
func (p *Proposal) check() error {
	for i := range p.Places {
		if p.Places[i].Accepted != 0 {
			return fmt.Errorf("place %q has %d accepted, want 0: %w", p.Places[i].ID, p.Places[i].Accepted, program.ErrInvalid)
		}
	}
	for i := range p.Matches {
		if s := p.Matches[i].Status; s != program.OfferProposed {
			return fmt.Errorf("match %d has status %q, want proposed: %w", i, s, program.ErrInvalid)
		}
	}
	return nil
}

// saveProposal writes p's places and matches for round id, which has none,
// and moves the round to proposed.
func saveProposal(ctx context.Context, tx *txn, id program.RoundID, p Proposal) error {
	err := tx.d.insert(ctx, tx, "round_places", []string{"round_id", "place_id", "capacity"}, len(p.Places),
		func(i int) []any { return []any{int64(id), p.Places[i].ID, p.Places[i].Capacity} })
	if err != nil {
		return fmt.Errorf("places: %w", err)
	}
	ms := slices.Clone(p.Matches)
	for i := range ms {
		ms[i].RoundID = id
	}
	if err := insertMatches(ctx, tx, ms); err != nil {
		return err
	}
	return setRoundStatus(ctx, tx, id, program.RoundProposed, `, input_hash = ?, solver_version = ?`, p.InputHash, p.SolverVersion)
}

// DiscardProposal deletes round id's proposal and moves the round back to
// draft, so the matcher can run again. The round must be proposed.
func (db *DB) DiscardProposal(ctx context.Context, id program.RoundID) error {
	return db.inTx(ctx, fmt.Sprintf("store: discard proposal of round %d", id), func(tx *txn) error {
		if _, err := lockRound(ctx, tx, id, program.RoundProposed); err != nil {
			return err
		}
		if err := deleteProposal(ctx, tx, id); err != nil {
			return err
		}
		return setRoundStatus(ctx, tx, id, program.RoundDraft, "")
	})
}

// PublishRound turns round id's proposed matches into offers that expire at
// deadline (zero: never), stores the hosts' links and moves the round to
// published, in one transaction, recording actor in the audit log; it
// returns the round as published. links, when not nil, is called inside
// the transaction, after the round is locked, with the host organisations
// offered someone (ordered by id), and returns their tokens: so the links
// go to exactly the hosts of the matches published, even when the
// proposal was replaced a moment before. The round must be proposed.
func (db *DB) PublishRound(ctx context.Context, id program.RoundID, deadline time.Time, actor string,
	links func(hosts []program.OrgID) ([]program.AccessToken, error)) (program.Round, error) {
	var r program.Round
	err := db.inTx(ctx, fmt.Sprintf("store: publish round %d", id), func(tx *txn) error {
		if _, err := lockRound(ctx, tx, id, program.RoundProposed); err != nil {
			return err
		}
		q := tx.Rebind(`UPDATE matches SET status = ?, deadline = ? WHERE round_id = ? AND status = ?`)
		if _, err := tx.ExecContext(ctx, q, string(program.OfferOffered), asInstant(&deadline), int64(id), string(program.OfferProposed)); err != nil {
			return fmt.Errorf("offer matches: %w", err)
		}
		var tokens []program.AccessToken
		if links != nil {
			hosts, err := queryRows(ctx, tx, `SELECT DISTINCT host_id FROM matches WHERE round_id = ? AND host_id IS NOT NULL ORDER BY host_id`,
				[]any{int64(id)}, func(h *program.OrgID) []any { return []any{h} })
			if err != nil {
				return fmt.Errorf("hosts: %w", err)
			}
			if tokens, err = links(hosts); err != nil {
				return err
			}
		}
		if err := insertTokens(ctx, tx, actor, tokens); err != nil {
			return err
		}
		if err := audit(ctx, tx, program.AuditEntry{Actor: actor, Action: "round.published", Round: id,
			Detail: fmt.Sprintf("%d host links", len(tokens))}); err != nil {
			return err
		}
		if err := setRoundStatus(ctx, tx, id, program.RoundPublished, ""); err != nil {
			return err
		}
		var err error
		r, err = rounds.get(ctx, tx, int64(id))
		return err
	})
	return r, err
}

// CloseRound ends round id: offers still open are withdrawn with the given
// reason, accepted ones stay, and the round moves to closed, recorded for
// actor in the audit log. The round must be published.
func (db *DB) CloseRound(ctx context.Context, id program.RoundID, reason, actor string) error {
	return db.inTx(ctx, fmt.Sprintf("store: close round %d", id), func(tx *txn) error {
		if _, err := lockRound(ctx, tx, id, program.RoundPublished); err != nil {
			return err
		}
		q := tx.Rebind(`UPDATE matches SET status = ?, decided_at = ?, reason = ? WHERE round_id = ? AND status = ?`)
		if _, err := tx.ExecContext(ctx, q, string(program.OfferWithdrawn), asInstant(&tx.now), reason, int64(id), string(program.OfferOffered)); err != nil {
			return fmt.Errorf("withdraw open offers: %w", err)
		}
		if err := audit(ctx, tx, program.AuditEntry{Actor: actor, Action: "round.closed", Round: id, Detail: reason}); err != nil {
			return err
		}
		return setRoundStatus(ctx, tx, id, program.RoundClosed, "")
	})
}

// RoundPlaces returns the places of round id, ordered by host id, with how
// many of each are taken by accepted offers.
func (db *DB) RoundPlaces(ctx context.Context, id program.RoundID) ([]program.Place, error) {
	places, err := queryRows(ctx, db.db, `SELECT place_id, capacity, accepted FROM round_places WHERE round_id = ? ORDER BY place_id`,
		[]any{int64(id)}, func(p *program.Place) []any { return []any{&p.ID, &p.Capacity, &p.Accepted} })
	return places, wrap(err, "store: places of round", fmt.Sprint(id))
}

// RoundPlace returns one place of round id, with how many of it are taken
// by accepted offers, or an error matching program.ErrNotFound.
func (db *DB) RoundPlace(ctx context.Context, id program.RoundID, place string) (program.Place, error) {
	var p program.Place
	err := db.db.QueryRowxContext(ctx, db.db.Rebind(`SELECT place_id, capacity, accepted FROM round_places WHERE round_id = ? AND place_id = ?`),
		int64(id), place).Scan(&p.ID, &p.Capacity, &p.Accepted)
	if err != nil {
		return p, fmt.Errorf("store: place %q of round %d: %w", place, id, translate(err))
	}
	return p, nil
}

// lockedRound loads round id within tx and holds its row until tx ends,
// as lockRound does.
func lockedRound(ctx context.Context, tx *txn, id program.RoundID) (program.Round, error) {
	r, err := rounds.get(ctx, lockingQueryer{tx}, int64(id))
	if err != nil {
		return r, fmt.Errorf("lock round %d: %w", id, err)
	}
	return r, nil
}

// raiseRevision raises round id's revision within tx, holding the round's
// row until tx ends, and returns the new revision. Every transaction that
// changes a round's matches other than by an acceptance raises it once
// (setRoundStatus does for the round's moves), so a repair ledger kept
// at one revision is known to be current (see migration 00009).
func raiseRevision(ctx context.Context, tx *txn, id program.RoundID) (int64, error) {
	var rev int64
	q := tx.Rebind(`UPDATE rounds SET revision = revision + 1 WHERE id = ? RETURNING revision`)
	if err := tx.QueryRowxContext(ctx, q, int64(id)).Scan(&rev); err != nil {
		return 0, fmt.Errorf("raise revision of round %d: %w", id, translate(err))
	}
	return rev, nil
}

// lockRound loads round id's status within tx, holding the round's row
// until tx ends so that concurrent changes to one round queue up, and checks
// that the status is one of want; otherwise the error matches
// program.ErrConflict (or program.ErrNotFound).
func lockRound(ctx context.Context, tx *txn, id program.RoundID, want ...program.RoundStatus) (program.RoundStatus, error) {
	var status program.RoundStatus
	q := tx.Rebind(`SELECT status FROM rounds WHERE id = ?` + tx.d.forUpdate)
	if err := tx.QueryRowxContext(ctx, q, int64(id)).Scan(&status); err != nil {
		return "", fmt.Errorf("load round %d: %w", id, translate(err))
	}
	for _, w := range want {
		if status == w {
			return status, nil
		}
	}
	return status, fmt.Errorf("round %d is %s, want %v: %w", id, status, want, program.ErrConflict)
}

// setRoundStatus moves round id to status, stamping updated_at and raising
// its revision (every move changes its matches); set and args add further
// "col = ?" assignments.
func setRoundStatus(ctx context.Context, tx *txn, id program.RoundID, status program.RoundStatus, set string, args ...any) error {
	q := tx.Rebind(`UPDATE rounds SET status = ?, updated_at = ?, revision = revision + 1` + set + ` WHERE id = ?`)
	all := append([]any{string(status), asInstant(&tx.now)}, args...)
	if _, err := tx.ExecContext(ctx, q, append(all, int64(id))...); err != nil {
		return fmt.Errorf("set round %d %s: %w", id, status, err)
	}
	return nil
}

// deleteProposal deletes round id's matches and places.
func deleteProposal(ctx context.Context, tx *txn, id program.RoundID) error {
	for _, table := range []string{"matches", "round_places"} {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM `+table+` WHERE round_id = ?`), int64(id)); err != nil {
			return fmt.Errorf("delete %s of round %d: %w", table, id, err)
		}
	}
	return nil
}

// bits stores a uint64 in a signed 64-bit column by its bit pattern, so
// every seed round-trips (seeds above 2^63 read back as negative in SQL).
type bits struct{ v *uint64 }

// asBits returns a Valuer and Scanner for *v.
func asBits(v *uint64) bits { return bits{v} }

// Value implements driver.Valuer.
func (b bits) Value() (driver.Value, error) { return int64(*b.v), nil }

// Scan implements sql.Scanner.
func (b bits) Scan(src any) error {
	n, ok := src.(int64)
	if !ok {
		return fmt.Errorf("scan uint64 bits from %T", src)
	}
	*b.v = uint64(n)
	return nil
}
