// Package yearplan lays out a programme year from the stored rounds: it
// turns their matches into the scheduler's input (internships, community
// visits, exchange visits, study-circle sessions, the yearly meeting), runs
// scheduler.PlanYear around Georgia's holidays, compares the result with
// the stored events (scheduler.Reconcile) and stores it. The scheduler
// stays pure; the store stays the only package that speaks SQL; this
// package joins them for `khidi schedule`.
package yearplan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/scheduler"
	"github.com/khidi/khidi/scheduler/holidays"
	"github.com/khidi/khidi/scheduler/recur"
)

// Store is what laying out a year needs of the database; *store.DB has it.
type Store interface {
	Organizations(ctx context.Context) ([]program.Organization, error)
	Participants(ctx context.Context) ([]program.Participant, error)
	Communities(ctx context.Context) ([]program.Community, error)
	Rounds(ctx context.Context) ([]program.Round, error)
	RoundMatches(ctx context.Context, id program.RoundID) ([]program.Match, error)
	// EventsAt returns the events overlapping [from, to) with the
	// schedule's revision they are current at.
	EventsAt(ctx context.Context, from, to time.Time) ([]program.Event, int64, error)
	// SaveEvents stores es if no events were saved since the revision
	// expect, and otherwise returns an error matching program.ErrConflict.
	SaveEvents(ctx context.Context, es []program.Event, expect int64) ([]program.EventID, error)
}

// Request is a year to lay out.
type Request struct {
	Year int
	// Round restricts the layout to one round, which is then a preview
	// (DryRun): stored, it would cancel the other rounds' events. 0 takes
	// every round.
	Round program.RoundID
	// Proposed includes matches not yet accepted (proposed and offered),
	// to preview a year before hosts answer; otherwise only accepted
	// matches are scheduled.
	Proposed bool
	// MeetingMonth is the month of the self-reflection meeting
	// (DefaultMeetingMonth when 0).
	MeetingMonth time.Month
	// DryRun lays out and compares but stores nothing.
	DryRun bool
}

// Defaults of a programme year.
const (
	// DefaultMeetingMonth: the programme reviews its year in November,
	// before the winter holidays.
	DefaultMeetingMonth = time.November
	// MeetingSeats is the size of the yearly meeting's invitation list.
	MeetingSeats = 50
	// ExchangeDays is how long an exchange visit lasts on site.
	ExchangeDays = 3
	// CircleSession is a study circle's weekly evening: 18:00 in Tbilisi,
	// two hours, on a weekday that differs from circle to circle so that
	// trainers serving two circles are free for both.
	CircleSession = 2 * time.Hour
	// Attempts is how many times Run lays a year out before it gives up
	// when other layouts keep saving events while it computes. One retry
	// is enough for two layouts started together (the API's and the yearly
	// job's); a third attempt covers a manager pressing the button again
	// meanwhile. More would hide a runaway writer behind seconds of work.
	Attempts = 3
)

// circleDays are the weekdays circles meet on, in turn (cron's numbering).
var circleDays = []int{1, 2, 3, 4}

// YearSpan returns the instants between which some zone on Earth is in
// the given year: from when 1 January begins at UTC+14 to when 31 December
// ends at UTC−12, with two hours' margin. Events of the year lie within.
func YearSpan(year int) (from, to time.Time) {
	const widest = 14 * time.Hour
	return time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).Add(-widest),
		time.Date(year+1, time.January, 1, 0, 0, 0, 0, time.UTC).Add(widest)
}

// Result is a laid-out year: the plan and how it differs from what was
// stored.
type Result struct {
	Plan    *scheduler.YearPlan
	Changes scheduler.Changes
}

// Run lays out req.Year from st's rounds, keeping the year's stored events
// where they still fit (scheduler.YearInput.Previous), and stores the
// events: moved ones with their SEQUENCE raised, new ones, and cancelled
// ones kept with their status (the caller sends their cancellations). It
// returns what changed.
//
// Layouts of one year may run at the same time, from the API and the
// yearly job, in one process or several sharing a database. Each saves
// only if no events were saved since it read them (st.SaveEvents with the
// revision st.EventsAt returned): otherwise both would raise a moved event
// to the same SEQUENCE and the later save would silently replace the
// earlier one's move, which then is never announced. A refused layout
// starts again from what the other stored, up to Attempts times in all;
// after that Run returns an error matching program.ErrConflict. A DryRun
// lays out once and saves nothing.
func Run(ctx context.Context, st Store, req Request) (*Result, error) {
	if req.Year < holidays.FirstYear || req.Year > holidays.LastYear {
		return nil, fmt.Errorf("yearplan: year %d: want a year from %d to %d: %w", req.Year, holidays.FirstYear, holidays.LastYear, program.ErrInvalid)
	}
	for attempt := 1; ; attempt++ {
		res, rev, err := layOut(ctx, st, req)
		if err != nil || req.DryRun {
			return res, err
		}
		_, err = st.SaveEvents(ctx, res.Changes.Save(), rev)
		if err == nil {
			return res, nil
		}
		if !errors.Is(err, program.ErrConflict) {
			return nil, fmt.Errorf("yearplan: %d: save the layout: %w", req.Year, err)
		}
		if attempt == Attempts {
			return nil, fmt.Errorf("yearplan: %d: events were saved by others during each of %d layouts; try again when they are done: %w",
				req.Year, Attempts, err)
		}
		// Everything is read again, not only the events: the layout that
		// overtook this one may have followed a change of the programme's
		// records that this one has not seen.
	}
}

// layOut reads what laying out req.Year needs and lays it out, returning
// the result and the schedule's revision it was computed from.
func layOut(ctx context.Context, st Store, req Request) (*Result, int64, error) {
	// The stored events are the previous layout: PlanYear keeps what still
	// fits where it is, so a small change in the data moves few events.
	// They are read before the records: read after, they could include a
	// layout saved from records newer than the ones read here, and this
	// layout, made from the older records, would replace it unrefused.
	// Read before, any layout saved after the records were read is saved
	// after the events were too, and this layout's save is refused.
	from, to := YearSpan(req.Year)
	stored, rev, err := st.EventsAt(ctx, from, to)
	if err != nil {
		return nil, 0, fmt.Errorf("yearplan: %d: load stored events: %w", req.Year, err)
	}
	orgs, err := st.Organizations(ctx)
	if err != nil {
		return nil, 0, err
	}
	people, err := st.Participants(ctx)
	if err != nil {
		return nil, 0, err
	}
	communities, err := st.Communities(ctx)
	if err != nil {
		return nil, 0, err
	}
	rounds, err := st.Rounds(ctx)
	if err != nil {
		return nil, 0, err
	}
	if req.Round != 0 {
		if !slices.ContainsFunc(rounds, func(r program.Round) bool { return r.ID == req.Round }) {
			return nil, 0, fmt.Errorf("yearplan: round %d: %w", req.Round, program.ErrNotFound)
		}
		if !req.DryRun {
			// The stored events are the whole year's: reconciled with one
			// round's layout, every other event would be cancelled.
			return nil, 0, fmt.Errorf("yearplan: %d: a layout of round %d alone can only be previewed (dry run): saved, it would cancel the year's other events; lay out the whole year to store it: %w",
				req.Year, req.Round, program.ErrInvalid)
		}
	}
	in, err := input(ctx, st, req, rounds, orgs, people, communities)
	if err != nil {
		return nil, 0, err
	}
	in.Previous = stored
	plan, err := scheduler.PlanYear(*in)
	if err != nil {
		return nil, 0, fmt.Errorf("yearplan: %d: %w", req.Year, err)
	}
	return &Result{Plan: plan, Changes: scheduler.Reconcile(stored, plan.Events)}, rev, nil
}

// input builds the scheduler's input from the rounds' matches.
func input(ctx context.Context, st Store, req Request, rounds []program.Round, orgs []program.Organization,
	people []program.Participant, communities []program.Community) (*scheduler.YearInput, error) {
	orgByID := map[program.OrgID]*program.Organization{}
	for i := range orgs {
		orgByID[orgs[i].ID] = &orgs[i]
	}
	personByID := map[program.ParticipantID]*program.Participant{}
	for i := range people {
		personByID[people[i].ID] = &people[i]
	}
	communityByID := map[program.CommunityID]*program.Community{}
	for i := range communities {
		communityByID[communities[i].ID] = &communities[i]
	}
	cal := &holidays.Calendar{}
	year := program.Window{From: program.Date{Year: req.Year, Month: time.January, Day: 1}, To: program.Date{Year: req.Year, Month: time.December, Day: 31}}
	in := &scheduler.YearInput{
		Year: req.Year, Blocked: cal.Blocked,
		Visits:       scheduler.VisitInput{Availability: map[program.ParticipantID][]program.Window{}},
		Exchanges:    scheduler.ExchangeInput{Availability: map[program.OrgID][]program.Window{}},
		MeetingMonth: cmp.Or(req.MeetingMonth, DefaultMeetingMonth), MeetingSeats: MeetingSeats, MeetingOrgs: orgs,
		Directory: scheduler.Directory{
			Person: func(id program.ParticipantID) (program.Attendee, bool) {
				p, ok := personByID[id]
				if !ok {
					return program.Attendee{}, false
				}
				return program.Attendee{ID: string(p.ID), Name: p.Name, Email: p.Email}, true
			},
			Org: func(id program.OrgID) (program.Attendee, bool) {
				o, ok := orgByID[id]
				if !ok {
					return program.Attendee{}, false
				}
				return program.Attendee{ID: string(o.ID), Name: o.Name, Email: o.Email}, true
			},
			Community: func(id program.CommunityID) (string, bool) {
				c, ok := communityByID[id]
				if !ok {
					return "", false
				}
				return c.Name, true
			},
		},
	}
	in.Exchanges.Blocked = func(host program.OrgID) scheduler.Blocked {
		if o := orgByID[host]; o != nil && cmp.Or(o.Country, program.DefaultCountry) == program.DefaultCountry {
			return cal.Blocked
		}
		return nil // a partner abroad keeps its own holidays, which khidi does not know
	}
	in.International = func(x scheduler.Exchange) bool {
		o := orgByID[x.Host]
		return o != nil && cmp.Or(o.Country, program.DefaultCountry) != program.DefaultCountry
	}
	tbilisi, err := time.LoadLocation(program.DefaultTimeZone)
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		if req.Round != 0 && r.ID != req.Round {
			continue
		}
		if r.Status == program.RoundDraft {
			continue
		}
		ms, err := st.RoundMatches(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		ms = slices.DeleteFunc(ms, func(m program.Match) bool {
			return !(m.Status == program.OfferAccepted ||
				req.Proposed && (m.Status == program.OfferProposed || m.Status == program.OfferOffered))
		})
		switch r.Kind {
		case program.RoundInternship:
			for _, m := range ms {
				p, o := personByID[m.ParticipantID], orgByID[m.HostID]
				if p == nil || o == nil {
					continue // a record deleted since the round; nothing to place
				}
				var intern []program.Window
				if w := p.Availability(); !w.From.IsZero() || !w.To.IsZero() {
					intern = []program.Window{w}
				}
				in.Internships = append(in.Internships, scheduler.YearInternship{
					Internship: scheduler.Internship{ID: string(m.ParticipantID) + "@" + string(m.HostID),
						Days: matcher.DefaultInternshipDays, Intern: intern, Host: o.Availability},
					Intern: m.ParticipantID, Host: m.HostID})
			}
		case program.RoundPeerExchange, program.RoundInternationalExchange:
			for _, m := range ms {
				o := orgByID[m.HostID]
				if o == nil || orgByID[m.VisitorID] == nil {
					continue
				}
				in.Exchanges.Exchanges = append(in.Exchanges.Exchanges, scheduler.Exchange{Visitor: m.VisitorID, Host: m.HostID,
					Days: ExchangeDays, Zone: cmp.Or(o.TimeZone, program.DefaultTimeZone)})
				for _, id := range []program.OrgID{m.VisitorID, m.HostID} {
					in.Exchanges.Availability[id] = orgByID[id].Availability
				}
			}
		case program.RoundCommunityVisit:
			visits := map[program.CommunityID][]program.Match{}
			for _, m := range ms {
				visits[m.CommunityID] = append(visits[m.CommunityID], m)
			}
			for _, id := range slices.Sorted(maps.Keys(visits)) {
				c := communityByID[id]
				for k, m := range visits[id] {
					p := personByID[m.ParticipantID]
					if c == nil || p == nil {
						continue
					}
					in.Visits.Visits = append(in.Visits.Visits, scheduler.Visit{Community: id, Leader: m.ParticipantID,
						K: k, N: len(visits[id]), TravelDays: scheduler.TravelDays(matcher.DistanceKm(p.Lat, p.Lon, c.Lat, c.Lon))})
					if w := p.Availability(); !w.From.IsZero() || !w.To.IsZero() {
						in.Visits.Availability[m.ParticipantID] = []program.Window{w}
					}
				}
			}
		case program.RoundStudyCircle:
			circles := map[int]*scheduler.Circle{}
			for _, m := range ms {
				p := personByID[m.ParticipantID]
				if p == nil {
					continue
				}
				c := circles[m.Circle]
				if c == nil {
					spec := fmt.Sprintf("CRON_TZ=%s 0 18 * * %d", program.DefaultTimeZone, circleDays[(m.Circle-1)%len(circleDays)])
					rule, err := recur.Parse(spec, tbilisi)
					if err != nil {
						return nil, fmt.Errorf("yearplan: circle %d: %w", m.Circle, err) // a constant spec: a bug if it fails
					}
					rule.Duration = CircleSession
					c = &scheduler.Circle{ID: fmt.Sprintf("r%d-circle-%d", r.ID, m.Circle), Rule: rule,
						Policy: scheduler.ShiftBlocked, Window: year}
					circles[m.Circle] = c
				}
				if p.Role == program.RoleTrainer || p.Role == program.RoleExpert {
					c.Trainers = append(c.Trainers, p.ID)
				} else {
					c.Members = append(c.Members, p.ID)
				}
			}
			for _, n := range slices.Sorted(maps.Keys(circles)) {
				in.Circles = append(in.Circles, *circles[n])
			}
		}
	}
	return in, nil
}
