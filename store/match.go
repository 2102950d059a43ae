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
	// Actor is who decided, for the audit log ("token:ID", "job:NAME").
	Actor string
	// Repair, when set, is called when the offer leaves the round
	// (declined, expired, withdrawn), inside the decision's transaction and
	// with the round locked, so that the places it frees are offered again
	// atomically with the decision and no two repairs of a round interleave.
	Repair Repairer
}

// Repairer re-solves a published round after an offer left it: given
// the round as it stands, it returns what to change. It runs inside a
// transaction holding the round, so it should compute, not wait.
type Repairer func(in RepairInput) (Repair, error)

// RepairInput is what a Repairer is given.
type RepairInput struct {
	Round program.Round
	// Revision is the round's revision before this decision: a repair
	// ledger kept at that revision holds every match of the round but
	// for the offers accepted since (see migration 00009).
	Revision int64
	// Left is the offer that left the round, as now stored.
	Left program.Match
	// Matches loads every match of the round as the transaction sees them
	// (the one that left included), without their breakdowns.
	Matches func() ([]program.Match, error)
}

// Repair is what a Repairer asks for: new offers (their round, status and
// deadline are set by the store) and open offers to withdraw.
type Repair struct {
	Offers   []program.Match
	Withdraw []program.MatchID
	// Deadline is when the new offers expire; zero for never.
	Deadline time.Time
	// Reason is recorded on withdrawn offers.
	Reason string
}

// Outcome is a decision as stored: the offer, and what its repair offered
// (with ids) and withdrew.
type Outcome struct {
	Match     program.Match
	Offered   []program.Match
	Withdrawn []program.MatchID
	// Revision is the round's revision after a decision that took the
	// offer out of the round; 0 otherwise.
	Revision int64
}

// DecideOffer moves an offer to d.To, stamping decided_at, records it in the
// audit log, runs d.Repair when the offer left the round, and returns what
// changed, all in one transaction. Deciding again what is already decided
// the same way changes nothing and succeeds, so a double click accepts
// once. A move the offer's life does not allow gives an error matching
// program.ErrConflict, and accepting beyond the host's places in the round
// gives program.ErrCapacity: the database counts acceptances, so this holds
// however many requests race.
func (db *DB) DecideOffer(ctx context.Context, d Decision) (Outcome, error) {
	var out Outcome
	op := fmt.Sprintf("store: %s offer %d", d.To, d.Match)
	leaves := d.To.Leaves()
	if d.To != program.OfferAccepted && !leaves {
		return out, fmt.Errorf("%s: an offer can be accepted, declined, expired or withdrawn: %w", op, program.ErrInvalid)
	}
	// An offer to another host than the deciding one is not found.
	load := func(q queryer) (program.Match, error) {
		m, err := matches.get(ctx, q, int64(d.Match))
		if err == nil && d.Host != "" && m.HostID != d.Host {
			err = fmt.Errorf("offer %d to host %q: %w", d.Match, d.Host, program.ErrNotFound)
		}
		return m, err
	}
	err := db.inTx(ctx, op, func(tx *txn) error {
		var round program.Round
		if leaves {
			// The round before the match, in the order every writer of a
			// round takes them, so two transactions never wait on each
			// other; the match, read unlocked, says which round.
			m, err := load(tx)
			if err != nil {
				return err
			}
			if round, err = lockedRound(ctx, tx, m.RoundID); err != nil {
				return err
			}
		}
		// Locks the match, so a second decision on it waits and then sees
		// this one's result.
		m, err := load(lockingQueryer{tx})
		if err != nil {
			return err
		}
		out.Match = m
		if m.Status == d.To {
			return nil
		}
		if !m.Status.CanMove(d.To) || m.Status == program.OfferProposed {
			return fmt.Errorf("offer %d is %s and cannot become %s: %w", d.Match, m.Status, d.To, program.ErrConflict)
		}
		m.Status, m.DecidedAt, m.Reason = d.To, tx.now, d.Reason
		out.Match = m
		q := tx.Rebind(`UPDATE matches SET status = ?, decided_at = ?, reason = ? WHERE id = ?`)
		if _, err := tx.ExecContext(ctx, q, string(m.Status), asInstant(&m.DecidedAt), m.Reason, int64(m.ID)); err != nil {
			if err = translate(err); errors.Is(err, program.ErrCapacity) {
				return fmt.Errorf("host %q has no place left in round %d: %w", m.Place(), m.RoundID, err)
			}
			return err
		}
		entry := program.AuditEntry{Actor: d.Actor, Action: "offer." + string(d.To), Round: m.RoundID, Match: m.ID, Detail: d.Reason}
		if err := audit(ctx, tx, entry); err != nil {
			return err
		}
		if !leaves {
			return nil
		}
		if out.Revision, err = raiseRevision(ctx, tx, m.RoundID); err != nil {
			return err
		}
		if d.Repair == nil || round.Status != program.RoundPublished {
			return nil
		}
		in := RepairInput{Round: round, Revision: out.Revision - 1, Left: m, Matches: func() ([]program.Match, error) { return repairMatches(ctx, tx, round.ID) }}
		out.Offered, out.Withdrawn, err = repairRound(ctx, tx, in, d)
		return err
	})
	return out, err
}

// repairMatches loads round id's matches within tx for a repair: who goes
// where, and how it stands, is what a repair reads; the breakdowns, a JSON
// document each, would be most of the work of loading a national round's
// matches.
func repairMatches(ctx context.Context, tx *txn, id program.RoundID) ([]program.Match, error) {
	all, err := queryRows(ctx, tx, `SELECT id, round_id, participant_id, visitor_id, host_id, community_id, circle, status, score
		FROM matches WHERE round_id = ? ORDER BY id`, []any{int64(id)}, func(m *program.Match) []any {
		return []any{&m.ID, &m.RoundID, asNullText(&m.ParticipantID), asNullText(&m.VisitorID), asNullText(&m.HostID),
			asNullText(&m.CommunityID), asNullInt(&m.Circle), &m.Status, &m.Score}
	})
	if err != nil {
		return nil, fmt.Errorf("load matches: %w", err)
	}
	return all, nil
}

// repairRound runs d.Repair on the locked, published round within tx and
// applies it: withdraws the open offers it names, inserts its new offers,
// and records both in the audit log.
func repairRound(ctx context.Context, tx *txn, in RepairInput, d Decision) ([]program.Match, []program.MatchID, error) {
	round := in.Round
	fix, err := d.Repair(in)
	if err != nil {
		return nil, nil, fmt.Errorf("repair round %d: %w", round.ID, err)
	}
	var log []program.AuditEntry
	var withdrawn []program.MatchID
	q := tx.Rebind(`UPDATE matches SET status = ?, decided_at = ?, reason = ? WHERE id = ? AND round_id = ? AND status = ?`)
	for _, id := range fix.Withdraw {
		res, err := tx.ExecContext(ctx, q, string(program.OfferWithdrawn), asInstant(&tx.now), fix.Reason, int64(id), int64(round.ID), string(program.OfferOffered))
		if err != nil {
			return nil, nil, fmt.Errorf("withdraw offer %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 {
			withdrawn = append(withdrawn, id)
			log = append(log, program.AuditEntry{Actor: d.Actor, Action: "offer.withdrawn", Round: round.ID, Match: id, Detail: fix.Reason})
		}
	}
	offers := slices.Clone(fix.Offers)
	for i := range offers {
		offers[i].ID, offers[i].RoundID, offers[i].Status, offers[i].Deadline = 0, round.ID, program.OfferOffered, fix.Deadline
		offers[i].DecidedAt, offers[i].Reason = time.Time{}, ""
	}
	if len(offers) > 0 {
		if err := insertMatches(ctx, tx, offers); err != nil {
			return nil, nil, err
		}
		// The new rows are the round's highest ids, in insertion order.
		fresh, err := matches.query(ctx, tx, "WHERE round_id = ? ORDER BY id DESC LIMIT ?", int64(round.ID), len(offers))
		if err != nil {
			return nil, nil, fmt.Errorf("load new offers: %w", err)
		}
		slices.Reverse(fresh)
		offers = fresh
		for _, m := range offers {
			log = append(log, program.AuditEntry{Actor: d.Actor, Action: "offer.offered", Round: round.ID, Match: m.ID, Detail: "repair"})
		}
	}
	if len(log) > 0 {
		if err := audit(ctx, tx, log...); err != nil {
			return nil, nil, err
		}
	}
	return offers, withdrawn, nil
}

// lockingQueryer adds the dialect's row lock to every query run through it.
type lockingQueryer struct{ *txn }

// Rebind implements queryer.
func (l lockingQueryer) Rebind(q string) string { return l.txn.Rebind(q + l.d.forUpdate) }
