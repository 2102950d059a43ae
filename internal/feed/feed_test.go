package feed

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/ical"
	"github.com/khidi/khidi/internal/ical/icaltest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/scheduler"
	"github.com/khidi/khidi/scheduler/holidays"
	"github.com/khidi/khidi/scheduler/recur"
)

var tbilisi = mustZone("Asia/Tbilisi")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// weekly returns n Tuesday sessions at 18:00 in Tbilisi from 5 January
// 2027, as PlanYear writes them.
func weekly(n int) []program.Event {
	var out []program.Event
	for i := range n {
		start := time.Date(2027, 1, 5+7*i, 18, 0, 0, 0, tbilisi).UTC()
		out = append(out, program.Event{
			Kind: program.EventStudyCircle, Title: "Study circle c-1", Zone: "Asia/Tbilisi",
			Start: start, End: start.Add(2 * time.Hour), Nominal: start, Series: "c-1@khidi",
			UID: fmt.Sprintf("c-1/%d@khidi", i), Status: program.EventScheduled,
			SourceRule: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			Attendees:  []program.Attendee{{ID: "p-1", Name: "Nino", Email: "nino@example.ge"}},
		})
	}
	return out
}

func TestEntries(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	edit := func(es []program.Event, i int, f func(*program.Event)) []program.Event {
		es = slices.Clone(es)
		f(&es[i])
		return es
	}
	base := weekly(4)
	tests := []struct {
		name    string
		events  []program.Event
		uids    []string // entries, in order
		rrule   string   // of the series entry, "" when written one by one
		exdates []int    // indices of base whose nominal start is excluded
		rdates  []time.Time
		seq     int
		off     bool // the series entry is cancelled
	}{
		{name: "all held", events: base, uids: []string{"c-1@khidi"},
			rrule: "FREQ=DAILY;BYDAY=TU;BYHOUR=18;BYMINUTE=0;UNTIL=20270126T140000Z", seq: 3},
		{name: "a holiday skipped", events: slices.Delete(slices.Clone(base), 1, 2), uids: []string{"c-1@khidi"},
			rrule: "FREQ=DAILY;BYDAY=TU;BYHOUR=18;BYMINUTE=0;UNTIL=20270126T140000Z", exdates: []int{1}, seq: 2},
		{name: "a session moved a day", events: edit(base, 2, func(e *program.Event) {
			e.Start, e.End, e.Sequence = e.Start.Add(day), e.End.Add(day), 1
		}), uids: []string{"c-1@khidi"}, rrule: "FREQ=DAILY;BYDAY=TU;BYHOUR=18;BYMINUTE=0;UNTIL=20270126T140000Z",
			exdates: []int{2}, rdates: []time.Time{base[2].Start.Add(day)}, seq: 4},
		{name: "the first session cancelled", events: edit(base, 0, func(e *program.Event) {
			e.Status, e.Sequence = program.EventCancelled, 1
		}), uids: []string{"c-1@khidi"}, rrule: "FREQ=DAILY;BYDAY=TU;BYHOUR=18;BYMINUTE=0;UNTIL=20270126T140000Z",
			exdates: []int{0}, seq: 4},
		{name: "every session cancelled", events: func() []program.Event {
			es := slices.Clone(base)
			for i := range es {
				es[i].Status, es[i].Sequence = program.EventCancelled, 1
			}
			return es
		}(), uids: []string{"c-1@khidi"}, rrule: "FREQ=DAILY;BYDAY=TU;BYHOUR=18;BYMINUTE=0;UNTIL=20270126T140000Z", seq: 7, off: true},
		{name: "moved onto the next session", events: edit(base, 1, func(e *program.Event) {
			e.Start, e.End = base[2].Start, base[2].End
		}), uids: []string{"c-1/0@khidi", "c-1/1@khidi", "c-1/2@khidi", "c-1/3@khidi"}},
		{name: "attendees differ", events: edit(base, 3, func(e *program.Event) {
			e.Attendees = append(slices.Clone(e.Attendees), program.Attendee{Email: "gia@example.ge"})
		}), uids: []string{"c-1/0@khidi", "c-1/1@khidi", "c-1/2@khidi", "c-1/3@khidi"}},
		{name: "rule cron's OR", events: func() []program.Event {
			es := slices.Clone(base)
			for i := range es {
				es[i].SourceRule = "CRON_TZ=Asia/Tbilisi 0 18 1-7 * 2"
			}
			return es
		}(), uids: []string{"c-1/0@khidi", "c-1/1@khidi", "c-1/2@khidi", "c-1/3@khidi"}},
		{name: "nominal not of the rule", events: edit(base, 0, func(e *program.Event) {
			e.Nominal = e.Nominal.Add(time.Hour)
		}), uids: []string{"c-1/0@khidi", "c-1/1@khidi", "c-1/2@khidi", "c-1/3@khidi"}},
		{name: "one-offs pass through", events: []program.Event{
			{UID: "b@khidi", Start: base[1].Start, End: base[1].End, Status: program.EventCancelled},
			{UID: "a@khidi", Start: base[0].Start, End: base[0].End, Status: program.EventScheduled},
		}, uids: []string{"a@khidi", "b@khidi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			entries := Entries(slices.Clone(tt.events))
			var uids []string
			for _, e := range entries {
				uids = append(uids, e.Event.UID)
				if e.RRule == "" && e.Cancelled != e.Event.Cancelled() {
					t.Errorf("entry %s: Cancelled %v, event status %s", e.Event.UID, e.Cancelled, e.Event.Status)
				}
			}
			if !slices.Equal(uids, tt.uids) {
				t.Fatalf("Entries: UIDs %v, want %v", uids, tt.uids)
			}
			if tt.rrule == "" {
				for _, e := range entries {
					if e.RRule != "" {
						t.Errorf("entry %s has RRULE %q, want one-off entries", e.Event.UID, e.RRule)
					}
				}
				return
			}
			e := entries[0]
			if e.RRule != tt.rrule || e.Event.Sequence != tt.seq || e.Cancelled != tt.off {
				t.Errorf("series entry: RRULE %q, SEQUENCE %d, cancelled %v; want %q, %d, %v", e.RRule, e.Event.Sequence, e.Cancelled, tt.rrule, tt.seq, tt.off)
			}
			if !e.Event.Start.Equal(base[0].Start) || e.Event.End.Sub(e.Event.Start) != 2*time.Hour {
				t.Errorf("series entry runs %s–%s, want from the first nominal start %s, two hours", e.Event.Start, e.Event.End, base[0].Start)
			}
			var wantEx []time.Time
			for _, i := range tt.exdates {
				wantEx = append(wantEx, base[i].Start)
			}
			if !slices.EqualFunc(e.ExDates, wantEx, time.Time.Equal) || !slices.EqualFunc(e.RDates, tt.rdates, time.Time.Equal) {
				t.Errorf("series entry: EXDATE %v RDATE %v, want %v and %v", e.ExDates, e.RDates, wantEx, tt.rdates)
			}
		})
	}
}

// TestParsers lays out a year of study circles with the scheduler (holidays
// skipped or shifted, conflicts moved, a fortnightly series across the
// clock change in Warsaw, a rule RFC 5545 cannot say), writes their feed,
// reads it with two independent parsers and checks that each expands to
// exactly the sessions the scheduler placed.
func TestParsers(t *testing.T) {
	t.Parallel()
	rule := func(spec string) recur.Rule {
		r, err := recur.Parse(spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Duration = 2 * time.Hour
		return r
	}
	window := program.Window{From: program.Date{Year: 2027, Month: time.January, Day: 1}, To: program.Date{Year: 2027, Month: time.December, Day: 31}}
	nino := []program.ParticipantID{"p-1"}
	var cal holidays.Calendar
	plan, err := scheduler.PlanYear(scheduler.YearInput{
		Year: 2027, Blocked: cal.Blocked,
		Circles: []scheduler.Circle{
			{ID: "skip", Rule: rule("CRON_TZ=Asia/Tbilisi 0 18 * * 1"), Policy: scheduler.SkipBlocked, Members: nino, Window: window},
			{ID: "shift", Rule: rule("CRON_TZ=Asia/Tbilisi 0 18 * * 3"), Policy: scheduler.ShiftBlocked, Members: []program.ParticipantID{"p-2"}, Window: window},
			// Nino again, at the same time: these sessions give way.
			{ID: "conflict", Rule: rule("nth 1: CRON_TZ=Asia/Tbilisi 0 18 * * 1"), Policy: scheduler.ShiftBlocked, Members: nino, Window: window},
			{ID: "warsaw", Rule: rule("every 2: CRON_TZ=Europe/Warsaw 0 18 * * 2"), Policy: scheduler.SkipBlocked, Members: []program.ParticipantID{"p-3"}, Window: window},
			{ID: "or", Rule: rule("CRON_TZ=Asia/Tbilisi 0 10 1-3 * 6"), Policy: scheduler.SkipBlocked, Members: []program.ParticipantID{"p-4"}, Window: window},
		},
		Directory: scheduler.Directory{
			Person: func(id program.ParticipantID) (program.Attendee, bool) {
				return program.Attendee{ID: string(id), Name: string(id), Email: string(id) + "@example.ge"}, true
			},
			Org: func(program.OrgID) (program.Attendee, bool) { return program.Attendee{}, false },
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The scheduler's own list: each series' placed starts.
	want := icaltest.Starts{}
	moved := 0
	for _, e := range plan.Events {
		want[e.Series] = append(want[e.Series], e.Start.Unix())
		if !e.Start.Equal(e.Nominal) {
			moved++
		}
	}
	if moved == 0 || len(plan.Unplaced) == 0 {
		t.Fatalf("the year moved %d sessions and skipped %d; the test needs both", moved, len(plan.Unplaced))
	}
	entries := Entries(plan.Events)
	series := 0
	for _, e := range entries {
		if e.RRule != "" {
			series++
		}
	}
	if series != 4 {
		t.Errorf("%d series written with RRULE, want 4 (all but the cron-OR rule)", series)
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, entries, ical.Options{Stamp: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "circles.ics")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, p := range []struct {
		name  string
		parse func(testing.TB, string, time.Time, time.Time) icaltest.Starts
	}{{"python3-icalendar", icaltest.PythonStarts}, {"ical.js", icaltest.ICalJSStarts}} {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			got := p.parse(t, path, from, to)
			// One-off entries carry the session UIDs: gather them by series.
			bySeries := icaltest.Starts{}
			for _, e := range plan.Events {
				if s, ok := got[e.UID]; ok {
					bySeries[e.Series] = append(bySeries[e.Series], s...)
				}
				if s, ok := got[e.Series]; ok {
					bySeries[e.Series] = s
				}
			}
			for uid, w := range want {
				g := slices.Sorted(slices.Values(bySeries[uid]))
				if !slices.Equal(g, w) {
					t.Errorf("%s: series %s expands to %d starts, the scheduler placed %d; first difference at %d",
						p.name, uid, len(g), len(w), firstDifference(g, w))
				}
			}
		})
	}
}

func firstDifference(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
