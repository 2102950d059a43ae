package scheduler

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones load on a machine without a zone database

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/scheduler/holidays"
	"github.com/khidi/khidi/scheduler/recur"
)

func mustRule(t testing.TB, spec string, d time.Duration) recur.Rule {
	t.Helper()
	r, err := recur.Parse(spec, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	r.Duration = d
	return r
}

func mustWindow(t testing.TB, from, to string) program.Window {
	t.Helper()
	return program.Window{From: mustDate(t, from), To: mustDate(t, to)}
}

// georgianHolidays blocks Georgia's public holidays, by name.
func georgianHolidays() Blocked {
	var c holidays.Calendar
	return c.Blocked
}

// sessionStrings is a compact, comparable view of a series: each session as
// "START_UTC" or "START_UTC<NOMINAL_DATE" when moved, each skip as
// "DATE: REASON".
func sessionStrings(s Series) (sessions, skipped []string) {
	for _, x := range s.Sessions {
		v := x.Start.Format(time.RFC3339)
		if !x.ShiftedFrom.IsZero() {
			v += "<" + x.ShiftedFrom.String()
		}
		sessions = append(sessions, v)
	}
	for _, x := range s.Skipped {
		skipped = append(skipped, x.Date.String()+": "+x.Reason)
	}
	return sessions, skipped
}

// Tuesday 18:00 in Tbilisi (UTC+4 all year) is 14:00 UTC. 2027-01-19
// (Epiphany) and 2027-11-23 (Giorgoba) are Tuesdays, per holidays.Year(2027);
// 2027-05-26 (Independence Day) and 2027-05-12 (Saint Andrew) are Wednesdays,
// 2027-05-03 (Easter Monday) a Monday.
func TestLayoutSessionsHolidays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		spec     string
		from, to string
		policy   SessionPolicy
		maxShift int
		extra    []string // blackouts added to the holidays
		sessions []string
		skipped  []string
	}{
		{
			name: "Tuesday, skip Epiphany", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2027-01-05", to: "2027-02-02", policy: SkipBlocked,
			sessions: []string{"2027-01-05T14:00:00Z", "2027-01-12T14:00:00Z", "2027-01-26T14:00:00Z", "2027-02-02T14:00:00Z"},
			skipped:  []string{"2027-01-19: Epiphany (Natlisgeba)"},
		},
		{
			name: "Tuesday, shift Epiphany to Wednesday", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2027-01-05", to: "2027-02-02", policy: ShiftBlocked,
			sessions: []string{"2027-01-05T14:00:00Z", "2027-01-12T14:00:00Z", "2027-01-20T14:00:00Z<2027-01-19", "2027-01-26T14:00:00Z", "2027-02-02T14:00:00Z"},
		},
		{
			name: "Tuesday, skip Giorgoba", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2027-11-16", to: "2027-11-30", policy: SkipBlocked,
			sessions: []string{"2027-11-16T14:00:00Z", "2027-11-30T14:00:00Z"},
			skipped:  []string{"2027-11-23: Saint George's Day (Giorgoba)"},
		},
		{
			name: "Wednesday across 26 May, skip", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * 3",
			from: "2027-05-19", to: "2027-06-02", policy: SkipBlocked,
			sessions: []string{"2027-05-19T14:00:00Z", "2027-06-02T14:00:00Z"},
			skipped:  []string{"2027-05-26: Independence Day"},
		},
		{
			name: "Wednesday across 26 May, shift past a blackout", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * 3",
			from: "2027-05-19", to: "2027-06-02", policy: ShiftBlocked, extra: []string{"2027-05-27"},
			sessions: []string{"2027-05-19T14:00:00Z", "2027-05-28T14:00:00Z<2027-05-26", "2027-06-02T14:00:00Z"},
		},
		{
			name: "shift limited to one day", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * 3",
			from: "2027-05-26", to: "2027-05-28", policy: ShiftBlocked, maxShift: 1, extra: []string{"2027-05-27"},
			skipped: []string{"2027-05-26: Independence Day; no free day up to 2027-05-27"},
		},
		{
			name: "shift stops at the end of the window", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * 3",
			from: "2027-05-26", to: "2027-05-26", policy: ShiftBlocked,
			skipped: []string{"2027-05-26: Independence Day; no free day up to 2027-05-26"},
		},
		{
			// Easter Monday 3 May; Tuesday 4 May is free.
			name: "Monday, shift Easter Monday", spec: "CRON_TZ=Asia/Tbilisi 30 10 * * 1",
			from: "2027-04-26", to: "2027-05-10", policy: ShiftBlocked,
			sessions: []string{"2027-04-26T06:30:00Z", "2027-05-04T06:30:00Z<2027-05-03", "2027-05-10T06:30:00Z"},
		},
		{
			// Daily sessions: 12 May (Wednesday) is blocked and the next day
			// holds the series' own next session, so the move has nowhere to go.
			name: "shift never passes the next session", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * *",
			from: "2027-05-11", to: "2027-05-13", policy: ShiftBlocked,
			sessions: []string{"2027-05-11T14:00:00Z", "2027-05-13T14:00:00Z"},
			skipped:  []string{"2027-05-12: Saint Andrew the First-Called Day; Day of Georgia as the Lot of the Mother of God (Day of Hope); no free day up to 2027-05-12"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cal holidays.Calendar
			for _, d := range tt.extra {
				if err := cal.Add(mustDate(t, d), "blackout"); err != nil {
					t.Fatal(err)
				}
			}
			in := SessionInput{
				Circles: []Circle{{
					ID: "c-1", Rule: mustRule(t, tt.spec, 90*time.Minute), Policy: tt.policy, MaxShift: tt.maxShift,
					Members: []program.ParticipantID{"p-1"}, Window: mustWindow(t, tt.from, tt.to),
				}},
				Blocked: cal.Blocked,
			}
			got, err := LayoutSessions(in)
			if err != nil {
				t.Fatal(err)
			}
			sessions, skipped := sessionStrings(got.Series[0])
			if !reflect.DeepEqual(sessions, tt.sessions) {
				t.Errorf("sessions = %q, want %q", sessions, tt.sessions)
			}
			if !reflect.DeepEqual(skipped, tt.skipped) {
				t.Errorf("skipped = %q, want %q", skipped, tt.skipped)
			}
			if len(got.Conflicts) != 0 {
				t.Errorf("conflicts = %+v, want none", got.Conflicts)
			}
			for _, s := range got.Series[0].Sessions {
				if s.End.Sub(s.Start) != 90*time.Minute {
					t.Errorf("session %v lasts %v, want 1h30m", s.Start, s.End.Sub(s.Start))
				}
				if s.ShiftedFrom.IsZero() != (s.Reason == "") || s.ShiftedFrom.IsZero() != s.Nominal.Equal(s.Start) {
					t.Errorf("session %+v: ShiftedFrom, Reason and Nominal disagree", s)
				}
			}
			checkSessionLayout(t, in, got)
		})
	}
}

func TestLayoutSessionsConflicts(t *testing.T) {
	t.Parallel()
	tue18 := "CRON_TZ=Asia/Tbilisi 0 18 * * 2"
	type circle struct {
		id, spec string
		dur      time.Duration
		policy   SessionPolicy
		members  []program.ParticipantID
		trainers []program.ParticipantID
	}
	type conflict struct {
		person, circle, start, with, withStart, movedTo string
	}
	tests := []struct {
		name      string
		circles   []circle
		sessions  map[string][]string // by circle id
		skipped   map[string][]string
		conflicts []conflict
	}{
		{
			name: "shared member, same hour: the later circle moves a day",
			circles: []circle{
				{id: "a", spec: tue18, dur: 90 * time.Minute, members: []program.ParticipantID{"p-1", "p-2"}},
				{id: "b", spec: tue18, dur: 90 * time.Minute, members: []program.ParticipantID{"p-2", "p-3"}},
			},
			sessions: map[string][]string{
				"a": {"2027-01-05T14:00:00Z", "2027-01-12T14:00:00Z"},
				"b": {"2027-01-06T14:00:00Z<2027-01-05", "2027-01-13T14:00:00Z<2027-01-12"},
			},
			conflicts: []conflict{
				{"p-2", "b", "2027-01-05T14:00:00Z", "a", "2027-01-05T14:00:00Z", "2027-01-06T14:00:00Z"},
				{"p-2", "b", "2027-01-12T14:00:00Z", "a", "2027-01-12T14:00:00Z", "2027-01-13T14:00:00Z"},
			},
		},
		{
			name: "listed the other way round, the other circle moves",
			circles: []circle{
				{id: "b", spec: tue18, dur: 90 * time.Minute, members: []program.ParticipantID{"p-2", "p-3"}},
				{id: "a", spec: tue18, dur: 90 * time.Minute, members: []program.ParticipantID{"p-1", "p-2"}},
			},
			sessions: map[string][]string{
				"b": {"2027-01-05T14:00:00Z", "2027-01-12T14:00:00Z"},
				"a": {"2027-01-06T14:00:00Z<2027-01-05", "2027-01-13T14:00:00Z<2027-01-12"},
			},
			conflicts: []conflict{
				{"p-2", "a", "2027-01-05T14:00:00Z", "b", "2027-01-05T14:00:00Z", "2027-01-06T14:00:00Z"},
				{"p-2", "a", "2027-01-12T14:00:00Z", "b", "2027-01-12T14:00:00Z", "2027-01-13T14:00:00Z"},
			},
		},
		{
			name: "a trainer in both, partly overlapping",
			circles: []circle{
				{id: "a", spec: tue18, dur: 90 * time.Minute, members: []program.ParticipantID{"p-1"}, trainers: []program.ParticipantID{"t-1"}},
				{id: "b", spec: "CRON_TZ=Asia/Tbilisi 0 19 * * 2", dur: time.Hour, members: []program.ParticipantID{"p-3"}, trainers: []program.ParticipantID{"t-1"}},
			},
			sessions: map[string][]string{
				"a": {"2027-01-05T14:00:00Z", "2027-01-12T14:00:00Z"},
				"b": {"2027-01-06T15:00:00Z<2027-01-05", "2027-01-13T15:00:00Z<2027-01-12"},
			},
			conflicts: []conflict{
				{"t-1", "b", "2027-01-05T15:00:00Z", "a", "2027-01-05T14:00:00Z", "2027-01-06T15:00:00Z"},
				{"t-1", "b", "2027-01-12T15:00:00Z", "a", "2027-01-12T14:00:00Z", "2027-01-13T15:00:00Z"},
			},
		},
		{
			name: "back to back is no conflict",
			circles: []circle{
				{id: "a", spec: tue18, dur: 90 * time.Minute, members: []program.ParticipantID{"p-1"}},
				{id: "b", spec: "CRON_TZ=Asia/Tbilisi 30 19 * * 2", dur: time.Hour, members: []program.ParticipantID{"p-1"}},
			},
			sessions: map[string][]string{
				"a": {"2027-01-05T14:00:00Z", "2027-01-12T14:00:00Z"},
				"b": {"2027-01-05T15:30:00Z", "2027-01-12T15:30:00Z"},
			},
		},
		{
			// a meets every day at 18:00, so b (Tuesdays, skip policy) has no
			// day within 6 to move to: skipped, and the conflict says so.
			name: "no day to move to: skipped and reported",
			circles: []circle{
				{id: "a", spec: "CRON_TZ=Asia/Tbilisi 0 18 * * *", dur: time.Hour, members: []program.ParticipantID{"p-1"}},
				{id: "b", spec: tue18, dur: time.Hour, members: []program.ParticipantID{"p-1"}},
			},
			sessions: map[string][]string{
				"a": {"2027-01-05T14:00:00Z", "2027-01-06T14:00:00Z", "2027-01-07T14:00:00Z", "2027-01-08T14:00:00Z", "2027-01-09T14:00:00Z", "2027-01-10T14:00:00Z", "2027-01-11T14:00:00Z", "2027-01-12T14:00:00Z", "2027-01-13T14:00:00Z"},
			},
			skipped: map[string][]string{
				"b": {"2027-01-05: conflict: p-1 in circle a; no free day up to 2027-01-11", "2027-01-12: conflict: p-1 in circle a; no free day up to 2027-01-13"},
			},
			conflicts: []conflict{
				{"p-1", "b", "2027-01-05T14:00:00Z", "a", "2027-01-05T14:00:00Z", ""},
				{"p-1", "b", "2027-01-12T14:00:00Z", "a", "2027-01-12T14:00:00Z", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var in SessionInput
			for _, c := range tt.circles {
				in.Circles = append(in.Circles, Circle{
					ID: c.id, Rule: mustRule(t, c.spec, c.dur), Policy: c.policy,
					Members: c.members, Trainers: c.trainers, Window: mustWindow(t, "2027-01-05", "2027-01-13"),
				})
			}
			got, err := LayoutSessions(in)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range got.Series {
				sessions, skipped := sessionStrings(s)
				if !reflect.DeepEqual(sessions, tt.sessions[s.Circle]) {
					t.Errorf("circle %s: sessions = %q, want %q", s.Circle, sessions, tt.sessions[s.Circle])
				}
				if !reflect.DeepEqual(skipped, tt.skipped[s.Circle]) {
					t.Errorf("circle %s: skipped = %q, want %q", s.Circle, skipped, tt.skipped[s.Circle])
				}
			}
			var conflicts []conflict
			for _, c := range got.Conflicts {
				moved := ""
				if !c.MovedTo.IsZero() {
					moved = c.MovedTo.Format(time.RFC3339)
				}
				if c.End.Sub(c.Start) <= 0 || c.WithEnd.Sub(c.WithStart) <= 0 || !c.Start.Before(c.WithEnd) || !c.WithStart.Before(c.End) {
					t.Errorf("conflict %+v: the two sessions do not overlap", c)
				}
				conflicts = append(conflicts, conflict{string(c.Person), c.Circle, c.Start.Format(time.RFC3339), c.With, c.WithStart.Format(time.RFC3339), moved})
			}
			if !reflect.DeepEqual(conflicts, tt.conflicts) {
				t.Errorf("conflicts = %+v, want %+v", conflicts, tt.conflicts)
			}
			checkSessionLayout(t, in, got)
		})
	}
}

// Europe/Warsaw changes to summer time on 2027-03-28 (02:00 CET → 03:00
// CEST) and back on 2027-10-31 (03:00 CEST → 02:00 CET). Sessions keep their
// local time, so their UTC instant moves by an hour; moved sessions read
// their local time by recur's rule.
func TestLayoutSessionsDST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		spec     string
		from, to string
		blocked  []string
		sessions []string // as local RFC 3339 with offset
		utc      []string
		gap      []bool // Occurrence.Shifted
	}{
		{
			name: "Sunday 10:00 across spring forward", spec: "CRON_TZ=Europe/Warsaw 0 10 * * 0",
			from: "2027-03-21", to: "2027-04-04",
			sessions: []string{"2027-03-21T10:00:00+01:00", "2027-03-28T10:00:00+02:00", "2027-04-04T10:00:00+02:00"},
			utc:      []string{"2027-03-21T09:00:00Z", "2027-03-28T08:00:00Z", "2027-04-04T08:00:00Z"},
			gap:      []bool{false, false, false},
		},
		{
			name: "Sunday 10:00 across fall back", spec: "CRON_TZ=Europe/Warsaw 0 10 * * 0",
			from: "2027-10-24", to: "2027-11-07",
			sessions: []string{"2027-10-24T10:00:00+02:00", "2027-10-31T10:00:00+01:00", "2027-11-07T10:00:00+01:00"},
			utc:      []string{"2027-10-24T08:00:00Z", "2027-10-31T09:00:00Z", "2027-11-07T09:00:00Z"},
			gap:      []bool{false, false, false},
		},
		{
			name: "Saturday 10:00 shifted onto the day clocks change", spec: "CRON_TZ=Europe/Warsaw 0 10 * * 6",
			from: "2027-03-20", to: "2027-04-03", blocked: []string{"2027-03-27"},
			sessions: []string{"2027-03-20T10:00:00+01:00", "2027-03-28T10:00:00+02:00", "2027-04-03T10:00:00+02:00"},
			utc:      []string{"2027-03-20T09:00:00Z", "2027-03-28T08:00:00Z", "2027-04-03T08:00:00Z"},
			gap:      []bool{false, false, false},
		},
		{
			name: "Saturday 02:30 shifted into the spring gap runs at 03:00", spec: "CRON_TZ=Europe/Warsaw 30 2 * * 6",
			from: "2027-03-27", to: "2027-03-28", blocked: []string{"2027-03-27"},
			sessions: []string{"2027-03-28T03:00:00+02:00"},
			utc:      []string{"2027-03-28T01:00:00Z"},
			gap:      []bool{true},
		},
		{
			name: "Saturday 02:30 shifted into the repeated hour takes the first", spec: "CRON_TZ=Europe/Warsaw 30 2 * * 6",
			from: "2027-10-30", to: "2027-10-31", blocked: []string{"2027-10-30"},
			sessions: []string{"2027-10-31T02:30:00+02:00"},
			utc:      []string{"2027-10-31T00:30:00Z"},
			gap:      []bool{false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := SessionInput{
				Circles: []Circle{{
					ID: "w-1", Rule: mustRule(t, tt.spec, time.Hour), Policy: ShiftBlocked,
					Members: []program.ParticipantID{"p-1"}, Window: mustWindow(t, tt.from, tt.to),
				}},
				Blocked: blockDates(t, tt.blocked...),
			}
			got, err := LayoutSessions(in)
			if err != nil {
				t.Fatal(err)
			}
			var local, utc []string
			var gap []bool
			for _, s := range got.Series[0].Sessions {
				local = append(local, s.Local.Format(time.RFC3339))
				utc = append(utc, s.Start.Format(time.RFC3339))
				gap = append(gap, s.Shifted)
				if s.End.Sub(s.Start) != time.Hour {
					t.Errorf("session at %v lasts %v, want 1h", s.Local, s.End.Sub(s.Start))
				}
			}
			if !reflect.DeepEqual(local, tt.sessions) || !reflect.DeepEqual(utc, tt.utc) || !reflect.DeepEqual(gap, tt.gap) {
				t.Errorf("sessions = %q %q gap %v, want %q %q gap %v", local, utc, gap, tt.sessions, tt.utc, tt.gap)
			}
			if len(got.Series[0].Skipped) != 0 {
				t.Errorf("skipped = %+v, want none", got.Series[0].Skipped)
			}
		})
	}
}

func TestLayoutSessionsErrors(t *testing.T) {
	t.Parallel()
	rule := mustRule(t, "CRON_TZ=Asia/Tbilisi 0 18 * * 2", time.Hour)
	win := mustWindow(t, "2027-01-01", "2027-12-31")
	ok := Circle{ID: "c", Rule: rule, Window: win}
	tests := []struct {
		name   string
		change func(c *Circle)
		twice  bool
	}{
		{"no id", func(c *Circle) { c.ID = "" }, false},
		{"zero rule", func(c *Circle) { c.Rule = recur.Rule{} }, false},
		{"zero duration", func(c *Circle) { c.Rule.Duration = 0 }, false},
		{"sessions overlap", func(c *Circle) { c.Rule.Duration = 8 * 24 * time.Hour }, false},
		{"unknown policy", func(c *Circle) { c.Policy = 7 }, false},
		{"negative shift", func(c *Circle) { c.MaxShift = -1 }, false},
		{"open window", func(c *Circle) { c.Window.To = program.Date{} }, false},
		{"window backwards", func(c *Circle) { c.Window.From, c.Window.To = c.Window.To, c.Window.From }, false},
		{"listed twice", func(*Circle) {}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := ok
			tt.change(&c)
			in := SessionInput{Circles: []Circle{c}}
			if tt.twice {
				in.Circles = append(in.Circles, c)
			}
			_, err := LayoutSessions(in)
			if !errors.Is(err, program.ErrInvalid) {
				t.Errorf("LayoutSessions = %v, want an error wrapping program.ErrInvalid", err)
			}
		})
	}
}

// checkSessionLayout checks the layout's promises against its input: every
// nominal session is either held or skipped with a reason, no held session is
// on a blocked day, and nobody is in two overlapping sessions.
func checkSessionLayout(t *testing.T, in SessionInput, got *SessionLayout) {
	t.Helper()
	type held struct {
		start, end time.Time
		circle     string
	}
	byPerson := map[program.ParticipantID][]held{}
	if len(got.Series) != len(in.Circles) {
		t.Fatalf("%d series for %d circles", len(got.Series), len(in.Circles))
	}
	placed, skipped := 0, 0
	for i, s := range got.Series {
		c := in.Circles[i]
		occ, err := c.Rule.OccurrencesIn(c.Window)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Sessions)+len(s.Skipped) != len(occ) {
			t.Errorf("circle %s: %d held + %d skipped, want %d nominal sessions", c.ID, len(s.Sessions), len(s.Skipped), len(occ))
		}
		placed += len(s.Sessions)
		skipped += len(s.Skipped)
		for k, x := range s.Sessions {
			d := program.DateOf(x.Local)
			if reason, b := in.Blocked.check(d); b {
				t.Errorf("circle %s: session on %s, blocked (%s)", c.ID, d, reason)
			}
			if !c.Window.Contains(d) {
				t.Errorf("circle %s: session on %s, outside the window", c.ID, d)
			}
			if k > 0 && !s.Sessions[k-1].End.Before(x.Start) && !s.Sessions[k-1].End.Equal(x.Start) {
				t.Errorf("circle %s: sessions out of order at %v", c.ID, x.Start)
			}
			seen := map[program.ParticipantID]bool{}
			for _, p := range append(append([]program.ParticipantID{}, c.Members...), c.Trainers...) {
				if !seen[p] {
					seen[p] = true
					byPerson[p] = append(byPerson[p], held{x.Start, x.End, c.ID})
				}
			}
		}
		for _, x := range s.Skipped {
			if x.Reason == "" {
				t.Errorf("circle %s: session on %s skipped with no reason", c.ID, x.Date)
			}
		}
	}
	if got.Placed != placed || got.Skipped != skipped {
		t.Errorf("Placed, Skipped = %d, %d, want %d, %d", got.Placed, got.Skipped, placed, skipped)
	}
	// Quadratic on purpose: an oracle that shares nothing with the layout's
	// sorted lists.
	for p, hs := range byPerson {
		for i := range hs {
			for j := i + 1; j < len(hs); j++ {
				if hs[i].start.Before(hs[j].end) && hs[j].start.Before(hs[i].end) {
					t.Errorf("%s double-booked: circle %s at %v and circle %s at %v", p, hs[i].circle, hs[i].start, hs[j].circle, hs[j].start)
				}
			}
		}
	}
	// A conflict whose session was not moved left a skipped session of its
	// circle that says so, on or up to MaxShift days before the conflict.
	for _, c := range got.Conflicts {
		if !c.MovedTo.IsZero() {
			continue
		}
		found := false
		for _, s := range got.Series {
			if s.Circle != c.Circle {
				continue
			}
			for _, x := range s.Skipped {
				lag := c.Start.Sub(x.Start)
				found = found || (strings.Contains(x.Reason, "conflict") && lag >= -time.Hour && lag <= (DefaultMaxShift+1)*24*time.Hour)
			}
		}
		if !found {
			t.Errorf("conflict %+v: session neither moved nor skipped", c)
		}
	}
}

// newTestCircles makes n random circles over a few weeks of 2027: people
// from a small pool so that conflicts are common, rules on a few weekdays
// and hours so that they collide, and both policies.
func newTestCircles(t testing.TB, r *rand.Rand, n, pool int) []Circle {
	t.Helper()
	zones := []string{"Asia/Tbilisi", "Europe/Warsaw", "Europe/Kyiv"}
	cs := make([]Circle, n)
	for i := range cs {
		spec := fmt.Sprintf("CRON_TZ=%s %d %d * * %d", zones[r.IntN(len(zones))], 30*r.IntN(2), 17+r.IntN(3), 1+r.IntN(3))
		if r.IntN(4) == 0 {
			spec = "every 2: " + spec
		}
		people := make([]program.ParticipantID, 1+r.IntN(4))
		for k := range people {
			people[k] = program.ParticipantID(fmt.Sprintf("p-%d", r.IntN(pool)))
		}
		from := program.Date{Year: 2027, Month: time.March, Day: 1 + r.IntN(20)}
		cs[i] = Circle{
			ID:       fmt.Sprintf("c-%d", i),
			Rule:     mustRule(t, spec, time.Duration(30+30*r.IntN(4))*time.Minute),
			Policy:   SessionPolicy(r.IntN(2)),
			MaxShift: r.IntN(4),
			Members:  people[1:],
			Trainers: people[:1],
			Window:   program.Window{From: from, To: program.Date{Year: 2027, Month: time.May, Day: 1 + r.IntN(31)}},
		}
	}
	return cs
}

func TestLayoutSessionsProperties(t *testing.T) {
	t.Parallel()
	cases := 200
	if testing.Short() {
		cases = 20
	}
	var conflicts, moved, skipped int
	for seed := range uint64(cases) {
		r := rand.New(rand.NewPCG(seed, 0))
		circles := newTestCircles(t, r, 2+r.IntN(12), 3+r.IntN(10))
		var cal holidays.Calendar
		for range r.IntN(6) {
			d := program.Date{Year: 2027, Month: time.March + time.Month(r.IntN(3)), Day: 1 + r.IntN(28)}
			if err := cal.Add(d, "blackout"); err != nil {
				t.Fatal(err)
			}
		}
		in := SessionInput{Circles: circles, Blocked: cal.Blocked}
		got, err := LayoutSessions(in)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkSessionLayout(t, in, got)
		again, err := LayoutSessions(in)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if !reflect.DeepEqual(got, again) {
			t.Fatalf("seed %d: two runs on the same input differ", seed)
		}
		if t.Failed() {
			t.Fatalf("seed %d failed", seed)
		}
		conflicts += len(got.Conflicts)
		skipped += got.Skipped
		for _, s := range got.Series {
			for _, x := range s.Sessions {
				if !x.ShiftedFrom.IsZero() {
					moved++
				}
			}
		}
	}
	// The generator must exercise every rule, or the checks above prove little.
	if conflicts == 0 || moved == 0 || skipped == 0 {
		t.Errorf("over %d cases: %d conflicts, %d moved, %d skipped; want some of each", cases, conflicts, moved, skipped)
	}
}

// newTestSessionYear makes the benchmark's programme: circles of 12 drawn
// from people (every person in one circle, the rest of the seats to people
// who then sit in two), weekly on a random weekday and hour in Tbilisi over
// 2027.
func newTestSessionYear(t testing.TB, seed uint64, circles, size, people int) []Circle {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0))
	seats := make([]int, 0, circles*size)
	for p := range min(people, circles*size) {
		seats = append(seats, p)
	}
	r.Shuffle(len(seats), func(i, j int) { seats[i], seats[j] = seats[j], seats[i] })
	rules := map[string]recur.Rule{}
	cs := make([]Circle, circles)
	for i := range cs {
		spec := fmt.Sprintf("CRON_TZ=Asia/Tbilisi 0 %d * * %d", 10+r.IntN(10), 1+r.IntN(6))
		rule, ok := rules[spec]
		if !ok {
			rule = mustRule(t, spec, 90*time.Minute)
			rules[spec] = rule
		}
		members := make([]program.ParticipantID, 0, size)
		for k := range size {
			p := -1
			if n := i*size + k; n < len(seats) {
				p = seats[n]
			}
			for p < 0 || containsPerson(members, p) {
				p = r.IntN(people)
			}
			members = append(members, program.ParticipantID(fmt.Sprintf("p-%05d", p)))
		}
		cs[i] = Circle{
			ID: fmt.Sprintf("c-%04d", i), Rule: rule, Policy: SessionPolicy(i % 2),
			Members: members[1:], Trainers: members[:1],
			Window: program.Window{From: program.Date{Year: 2027, Month: 1, Day: 1}, To: program.Date{Year: 2027, Month: 12, Day: 31}},
		}
	}
	return cs
}

func containsPerson(ps []program.ParticipantID, p int) bool {
	id := program.ParticipantID(fmt.Sprintf("p-%05d", p))
	for _, q := range ps {
		if q == id {
			return true
		}
	}
	return false
}

// TestLayoutSessionsYear checks the benchmark's instance once, so that the
// benchmark cannot be fast by being wrong.
func TestLayoutSessionsYear(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a year of 2,000 circles: skipped in -short mode")
	}
	in := SessionInput{Circles: newTestSessionYear(t, 1, 2000, 12, 20000), Blocked: georgianHolidays()}
	got, err := LayoutSessions(in)
	if err != nil {
		t.Fatal(err)
	}
	checkYearNoDoubleBooking(t, in, got)
	if got.Placed < 95_000 {
		t.Errorf("placed %d sessions, want about 100k", got.Placed)
	}
}

// checkYearNoDoubleBooking is checkSessionLayout's overlap check in
// O(n log n) for the large instance: per person, sessions sorted by start.
func checkYearNoDoubleBooking(t *testing.T, in SessionInput, got *SessionLayout) {
	t.Helper()
	type held struct{ start, end int64 }
	byPerson := map[program.ParticipantID][]held{}
	for i, s := range got.Series {
		c := in.Circles[i]
		for _, x := range s.Sessions {
			if _, b := in.Blocked.check(program.DateOf(x.Local)); b {
				t.Fatalf("circle %s: session on a holiday, %v", c.ID, x.Local)
			}
			for _, p := range append(append([]program.ParticipantID{}, c.Members...), c.Trainers...) {
				byPerson[p] = append(byPerson[p], held{x.Start.Unix(), x.End.Unix()})
			}
		}
		for _, x := range s.Skipped {
			if x.Reason == "" {
				t.Fatalf("circle %s: skipped %s with no reason", c.ID, x.Date)
			}
		}
	}
	for p, hs := range byPerson {
		slices.SortFunc(hs, func(a, b held) int { return cmp.Compare(a.start, b.start) })
		for k := 1; k < len(hs); k++ {
			if hs[k].start < hs[k-1].end {
				t.Fatalf("%s double-booked at %d", p, hs[k].start)
			}
		}
	}
}

func BenchmarkLayoutSessions(b *testing.B) {
	in := SessionInput{Circles: newTestSessionYear(b, 1, 2000, 12, 20000), Blocked: georgianHolidays()}
	b.ReportAllocs()
	var got *SessionLayout
	for b.Loop() {
		var err error
		if got, err = LayoutSessions(in); err != nil {
			b.Fatal(err)
		}
	}
	if got.Placed < 95_000 {
		b.Fatalf("placed %d sessions, want about 100k", got.Placed)
	}
	b.ReportMetric(float64(got.Placed), "sessions")
	b.ReportMetric(float64(len(got.Conflicts)), "conflicts")
	b.ReportMetric(float64(got.Skipped), "skipped")
}

// previousSessions returns each series' session starts by nominal date, as
// Circle.Previous takes them, by circle id.
func previousSessions(l *SessionLayout) map[string]map[program.Date]time.Time {
	out := map[string]map[program.Date]time.Time{}
	for _, s := range l.Series {
		m := map[program.Date]time.Time{}
		for _, x := range s.Sessions {
			m[cmp.Or(x.ShiftedFrom, program.DateOf(x.Local))] = x.Start
		}
		out[s.Circle] = m
	}
	return out
}

// movedSessions lists, as "CIRCLE NOMINAL_DATE", the sessions of before
// that after holds elsewhere or not at all; circles new in after are not
// counted.
func movedSessions(before, after *SessionLayout) []string {
	now := previousSessions(after)
	var moved []string
	for _, s := range before.Series {
		next, ok := now[s.Circle]
		if !ok {
			continue
		}
		for _, x := range s.Sessions {
			d := cmp.Or(x.ShiftedFrom, program.DateOf(x.Local))
			if at, ok := next[d]; !ok || !at.Equal(x.Start) {
				moved = append(moved, s.Circle+" "+d.String())
			}
		}
	}
	return moved
}

// TestLayoutSessionsPrevious lays out circles, changes the input a little
// and lays it out again without and with the first layout as Previous,
// listing the sessions of the first layout that moved. Calendar facts:
// January 2027 has Tuesdays 5, 12, 19, 26 and Wednesdays 6, 13, 20, 27;
// no holidays are used.
func TestLayoutSessionsPrevious(t *testing.T) {
	t.Parallel()
	type circle struct {
		id, spec string
		policy   SessionPolicy
		members  []program.ParticipantID
	}
	tue18, wed18, thu18 := "CRON_TZ=Asia/Tbilisi 0 18 * * 2", "CRON_TZ=Asia/Tbilisi 0 18 * * 3", "CRON_TZ=Asia/Tbilisi 0 18 * * 4"
	p := func(ids ...program.ParticipantID) []program.ParticipantID { return ids }
	tests := []struct {
		name                    string
		before, after           []circle
		blackout                []string // added for the second layout
		movedWithout, movedWith []string
		keptReasons             int // kept sessions off their nominal day, with keptReason
	}{
		{
			// Without the previous layout b gives way to a and moves to the
			// Wednesday, where it pushes c to the Thursday. With it, b and c
			// stay and the new circle a gives way instead.
			name:   "circle inserted in front, sharing a person",
			before: []circle{{"b", tue18, SkipBlocked, p("p-1", "p-2")}, {"c", wed18, SkipBlocked, p("p-2", "p-3")}},
			after:  []circle{{"a", tue18, SkipBlocked, p("p-1")}, {"b", tue18, SkipBlocked, p("p-1", "p-2")}, {"c", wed18, SkipBlocked, p("p-2", "p-3")}},
			movedWithout: []string{
				"b 2027-01-05", "b 2027-01-12", "b 2027-01-19", "b 2027-01-26",
				"c 2027-01-06", "c 2027-01-13", "c 2027-01-20", "c 2027-01-27",
			},
		},
		{
			// The blackout moves b's session of 13 January to the Thursday.
			// Laid out afresh it takes c's Thursday session, which moves to
			// the Friday; with the previous layout c keeps it and b's session
			// goes to the Friday.
			name:         "blackout on one session",
			before:       []circle{{"b", wed18, ShiftBlocked, p("p-1")}, {"c", thu18, SkipBlocked, p("p-1")}},
			after:        []circle{{"b", wed18, ShiftBlocked, p("p-1")}, {"c", thu18, SkipBlocked, p("p-1")}},
			blackout:     []string{"2027-01-13"},
			movedWithout: []string{"b 2027-01-13", "c 2027-01-14"},
			movedWith:    []string{"b 2027-01-13"},
		},
		{
			// b moved to the Wednesdays because of p-1; p-1 leaves a. Laid
			// out afresh b goes back to the Tuesdays; with the previous
			// layout its sessions stay where everyone has them.
			name:         "conflict gone",
			before:       []circle{{"a", tue18, SkipBlocked, p("p-1")}, {"b", tue18, SkipBlocked, p("p-1", "p-2")}},
			after:        []circle{{"a", tue18, SkipBlocked, p("p-9")}, {"b", tue18, SkipBlocked, p("p-1", "p-2")}},
			movedWithout: []string{"b 2027-01-05", "b 2027-01-12", "b 2027-01-19", "b 2027-01-26"},
			keptReasons:  4,
		},
		{
			// p-2 joins c, whose sessions now clash with b's on the Tuesdays:
			// c, listed later, moves either way; b does not.
			name:         "person joins a circle",
			before:       []circle{{"b", tue18, SkipBlocked, p("p-1", "p-2")}, {"c", tue18, SkipBlocked, p("p-3")}},
			after:        []circle{{"b", tue18, SkipBlocked, p("p-1", "p-2")}, {"c", tue18, SkipBlocked, p("p-3", "p-2")}},
			movedWithout: []string{"c 2027-01-05", "c 2027-01-12", "c 2027-01-19", "c 2027-01-26"},
			movedWith:    []string{"c 2027-01-05", "c 2027-01-12", "c 2027-01-19", "c 2027-01-26"},
		},
		{
			// A new time of day moves every session: the previous starts are
			// not the rule's any more.
			name:         "rule changed",
			before:       []circle{{"b", tue18, SkipBlocked, p("p-1")}},
			after:        []circle{{"b", "CRON_TZ=Asia/Tbilisi 0 19 * * 2", SkipBlocked, p("p-1")}},
			movedWithout: []string{"b 2027-01-05", "b 2027-01-12", "b 2027-01-19", "b 2027-01-26"},
			movedWith:    []string{"b 2027-01-05", "b 2027-01-12", "b 2027-01-19", "b 2027-01-26"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			circles := func(cs []circle) []Circle {
				var out []Circle
				for _, c := range cs {
					out = append(out, Circle{ID: c.id, Rule: mustRule(t, c.spec, 90*time.Minute), Policy: c.policy,
						Members: c.members, Window: mustWindow(t, "2027-01-04", "2027-01-31")})
				}
				return out
			}
			first, err := LayoutSessions(SessionInput{Circles: circles(tt.before)})
			if err != nil {
				t.Fatal(err)
			}
			in := SessionInput{Circles: circles(tt.after), Blocked: blockDates(t, tt.blackout...)}
			fresh, err := LayoutSessions(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := movedSessions(first, fresh); !reflect.DeepEqual(got, tt.movedWithout) {
				t.Errorf("without Previous, moved %q, want %q", got, tt.movedWithout)
			}
			prev := previousSessions(first)
			for i := range in.Circles {
				in.Circles[i].Previous = prev[in.Circles[i].ID]
			}
			got, err := LayoutSessions(in)
			if err != nil {
				t.Fatal(err)
			}
			checkSessionLayout(t, in, got)
			moved := movedSessions(first, got)
			if !reflect.DeepEqual(moved, tt.movedWith) {
				t.Errorf("with Previous, moved %q, want %q", moved, tt.movedWith)
			}
			kept, reasons := 0, 0
			for _, s := range got.Series {
				for _, x := range s.Sessions {
					if x.Kept {
						kept++
					}
					if x.Kept && x.Reason == keptReason {
						reasons++
					}
				}
			}
			if want := first.Placed - len(moved); kept != want || got.Kept != kept {
				t.Errorf("with Previous, %d sessions Kept (Kept = %d), want %d", kept, got.Kept, want)
			}
			if reasons != tt.keptReasons {
				t.Errorf("with Previous, %d kept sessions give the reason %q, want %d", reasons, keptReason, tt.keptReasons)
			}
		})
	}
}

// TestLayoutSessionsPreviousProperties lays out random circles, adds
// blackouts and lays them out again with the first layout as Previous: the
// result keeps every promise of checkSessionLayout, and laying out once
// more with its own result as Previous changes nothing.
func TestLayoutSessionsPreviousProperties(t *testing.T) {
	t.Parallel()
	// Three layouts a case: half TestLayoutSessionsProperties' count keeps
	// the time under -race alike.
	cases := 100
	if testing.Short() {
		cases = 10
	}
	var kept, total int
	for seed := range uint64(cases) {
		r := rand.New(rand.NewPCG(seed, 1))
		circles := newTestCircles(t, r, 2+r.IntN(12), 3+r.IntN(10))
		first, err := LayoutSessions(SessionInput{Circles: circles})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		var cal holidays.Calendar
		for range 1 + r.IntN(6) {
			d := program.Date{Year: 2027, Month: time.March + time.Month(r.IntN(3)), Day: 1 + r.IntN(28)}
			if err := cal.Add(d, "blackout"); err != nil {
				t.Fatal(err)
			}
		}
		withPrevious := func(l *SessionLayout) SessionInput {
			prev := previousSessions(l)
			in := SessionInput{Circles: slices.Clone(circles), Blocked: cal.Blocked}
			for i := range in.Circles {
				in.Circles[i].Previous = prev[in.Circles[i].ID]
			}
			return in
		}
		in := withPrevious(first)
		got, err := LayoutSessions(in)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkSessionLayout(t, in, got)
		again, err := LayoutSessions(withPrevious(got))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if moved := movedSessions(got, again); len(moved) > 0 || again.Placed != got.Placed {
			t.Errorf("seed %d: laid out again with its own result as Previous, %d of %d sessions placed, moved %q", seed, again.Placed, got.Placed, moved)
		}
		if t.Failed() {
			t.Fatalf("seed %d failed", seed)
		}
		kept += got.Kept
		total += first.Placed
	}
	// The blackouts must move some sessions and leave most, or the checks
	// above prove little.
	if kept == 0 || kept == total {
		t.Errorf("over %d cases: %d of %d sessions kept; want most but not all", cases, kept, total)
	}
}
