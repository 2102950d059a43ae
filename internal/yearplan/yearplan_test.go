package yearplan_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/scheduler"
	"github.com/khidi/khidi/scheduler/holidays"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

// engines are the databases every test here runs on.
var engines = storetest.Engines()

// newTestProgramme opens a database holding demodata's programme (seed 4)
// with proposed internship and community-visit rounds, and returns it with
// the number of matches proposed.
func newTestProgramme(t *testing.T, dsn string) (*store.DB, int) {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.Seed(t, db, demodata.Config{Seed: 4})
	matches := 0
	for _, kind := range []program.RoundKind{program.RoundInternship, program.RoundCommunityVisit} {
		res, err := rounds.Run(ctx, db, rounds.Request{Kind: kind}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		matches += len(res.Proposal.Matches)
	}
	return db, matches
}

// TestRun lays out a year on each engine from proposed internship and
// community-visit rounds, checks the events against the matches and the
// holidays, and lays it out again: nothing may change.
func TestRun(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, matches := newTestProgramme(t, engine.DSN(t))

			if res, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027}); err != nil || len(res.Plan.Events) != 1 {
				t.Fatalf("with nothing accepted, the year holds %v events (%v); want the meeting only", len(res.Plan.Events), err)
			}
			res, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027, Proposed: true})
			if err != nil {
				t.Fatal(err)
			}
			// Every match is an event or an unplaced item, plus the meeting.
			if got := len(res.Plan.Events) + len(res.Plan.Unplaced); got != matches+1 {
				t.Errorf("%d events and %d unplaced for %d matches and the meeting", len(res.Plan.Events), len(res.Plan.Unplaced), matches)
			}
			tbilisi, _ := time.LoadLocation(program.DefaultTimeZone)
			for _, ev := range res.Plan.Events {
				if h, ok := holidays.IsHoliday(program.DateOf(ev.Start.In(tbilisi))); ok {
					t.Errorf("event %s starts on %s (%s)", ev.UID, h.Date, h.Name)
				}
			}
			stored, err := db.Events(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
			if err != nil || len(stored) != len(res.Plan.Events) {
				t.Fatalf("stored %d events (%v), laid out %d", len(stored), err, len(res.Plan.Events))
			}
			again, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027, Proposed: true})
			if err != nil {
				t.Fatal(err)
			}
			c := again.Changes
			if len(c.New)+len(c.Moved)+len(c.Cancelled) != 0 || len(c.Unchanged) != len(stored) {
				t.Errorf("laying out the same data again: %d new, %d moved, %d cancelled, %d unchanged of %d",
					len(c.New), len(c.Moved), len(c.Cancelled), len(c.Unchanged), len(stored))
			}

			// Without the proposals only the meeting stays; the rest is
			// cancelled, and kept so calendars hear of it.
			off, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(off.Changes.Cancelled), len(stored)-1; got != want {
				t.Errorf("dropping the proposals cancelled %d events, want %d", got, want)
			}
			kept, err := db.Events(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
			if err != nil || len(kept) != len(stored) {
				t.Fatalf("after cancelling: %d events stored (%v), want all %d kept", len(kept), err, len(stored))
			}
			cancelled := 0
			for i, e := range kept {
				if e.Cancelled() {
					cancelled++
					if e.Sequence != stored[i].Sequence+1 {
						t.Errorf("cancelled %s has SEQUENCE %d, want %d", e.UID, e.Sequence, stored[i].Sequence+1)
					}
				}
			}
			if cancelled != len(stored)-1 {
				t.Errorf("%d stored events are cancelled, want %d", cancelled, len(stored)-1)
			}
			back, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027, Proposed: true})
			if err != nil {
				t.Fatal(err)
			}
			if c := back.Changes; len(c.Moved) != len(stored)-1 || len(c.New)+len(c.Cancelled) != 0 {
				t.Errorf("bringing the proposals back: %d moved, %d new, %d cancelled; want %d moved",
					len(c.Moved), len(c.New), len(c.Cancelled), len(stored)-1)
			}
		})
	}
}

// firstRun is a Store as the first run of a year sees it: no events stored.
type firstRun struct{ yearplan.Store }

func (firstRun) EventsAt(context.Context, time.Time, time.Time) ([]program.Event, int64, error) {
	return nil, 0, nil
}

// TestRunAfterChange lays out a year, changes two community-visit leaders'
// availability and lays it out again. One leader, whose window kept their
// visits far from their ideal dates, becomes available all year; the other
// becomes available only after their first visit, which must move. The
// stored events are the previous layout, so that visit moves and nothing
// else does, while a layout from scratch (the same data with no events
// stored) moves the first leader's visits too.
func TestRunAfterChange(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			db, _ := newTestProgramme(t, engine.DSN(t))
			res, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027, Proposed: true})
			if err != nil {
				t.Fatal(err)
			}
			stored := res.Plan.Events

			narrowed, moving := newTestChange(t, db, res.Plan)

			fresh, err := yearplan.Run(ctx, firstRun{db}, yearplan.Request{Year: 2027, Proposed: true, DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			again, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027, Proposed: true})
			if err != nil {
				t.Fatal(err)
			}
			c := again.Changes
			if len(c.Moved) != 1 || len(c.New)+len(c.Cancelled) != 0 || len(c.Unchanged) != len(stored)-1 {
				t.Fatalf("after the change: %d moved, %d new, %d cancelled, %d unchanged of %d; want only visit %s moved",
					len(c.Moved), len(c.New), len(c.Cancelled), len(c.Unchanged), len(stored), moving.ID())
			}
			if e := c.Moved[0]; e.Kind != program.EventCommunityVisit || e.Sequence != 1 || len(e.Attendees) != 1 || e.Attendees[0].ID != string(narrowed) {
				t.Errorf("moved %s (%s, SEQUENCE %d, attendees %v), want %s's visit %s with SEQUENCE 1", e.UID, e.Kind, e.Sequence, e.Attendees, narrowed, moving.ID())
			}
			for _, v := range again.Plan.Visits.Placed {
				if v.Leader == narrowed && v.Depart.Before(moving.Return.AddDays(1)) {
					t.Errorf("visit %s departs %s, before %s is available", v.ID(), v.Depart, narrowed)
				}
			}
			// From scratch, the widened leader's visits move towards their
			// ideal dates as well.
			if n := len(scheduler.Reconcile(stored, fresh.Plan.Events).Moved); n <= len(c.Moved) {
				t.Errorf("laid out from scratch, %d events moved; want more than the %d moved with the stored events", n, len(c.Moved))
			}
		})
	}
}

// newTestChange changes two community-visit leaders' availability in db
// after the layout plan (see TestRunAfterChange): one, whose window kept
// their visits far from their ideal dates, becomes available all year; the
// other, narrowed, becomes available only after their first visit, moving.
func newTestChange(t *testing.T, db *store.DB, plan *scheduler.YearPlan) (narrowed program.ParticipantID, moving scheduler.PlacedVisit) {
	t.Helper()
	ctx := t.Context()
	// widened is the leader whose visits deviate most in total,
	// narrowed the one with the most visits among the others.
	byLeader := map[program.ParticipantID][]scheduler.PlacedVisit{}
	deviation := map[program.ParticipantID]int{}
	for _, v := range plan.Visits.Placed {
		byLeader[v.Leader] = append(byLeader[v.Leader], v)
		deviation[v.Leader] += v.Deviation
	}
	var widened program.ParticipantID
	leaders := slices.Sorted(maps.Keys(byLeader))
	for _, id := range leaders {
		if deviation[id] > deviation[widened] {
			widened = id
		}
	}
	for _, id := range leaders {
		if id != widened && len(byLeader[id]) > len(byLeader[narrowed]) {
			narrowed = id
		}
	}
	if deviation[widened] == 0 || len(byLeader[narrowed]) < 2 {
		t.Fatalf("no leader's visits deviate (%s: %d days) or no other leader has two (%s: %d); the test needs both",
			widened, deviation[widened], narrowed, len(byLeader[narrowed]))
	}
	visits := byLeader[narrowed]
	slices.SortFunc(visits, func(a, b scheduler.PlacedVisit) int { return a.Depart.Compare(b.Depart) })
	moving = visits[0]

	people, err := db.Participants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var changed []program.Participant
	for _, p := range people {
		switch p.ID {
		case widened:
			p.AvailableFrom, p.AvailableTo = program.Date{}, program.Date{}
		case narrowed:
			p.AvailableFrom = moving.Return.AddDays(1)
			if !p.AvailableTo.IsZero() && p.AvailableTo.Before(p.AvailableFrom) {
				t.Fatalf("leader %s is available only to %s, before %s", p.ID, p.AvailableTo, p.AvailableFrom)
			}
		default:
			continue
		}
		changed = append(changed, p)
	}
	if err := db.Upsert(ctx, store.Records{Participants: changed}); err != nil {
		t.Fatal(err)
	}
	return narrowed, moving
}

// TestRunOneRound checks a layout of one round: previewed, it holds that
// round's events only; stored, it would cancel every other event of the
// year, so it is refused, as is an unknown round, and nothing is written.
func TestRunOneRound(t *testing.T) {
	db, _ := newTestProgramme(t, "sqlite:"+filepath.Join(t.TempDir(), "khidi.db"))
	ctx := t.Context()
	year := yearplan.Request{Year: 2027, Proposed: true}
	whole, err := yearplan.Run(ctx, db, year)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := db.Rounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := storetest.Snapshot(t, db)
	one := year
	one.Round, one.DryRun = rs[0].ID, true
	preview, err := yearplan.Run(ctx, db, one)
	if err != nil || len(preview.Plan.Events) == 0 || len(preview.Plan.Events) >= len(whole.Plan.Events) {
		t.Errorf("a preview of round %d: %v; want some of the year's %d events", one.Round, err, len(whole.Plan.Events))
	}
	one.DryRun = false
	if _, err := yearplan.Run(ctx, db, one); !errors.Is(err, program.ErrInvalid) {
		t.Errorf("storing a layout of one round: %v, want program.ErrInvalid", err)
	}
	one.Round, one.DryRun = 999, true
	if _, err := yearplan.Run(ctx, db, one); !errors.Is(err, program.ErrNotFound) {
		t.Errorf("a preview of an unknown round: %v, want program.ErrNotFound", err)
	}
	if !bytes.Equal(storetest.Snapshot(t, db), before) {
		t.Error("previews and refused layouts changed the database")
	}
}
