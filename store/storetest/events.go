package storetest

import (
	"errors"
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
		ids, err := db.SaveEvents(ctx, es)
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
		ids, err = db.SaveEvents(ctx, []program.Event{moved})
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
		if _, err := db.SaveEvents(ctx, []program.Event{es[2], bad}); !errors.Is(err, program.ErrInvalid) {
			t.Errorf("event ending at its start: got %v, want program.ErrInvalid", err)
		}
		if got, _ := db.Events(ctx, at(1, 0), at(31, 0)); len(got) != 3 {
			t.Errorf("after a failed save: %d events, want the 3 saved before", len(got))
		}
		for _, e := range []program.Event{
			func() program.Event { e := es[2]; e.UID, e.Status = "no-status@khidi", ""; return e }(),
			func() program.Event { e := es[2]; e.UID, e.Series = "no-nominal@khidi", "s@khidi"; return e }(),
		} {
			if _, err := db.SaveEvents(ctx, []program.Event{e}); !errors.Is(err, program.ErrInvalid) {
				t.Errorf("event %s: got %v, want program.ErrInvalid", e.UID, err)
			}
		}

		// Cancelling keeps the event, so feeds can say STATUS:CANCELLED.
		cancelled := es[1]
		cancelled.Status, cancelled.Sequence = program.EventCancelled, 1
		if _, err := db.SaveEvents(ctx, []program.Event{cancelled}); err != nil {
			t.Fatal(err)
		}
		got, err = db.PersonEvents(ctx, "p-1", at(1, 0), at(31, 0))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "PersonEvents(p-1) after the internship was cancelled", got, []program.Event{cancelled})
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
