// Package feed turns stored events into the entries of an iCalendar file:
// one entry per event, except that the sessions of a series (a study
// circle's weekly evenings) become one recurring entry, with an RRULE from
// the series' cron rule, an EXDATE for each session not held where the rule
// put it (a holiday skipped, a session moved or cancelled) and an RDATE for
// each session held elsewhere. Calendar programs then show one series that
// can be edited as a whole rather than fifty separate evenings.
//
// A series is written so only when the result is exact: the rule must be
// one RFC 5545 can say (recur.Rule.RRule), its expansion by an independent
// RFC 5545 implementation must give the rule's own nominal starts, and the
// sessions must share title, place, zone, length and attendees. Otherwise
// the sessions are written one by one, which every calendar shows
// correctly too.
//
// [Register] serves these files over HTTP as calendar feeds, one per
// participant or organisation behind a secret token, with the validators
// that let calendar programs poll them cheaply.
package feed

import (
	"cmp"
	"slices"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/khidi/khidi/internal/ical"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/scheduler/recur"
)

// Entries returns the entries to write for events (any order; cancelled
// ones included, written STATUS:CANCELLED), ordered by start, then UID.
//
// A series entry has the series' UID and starts at its first nominal start.
// Its SEQUENCE is the sum of its sessions' sequences plus their number less
// one: each change to a session raises one session's sequence or adds a
// session, and sessions are never deleted, so the series' SEQUENCE rises on
// every change as RFC 5545 requires. It is cancelled when every session is.
func Entries(events []program.Event) []ical.Entry {
	var out []ical.Entry
	series := map[string][]program.Event{}
	var order []string
	for _, e := range events {
		if e.Series == "" {
			out = append(out, ical.Entry{Event: e, Cancelled: e.Cancelled()})
			continue
		}
		if _, ok := series[e.Series]; !ok {
			order = append(order, e.Series)
		}
		series[e.Series] = append(series[e.Series], e)
	}
	for _, uid := range order {
		sessions := series[uid]
		if entry, ok := seriesEntry(uid, sessions); ok {
			out = append(out, entry)
			continue
		}
		for _, e := range sessions {
			out = append(out, ical.Entry{Event: e, Cancelled: e.Cancelled()})
		}
	}
	slices.SortFunc(out, func(a, b ical.Entry) int {
		return cmp.Or(a.Event.Start.Compare(b.Event.Start), cmp.Compare(a.Event.UID, b.Event.UID))
	})
	return out
}

// seriesEntry writes the sessions of series uid as one recurring entry, or
// reports false when that would not be exact.
func seriesEntry(uid string, sessions []program.Event) (ical.Entry, bool) {
	slices.SortFunc(sessions, func(a, b program.Event) int { return a.Nominal.Compare(b.Nominal) })
	first := sessions[0]
	length := first.End.Sub(first.Start)
	for _, s := range sessions[1:] {
		if s.Title != first.Title || s.Location != first.Location || s.Zone != first.Zone || s.Kind != first.Kind ||
			s.SourceRule != first.SourceRule || s.End.Sub(s.Start) != length || !slices.Equal(s.Attendees, first.Attendees) {
			return ical.Entry{}, false
		}
	}
	loc, err := time.LoadLocation(first.Zone)
	if err != nil {
		return ical.Entry{}, false
	}
	rule, err := recur.Parse(first.SourceRule, loc)
	if err != nil {
		return ical.Entry{}, false
	}
	rr, ok := rule.RRule()
	if !ok {
		return ical.Entry{}, false
	}
	begin, last := first.Nominal, sessions[len(sessions)-1].Nominal
	nominal, err := rule.Occurrences(begin, last.Add(time.Second))
	if err != nil || len(nominal) == 0 || !nominal[0].Start.Equal(begin) {
		return ical.Entry{}, false
	}
	rr += ";UNTIL=" + last.UTC().Format("20060102T150405Z")
	if !expandsTo(rr, begin.In(loc), last, nominal) {
		return ical.Entry{}, false
	}

	// Sessions held where the rule put them are the rule's; every other
	// nominal start is an EXDATE, every session held elsewhere an RDATE.
	isNominal := map[int64]bool{}
	for _, o := range nominal {
		isNominal[o.Start.Unix()] = true
	}
	held := map[int64]bool{}
	var rdates []time.Time
	seq, cancelled := len(sessions)-1, true
	for _, s := range sessions {
		seq += s.Sequence
		if s.Cancelled() {
			continue
		}
		cancelled = false
		if s.Start.Equal(s.Nominal) && isNominal[s.Start.Unix()] {
			held[s.Start.Unix()] = true
		} else {
			rdates = append(rdates, s.Start)
		}
	}
	// A recurrence set holds each start once: a session moved onto another
	// one's start would merge with it.
	extra := map[int64]bool{}
	for _, d := range rdates {
		if held[d.Unix()] || extra[d.Unix()] {
			return ical.Entry{}, false
		}
		extra[d.Unix()] = true
	}
	var exdates []time.Time
	for _, o := range nominal {
		if !held[o.Start.Unix()] {
			exdates = append(exdates, o.Start)
		}
	}
	master := first
	master.ID, master.UID, master.Sequence = 0, uid, seq
	master.Start, master.End = begin, begin.Add(length)
	master.Status = program.EventScheduled
	if cancelled {
		master.Status = program.EventCancelled
		exdates = nil // the whole series is off
	}
	master.Nominal, master.Series = time.Time{}, ""
	return ical.Entry{Event: master, Cancelled: cancelled, RRule: rr, ExDates: exdates, RDates: rdates}, true
}

// expandsTo reports whether the RFC 5545 rule rr from dtstart (local, in
// the series' zone) up to last gives exactly the starts of nominal.
func expandsTo(rr string, dtstart, last time.Time, nominal []recur.Occurrence) bool {
	opt, err := rrule.StrToROption(rr)
	if err != nil {
		return false
	}
	opt.Dtstart = dtstart
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return false
	}
	got := r.Between(dtstart, last, true)
	if len(got) != len(nominal) {
		return false
	}
	for i, g := range got {
		if !g.Equal(nominal[i].Start) {
			return false
		}
	}
	return true
}
