package store

import (
	"context"
	"time"
)

// EventsVersion returns how many events PersonEvents(ctx, attendee, from,
// to) returns — or Events(ctx, from, to) when attendee is empty — and the
// latest instant at which one of them was stored with a new SEQUENCE (zero
// when there are none), without loading them. A calendar feed derives its
// validators from the pair, so that a polling calendar program costs one
// aggregate over an index rather than a load and a render of the whole
// feed.
//
// The pair changes whenever the events change as calendars must hear:
// every such change raises the event's SEQUENCE and so stamps updated_at
// (see SaveEvents); an event that joins or leaves the list or the span
// changes the count or, when one joins as another leaves, the latest
// instant (the scheduler raises the SEQUENCE of an event whose attendees
// change). Changes that keep SEQUENCE do not show.
func (db *DB) EventsVersion(ctx context.Context, attendee string, from, to time.Time) (count int, latest time.Time, err error) {
	// The selection of loadEvents, so the version and the feed it
	// validates agree.
	where, args := eventsSelection(attendee, from, to)
	q := db.db.Rebind(`SELECT count(*), max(updated_at) FROM events ` + where)
	if err := db.db.QueryRowxContext(ctx, q, args...).Scan(&count, asInstant(&latest)); err != nil {
		return 0, time.Time{}, wrap(err, "store: version of events of", attendee)
	}
	return count, latest, nil
}
