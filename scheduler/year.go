package scheduler

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// Default times of day, in Asia/Tbilisi, of the yearly meeting when
// YearInput leaves them 0: an office day, 10:00 to 17:00.
const (
	DefaultMeetingStart = 10 * time.Hour
	DefaultMeetingEnd   = 17 * time.Hour
)

// YearInternship is an internship with the intern and the host it is
// between, which PlaceInternships does not need but its event does.
type YearInternship struct {
	Internship
	Intern program.ParticipantID
	Host   program.OrgID
}

// Directory gives the names and addresses PlanYear puts on events. Person
// and Org are required for every participant and organisation that attends
// an event; Community may be nil (the community's id is then its name).
type Directory struct {
	Person    func(program.ParticipantID) (program.Attendee, bool)
	Org       func(program.OrgID) (program.Attendee, bool)
	Community func(program.CommunityID) (name string, ok bool)
}

// YearInput is what PlanYear lays out: one programme year and the input of
// every layout, passed through unchanged except where a field says so.
type YearInput struct {
	// Year is the programme year, 1..9999.
	Year int
	// Blocked closes days for every layout read in Georgia: sessions,
	// community visits, internships and the meeting. Usually a
	// holidays.Calendar's Blocked method, blackouts added. Exchange visits
	// take their hosts' calendars from Exchanges.Blocked.
	Blocked Blocked

	// Circles are laid out by LayoutSessions, in priority order.
	Circles []Circle
	// Visits is laid out by PlaceVisits; a zero Year becomes Year and a
	// nil Blocked becomes the Blocked above.
	Visits VisitInput
	// Internships are placed by PlaceInternships over the year.
	Internships []YearInternship
	// Exchanges is laid out by PlaceExchanges; a zero Horizon becomes the
	// year. Its Blocked is left as given: a host abroad has its own
	// country's holidays, not Georgia's.
	Exchanges ExchangeInput
	// International reports which exchange visits are international; nil
	// means none (every visit is a peer exchange).
	International func(Exchange) bool

	// MeetingMonth is the month of the self-reflection meeting; 0 means no
	// meeting. MeetingPrefer, MeetingSeats and MeetingOrgs go to MeetingDay
	// and Invite. MeetingStart and MeetingEnd are its times of day in
	// Asia/Tbilisi; 0 means DefaultMeetingStart and DefaultMeetingEnd.
	MeetingMonth             time.Month
	MeetingPrefer            *time.Weekday
	MeetingSeats             int
	MeetingOrgs              []program.Organization
	MeetingStart, MeetingEnd time.Duration
	MeetingLocation          string

	Directory Directory

	// Previous are the events stored from an earlier run, usually the
	// year's stored events; cancelled ones are ignored. PlanYear finds each
	// layout item's own event by its UID (see PlanYear, "Previous layout")
	// and sets the item's previous placement from it (Circle.Previous,
	// Visit.Previous, Internship.Previous, Exchange.Previous and the
	// meeting's), replacing any the item held, so that a re-run after a
	// change moves as few events as it can.
	Previous []program.Event
}

// Unplaced is an activity, or one session of a series, that the year's
// layouts could not place, with the reason the layout gave.
type Unplaced struct {
	Kind program.EventKind
	// ID is the layout's id of the activity: the circle, the visit
	// (COMMUNITY#k/N), the internship, the exchange (VISITOR→HOST) or
	// "meeting".
	ID string
	// Date is the nominal date of a skipped session; zero otherwise.
	Date   program.Date
	Reason string
}

// YearPlan is the result of PlanYear.
type YearPlan struct {
	// Events are the placed activities, ready to store, sorted by start and
	// then UID. Sequence is 0: Reconcile sets it against the stored events.
	Events []program.Event
	// Unplaced lists everything not placed, layout by layout in the order
	// sessions, visits, internships, exchanges, meeting, each in its
	// layout's order.
	Unplaced []Unplaced

	// The layouts themselves, for their conflicts, deviations and counters.
	Sessions    *SessionLayout
	Visits      *VisitLayout
	Internships *InternshipLayout
	Exchanges   *ExchangeLayout
	// MeetingDay is the meeting's day (zero when there is no meeting or it
	// could not be placed) and Invitation its invitation list.
	MeetingDay program.Date
	Invitation *Invitation
}

// PlanYear runs the scheduler's layouts for one programme year and turns
// every placement into a program.Event.
//
// # Events
//
// Every event is scheduled (Status EventScheduled). Each study-circle
// session is its own event, so that a moved session is an ordinary update
// and a skipped one simply absent, with UID UID(study_circle, circle,
// nominal local date): the nominal date, not the placed one, so that a
// session moved by a holiday or conflict keeps its UID. Its Series is
// UID(study_circle, circle) and its Nominal the start the rule gave, from
// which calendars rebuild the series as one event with RRULE, EXDATE and
// RDATE. SourceRule is the circle's rule in canonical form
// (recur.Rule.String) and Zone the rule's zone. Attendees are the trainers, then the members,
// each once; the events of one series share that slice.
//
// A community visit spans its leader's absence, travel included: from
// midnight starting Depart to midnight ending Return in Asia/Tbilisi, with
// UID(community_visit, community, "K-of-N") (K from 1) and the community's
// name as Location. An internship spans its period the same way, with
// UID(internship, intern, host) and the host's name as Location. An
// exchange visit keeps PlaceExchanges' instants and the host's zone, with
// UID(peer_exchange or international_exchange, visitor, host); its
// attendees are both organisations. The meeting, UID(meeting, year), runs
// from MeetingStart to MeetingEnd on MeetingDay in Asia/Tbilisi and invites
// the organisations Invite chose.
//
// # Previous layout
//
// Every layout prefers the placement an item had in Previous when it is
// still valid under the current input, and places the rest as it would
// without one; each layout's doc says how (a first keeping pass for
// sessions and exchanges, a lexicographic objective for community visits,
// the previous day first for internships and the meeting). Reconcile then
// finds few events moved, and raises SEQUENCE only on those. An item is
// matched to its previous event by UID, so only what the UID names is
// remembered: a session by its circle and nominal date, a community visit
// by "K-of-N" (when a community's number of visits N changes, all its
// visits get new UIDs and none is kept), an internship by intern and host,
// an exchange by kind, visitor and host, the meeting by year. The previous
// day of a visit, internship, exchange or meeting is the local date of the
// event's Start in the event's Zone.
//
// # Errors
//
// A layout's error (bad input) is returned wrapped with the layout's name;
// an attendee that Directory does not know is an error wrapping
// program.ErrInvalid that counts and names the unknown ids. What cannot be
// placed is not an error: it is in Unplaced.
//
// The result depends only on the input.
func PlanYear(in YearInput) (*YearPlan, error) {
	if in.Year < 1 || in.Year > 9999 {
		return nil, fmt.Errorf("scheduler: year %d out of range; give 1..9999: %w", in.Year, program.ErrInvalid)
	}
	tbilisi, err := time.LoadLocation(program.DefaultTimeZone)
	if err != nil {
		return nil, fmt.Errorf("scheduler: load %s: %w", program.DefaultTimeZone, err)
	}
	year := program.Window{
		From: program.Date{Year: in.Year, Month: time.January, Day: 1},
		To:   program.Date{Year: in.Year, Month: time.December, Day: 31},
	}
	p := &YearPlan{}
	dir := newDirectory(in.Directory)
	prev := newPreviousEvents(in.Previous)

	// Study circles.
	circles := slices.Clone(in.Circles)
	for i, c := range circles {
		circles[i].Previous = prev.sessions(c)
	}
	p.Sessions, err = LayoutSessions(SessionInput{Circles: circles, Blocked: in.Blocked})
	if err != nil {
		return nil, fmt.Errorf("scheduler: year %d: study circles: %w", in.Year, err)
	}
	for i, s := range p.Sessions.Series {
		c := in.Circles[i]
		people := dir.people(c.Trainers, c.Members)
		rule, zone := c.Rule.String(), c.Rule.Zone().String()
		title := "Study circle " + c.ID
		series := UID(program.EventStudyCircle, c.ID)
		for _, x := range s.Sessions {
			nominal := x.ShiftedFrom
			if nominal.IsZero() {
				nominal = program.DateOf(x.Local)
			}
			p.Events = append(p.Events, program.Event{Status: program.EventScheduled,
				Kind: program.EventStudyCircle, Title: title,
				Start: x.Start.UTC(), End: x.End.UTC(), Zone: zone,
				Attendees: people, SourceRule: rule,
				UID:    sessionUID(c.ID, nominal),
				Series: series, Nominal: x.Nominal.UTC(),
			})
		}
		for _, x := range s.Skipped {
			p.Unplaced = append(p.Unplaced, Unplaced{Kind: program.EventStudyCircle, ID: c.ID, Date: x.Date, Reason: x.Reason})
		}
	}

	// Community visits.
	vin := in.Visits
	if vin.Year == 0 {
		vin.Year = in.Year
	}
	if vin.Blocked == nil {
		vin.Blocked = in.Blocked
	}
	vin.Visits = slices.Clone(vin.Visits)
	for i, v := range vin.Visits {
		vin.Visits[i].Previous = prev.day(visitUID(v))
	}
	p.Visits, err = PlaceVisits(vin)
	if err != nil {
		return nil, fmt.Errorf("scheduler: year %d: community visits: %w", in.Year, err)
	}
	for _, v := range p.Visits.Placed {
		name := dir.community(v.Community)
		start, end := allDay(v.Depart, v.Return, tbilisi)
		p.Events = append(p.Events, program.Event{Status: program.EventScheduled,
			Kind:  program.EventCommunityVisit,
			Title: fmt.Sprintf("Community visit: %s (%d of %d)", name, v.K+1, v.N),
			Start: start, End: end, Zone: program.DefaultTimeZone, Location: name,
			Attendees: dir.people([]program.ParticipantID{v.Leader}),
			UID:       visitUID(v.Visit),
		})
	}
	for _, v := range p.Visits.Unplaced {
		p.Unplaced = append(p.Unplaced, Unplaced{Kind: program.EventCommunityVisit, ID: v.ID(), Reason: v.Reason})
	}

	// Internships.
	ins := make([]Internship, len(in.Internships))
	for i, x := range in.Internships {
		ins[i] = x.Internship
		ins[i].Previous = prev.day(internshipUID(x))
	}
	p.Internships, err = PlaceInternships(ins, year, in.Blocked)
	if err != nil {
		return nil, fmt.Errorf("scheduler: year %d: internships: %w", in.Year, err)
	}
	for _, x := range p.Internships.Placed {
		y := in.Internships[x.Index]
		host := dir.org(y.Host)
		start, end := allDay(x.Start, x.End, tbilisi)
		p.Events = append(p.Events, program.Event{Status: program.EventScheduled,
			Kind:  program.EventInternship,
			Title: "Internship at " + host.Name,
			Start: start, End: end, Zone: program.DefaultTimeZone, Location: host.Name,
			Attendees: []program.Attendee{dir.person(y.Intern), host},
			UID:       internshipUID(y),
		})
	}
	for _, x := range p.Internships.Unplaced {
		p.Unplaced = append(p.Unplaced, Unplaced{Kind: program.EventInternship, ID: x.ID, Reason: x.Reason})
	}

	// Exchange visits.
	exchangeKind := func(e Exchange) program.EventKind {
		if in.International != nil && in.International(e) {
			return program.EventInternationalExchange
		}
		return program.EventPeerExchange
	}
	xin := in.Exchanges
	if xin.Horizon == (program.Window{}) {
		xin.Horizon = year
	}
	xin.Exchanges = slices.Clone(xin.Exchanges)
	for i, e := range xin.Exchanges {
		xin.Exchanges[i].Previous = prev.day(exchangeUID(exchangeKind(e), e))
	}
	p.Exchanges, err = PlaceExchanges(xin)
	if err != nil {
		return nil, fmt.Errorf("scheduler: year %d: exchanges: %w", in.Year, err)
	}
	for _, x := range p.Exchanges.Placed {
		kind := exchangeKind(x.Exchange)
		visitor, host := dir.org(x.Visitor), dir.org(x.Host)
		zone := cmp.Or(x.Zone, program.DefaultTimeZone)
		p.Events = append(p.Events, program.Event{Status: program.EventScheduled,
			Kind:  kind,
			Title: fmt.Sprintf("Exchange visit: %s at %s", visitor.Name, host.Name),
			Start: x.Start.UTC(), End: x.End.UTC(), Zone: zone, Location: host.Name,
			Attendees: []program.Attendee{visitor, host},
			UID:       exchangeUID(kind, x.Exchange),
		})
	}
	for _, x := range p.Exchanges.Unplaced {
		p.Unplaced = append(p.Unplaced, Unplaced{Kind: exchangeKind(x.Exchange), ID: x.ID(), Reason: x.Reason})
	}

	// The meeting.
	if in.MeetingMonth != 0 {
		if err := p.planMeeting(in, prev.day(meetingUID(in.Year)), tbilisi, dir); err != nil {
			return nil, fmt.Errorf("scheduler: year %d: meeting: %w", in.Year, err)
		}
	}

	if err := dir.err(); err != nil {
		return nil, fmt.Errorf("scheduler: year %d: %w", in.Year, err)
	}
	sortEvents(p.Events)
	return p, nil
}

// planMeeting places the meeting, preferring the previous day, and adds its
// event, or its entry in Unplaced when no day of the month is free.
func (p *YearPlan) planMeeting(in YearInput, previous program.Date, tbilisi *time.Location, dir *directory) error {
	inv, err := Invite(in.MeetingOrgs, in.MeetingSeats)
	if err != nil {
		return err
	}
	p.Invitation = inv
	day, err := MeetingDay(MeetingInput{Year: in.Year, Month: in.MeetingMonth, Prefer: in.MeetingPrefer, Previous: previous, Blocked: in.Blocked})
	if u, ok := errors.AsType[*UnplaceableError](err); ok {
		p.Unplaced = append(p.Unplaced, Unplaced{Kind: program.EventMeeting, ID: "meeting", Reason: u.Reason})
		return nil
	}
	if err != nil {
		return err
	}
	startAt, endAt := cmp.Or(in.MeetingStart, DefaultMeetingStart), cmp.Or(in.MeetingEnd, DefaultMeetingEnd)
	if startAt < 0 || endAt > 24*time.Hour || startAt >= endAt {
		return fmt.Errorf("meeting times %v to %v: give a start before the end, both within the day: %w", startAt, endAt, program.ErrInvalid)
	}
	start, _ := recurAt(day, startAt, tbilisi)
	end, _ := recurAt(day, endAt, tbilisi)
	attendees := make([]program.Attendee, 0, len(inv.Invited))
	for _, id := range inv.Invited {
		attendees = append(attendees, dir.org(id))
	}
	p.MeetingDay = day
	p.Events = append(p.Events, program.Event{Status: program.EventScheduled,
		Kind:  program.EventMeeting,
		Title: fmt.Sprintf("Self-reflection meeting %d", in.Year),
		Start: start.UTC(), End: end.UTC(), Zone: program.DefaultTimeZone, Location: in.MeetingLocation,
		Attendees: attendees,
		UID:       meetingUID(in.Year),
	})
	return nil
}

// The UIDs of PlanYear's events, by the rules in its doc; the previous
// layout is found through them too.

func sessionUID(circle string, nominal program.Date) string {
	return UID(program.EventStudyCircle, circle, nominal.String())
}

func visitUID(v Visit) string {
	return UID(program.EventCommunityVisit, string(v.Community), fmt.Sprintf("%d-of-%d", v.K+1, v.N))
}

func internshipUID(x YearInternship) string {
	return UID(program.EventInternship, string(x.Intern), string(x.Host))
}

func exchangeUID(kind program.EventKind, e Exchange) string {
	return UID(kind, string(e.Visitor), string(e.Host))
}

func meetingUID(year int) string { return UID(program.EventMeeting, strconv.Itoa(year)) }

// previousEvents indexes the scheduled events of an earlier run for
// PlanYear: one-off events by UID, sessions by series.
type previousEvents struct {
	byUID    map[string]program.Event   // lookup only
	bySeries map[string][]program.Event // lookup only; each in the order given
	zones    map[string]*time.Location  // loaded event zones; nil when a zone does not load
}

func newPreviousEvents(events []program.Event) *previousEvents {
	p := &previousEvents{byUID: map[string]program.Event{}, bySeries: map[string][]program.Event{}, zones: map[string]*time.Location{}}
	for _, e := range events {
		switch {
		case e.Cancelled():
		case e.Series != "":
			p.bySeries[e.Series] = append(p.bySeries[e.Series], e)
		default:
			p.byUID[e.UID] = e
		}
	}
	return p
}

// day returns the local date, in its own zone, on which the event with the
// given UID started; zero when there is none or its zone does not load.
func (p *previousEvents) day(uid string) program.Date {
	e, ok := p.byUID[uid]
	if !ok {
		return program.Date{}
	}
	loc, ok := p.zones[e.Zone]
	if !ok {
		// An event whose zone does not load (or is empty or the machine's,
		// which would make the plan depend on the server) has no day: its
		// item is placed afresh rather than failing the plan.
		if e.Zone != "" && e.Zone != "Local" {
			loc, _ = time.LoadLocation(e.Zone)
		}
		p.zones[e.Zone] = loc
	}
	if loc == nil {
		return program.Date{}
	}
	return program.DateOf(e.Start.In(loc))
}

// sessions returns circle c's previous session starts by nominal local
// date, read in the rule's zone, keeping only the events whose UID is the
// one PlanYear gives that nominal date; nil when there are none.
func (p *previousEvents) sessions(c Circle) map[program.Date]time.Time {
	events := p.bySeries[UID(program.EventStudyCircle, c.ID)]
	if len(events) == 0 || c.Rule.Zone() == nil {
		return nil
	}
	m := make(map[program.Date]time.Time, len(events))
	for _, e := range events {
		nominal := program.DateOf(e.Nominal.In(c.Rule.Zone()))
		if e.UID == sessionUID(c.ID, nominal) {
			m[nominal] = e.Start
		}
	}
	return m
}

// allDay returns the instants (UTC) from midnight starting first to
// midnight ending last in loc.
func allDay(first, last program.Date, loc *time.Location) (start, end time.Time) {
	return first.In(loc).UTC(), last.AddDays(1).In(loc).UTC()
}

// directory resolves ids to attendees through a Directory, remembering the
// ids it could not resolve so that all of them are reported at once.
type directory struct {
	d         Directory
	unknownP  map[program.ParticipantID]bool
	unknownO  map[program.OrgID]bool
	seenIndex map[program.ParticipantID]int // scratch for people
}

func newDirectory(d Directory) *directory {
	return &directory{d: d, unknownP: map[program.ParticipantID]bool{}, unknownO: map[program.OrgID]bool{}, seenIndex: map[program.ParticipantID]int{}}
}

func (d *directory) person(id program.ParticipantID) program.Attendee {
	if d.d.Person != nil {
		if a, ok := d.d.Person(id); ok {
			return a
		}
	}
	d.unknownP[id] = true
	return program.Attendee{ID: string(id)}
}

func (d *directory) org(id program.OrgID) program.Attendee {
	if d.d.Org != nil {
		if a, ok := d.d.Org(id); ok {
			return a
		}
	}
	d.unknownO[id] = true
	return program.Attendee{ID: string(id), Name: string(id)}
}

func (d *directory) community(id program.CommunityID) string {
	if d.d.Community != nil {
		if name, ok := d.d.Community(id); ok {
			return name
		}
	}
	return string(id)
}

// people returns the attendees of the listed people, each once, in order.
func (d *directory) people(lists ...[]program.ParticipantID) []program.Attendee {
	clear(d.seenIndex)
	var out []program.Attendee
	for _, l := range lists {
		for _, id := range l {
			if _, dup := d.seenIndex[id]; dup {
				continue
			}
			d.seenIndex[id] = len(out)
			out = append(out, d.person(id))
		}
	}
	return out
}

// err reports the unknown ids, sorted, naming at most five of each kind.
func (d *directory) err() error {
	if len(d.unknownP) == 0 && len(d.unknownO) == 0 {
		return nil
	}
	var parts []string
	if len(d.unknownP) > 0 {
		ids := make([]string, 0, len(d.unknownP))
		for id := range d.unknownP {
			ids = append(ids, string(id))
		}
		parts = append(parts, unknownList(len(ids), "participant", ids))
	}
	if len(d.unknownO) > 0 {
		ids := make([]string, 0, len(d.unknownO))
		for id := range d.unknownO {
			ids = append(ids, string(id))
		}
		parts = append(parts, unknownList(len(ids), "organisation", ids))
	}
	return fmt.Errorf("%s not in the directory; add their names and email addresses: %w", strings.Join(parts, " and "), program.ErrInvalid)
}

func unknownList(n int, what string, ids []string) string {
	slices.Sort(ids)
	more := ""
	if len(ids) > 5 {
		ids, more = ids[:5], fmt.Sprintf(" and %d more", len(ids)-5)
	}
	if n != 1 {
		what += "s"
	}
	return fmt.Sprintf("%d %s (%q%s)", n, what, ids, more)
}
