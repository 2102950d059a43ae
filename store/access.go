package store

import (
	"context"
	"fmt"

	"github.com/khidi/khidi/internal/program"
)

// accessTokens maps program.AccessToken onto its table.
var accessTokens = &table[program.AccessToken]{
	name:    "access_tokens",
	kind:    "access token",
	columns: []string{"id", "kind", "subject", "round_id", "secret_hash", "note", "created_at", "expires_at", "revoked_at"},
	scan: func(t *program.AccessToken) []any {
		return []any{&t.ID, &t.Kind, &t.Subject, asNullInt(&t.Round), &t.SecretHash, &t.Note, asInstant(&t.CreatedAt), asInstant(&t.ExpiresAt), asInstant(&t.RevokedAt)}
	},
}

// SaveTokens stores new tokens in one transaction, stamping CreatedAt, and
// records their creation for actor in the audit log. An id already stored
// is a conflict; a host or feed token must name its subject and an admin
// or metrics token must not; only a host link may name a round.
func (db *DB) SaveTokens(ctx context.Context, actor string, ts []program.AccessToken) error {
	return db.inTx(ctx, fmt.Sprintf("store: save %d tokens", len(ts)), func(tx *txn) error {
		return insertTokens(ctx, tx, actor, ts)
	})
}

// insertTokens writes ts within tx, stamped with the transaction's
// instant, and records each in the audit log as made by actor.
func insertTokens(ctx context.Context, tx *txn, actor string, ts []program.AccessToken) error {
	if len(ts) == 0 {
		return nil
	}
	err := tx.d.insert(ctx, tx, accessTokens.name, accessTokens.columns, len(ts), func(i int) []any {
		t := &ts[i]
		return []any{t.ID, string(t.Kind), t.Subject, asNullInt(&t.Round), t.SecretHash, t.Note, asInstant(&tx.now), asInstant(&t.ExpiresAt), asInstant(&t.RevokedAt)}
	})
	if err != nil {
		return fmt.Errorf("insert %d tokens: %w", len(ts), err)
	}
	log := make([]program.AuditEntry, len(ts))
	for i, t := range ts {
		detail := fmt.Sprintf("%s token %s", t.Kind, t.ID)
		if t.Subject != "" {
			detail += " for " + t.Subject
		}
		log[i] = program.AuditEntry{Actor: actor, Action: "token.created", Round: t.Round, Detail: detail}
	}
	return audit(ctx, tx, log...)
}

// Token returns the token with the given public id, or an error matching
// program.ErrNotFound.
func (db *DB) Token(ctx context.Context, id string) (program.AccessToken, error) {
	return accessTokens.get(ctx, db.db, id)
}

// Tokens returns the tokens of a kind for a subject ("" for admin tokens),
// revoked and expired ones included, oldest first.
func (db *DB) Tokens(ctx context.Context, kind program.TokenKind, subject string) ([]program.AccessToken, error) {
	ts, err := accessTokens.query(ctx, db.db, "WHERE kind = ? AND subject = ? ORDER BY created_at, id", string(kind), subject)
	return ts, wrap(err, "store: tokens of", subject)
}

// RevokeToken stops the token with the given id from working, recording
// actor in the audit log. Revoking a revoked token changes nothing.
func (db *DB) RevokeToken(ctx context.Context, id, actor string) error {
	return db.inTx(ctx, "store: revoke token "+id, func(tx *txn) error {
		t, err := accessTokens.get(ctx, lockingQueryer{tx}, id)
		if err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		q := tx.Rebind(`UPDATE access_tokens SET revoked_at = ? WHERE id = ?`)
		if _, err := tx.ExecContext(ctx, q, asInstant(&tx.now), id); err != nil {
			return err
		}
		return audit(ctx, tx, program.AuditEntry{Actor: actor, Action: "token.revoked", Detail: id})
	})
}

// auditLog maps program.AuditEntry onto its table.
var auditLog = &table[program.AuditEntry]{
	name:    "audit_log",
	kind:    "audit entry",
	columns: []string{"id", "at", "actor", "action", "round_id", "match_id", "detail"},
	scan: func(e *program.AuditEntry) []any {
		return []any{&e.ID, asInstant(&e.At), &e.Actor, &e.Action, asNullInt(&e.Round), asNullInt(&e.Match), &e.Detail}
	},
}

// audit records es within tx, at the transaction's instant, so a change
// and its record commit or roll back together.
func audit(ctx context.Context, tx *txn, es ...program.AuditEntry) error {
	err := tx.d.insert(ctx, tx, auditLog.name, auditLog.columns[1:], len(es), func(i int) []any {
		e := &es[i]
		return []any{asInstant(&tx.now), e.Actor, e.Action, asNullInt(&e.Round), asNullInt(&e.Match), e.Detail}
	})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditQuery selects entries of the audit log.
type AuditQuery struct {
	// Round, when not 0, keeps the entries of that round: who published
	// it, who accepted and declined which offer, what repairs offered and
	// withdrew, which host links were made for it.
	Round program.RoundID
	// After keeps the entries after the one with this id, for paging.
	After int64
	// Limit, when not 0, keeps the first Limit entries.
	Limit int
}

// Audit returns the audit log entries q selects, oldest first. Entries are
// numbered when written, not when their transaction commits: a page read
// while a long transaction (a national round's publication) is still
// writing can be followed, later, by entries with lower ids than its last,
// so a reader that must miss nothing reads again from a little before
// where it stopped.
func (db *DB) Audit(ctx context.Context, q AuditQuery) ([]program.AuditEntry, error) {
	where, args := "WHERE id > ?", []any{q.After}
	if q.Round != 0 {
		where, args = where+" AND round_id = ?", append(args, int64(q.Round))
	}
	where += " ORDER BY id"
	if q.Limit > 0 {
		where, args = where+" LIMIT ?", append(args, q.Limit)
	}
	es, err := auditLog.query(ctx, db.db, where, args...)
	return es, wrap(err, "store: audit log", "")
}
