package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// matches maps program.Match onto its table. Empty ids are stored as NULL,
// so the foreign keys and the exactly-one CHECKs see them as absent.
var matches = &table[program.Match]{
	name: "matches",
	kind: "match",
	columns: []string{"id", "round_id", "participant_id", "visitor_id", "host_id", "community_id", "circle",
		"status", "score", "breakdown", "deadline", "decided_at", "reason"},
	args: func(m *program.Match) []any {
		return []any{int64(m.ID), int64(m.RoundID), asNullText(&m.ParticipantID), asNullText(&m.VisitorID),
			asNullText(&m.HostID), asNullText(&m.CommunityID), asNullInt(&m.Circle), string(m.Status), m.Score, asJSON(&m.Breakdown),
			asInstant(&m.Deadline), asInstant(&m.DecidedAt), m.Reason}
	},
	scan: func(m *program.Match) []any {
		return []any{&m.ID, &m.RoundID, asNullText(&m.ParticipantID), asNullText(&m.VisitorID),
			asNullText(&m.HostID), asNullText(&m.CommunityID), asNullInt(&m.Circle), &m.Status, &m.Score, asJSON(&m.Breakdown),
			asInstant(&m.Deadline), asInstant(&m.DecidedAt), &m.Reason}
	},
}

// insertMatches writes ms, letting the database number them, through the
// engine's bulk path.
func insertMatches(ctx context.Context, tx *txn, ms []program.Match) error {
	err := tx.d.insert(ctx, tx, matches.name, matches.columns[1:], len(ms), func(i int) []any { return matches.args(&ms[i])[1:] })
	if err != nil {
		return fmt.Errorf("insert %d matches: %w", len(ms), err)
	}
	return nil
}

// Match returns the match with the given id, or an error matching
// program.ErrNotFound.
func (db *DB) Match(ctx context.Context, id program.MatchID) (program.Match, error) {
	return matches.get(ctx, db.db, int64(id))
}

// RoundMatches returns every match of round id, in the order the matcher
// proposed them, repairs last.
func (db *DB) RoundMatches(ctx context.Context, id program.RoundID) ([]program.Match, error) {
	ms, err := matches.query(ctx, db.db, "WHERE round_id = ? ORDER BY id", int64(id))
	return ms, wrap(err, "store: matches of round", fmt.Sprint(id))
}

// HostOffers returns the offers made to host in every round, answered or
// not, newest round first; proposals not yet published are left out, since
// hosts must not see them.
func (db *DB) HostOffers(ctx context.Context, host program.OrgID) ([]program.Match, error) {
	ms, err := matches.query(ctx, db.db, "WHERE host_id = ? AND status <> ? ORDER BY round_id DESC, id", string(host), string(program.OfferProposed))
	return ms, wrap(err, "store: offers to host", string(host))
}

// ParticipantMatches returns the matches of participant id that left the
// proposal stage, newest round first.
func (db *DB) ParticipantMatches(ctx context.Context, id program.ParticipantID) ([]program.Match, error) {
	ms, err := matches.query(ctx, db.db, "WHERE participant_id = ? AND status <> ? ORDER BY round_id DESC, id", string(id), string(program.OfferProposed))
	return ms, wrap(err, "store: matches of participant", string(id))
}

// AddOffers adds ms to published round id as offers that expire at deadline
// (zero: never), as a repair does after a decline. Every match must name a
// place the round has; a pair already in the round is a conflict.
func (db *DB) AddOffers(ctx context.Context, id program.RoundID, ms []program.Match, deadline time.Time) error {
	ms = slices.Clone(ms)
	for i := range ms {
		ms[i].ID, ms[i].RoundID, ms[i].Status, ms[i].Deadline = 0, id, program.OfferOffered, deadline
		ms[i].DecidedAt, ms[i].Reason = time.Time{}, ""
	}
	return db.inTx(ctx, fmt.Sprintf("store: add offers to round %d", id), func(tx *txn) error {
		if _, err := lockRound(ctx, tx, id, program.RoundPublished); err != nil {
			return err
		}
		return insertMatches(ctx, tx, ms)
	})
}

// Decision is an answer to an offer: a host accepting or declining, an
// offer expiring, or a manager withdrawing it.
type Decision struct {
	Match program.MatchID
	// Host, when set, is the organisation deciding: an offer to any other
	// host is reported as not found, so a host's link reveals nothing of
	// other hosts' offers.
	Host program.OrgID
	// To is accepted, declined, expired or withdrawn.
	To     program.OfferStatus
	Reason string
}

// DecideOffer moves an offer to d.To, stamping decided_at, and returns it.
// Deciding again what is already decided the same way changes nothing and
// succeeds, so a double click accepts once. A move the offer's life does not
// allow gives an error matching program.ErrConflict, and accepting beyond
// the host's places in the round gives program.ErrCapacity: the database
// counts acceptances, so this holds however many requests race.
func (db *DB) DecideOffer(ctx context.Context, d Decision) (program.Match, error) {
	var m program.Match
	op := fmt.Sprintf("store: %s offer %d", d.To, d.Match)
	switch d.To {
	case program.OfferAccepted, program.OfferDeclined, program.OfferExpired, program.OfferWithdrawn:
	default:
		return m, fmt.Errorf("%s: an offer can be accepted, declined, expired or withdrawn: %w", op, program.ErrInvalid)
	}
	err := db.inTx(ctx, op, func(tx *txn) error {
		var err error
		// Locks the match, so a second decision on it waits and then sees
		// this one's result.
		m, err = matches.get(ctx, lockingQueryer{tx}, int64(d.Match))
		if err != nil {
			return err
		}
		if d.Host != "" && m.HostID != d.Host {
			return fmt.Errorf("offer %d to host %q: %w", d.Match, d.Host, program.ErrNotFound)
		}
		if m.Status == d.To {
			return nil
		}
		if !m.Status.CanMove(d.To) || m.Status == program.OfferProposed {
			return fmt.Errorf("offer %d is %s and cannot become %s: %w", d.Match, m.Status, d.To, program.ErrConflict)
		}
		m.Status, m.DecidedAt, m.Reason = d.To, tx.now, d.Reason
		q := tx.Rebind(`UPDATE matches SET status = ?, decided_at = ?, reason = ? WHERE id = ?`)
		if _, err := tx.ExecContext(ctx, q, string(m.Status), asInstant(&m.DecidedAt), m.Reason, int64(m.ID)); err != nil {
			if err = translate(err); errors.Is(err, program.ErrCapacity) {
				return fmt.Errorf("host %q has no place left in round %d: %w", m.Place(), m.RoundID, err)
			}
			return err
		}
		return nil
	})
	return m, err
}

// lockingQueryer adds the dialect's row lock to every query run through it.
type lockingQueryer struct{ *txn }

// Rebind implements queryer.
func (l lockingQueryer) Rebind(q string) string { return l.txn.Rebind(q + l.d.forUpdate) }
