package store

import (
	"context"
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// events maps program.Event onto its table; attendees live in
// event_attendees, one row each, so a person's events are an indexed query.
var events = &table[program.Event]{
	name:    "events",
	kind:    "event",
	columns: []string{"id", "uid", "kind", "title", "start_at", "end_at", "zone", "location", "source_rule", "sequence", "status", "series", "nominal_at"},
	scan: func(e *program.Event) []any {
		return []any{&e.ID, &e.UID, &e.Kind, &e.Title, asInstant(&e.Start), asInstant(&e.End), &e.Zone, &e.Location, &e.SourceRule, &e.Sequence, &e.Status, &e.Series, asInstant(&e.Nominal)}
	},
}

// SaveEvents stores es in one transaction, matching them to stored events
// by UID: a new UID is inserted, a known one updated and its attendees
// replaced. A cancelled event is saved like any other, with its Status: it
// stays stored so that feeds keep telling calendars it is off. It returns
// the events' ids in the order of es. The scheduler raises Sequence when it
// moves an event; updated_at is stamped only then, so "changed since" means
// changed in a way calendars must hear about.
//
// Every save that writes events raises the schedule's revision (see
// EventsAt). Events computed from stored ones, as a layout's are, are
// saved with expect, the revision EventsAt returned with what they were
// computed from: if another save came in between, its moves would be
// overwritten by events raised to the same SEQUENCE, and calendars told of
// one move would never hear of the other, so SaveEvents then writes nothing
// and returns an error matching program.ErrConflict; the caller reads the
// events again and computes anew. Events written whole, computed from
// nothing stored, are saved with AnyRevision.
func (db *DB) SaveEvents(ctx context.Context, es []program.Event, expect int64) ([]program.EventID, error) {
	op := fmt.Sprintf("store: save %d events", len(es))
	if expect < AnyRevision {
		return nil, fmt.Errorf("%s: expected revision %d: want one EventsAt returned, or AnyRevision: %w", op, expect, program.ErrInvalid)
	}
	ids := make([]program.EventID, len(es))
	err := db.inTx(ctx, op, func(tx *txn) error {
		// First, so that concurrent saves queue up on the revision's row
		// and each compares with what the one before it left.
		if err := advanceSchedule(ctx, tx, expect, len(es) > 0); err != nil {
			return err
		}
		q := tx.Rebind(`INSERT INTO events (uid, kind, title, start_at, end_at, zone, location, source_rule, sequence, status, series, nominal_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (uid) DO UPDATE SET kind = excluded.kind, title = excluded.title, start_at = excluded.start_at,
				end_at = excluded.end_at, zone = excluded.zone, location = excluded.location,
				source_rule = excluded.source_rule, sequence = excluded.sequence, status = excluded.status,
				series = excluded.series, nominal_at = excluded.nominal_at,
				updated_at = CASE WHEN events.sequence = excluded.sequence THEN events.updated_at ELSE excluded.updated_at END
			RETURNING id`)
		del := tx.Rebind(`DELETE FROM event_attendees WHERE event_id = ?`)
		type attendee struct {
			event    program.EventID
			position int
			program.Attendee
		}
		var as []attendee
		for i := range es {
			e := &es[i]
			err := tx.QueryRowxContext(ctx, q, e.UID, string(e.Kind), e.Title, asInstant(&e.Start), asInstant(&e.End), e.Zone,
				e.Location, e.SourceRule, e.Sequence, string(e.Status), e.Series, asInstant(&e.Nominal), asInstant(&tx.now)).Scan(&ids[i])
			if err != nil {
				return fmt.Errorf("event %q: %w", e.UID, err)
			}
			if _, err := tx.ExecContext(ctx, del, int64(ids[i])); err != nil {
				return fmt.Errorf("event %q: clear attendees: %w", e.UID, err)
			}
			for j, a := range e.Attendees {
				as = append(as, attendee{ids[i], j, a})
			}
		}
		err := tx.d.insert(ctx, tx, "event_attendees", []string{"event_id", "position", "attendee_id", "name", "email"}, len(as),
			func(i int) []any {
				a := &as[i]
				return []any{int64(a.event), a.position, asNullText(&a.ID), a.Name, a.Email}
			})
		if err != nil {
			return fmt.Errorf("attendees: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// Events returns the events, cancelled ones included, that overlap
// [from, to), ordered by start and UID, with their attendees. Events to be
// changed and saved again are read with EventsAt instead.
func (db *DB) Events(ctx context.Context, from, to time.Time) ([]program.Event, error) {
	es, err := loadEvents(ctx, db.db, "", from, to)
	return es, wrap(err, "store: events", "")
}

// PersonEvents returns the events, cancelled ones included, that overlap
// [from, to) to which the participant or organisation with the given id is
// invited — every event when id is empty, as Events — ordered by start and
// UID, with all their attendees.
func (db *DB) PersonEvents(ctx context.Context, id string, from, to time.Time) ([]program.Event, error) {
	es, err := loadEvents(ctx, db.db, id, from, to)
	return es, wrap(err, "store: events of", id)
}

// loadEvents runs Events and EventsAt (attendee "") or PersonEvents
// through q.
func loadEvents(ctx context.Context, q queryer, attendee string, from, to time.Time) ([]program.Event, error) {
	where, args := eventsSelection(attendee, from, to)
	return queryEvents(ctx, q, where, args)
}

// eventsSelection returns the WHERE clause and its arguments that select
// the events overlapping [from, to), attendee's only unless it is empty.
func eventsSelection(attendee string, from, to time.Time) (string, []any) {
	where := "WHERE start_at < ? AND end_at > ?"
	args := []any{asInstant(&to), asInstant(&from)}
	if attendee != "" {
		where += " AND id IN (SELECT event_id FROM event_attendees WHERE attendee_id = ?)"
		args = append(args, attendee)
	}
	return where, args
}

// queryEvents loads through q the events selected by where (a WHERE clause
// with ? placeholders for args), ordered by start and UID, with their
// attendees.
func queryEvents(ctx context.Context, q queryer, where string, args []any) ([]program.Event, error) {
	es, err := events.query(ctx, q, where+" ORDER BY start_at, uid", args...)
	if err != nil || len(es) == 0 {
		return es, err
	}
	index := make(map[program.EventID]int, len(es))
	for i := range es {
		index[es[i].ID] = i
	}
	type row struct {
		event program.EventID
		program.Attendee
	}
	rows, err := queryRows(ctx, q, `SELECT event_id, attendee_id, name, email FROM event_attendees
		WHERE event_id IN (SELECT id FROM events `+where+`) ORDER BY event_id, position`, args,
		func(r *row) []any { return []any{&r.event, asNullText(&r.ID), &r.Name, &r.Email} })
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		// Outside a snapshot (EventsAt's), an event saved between the two
		// reads has attendees but no row here: it is not part of this
		// answer.
		if i, ok := index[r.event]; ok {
			es[i].Attendees = append(es[i].Attendees, r.Attendee)
		}
	}
	return es, nil
}
