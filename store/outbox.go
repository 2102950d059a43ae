package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// outbox maps program.Mail onto its table.
var outbox = &table[program.Mail]{
	name: "outbox",
	kind: "message",
	columns: []string{"id", "dedup_key", "sender", "recipient", "subject", "message", "created_at", "attempts",
		"next_attempt_at", "sent_at", "failed_at", "last_error"},
	scan: func(m *program.Mail) []any {
		return []any{&m.ID, &m.DedupKey, &m.From, &m.To, &m.Subject, &m.Message, asInstant(&m.CreatedAt), &m.Attempts,
			asInstant(&m.NextAttempt), asInstant(&m.SentAt), asInstant(&m.FailedAt), &m.LastError}
	},
}

// Batch is what a job sends in one go: the messages, and what they tell
// (notices of events, announcements of offers) and hand out (links), so
// that all of it is recorded together or not at all.
type Batch struct {
	Mail []program.Mail
	// Notices record what each attendee has now been told of each event.
	Notices []program.Notice
	// Tokens are new links the messages carry, stored as hashes.
	Tokens []program.AccessToken
	// Actor is who sends, for the audit log of the new tokens ("job:NAME").
	Actor string
	// Announced are the offers the messages announce to their hosts.
	Announced []program.MatchID
}

// Enqueue adds b's messages to the outbox, due now, and records the rest of
// b in the same transaction, so a crash cannot leave a notice without its
// mail, or a link mailed but not stored. A message whose DedupKey is
// already in the outbox is skipped, so a job run twice sends once. It
// returns how many messages were added.
func (db *DB) Enqueue(ctx context.Context, b Batch) (int, error) {
	added := 0
	err := db.inTx(ctx, fmt.Sprintf("store: enqueue %d messages", len(b.Mail)), func(tx *txn) error {
		q := tx.Rebind(`INSERT INTO outbox (dedup_key, sender, recipient, subject, message, created_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING`)
		for _, m := range b.Mail {
			res, err := tx.ExecContext(ctx, q, m.DedupKey, m.From, m.To, m.Subject, m.Message, asInstant(&tx.now), asInstant(&tx.now))
			if err != nil {
				return fmt.Errorf("message %q: %w", m.DedupKey, err)
			}
			if n, err := res.RowsAffected(); err == nil {
				added += int(n)
			}
		}
		n := tx.Rebind(`INSERT INTO event_notices (event_id, attendee_id, sequence, reminded_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (event_id, attendee_id) DO UPDATE SET
				sequence = CASE WHEN excluded.sequence > event_notices.sequence THEN excluded.sequence ELSE event_notices.sequence END,
				reminded_at = coalesce(event_notices.reminded_at, excluded.reminded_at)`)
		for _, x := range b.Notices {
			var reminded time.Time
			if x.Reminded {
				reminded = tx.now
			}
			if _, err := tx.ExecContext(ctx, n, int64(x.Event), x.Attendee, x.Sequence, asInstant(&reminded)); err != nil {
				return fmt.Errorf("notice of event %d to %s: %w", x.Event, x.Attendee, err)
			}
		}
		if err := insertTokens(ctx, tx, b.Actor, b.Tokens); err != nil {
			return err
		}
		a := tx.Rebind(`INSERT INTO offer_announcements (match_id, announced_at) VALUES (?, ?) ON CONFLICT (match_id) DO NOTHING`)
		for _, id := range b.Announced {
			if _, err := tx.ExecContext(ctx, a, int64(id), asInstant(&tx.now)); err != nil {
				return fmt.Errorf("announce offer %d: %w", id, err)
			}
		}
		return nil
	})
	return added, err
}

// ClaimMail takes up to n messages due now for sending and holds them for
// lease: until then no other sender takes them, and after it (the sender
// died before reporting) they are due again. On PostgreSQL concurrent
// senders skip each other's rows (FOR UPDATE SKIP LOCKED) rather than wait.
// Each claim counts as an attempt. Messages come oldest first.
func (db *DB) ClaimMail(ctx context.Context, n int, lease time.Duration) ([]program.Mail, error) {
	var ms []program.Mail
	err := db.inTx(ctx, "store: claim mail", func(tx *txn) error {
		until := tx.now.Add(lease)
		q := `UPDATE outbox SET claimed_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox
				WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
				ORDER BY id LIMIT ?` + tx.d.skipLocked + `)
			RETURNING ` + strings.Join(outbox.columns, ", ")
		var err error
		ms, err = queryRows(ctx, tx, q, []any{asInstant(&until), asInstant(&tx.now), asInstant(&tx.now), n}, outbox.scan)
		return err
	})
	// RETURNING keeps no order: oldest first, as they were queued.
	slices.SortFunc(ms, func(a, b program.Mail) int { return cmp.Compare(a.ID, b.ID) })
	return ms, err
}

// MarkSent records that an SMTP server accepted message id. Only then is a
// message sent: a sender that dies before this leaves it to be sent again
// when its lease ends.
func (db *DB) MarkSent(ctx context.Context, id int64) error {
	return markMail(ctx, db, id, "sent", `sent_at = ?, claimed_until = NULL, last_error = ''`, func(tx *txn) []any { return []any{asInstant(&tx.now)} })
}

// RetryMail records a failed attempt at message id and makes it due again
// at next.
func (db *DB) RetryMail(ctx context.Context, id int64, next time.Time, errText string) error {
	return markMail(ctx, db, id, "retry", `next_attempt_at = ?, claimed_until = NULL, last_error = ?`,
		func(*txn) []any { return []any{asInstant(&next), errText} })
}

// FailMail gives message id up as undeliverable (the server refused it for
// good): it stays in the outbox, failed, for a person to look at.
func (db *DB) FailMail(ctx context.Context, id int64, errText string) error {
	return markMail(ctx, db, id, "fail", `failed_at = ?, claimed_until = NULL, last_error = ?`,
		func(tx *txn) []any { return []any{asInstant(&tx.now), errText} })
}

// markMail sets columns of message id, which must be waiting.
func markMail(ctx context.Context, db *DB, id int64, what, set string, args func(*txn) []any) error {
	return db.inTx(ctx, fmt.Sprintf("store: %s message %d", what, id), func(tx *txn) error {
		q := tx.Rebind(`UPDATE outbox SET ` + set + ` WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL`)
		res, err := tx.ExecContext(ctx, q, append(args(tx), id)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("message %d is not waiting: %w", id, program.ErrNotFound)
		}
		return nil
	})
}

// OutboxDepth returns how many messages wait to be sent and how many were
// given up.
func (db *DB) OutboxDepth(ctx context.Context) (waiting, failed int, err error) {
	err = db.db.QueryRowxContext(ctx, `SELECT
		coalesce(sum(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM outbox`).Scan(&waiting, &failed)
	return waiting, failed, wrap(err, "store: outbox depth", "")
}

// Outbox returns every message of the outbox, oldest first, for reports and
// tests.
func (db *DB) Outbox(ctx context.Context) ([]program.Mail, error) {
	return outbox.list(ctx, db.db)
}
