package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// runEvents is the part of the suite about calendar events.
func runEvents(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("Events", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		db.Now = func() time.Time { return clock }
		ctx := t.Context()
		at := func(day, hour int) time.Time { return time.Date(2027, 3, day, hour, 0, 0, 0, time.UTC) }
		nino := program.Attendee{ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge"}
		host := program.Attendee{ID: "o-1", Name: "Host", Email: "host@example.ge"}
		guest := program.Attendee{Name: "Guest", Email: "guest@example.org"}
		es := []program.Event{
			{Kind: program.EventStudyCircle, Title: "Circle 1, session 2", Start: at(9, 14), End: at(9, 16), Zone: "Asia/Tbilisi",
				Location: "Kutaisi", Attendees: []program.Attendee{nino, guest}, SourceRule: "CRON_TZ=Asia/Tbilisi 0 18 * * 2", UID: "circle-1-2@khidi",
				Status: program.EventScheduled, Series: "circle-1@khidi", Nominal: at(9, 14)},
			{Kind: program.EventInternship, Title: "Internship at Host", Start: at(1, 6), End: at(31, 14), Zone: "Asia/Tbilisi",
				Attendees: []program.Attendee{host, nino}, UID: "intern-p-1@khidi", Status: program.EventScheduled},
			{Kind: program.EventMeeting, Title: "Yearly meeting", Start: at(20, 6), End: at(20, 14), Zone: "Asia/Tbilisi",
				Attendees: []program.Attendee{host}, UID: "meeting-2027@khidi", Status: program.EventScheduled},
		}
		ids, err := db.SaveEvents(ctx, es, store.AnyRevision)
		if err != nil {
			t.Fatal(err)
		}
		for i := range es {
			es[i].ID = ids[i]
		}
		got, err := db.PersonEvents(ctx, "p-1", at(1, 0), at(31, 0))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "PersonEvents(p-1), by start", got, []program.Event{es[1], es[0]})
		got, err = db.Events(ctx, at(10, 0), at(21, 0))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Events overlapping 10–21 March", got, []program.Event{es[1], es[2]})

		// Rescheduling: same UID, a new time and sequence, one attendee fewer.
		moved := es[0]
		moved.Start, moved.End, moved.Sequence = at(10, 14), at(10, 16), 1
		moved.Attendees = []program.Attendee{guest}
		ids, err = db.SaveEvents(ctx, []program.Event{moved}, store.AnyRevision)
		if err != nil {
			t.Fatal(err)
		}
		if ids[0] != es[0].ID {
			t.Errorf("rescheduled event got id %d, want its old id %d", ids[0], es[0].ID)
		}
		got, err = db.PersonEvents(ctx, "p-1", at(1, 0), at(31, 0))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "PersonEvents(p-1) after p-1 left the circle", got, []program.Event{es[1]})
		got, err = db.Events(ctx, at(10, 0), at(11, 0))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Events on 10 March", got, []program.Event{es[1], moved})

		bad := es[2]
		bad.UID, bad.End = "bad@khidi", bad.Start // ends when it starts
		if _, err := db.SaveEvents(ctx, []program.Event{es[2], bad}, store.AnyRevision); !errors.Is(err, program.ErrInvalid) {
			t.Errorf("event ending at its start: got %v, want program.ErrInvalid", err)
		}
		if got, _ := db.Events(ctx, at(1, 0), at(31, 0)); len(got) != 3 {
			t.Errorf("after a failed save: %d events, want the 3 saved before", len(got))
		}
		for _, e := range []program.Event{
			func() program.Event { e := es[2]; e.UID, e.Status = "no-status@khidi", ""; return e }(),
			func() program.Event { e := es[2]; e.UID, e.Series = "no-nominal@khidi", "s@khidi"; return e }(),
		} {
			if _, err := db.SaveEvents(ctx, []program.Event{e}, store.AnyRevision); !errors.Is(err, program.ErrInvalid) {
				t.Errorf("event %s: got %v, want program.ErrInvalid", e.UID, err)
			}
		}

		// Cancelling keeps the event, so feeds can say STATUS:CANCELLED.
		cancelled := es[1]
		cancelled.Status, cancelled.Sequence = program.EventCancelled, 1
		if _, err := db.SaveEvents(ctx, []program.Event{cancelled}, store.AnyRevision); err != nil {
			t.Fatal(err)
		}
		got, err = db.PersonEvents(ctx, "p-1", at(1, 0), at(31, 0))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "PersonEvents(p-1) after the internship was cancelled", got, []program.Event{cancelled})
	})

	// A layout reads the events with the schedule's revision and saves
	// what it computed from them with that revision: a save from an older
	// revision would overwrite the moves saved since with events raised to
	// the same SEQUENCE, so it must be refused and write nothing.
	t.Run("ScheduleRevision", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		db.Now = func() time.Time { return clock }
		ctx := t.Context()
		from, to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
		at := func(day, hour int) time.Time { return time.Date(2027, 5, day, hour, 0, 0, 0, time.UTC) }
		event := func(uid string, day int) program.Event {
			return program.Event{Kind: program.EventCommunityVisit, Title: "Visit " + uid, Start: at(day, 6), End: at(day+2, 14),
				Zone: "Asia/Tbilisi", Location: "Mestia", UID: uid, Status: program.EventScheduled,
				Attendees: []program.Attendee{{ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge"}}}
		}
		eventsAt := func(name string) ([]program.Event, int64) {
			t.Helper()
			es, rev, err := db.EventsAt(ctx, from, to)
			if err != nil {
				t.Fatalf("%s: EventsAt: %v", name, err)
			}
			return es, rev
		}

		none, rev0 := eventsAt("empty")
		if len(none) != 0 {
			t.Fatalf("EventsAt on an empty database = %d events, want none", len(none))
		}
		es := []program.Event{event("v-1@khidi", 3), event("v-2@khidi", 10)}
		ids, err := db.SaveEvents(ctx, es, rev0)
		if err != nil {
			t.Fatalf("SaveEvents at the current revision %d: %v", rev0, err)
		}
		for i := range es {
			es[i].ID = ids[i]
		}
		got, rev1 := eventsAt("after the first save")
		check(t, "EventsAt after the first save", got, es)
		if rev1 != rev0+1 {
			t.Errorf("revision after a save = %d, want %d", rev1, rev0+1)
		}

		// Laid out from revision rev0, before the first save: refused.
		stale := es[0]
		stale.Start, stale.End, stale.Sequence = at(17, 6), at(19, 14), 1
		_, err = db.SaveEvents(ctx, []program.Event{stale, event("v-3@khidi", 24)}, rev0)
		if !errors.Is(err, program.ErrConflict) {
			t.Fatalf("SaveEvents from revision %d at revision %d: got %v, want an error matching program.ErrConflict", rev0, rev1, err)
		}
		got, rev := eventsAt("after a refused save")
		check(t, "EventsAt after a save from a stale revision", got, es)
		if rev != rev1 {
			t.Errorf("revision after a refused save = %d, want %d unchanged", rev, rev1)
		}
		if _, err := db.SaveEvents(ctx, nil, rev0); !errors.Is(err, program.ErrConflict) {
			t.Errorf("SaveEvents of nothing from a stale revision: got %v, want program.ErrConflict", err)
		}

		// Laid out from the current revision: saved, and the revision rises.
		moved := stale
		if _, err := db.SaveEvents(ctx, []program.Event{moved}, rev1); err != nil {
			t.Fatalf("SaveEvents at the current revision %d: %v", rev1, err)
		}
		got, rev2 := eventsAt("after the move")
		check(t, "EventsAt after the move", got, []program.Event{es[1], moved})
		if rev2 != rev1+1 {
			t.Errorf("revision after the move = %d, want %d", rev2, rev1+1)
		}

		// Saving nothing changes nothing a layout could have read.
		if _, err := db.SaveEvents(ctx, nil, rev2); err != nil {
			t.Fatalf("SaveEvents of nothing at the current revision: %v", err)
		}
		// A save without a revision is not checked, but it writes events,
		// so it raises the revision and refuses layouts read before it.
		cancelled := es[1]
		cancelled.Status, cancelled.Sequence = program.EventCancelled, 1
		if _, err := db.SaveEvents(ctx, []program.Event{cancelled}, store.AnyRevision); err != nil {
			t.Fatal(err)
		}
		if _, rev := eventsAt("after an unchecked save"); rev != rev2+1 {
			t.Errorf("revision after saving nothing, then a save without a revision = %d, want %d", rev, rev2+1)
		}
		if _, err := db.SaveEvents(ctx, nil, rev2); !errors.Is(err, program.ErrConflict) {
			t.Errorf("SaveEvents from the revision before an unchecked save: got %v, want program.ErrConflict", err)
		}
		if _, err := db.SaveEvents(ctx, nil, -2); !errors.Is(err, program.ErrInvalid) {
			t.Errorf("SaveEvents with a revision below AnyRevision: got %v, want program.ErrInvalid", err)
		}
	})

	// Layouts saving at once from the same revision, each on its own
	// connection: exactly one is saved, whatever the order they reach the
	// database in.
	t.Run("ScheduleRevisionRace", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		from, to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
		base := program.Event{Kind: program.EventMeeting, Title: "Yearly meeting", Start: time.Date(2027, 11, 2, 6, 0, 0, 0, time.UTC),
			End: time.Date(2027, 11, 2, 14, 0, 0, 0, time.UTC), Zone: "Asia/Tbilisi", UID: "meeting-2027@khidi", Status: program.EventScheduled}
		if _, err := db.SaveEvents(ctx, []program.Event{base}, store.AnyRevision); err != nil {
			t.Fatal(err)
		}
		_, rev, err := db.EventsAt(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		const layouts = 8
		errs := make([]error, layouts)
		var wg sync.WaitGroup
		for i := range layouts {
			wg.Go(func() {
				e := base // each layout moves the meeting to a day of its own
				e.Start, e.End, e.Sequence = e.Start.AddDate(0, 0, i+1), e.End.AddDate(0, 0, i+1), 1
				_, errs[i] = db.SaveEvents(ctx, []program.Event{e}, rev)
			})
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner < 0:
				winner = i
			case err == nil:
				t.Errorf("layouts %d and %d were both saved from revision %d", winner, i, rev)
			case !errors.Is(err, program.ErrConflict):
				t.Errorf("layout %d: got %v, want nil or program.ErrConflict", i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("none of %d layouts from the current revision was saved", layouts)
		}
		got, after, err := db.EventsAt(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := base.Start.AddDate(0, 0, winner+1)
		if len(got) != 1 || !got[0].Start.Equal(want) || after != rev+1 {
			t.Errorf("after the race: events %+v at revision %d; want the meeting at %v (layout %d's) at revision %d",
				got, after, want, winner, rev+1)
		}
	})
}

// runCandidates is the part of the suite about candidate queries.
func runCandidates(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("Candidates", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		mk := func(id program.OrgID, region string, interns, visitors int, themes ...string) program.Organization {
			o := org(id)
			o.Region, o.InternCapacity, o.VisitorCapacity, o.Themes = region, interns, visitors, themes
			return o
		}
		recs := store.Records{
			Organizations: []program.Organization{
				mk("o-1", "Tbilisi", 2, 0, "youth", "media"),
				mk("o-2", "Tbilisi", 0, 3, "environment"),
				mk("o-3", "Imereti", 1, 1, "environment", "youth"),
				mk("o-4", "Kakheti", 5, 5),
			},
			Communities: []program.Community{
				{ID: "c-1", Name: "Ushguli", Region: "Svaneti", Needs: []string{"tourism", "water"}, VisitsPerYear: 4},
				{ID: "c-2", Name: "Dedoplistskaro", Region: "Kakheti", Needs: []string{"water"}},
			},
		}
		for i, role := range []program.Role{program.RoleCSOLeader, program.RoleActivist, program.RoleCSOLeader} {
			p := participant(program.ParticipantID([]string{"p-1", "p-2", "p-3"}[i]), "")
			p.Role, p.Preferences, p.Themes = role, nil, []string{[]string{"water", "water", "media"}[i]}
			recs.Participants = append(recs.Participants, p)
		}
		if err := db.Upsert(ctx, recs); err != nil {
			t.Fatal(err)
		}
		hostIDs := func(kind program.RoundKind, f store.Filter) []program.OrgID {
			t.Helper()
			orgs, err := db.HostCandidates(ctx, kind, f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []program.OrgID
			for _, o := range orgs {
				ids = append(ids, o.ID)
			}
			return ids
		}
		check(t, "internship hosts", hostIDs(program.RoundInternship, store.Filter{}), []program.OrgID{"o-1", "o-3", "o-4"})
		check(t, "internship hosts on youth or environment", hostIDs(program.RoundInternship, store.Filter{Themes: []string{"youth", "environment"}}), []program.OrgID{"o-1", "o-3"})
		check(t, "exchange hosts on environment in Tbilisi", hostIDs(program.RoundPeerExchange, store.Filter{Themes: []string{"environment"}, Regions: []string{"Tbilisi"}}), []program.OrgID{"o-2"})
		check(t, "hosts on an unknown theme", hostIDs(program.RoundInternship, store.Filter{Themes: []string{"nothing"}}), []program.OrgID(nil))
		if _, err := db.HostCandidates(ctx, program.RoundCommunityVisit, store.Filter{}); !errors.Is(err, program.ErrInvalid) {
			t.Errorf("host candidates of a community-visit round: got %v, want program.ErrInvalid", err)
		}

		cs, err := db.CommunityCandidates(ctx, store.Filter{Themes: []string{"water"}})
		if err != nil || len(cs) != 1 || cs[0].ID != "c-1" {
			t.Errorf("communities needing water that want visits = %+v, %v; want c-1 only", cs, err)
		}
		ps, err := db.ParticipantCandidates(ctx, []program.Role{program.RoleCSOLeader}, store.Filter{Themes: []string{"water"}})
		if err != nil || len(ps) != 1 || ps[0].ID != "p-1" {
			t.Errorf("CSO leaders on water = %+v, %v; want p-1 only", ps, err)
		}
	})
}
