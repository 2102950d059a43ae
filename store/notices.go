package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// Pending is an event one attendee must be told about: its invitation or
// update (Told below Event.Sequence), its cancellation, or its reminder.
type Pending struct {
	Attendee program.Attendee
	Event    program.Event
	// Told is the SEQUENCE of the last notice the attendee was sent about
	// the event; −1 when they were sent none.
	Told int
}

// PendingNotices returns, for every attendee with an id, the events whose
// SEQUENCE is above the last one they were sent: new events, moved ones,
// and cancellations of events they were told about (a cancellation of an
// event they never heard of needs no mail). Ordered by attendee, then by
// event start.
func (db *DB) PendingNotices(ctx context.Context) ([]Pending, error) {
	ps, err := pending(ctx, db, `SELECT a.event_id, a.attendee_id, a.name, a.email, coalesce(n.sequence, -1)
		FROM event_attendees a JOIN events e ON e.id = a.event_id
		LEFT JOIN event_notices n ON n.event_id = a.event_id AND n.attendee_id = a.attendee_id
		WHERE a.attendee_id IS NOT NULL AND (n.sequence IS NULL OR n.sequence < e.sequence)
			AND NOT (e.status = 'cancelled' AND n.sequence IS NULL)`, nil)
	return ps, wrap(err, "store: pending notices", "")
}

// DueReminders returns, for every attendee with an id, the scheduled events
// starting in [from, to) of which they were told and not yet reminded.
func (db *DB) DueReminders(ctx context.Context, from, to time.Time) ([]Pending, error) {
	ps, err := pending(ctx, db, `SELECT a.event_id, a.attendee_id, a.name, a.email, n.sequence
		FROM event_attendees a JOIN events e ON e.id = a.event_id
		JOIN event_notices n ON n.event_id = a.event_id AND n.attendee_id = a.attendee_id
		WHERE e.status = 'scheduled' AND e.start_at >= ? AND e.start_at < ? AND n.reminded_at IS NULL`,
		[]any{asInstant(&from), asInstant(&to)})
	return ps, wrap(err, "store: due reminders", "")
}

// pending runs query, which selects (event id, attendee id, name, email,
// told), and loads the events it names.
func pending(ctx context.Context, db *DB, query string, args []any) ([]Pending, error) {
	type row struct {
		event program.EventID
		who   program.Attendee
		told  int
	}
	rows, err := queryRows(ctx, db.db, query, args, func(r *row) []any {
		return []any{&r.event, &r.who.ID, &r.who.Name, &r.who.Email, &r.told}
	})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := make([]any, 0, len(rows))
	seen := map[program.EventID]bool{}
	for _, r := range rows {
		if !seen[r.event] {
			seen[r.event] = true
			ids = append(ids, int64(r.event))
		}
	}
	byID := make(map[program.EventID]program.Event, len(ids))
	for start := 0; start < len(ids); start += db.dialect.maxParams / 2 {
		chunk := ids[start:min(start+db.dialect.maxParams/2, len(ids))]
		es, err := queryEvents(ctx, db.db, "WHERE id IN ("+placeholders(len(chunk))+")", chunk)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			byID[e.ID] = e
		}
	}
	out := make([]Pending, len(rows))
	for i, r := range rows {
		out[i] = Pending{Attendee: r.who, Event: byID[r.event], Told: r.told}
	}
	slices.SortFunc(out, func(a, b Pending) int {
		return cmp.Or(cmp.Compare(a.Attendee.ID, b.Attendee.ID), a.Event.Start.Compare(b.Event.Start), cmp.Compare(a.Event.UID, b.Event.UID))
	})
	return out, nil
}

// SeriesEvents returns every event of the given series, cancelled ones
// included, ordered by start and UID, with their attendees: an invitation
// to a study circle carries its whole series, not only the sessions that
// changed.
func (db *DB) SeriesEvents(ctx context.Context, series []string) ([]program.Event, error) {
	var out []program.Event
	for start := 0; start < len(series); start += db.dialect.maxParams / 2 {
		chunk := series[start:min(start+db.dialect.maxParams/2, len(series))]
		args := make([]any, len(chunk))
		for i, s := range chunk {
			args[i] = s
		}
		es, err := queryEvents(ctx, db.db, "WHERE series IN ("+placeholders(len(chunk))+")", args)
		if err != nil {
			return nil, wrap(err, "store: events of series", chunk[0])
		}
		out = append(out, es...)
	}
	return out, nil
}

// UnannouncedOffers returns the open offers to host organisations that no
// message has announced yet (Batch.Announced), by host, then round, then id.
func (db *DB) UnannouncedOffers(ctx context.Context) ([]program.Match, error) {
	ms, err := matches.query(ctx, db.db, `WHERE status = ? AND host_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM offer_announcements a WHERE a.match_id = matches.id) ORDER BY host_id, round_id, id`,
		string(program.OfferOffered))
	return ms, wrap(err, "store: unannounced offers", "")
}

// DueOffers returns the open offers whose deadline is at or before now,
// oldest deadline first.
func (db *DB) DueOffers(ctx context.Context, now time.Time) ([]program.Match, error) {
	ms, err := matches.query(ctx, db.db, "WHERE status = ? AND deadline IS NOT NULL AND deadline <= ? ORDER BY deadline, id",
		string(program.OfferOffered), asInstant(&now))
	return ms, wrap(err, "store: offers past their deadline", "")
}
