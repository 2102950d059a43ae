package scheduler

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/scheduler/holidays"
)

// newTestDirectory answers for participants p-… and organisations org-… and
// for the ids listed in unknown answers nothing.
func newTestDirectory(unknown ...string) Directory {
	known := func(id string) bool {
		for _, u := range unknown {
			if u == id {
				return false
			}
		}
		return true
	}
	return Directory{
		Person: func(id program.ParticipantID) (program.Attendee, bool) {
			return program.Attendee{ID: string(id), Name: "Person " + string(id), Email: string(id) + "@example.org"}, known(string(id))
		},
		Org: func(id program.OrgID) (program.Attendee, bool) {
			return program.Attendee{ID: string(id), Name: "Org " + string(id), Email: string(id) + "@example.org"}, known(string(id))
		},
		Community: func(id program.CommunityID) (string, bool) { return "Village " + string(id), true },
	}
}

// newTestYear is a small hand-built programme year, 2027, whose Orthodox
// Easter is 2 May (Good Friday 30 April to Easter Monday 3 May).
func newTestYear(t testing.TB) YearInput {
	t.Helper()
	var cal holidays.Calendar
	spring := mustWindow(t, "2027-03-01", "2027-05-31")
	tuesday := time.Tuesday
	return YearInput{
		Year:    2027,
		Blocked: cal.Blocked,
		Circles: []Circle{
			// Mondays: 14 nominal sessions, 8 March, 3 May (Easter Monday)
			// and 17 May skipped.
			{ID: "c-1", Rule: mustRule(t, "CRON_TZ=Asia/Tbilisi 0 18 * * 1", 90*time.Minute), Policy: SkipBlocked,
				Members: []program.ParticipantID{"p-1", "p-2"}, Trainers: []program.ParticipantID{"p-9"}, Window: spring},
			// Wednesdays: 13 sessions; 3 March, 12 May and 26 May move to
			// the Thursday.
			{ID: "c-2", Rule: mustRule(t, "CRON_TZ=Asia/Tbilisi 0 18 * * 3", 90*time.Minute), Policy: ShiftBlocked,
				Members: []program.ParticipantID{"p-2", "p-3"}, Trainers: []program.ParticipantID{"p-9"}, Window: spring},
		},
		Visits: VisitInput{
			Visits: []Visit{
				{Community: "v-a", Leader: "p-4", K: 0, N: 1, OnSiteDays: 2, TravelDays: 1},
				// Its leader is free only on Independence Day.
				{Community: "v-b", Leader: "p-5", K: 0, N: 1},
			},
			Availability: map[program.ParticipantID][]program.Window{"p-5": {mustWindow(t, "2027-05-26", "2027-05-26")}},
		},
		Internships: []YearInternship{
			{Internship: Internship{ID: "i-1", Days: 30, Preferred: mustDate(t, "2027-05-02")}, Intern: "p-6", Host: "org-a"},
			// The windows overlap for 10 days only.
			{Internship: Internship{ID: "i-2", Days: 30, Intern: []program.Window{mustWindow(t, "2027-06-01", "2027-06-30")},
				Host: []program.Window{mustWindow(t, "2027-06-21", "2027-12-31")}}, Intern: "p-7", Host: "org-b"},
		},
		Exchanges: ExchangeInput{
			Exchanges: []Exchange{{Visitor: "org-a", Host: "org-w", Days: 3, Zone: "Europe/Warsaw"}},
			Blocked:   func(program.OrgID) Blocked { return blockDates(t, "2027-01-04", "2027-01-05") },
		},
		International: func(e Exchange) bool { return e.Zone != "" && e.Zone != program.DefaultTimeZone },
		MeetingMonth:  time.May,
		MeetingPrefer: &tuesday,
		MeetingSeats:  5,
		MeetingOrgs: []program.Organization{
			{ID: "org-a", Sector: program.SectorCSO}, {ID: "org-b", Sector: program.SectorGovernment},
			{ID: "org-c", Sector: program.SectorPrivate}, {ID: "org-d", Sector: program.SectorMedia},
			{ID: "org-e", Sector: program.SectorAcademia},
		},
		MeetingLocation: "Tbilisi",
		Directory:       newTestDirectory(),
	}
}

func TestPlanYear(t *testing.T) {
	t.Parallel()
	in := newTestYear(t)
	got, err := PlanYear(in)
	if err != nil {
		t.Fatalf("PlanYear() error %v", err)
	}

	kinds := map[program.EventKind]int{}
	for _, e := range got.Events {
		kinds[e.Kind]++
	}
	want := map[program.EventKind]int{
		program.EventStudyCircle: 11 + 13, program.EventCommunityVisit: 1, program.EventInternship: 1,
		program.EventInternationalExchange: 1, program.EventMeeting: 1,
	}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("PlanYear() events by kind = %v, want %v", kinds, want)
	}

	uids := map[string]bool{}
	for i, e := range got.Events {
		if uids[e.UID] {
			t.Errorf("UID %s used twice", e.UID)
		}
		uids[e.UID] = true
		if errs := e.Check(); len(errs) > 0 {
			t.Errorf("event %s: %v", e.UID, errs)
		}
		if err := program.Validate(&e); err != nil {
			t.Errorf("event %s: %v", e.UID, err)
		}
		if i > 0 && got.Events[i-1].Start.After(e.Start) {
			t.Errorf("events %s and %s out of order", got.Events[i-1].UID, e.UID)
		}
		checkYearEventDays(t, in, e)
	}

	// A moved session keeps the UID of its nominal date.
	moved := UID(program.EventStudyCircle, "c-2", "2027-05-12")
	if !uids[moved] {
		t.Errorf("no session with UID %s", moved)
	}
	for _, e := range got.Events {
		if e.UID == moved && program.DateOf(e.Start.In(mustLoad(t, e.Zone))) != mustDate(t, "2027-05-13") {
			t.Errorf("session %s on %v, want 2027-05-13", e.UID, e.Start)
		}
		if e.Kind == program.EventStudyCircle && e.SourceRule != in.Circles[0].Rule.String() && e.SourceRule != in.Circles[1].Rule.String() {
			t.Errorf("session %s: SourceRule %q", e.UID, e.SourceRule)
		}
	}
	if got.MeetingDay != mustDate(t, "2027-05-04") {
		t.Errorf("MeetingDay = %v, want 2027-05-04 (3 May is Easter Monday)", got.MeetingDay)
	}

	// Every unplaced item of every layout is listed, with a reason.
	var unplaced []string
	for _, u := range got.Unplaced {
		if u.Reason == "" {
			t.Errorf("unplaced %s %s: no reason", u.Kind, u.ID)
		}
		unplaced = append(unplaced, fmt.Sprintf("%s %s %s", u.Kind, u.ID, u.Date))
	}
	wantUnplaced := []string{
		"study_circle c-1 2027-03-08", "study_circle c-1 2027-05-03", "study_circle c-1 2027-05-17",
		"community_visit v-b#1/1 ", "internship i-2 ",
	}
	if !reflect.DeepEqual(unplaced, wantUnplaced) {
		t.Errorf("PlanYear() unplaced = %q, want %q", unplaced, wantUnplaced)
	}
	if n := got.Sessions.Skipped + len(got.Visits.Unplaced) + len(got.Internships.Unplaced) + len(got.Exchanges.Unplaced); n != len(got.Unplaced) {
		t.Errorf("layouts left %d items unplaced, plan lists %d", n, len(got.Unplaced))
	}

	again, err := PlanYear(newTestYear(t))
	if err != nil {
		t.Fatalf("PlanYear() second run error %v", err)
	}
	if !reflect.DeepEqual(got.Events, again.Events) || !reflect.DeepEqual(got.Unplaced, again.Unplaced) {
		t.Errorf("PlanYear() differs between two runs on the same input")
	}
}

// checkYearEventDays checks that no day an event occupies is blocked in
// Georgia, except where the rules allow it: an internship's later days and
// an exchange abroad, whose host calendar is its own.
func checkYearEventDays(t *testing.T, in YearInput, e program.Event) {
	t.Helper()
	loc := mustLoad(t, e.Zone)
	first := program.DateOf(e.Start.In(loc))
	last := program.DateOf(e.End.Add(-time.Nanosecond).In(loc))
	switch e.Kind {
	case program.EventInternationalExchange:
		return
	case program.EventInternship:
		last = first
	}
	for d := first; !d.After(last); d = program.DateOf(d.In(time.UTC).AddDate(0, 0, 1)) {
		if reason, blocked := in.Blocked(d); blocked {
			t.Errorf("event %s on %s: %s", e.UID, d, reason)
		}
	}
}

func mustLoad(t testing.TB, zone string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestPlanYearErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*YearInput)
	}{
		{"year out of range", func(in *YearInput) { in.Year = 0 }},
		{"unknown participant", func(in *YearInput) { in.Directory = newTestDirectory("p-2") }},
		{"unknown organisation", func(in *YearInput) { in.Directory = newTestDirectory("org-w") }},
		{"bad circle", func(in *YearInput) { in.Circles[1].ID = "c-1" }},
		{"bad meeting times", func(in *YearInput) { in.MeetingStart = 18 * time.Hour }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := newTestYear(t)
			tt.change(&in)
			if _, err := PlanYear(in); !errors.Is(err, program.ErrInvalid) {
				t.Errorf("PlanYear() error %v, want one wrapping program.ErrInvalid", err)
			}
		})
	}
}

// newTestBigYear is the benchmark year: 2,000 weekly study circles
// of 12 over 2027, 500 community visits (50 communities × 10, each shared
// by two leaders who alternate, so no leader's visits share an ideal date)
// and 5,000 internships at 200 hosts, with Georgian holidays.
func newTestBigYear(t testing.TB) YearInput {
	t.Helper()
	r := rand.New(rand.NewPCG(2027, 0))
	in := YearInput{
		Year:      2027,
		Blocked:   georgianHolidays(),
		Circles:   newTestSessionYear(t, 1, 2000, 12, 20000),
		Directory: newTestDirectory(),
	}
	for c := range 50 {
		travel := r.IntN(3)
		for k := range 10 {
			in.Visits.Visits = append(in.Visits.Visits, Visit{
				Community: program.CommunityID(fmt.Sprintf("v-%03d", c)), Leader: program.ParticipantID(fmt.Sprintf("l-%03d", c+50*(k%2))),
				K: k, N: 10, OnSiteDays: 1 + r.IntN(2), TravelDays: travel,
			})
		}
	}
	jan1 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	day := func(n int) program.Date { return program.DateOf(jan1.AddDate(0, 0, n)) }
	for i := range 5000 {
		a := r.IntN(300)
		in.Internships = append(in.Internships, YearInternship{
			Internship: Internship{
				ID: fmt.Sprintf("i-%04d", i), Days: 30 + r.IntN(60),
				Intern: []program.Window{{From: day(a), To: day(min(364, a+40+r.IntN(120)))}},
			},
			Intern: program.ParticipantID(fmt.Sprintf("p-%05d", i)),
			Host:   program.OrgID(fmt.Sprintf("org-%03d", i%200)),
		})
	}
	return in
}

// BenchmarkPlanYear plans the year from scratch (previous=none)
// and re-plans it after a blackout on a Wednesday in March, with the first
// plan as Previous (previous=blackout), as `khidi schedule` does on every
// run after the first.
func BenchmarkPlanYear(b *testing.B) {
	in := newTestBigYear(b)
	first, err := PlanYear(in)
	if err != nil {
		b.Fatal(err)
	}
	changed := in
	blackout := blockDates(b, "2027-03-17")
	changed.Blocked = func(d program.Date) (string, bool) {
		if reason, no := blackout(d); no {
			return reason, no
		}
		return in.Blocked(d)
	}
	changed.Previous = first.Events
	for _, bc := range []struct {
		name string
		in   YearInput
	}{{"previous=none", in}, {"previous=blackout", changed}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var got *YearPlan
			for b.Loop() {
				var err error
				if got, err = PlanYear(bc.in); err != nil {
					b.Fatal(err)
				}
			}
			if got.Sessions.Placed < 95_000 || len(got.Events) < got.Sessions.Placed+4000 {
				b.Fatalf("PlanYear placed %d events (%d sessions), want about 100k sessions and most visits and internships", len(got.Events), got.Sessions.Placed)
			}
			if n := got.Sessions.Skipped + len(got.Visits.Unplaced) + len(got.Internships.Unplaced); n != len(got.Unplaced) {
				b.Fatalf("layouts left %d items unplaced, plan lists %d", n, len(got.Unplaced))
			}
			var attendees int
			for _, e := range got.Events {
				attendees += len(e.Attendees)
				if strings.Contains(e.UID, "+") {
					b.Fatalf("hashed UID %s for readable ids", e.UID)
				}
			}
			b.ReportMetric(float64(len(got.Events)), "events")
			b.ReportMetric(float64(len(got.Unplaced)), "unplaced")
			b.ReportMetric(float64(attendees), "attendees")
			b.ReportMetric(float64(len(Reconcile(first.Events, got.Events).Moved)), "moved")
		})
	}
}

// TestPlanYearPrevious plans newTestYear, changes it a little and plans it
// again without and with the first plan's events as Previous, then counts
// what Reconcile finds moved. The changes: a circle inserted in front of
// the others that shares c-2's trainer and evening, a blackout on one of
// c-2's Wednesdays (17 March), an internship, an exchange visit of org-0,
// which sorts before org-a, to org-a's host, and a second visit for p-4
// that wants v-a's day on site (3 July), with 1 July blacked out so that
// moving v-a a day is strictly cheaper than keeping it: v-a departs 2 July
// and is away four days, and v-c would have to come on 30 June or 6 July,
// 3 days off, while v-a leaving a day later lets v-c come on 2 July,
// 1 day off each.
func TestPlanYearPrevious(t *testing.T) {
	t.Parallel()
	first, err := PlanYear(newTestYear(t))
	if err != nil {
		t.Fatal(err)
	}
	in := newTestYear(t)
	blackouts := blockDates(t, "2027-03-17", "2027-07-01")
	holidays := in.Blocked
	in.Blocked = func(d program.Date) (string, bool) {
		if reason, b := blackouts(d); b {
			return reason, b
		}
		return holidays(d)
	}
	c0 := in.Circles[1]
	c0.ID, c0.Members = "c-0", []program.ParticipantID{"p-10"}
	in.Circles = append([]Circle{c0}, in.Circles...)
	in.Internships = append(in.Internships, YearInternship{Internship: Internship{ID: "i-3", Days: 20}, Intern: "p-8", Host: "org-c"})
	in.Exchanges.Exchanges = append(in.Exchanges.Exchanges, Exchange{Visitor: "org-0", Host: "org-w", Days: 3, Zone: "Europe/Warsaw"})
	in.Visits.Visits = append(in.Visits.Visits, Visit{Community: "v-c", Leader: "p-4", K: 0, N: 1})

	fresh, err := PlanYear(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Previous = first.Events
	got, err := PlanYear(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range got.Events {
		checkYearEventDays(t, in, e)
	}

	without, with := Reconcile(first.Events, fresh.Events), Reconcile(first.Events, got.Events)
	count := func(es []program.Event) map[program.EventKind]int {
		m := map[program.EventKind]int{}
		for _, e := range es {
			m[e.Kind]++
		}
		return m
	}
	// Laid out afresh c-2 gives way to c-0 on all 13 Wednesdays, org-a→org-w
	// to org-0→org-w, and v-a to v-c.
	wantWithout := map[program.EventKind]int{program.EventStudyCircle: 13, program.EventInternationalExchange: 1, program.EventCommunityVisit: 1}
	if got := count(without.Moved); !reflect.DeepEqual(got, wantWithout) {
		t.Errorf("without Previous, moved %v, want %v", got, wantWithout)
	}
	// With the previous plan only the session the blackout hit moves, and
	// its SEQUENCE rises.
	if got, want := uids(with.Moved), []string{UID(program.EventStudyCircle, "c-2", "2027-03-17") + "/1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("with Previous, moved %q, want %q", got, want)
	}
	// Both ways the new items are new and nothing is cancelled: c-0's 13
	// sessions, i-3, org-0→org-w and v-c.
	wantNew := map[program.EventKind]int{program.EventStudyCircle: 13, program.EventInternship: 1, program.EventInternationalExchange: 1, program.EventCommunityVisit: 1}
	for name, c := range map[string]Changes{"without": without, "with": with} {
		if got := count(c.New); !reflect.DeepEqual(got, wantNew) || len(c.Cancelled) != 0 {
			t.Errorf("%s Previous: new %v, %d cancelled; want %v, none", name, got, len(c.Cancelled), wantNew)
		}
	}

	// Planning once more with its own events as Previous moves nothing.
	in.Previous = got.Events
	again, err := PlanYear(in)
	if err != nil {
		t.Fatal(err)
	}
	if c := Reconcile(got.Events, again.Events); len(c.Moved)+len(c.New)+len(c.Cancelled) != 0 {
		t.Errorf("planned again with its own events: %d moved, %d new, %d cancelled; want none", len(c.Moved), len(c.New), len(c.Cancelled))
	}
}

// BenchmarkReconcile compares the year with itself laid out again
// unchanged, as every run of `khidi schedule` after the first does.
func BenchmarkReconcile(b *testing.B) {
	plan, err := PlanYear(newTestBigYear(b))
	if err != nil {
		b.Fatal(err)
	}
	again := slices.Clone(plan.Events)
	b.ReportAllocs()
	for b.Loop() {
		if c := Reconcile(plan.Events, again); len(c.Unchanged) != len(again) {
			b.Fatalf("%d of %d events unchanged", len(c.Unchanged), len(again))
		}
	}
}
