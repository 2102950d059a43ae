package storetest

import (
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// runFeed is the part of the suite about what calendar feeds ask of the
// store.
func runFeed(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("EventsVersion", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		now := clock
		db.Now = func() time.Time { return now }
		ctx := t.Context()
		at := func(day, hour int) time.Time { return time.Date(2027, 3, day, hour, 0, 0, 0, time.UTC) }
		from, to := at(1, 0), at(31, 0)
		nino := program.Attendee{ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge"}
		gia := program.Attendee{ID: "p-2", Name: "გია", Email: "gia@example.ge"}
		event := func(uid string, day int, who ...program.Attendee) program.Event {
			return program.Event{Kind: program.EventMeeting, Title: uid, Start: at(day, 6), End: at(day, 14), Zone: "Asia/Tbilisi",
				Attendees: who, UID: uid, Status: program.EventScheduled}
		}
		ninos := event("ninos@khidi", 5, nino)
		shared := event("shared@khidi", 12, nino, gia)
		gias := event("gias@khidi", 19, gia)
		later := event("later@khidi", 31, nino) // starts after the span
		moved := func(e program.Event, day int) program.Event {
			e.Start, e.End, e.Sequence = at(day, 6), at(day, 14), e.Sequence+1
			return e
		}
		// Each step saves events at its own instant, then reads the
		// versions of Nino and Gia over March.
		t0, t1, t2, t3, t4 := clock, clock.Add(time.Minute), clock.Add(2*time.Minute), clock.Add(3*time.Minute), clock.Add(4*time.Minute)
		type version struct {
			n      int
			latest time.Time
		}
		steps := []struct {
			name           string
			at             time.Time
			save           []program.Event
			nino, gia, all version
		}{
			{"first save", t0, []program.Event{ninos, shared, gias, later}, version{2, t0}, version{2, t0}, version{3, t0}},
			{"Gia's own event moved: Nino's version stays", t1, []program.Event{moved(gias, 20)}, version{2, t0}, version{2, t1}, version{3, t1}},
			{"saved again with its SEQUENCE: nothing to tell calendars", t2, []program.Event{ninos}, version{2, t0}, version{2, t1}, version{3, t1}},
			{"Nino's event moved", t3, []program.Event{moved(ninos, 6)}, version{2, t3}, version{2, t1}, version{3, t3}},
			{"an event moved into the span", t4, []program.Event{moved(later, 25)}, version{3, t4}, version{2, t1}, version{4, t4}},
		}
		for _, s := range steps {
			now = s.at
			if _, err := db.SaveEvents(ctx, s.save, store.AnyRevision); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			for _, c := range []struct {
				id   string
				want version
			}{{"p-1", s.nino}, {"p-2", s.gia}, {"", s.all}} {
				n, latest, err := db.EventsVersion(ctx, c.id, from, to)
				if err != nil {
					t.Fatalf("%s: EventsVersion(%s): %v", s.name, c.id, err)
				}
				want := c.want.latest.UTC().Truncate(time.Microsecond) // as the store keeps instants
				if n != c.want.n || !latest.Equal(want) || latest.Location() != time.UTC {
					t.Errorf("%s: EventsVersion(%s) = %d, %v; want %d, %v (UTC)", s.name, c.id, n, latest, c.want.n, want)
				}
				es, err := db.PersonEvents(ctx, c.id, from, to)
				if c.id == "" {
					es, err = db.Events(ctx, from, to)
				}
				if err != nil || len(es) != n {
					t.Errorf("%s: the events of %q = %d events, %v; EventsVersion counts %d", s.name, c.id, len(es), err, n)
				}
			}
		}

		n, latest, err := db.EventsVersion(ctx, "nobody", from, to)
		if err != nil || n != 0 || !latest.IsZero() {
			t.Errorf("EventsVersion(nobody) = %d, %v, %v; want 0, the zero time, nil", n, latest, err)
		}
	})
}
