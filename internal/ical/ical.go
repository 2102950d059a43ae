package ical

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	"github.com/khidi/khidi/internal/program"
)

// Method is the iTIP method of a calendar (RFC 5546): what the receiving
// calendar program is asked to do with it.
type Method string

// The methods khidi writes.
const (
	// MethodPublish is a feed: the events as they stand, for subscription.
	MethodPublish Method = "PUBLISH"
	// MethodRequest invites the attendees to an event or an updated one.
	MethodRequest Method = "REQUEST"
	// MethodCancel tells the attendees that an event no longer takes place.
	MethodCancel Method = "CANCEL"
)

// DefaultProdID is the PRODID written when Options.ProdID is empty.
const DefaultProdID = "-//khidi//khidi calendar//EN"

// Options says how a calendar is written.
type Options struct {
	// Method is METHOD; empty means MethodPublish.
	Method Method
	// Stamp is DTSTAMP of every event: when the calendar was made. Required,
	// since the package reads no clock.
	Stamp time.Time
	// Name is the calendar's display name (X-WR-CALNAME); empty for none.
	Name string
	// ProdID is PRODID; empty means DefaultProdID.
	ProdID string
	// Organizer is ORGANIZER of every event; Email may be empty in a feed,
	// not in an invitation.
	Organizer program.Attendee
	// Attendees writes ATTENDEE lines in a PUBLISH calendar too (they are
	// always written in REQUEST and CANCEL).
	Attendees bool
	// Alarm, when positive, is how long before each event not cancelled
	// its calendar program reminds the attendee (a VALARM that displays the
	// summary); rounded down to the minute. Zero writes no alarm.
	Alarm time.Duration
}

// Entry is one event to write and how: once, or as a recurring series whose
// first occurrence is Event.
type Entry struct {
	Event program.Event
	// Cancelled marks the event (or the whole series) STATUS:CANCELLED.
	Cancelled bool
	// RRule is an RFC 5545 recurrence rule value such as
	// "FREQ=WEEKLY;UNTIL=20271231T235959Z" (an "RRULE:" prefix is allowed);
	// empty for a one-off event. UNTIL must be in UTC, as RFC 5545 requires
	// with a zoned DTSTART.
	RRule string
	// ExDates are the starts of the occurrences the series skips (holidays,
	// for example), as instants in any location; they are written in the
	// series' zone. Only with RRule.
	ExDates []time.Time
	// RDates are starts the series has besides its rule's, each lasting as
	// long as Event: an occurrence moved off a holiday is an EXDATE at its
	// nominal start plus an RDATE at its new one. Only with RRule.
	RDates []time.Time
}

// Write writes one VCALENDAR holding entries to w. It checks every entry
// first and reports every problem at once as a program.ErrorList (each
// *program.InputError names the event's UID and field and unwraps to
// program.ErrInvalid), writing nothing then. Errors from w are returned as
// they are.
func Write(w io.Writer, entries []Entry, opts Options) error {
	cal, err := build(entries, opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := goical.NewEncoder(&buf).Encode(cal); err != nil {
		return fmt.Errorf("ical: encode: %w", err)
	}
	_, err = w.Write(fold(buf.Bytes()))
	return err
}

// zoned is an entry with its zone loaded.
type zoned struct {
	Entry
	loc   *time.Location
	rrule string
}

func build(entries []Entry, opts Options) (*goical.Calendar, error) {
	var errs program.ErrorList
	add := func(uid, field, msg, hint string) {
		errs = append(errs, &program.InputError{ID: uid, Field: field, Msg: msg, Hint: hint})
	}
	locations := zoneCache{}
	method := opts.Method
	if method == "" {
		method = MethodPublish
	}
	switch method {
	case MethodPublish, MethodRequest, MethodCancel:
	default:
		add("", "method", fmt.Sprintf("unknown method %q", method), "use PUBLISH, REQUEST or CANCEL")
	}
	invite := method == MethodRequest || method == MethodCancel
	if opts.Stamp.IsZero() {
		add("", "stamp", "no DTSTAMP", "pass the time the calendar is made in Options.Stamp")
	}
	if opts.Organizer.Email != "" && !validEmail(opts.Organizer.Email) {
		add("", "organizer", fmt.Sprintf("%q is not an email address", opts.Organizer.Email), "give a plain address such as office@example.org")
	}
	if invite && opts.Organizer.Email == "" {
		add("", "organizer", "an invitation needs an organizer", "set Options.Organizer.Email")
	}
	if invite && len(entries) == 0 {
		add("", "events", "an invitation needs an event", "pass the event to send")
	}

	var items []zoned
	seen := map[string]bool{}
	for _, e := range entries {
		ev := e.Event
		uid := ev.UID
		if uid == "" {
			add(strconv.FormatInt(int64(ev.ID), 10), "uid", "event has no UID", "give every event a stable UID")
		} else if seen[uid] {
			add(uid, "uid", "two events with the same UID", "write a series once, with RRULE")
		} else if invite && len(seen) > 0 {
			add(uid, "uid", fmt.Sprintf("an invitation (METHOD:%s) carries one event, and this is a second", method), "send one invitation per event")
		}
		seen[uid] = true
		if strings.ContainsAny(uid, "\r\n") {
			add(uid, "uid", "UID contains a line break", "use a UID without control characters")
		}
		if ev.Start.IsZero() || ev.End.IsZero() {
			add(uid, "start", "event has no start or no end", "set both Start and End")
		} else if !ev.End.After(ev.Start) {
			add(uid, "end", fmt.Sprintf("end %s is not after start %s", ev.End.Format(time.RFC3339), ev.Start.Format(time.RFC3339)), "make End later than Start")
		}
		if ev.Sequence < 0 {
			add(uid, "sequence", fmt.Sprintf("sequence %d is negative", ev.Sequence), "start sequences at 0")
		}
		loc, err := locations.load(ev.Zone)
		if err != nil {
			add(uid, "zone", fmt.Sprintf("unknown zone %q", ev.Zone), "use an IANA zone name such as Asia/Tbilisi or Europe/Warsaw")
			continue
		}
		for _, a := range ev.Attendees {
			if !validEmail(a.Email) {
				add(uid, "attendees", fmt.Sprintf("%q is not an email address", a.Email), "fix or remove the attendee")
			}
		}
		if invite && len(ev.Attendees) == 0 {
			add(uid, "attendees", "an invitation needs an attendee", "add the people to invite")
		}
		z := zoned{Entry: e, loc: loc, rrule: strings.TrimPrefix(strings.TrimSpace(e.RRule), "RRULE:")}
		if z.rrule == "" {
			if len(e.ExDates) > 0 {
				add(uid, "exdates", "EXDATE without RRULE", "give the series' RRULE or drop the skipped dates")
			}
			if len(e.RDates) > 0 {
				add(uid, "rdates", "RDATE without RRULE", "give the series' RRULE or write the extra dates as events")
			}
		} else if msg, hint := checkRRule(z); msg != "" {
			add(uid, "rrule", msg, hint)
		}
		items = append(items, z)
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	slices.SortStableFunc(items, func(a, b zoned) int {
		return cmp.Or(a.Event.Start.Compare(b.Event.Start), strings.Compare(a.Event.UID, b.Event.UID))
	})

	cal := goical.NewCalendar()
	cal.Props.SetText(goical.PropVersion, "2.0")
	cal.Props.SetText(goical.PropProductID, cmp.Or(opts.ProdID, DefaultProdID))
	cal.Props.SetText(goical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(goical.PropMethod, string(method))
	if opts.Name != "" {
		p := goical.NewProp("X-WR-CALNAME")
		p.SetText(cleanText(opts.Name))
		p.Params.Del(goical.ParamValue) // TEXT is what clients assume
		cal.Props.Set(p)
	}

	// One VTIMEZONE per zone used, over the span of every event in it.
	spans := map[string]*span{}
	var zones []string
	for _, it := range items {
		if it.loc == time.UTC {
			continue
		}
		name := it.loc.String()
		s, ok := spans[name]
		if !ok {
			s = &span{loc: it.loc, from: it.Event.Start, to: it.Event.End}
			spans[name] = s
			zones = append(zones, name)
		}
		s.include(it.Event.Start, it.Event.End)
		if it.rrule != "" {
			s.include(it.Event.Start, seriesEnd(it))
			for _, d := range it.RDates {
				s.include(d, d.Add(it.Event.End.Sub(it.Event.Start)))
			}
		}
	}
	if len(items) == 0 {
		// RFC 5545 wants a calendar to hold a component, and go-ical
		// refuses to write one without; a feed of someone with no events
		// yet holds the programme's zone, so it is still a calendar that
		// applications subscribe to.
		loc, err := locations.load(program.DefaultTimeZone)
		if err != nil {
			return nil, fmt.Errorf("ical: %w", err)
		}
		spans[loc.String()] = &span{loc: loc, from: opts.Stamp, to: opts.Stamp}
		zones = append(zones, loc.String())
	}
	slices.Sort(zones)
	for _, name := range zones {
		s := spans[name]
		cal.Children = append(cal.Children, timezone(s.loc, s.from, s.to))
	}

	for _, it := range items {
		cal.Children = append(cal.Children, vevent(it, method, opts))
	}
	return cal, nil
}

func vevent(it zoned, method Method, opts Options) *goical.Component {
	ev := it.Event
	c := goical.NewComponent(goical.CompEvent)
	c.Props.SetText(goical.PropUID, ev.UID)
	c.Props.SetDateTime(goical.PropDateTimeStamp, opts.Stamp.UTC())
	setLocal(c, goical.PropDateTimeStart, ev.Start, it.loc)
	setLocal(c, goical.PropDateTimeEnd, ev.End, it.loc)
	seq := goical.NewProp(goical.PropSequence)
	seq.Value = strconv.Itoa(ev.Sequence)
	c.Props.Set(seq)
	c.Props.SetText(goical.PropSummary, cleanText(ev.Title))
	if ev.Location != "" {
		c.Props.SetText(goical.PropLocation, cleanText(ev.Location))
	}
	status := goical.EventConfirmed
	if it.Cancelled || method == MethodCancel {
		status = goical.EventCancelled
	}
	c.Props.SetText(goical.PropStatus, string(status))
	if it.rrule != "" {
		r := goical.NewProp(goical.PropRecurrenceRule)
		r.Value = it.rrule
		c.Props.Set(r)
		addDates(c, goical.PropExceptionDates, it.ExDates, it.loc)
		addDates(c, goical.PropRecurrenceDates, it.RDates, it.loc)
	}
	if opts.Alarm >= time.Minute && status != goical.EventCancelled {
		c.Children = append(c.Children, valarm(ev.Title, opts.Alarm))
	}
	if opts.Organizer.Email != "" {
		p := goical.NewProp(goical.PropOrganizer)
		p.Value = "mailto:" + opts.Organizer.Email
		if cn := cleanParam(opts.Organizer.Name); cn != "" {
			p.Params.Set(goical.ParamCommonName, cn)
		}
		c.Props.Set(p)
	}
	if method != MethodPublish || opts.Attendees {
		for _, a := range ev.Attendees {
			p := goical.NewProp(goical.PropAttendee)
			p.Value = "mailto:" + a.Email
			if cn := cleanParam(a.Name); cn != "" {
				p.Params.Set(goical.ParamCommonName, cn)
			}
			p.Params.Set(goical.ParamRole, "REQ-PARTICIPANT")
			p.Params.Set(goical.ParamParticipationStatus, "NEEDS-ACTION")
			p.Params.Set(goical.ParamRSVP, "TRUE")
			c.Props.Add(p)
		}
	}
	return c
}

// valarm returns a reminder of the event titled title, before its start
// by lead: TRIGGER as an RFC 5545 duration in whole days ("-P1D") or hours
// and minutes ("-PT2H30M"), since a number of seconds is what calendar
// programs show least well.
func valarm(title string, lead time.Duration) *goical.Component {
	a := goical.NewComponent(goical.CompAlarm)
	a.Props.SetText(goical.PropAction, "DISPLAY")
	a.Props.SetText(goical.PropDescription, cleanText(title))
	mins := int64(lead / time.Minute)
	trigger := "-P"
	if mins%(24*60) == 0 {
		trigger += strconv.FormatInt(mins/(24*60), 10) + "D"
	} else {
		trigger += "T"
		if h := mins / 60; h > 0 {
			trigger += strconv.FormatInt(h, 10) + "H"
		}
		if m := mins % 60; m > 0 {
			trigger += strconv.FormatInt(m, 10) + "M"
		}
	}
	p := goical.NewProp(goical.PropTrigger)
	p.Value = trigger
	a.Props.Set(p)
	return a
}

// addDates adds one DATE-TIME property called name per distinct instant of
// ts, in order, in loc.
func addDates(c *goical.Component, name string, ts []time.Time, loc *time.Location) {
	ts = slices.Clone(ts)
	slices.SortFunc(ts, time.Time.Compare)
	for i, d := range ts {
		if i > 0 && d.Equal(ts[i-1]) {
			continue
		}
		p := goical.NewProp(name)
		setLocalProp(p, d, loc)
		c.Props.Add(p)
	}
}

// setLocal sets a DATE-TIME property to t as wall-clock time in loc, with
// TZID, or in UTC with a trailing Z when loc is UTC.
func setLocal(c *goical.Component, name string, t time.Time, loc *time.Location) {
	p := goical.NewProp(name)
	setLocalProp(p, t, loc)
	c.Props.Set(p)
}

func setLocalProp(p *goical.Prop, t time.Time, loc *time.Location) {
	if loc == time.UTC {
		p.Value = t.UTC().Format("20060102T150405Z")
		return
	}
	p.Params.Set(goical.PropTimezoneID, loc.String())
	p.Value = t.In(loc).Format("20060102T150405")
}

// loadZone loads an IANA zone; "UTC" (and "Etc/UTC", "Z"-less spellings Go
// maps to time.UTC) gives time.UTC, written with a trailing Z.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("ical: zone %q not allowed", name)
	}
	return time.LoadLocation(name)
}

// zoneCache loads each zone once: time.LoadLocation reads and parses the
// zone's file every time, and a calendar's events share a few zones.
type zoneCache map[string]*time.Location

// load returns loadZone(name), from the cache when it was loaded before.
func (c zoneCache) load(name string) (*time.Location, error) {
	if loc, ok := c[name]; ok {
		return loc, nil
	}
	loc, err := loadZone(name)
	if err == nil {
		c[name] = loc
	}
	return loc, err
}

// checkRRule parses the series' rule and checks what RFC 5545 requires of it
// with a zoned start; it returns what is wrong and what to do, or "".
func checkRRule(z zoned) (msg, hint string) {
	opt, err := rrule.StrToROption(z.rrule)
	if err != nil {
		return fmt.Sprintf("RRULE %q: %v", z.RRule, err), "write an RFC 5545 rule such as FREQ=WEEKLY;UNTIL=20271231T235959Z"
	}
	for part := range strings.SplitSeq(z.rrule, ";") {
		if v, ok := strings.CutPrefix(part, "UNTIL="); ok && !strings.HasSuffix(v, "Z") {
			return fmt.Sprintf("RRULE UNTIL %q is not in UTC", v), "write UNTIL in UTC with a trailing Z, e.g. UNTIL=20271231T235959Z"
		}
	}
	// An EXDATE that is not exactly an occurrence is silently ignored by
	// calendar programs, so check the clock time where the rule keeps one.
	sameClock := opt.Freq <= rrule.DAILY && len(opt.Byhour) == 0 && len(opt.Byminute) == 0 && len(opt.Bysecond) == 0
	start := z.Event.Start.In(z.loc)
	for _, d := range z.ExDates {
		local := d.In(z.loc)
		if local.Before(start) {
			return fmt.Sprintf("EXDATE %s is before the series starts (%s)", local.Format(time.RFC3339), start.Format(time.RFC3339)), "remove it"
		}
		if sameClock && (local.Hour() != start.Hour() || local.Minute() != start.Minute() || local.Second() != start.Second()) {
			return fmt.Sprintf("EXDATE %s is not at the series' start time %s in %s", local.Format(time.RFC3339), start.Format("15:04:05"), z.loc), "give the start of the skipped occurrence, not the date's midnight"
		}
	}
	return "", ""
}

// seriesEnd is the last instant the series reaches, for the VTIMEZONE span:
// its UNTIL, its COUNT-th occurrence, or for an endless series the first
// start (timezone then adds its own two years).
func seriesEnd(z zoned) time.Time {
	opt, err := rrule.StrToROption(z.rrule)
	// An endless rule, or a count no programme has (the expansion would be
	// slow), is left to timezone's horizon.
	if err != nil || (opt.Until.IsZero() && opt.Count == 0) || opt.Count > maxCount {
		return z.Event.End
	}
	opt.Dtstart = z.Event.Start.In(z.loc)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return z.Event.End
	}
	all := r.All() // bounded by UNTIL or COUNT

	if len(all) == 0 {
		return z.Event.End
	}
	return all[len(all)-1].Add(z.Event.End.Sub(z.Event.Start))
}

// maxCount is the largest COUNT whose last occurrence seriesEnd computes: a
// daily series over ten years.
const maxCount = 3660

type span struct {
	loc      *time.Location
	from, to time.Time
}

func (s *span) include(from, to time.Time) {
	if from.Before(s.from) {
		s.from = from
	}
	if to.After(s.to) {
		s.to = to
	}
}

// cleanText makes s fit an RFC 5545 TEXT value: line breaks become "\n"
// (which go-ical escapes), other control characters are dropped.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f) {
			return r
		}
		return -1
	}, s)
}

// cleanParam makes s fit a parameter value, which may hold neither double
// quotes nor control characters (RFC 5545 §3.1: QSAFE-CHAR); quotes become
// apostrophes. go-ical quotes the value when it holds ',', ';' or ':'.
func cleanParam(s string) string {
	s = strings.ReplaceAll(s, `"`, "'")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// validEmail accepts a bare address, as mailto: needs.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && !strings.ContainsAny(s, " \t\r\n\"<>")
}
