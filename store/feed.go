package store

import (
	"context"
	"time"
)

// PersonEventsVersion returns how many events PersonEvents(ctx, id, from,
// to) returns and the latest instant at which one of them was stored with
// a new SEQUENCE (zero when there are none), without loading them. A
// calendar feed derives its validators from the pair, so that a polling
// calendar program costs one aggregate over an index rather than a load
// and a render of the whole feed.
//
// The pair changes whenever the events change as calendars must hear:
// every such change raises the event's SEQUENCE and so stamps updated_at
// (see SaveEvents); an event that joins or leaves the subject's list or
// the span changes the count or, when one joins as another leaves, the
// latest instant (the scheduler raises the SEQUENCE of an event whose
// attendees change). Changes that keep SEQUENCE do not show.
func (db *DB) PersonEventsVersion(ctx context.Context, id string, from, to time.Time) (count int, latest time.Time, err error) {
	// The selection of loadEvents for an attendee: the same events as
	// PersonEvents, so the version and the feed it validates agree.
	q := db.db.Rebind(`SELECT count(*), max(updated_at) FROM events
		WHERE start_at < ? AND end_at > ? AND id IN (SELECT event_id FROM event_attendees WHERE attendee_id = ?)`)
	err = db.db.QueryRowxContext(ctx, q, asInstant(&to), asInstant(&from), id).Scan(&count, asInstant(&latest))
	if err != nil {
		return 0, time.Time{}, wrap(err, "store: version of events of", id)
	}
	return count, latest, nil
}
