package yearplan_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/scheduler/holidays"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

// TestRun lays out a year on each engine from proposed internship and
// community-visit rounds, checks the events against the matches and the
// holidays, and lays it out again: nothing may change.
func TestRun(t *testing.T) {
	for _, engine := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "khidi.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t) }},
	} {
		t.Run(engine.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := store.Open(ctx, engine.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			p := demodata.Generate(demodata.Config{Seed: 4})
			if err := db.Upsert(ctx, store.Records{Organizations: p.Organizations, Participants: p.Participants, Communities: p.Communities}); err != nil {
				t.Fatal(err)
			}
			matches := 0
			for _, kind := range []program.RoundKind{program.RoundInternship, program.RoundCommunityVisit} {
				res, err := rounds.Run(ctx, db, rounds.Request{Kind: kind}, time.Now)
				if err != nil {
					t.Fatal(err)
				}
				matches += len(res.Proposal.Matches)
			}

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
