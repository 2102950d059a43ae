package ical

import (
	"fmt"
	"strconv"
	"time"

	goical "github.com/emersion/go-ical"
)

// zoneHorizon is how far past the calendar's last instant the zone's
// transitions are read. Two years give every yearly transition at least two
// occurrences, which is what it takes to recognise a yearly rule, and cover
// an endless series' first years exactly even when the rule is not regular.
const zoneHorizon = 2

// transition is one change of a zone's offset, name or daylight-saving flag.
type transition struct {
	at      time.Time // the instant of the change
	from    int       // offset before, in seconds east of UTC
	to      int       // offset after
	name    string    // abbreviation after, e.g. "CEST"
	dst     bool      // daylight-saving time after
	forever bool      // no change known before: the zone's first period
}

// transitions returns the transitions of loc from the one that began the
// period in force at from to the last one before horizon, in order.
func transitions(loc *time.Location, from, horizon time.Time) []transition {
	t := from.In(loc)
	start, next := t.ZoneBounds()
	name, off := t.Zone()
	first := transition{at: start, to: off, name: name, dst: t.IsDST()}
	if start.IsZero() {
		first.forever, first.from = true, off
	} else {
		_, first.from = start.Add(-time.Second).In(loc).Zone()
	}
	out := []transition{first}
	for !next.IsZero() && next.Before(horizon) {
		t = next.In(loc)
		name, off := t.Zone()
		out = append(out, transition{at: next, from: out[len(out)-1].to, to: off, name: name, dst: t.IsDST()})
		_, next = t.ZoneBounds()
	}
	return out
}

// timezone builds the VTIMEZONE of loc for a calendar whose instants lie in
// [from, to]; see the package doc.
func timezone(loc *time.Location, from, to time.Time) *goical.Component {
	horizon := to.AddDate(zoneHorizon, 0, 0)
	ts := transitions(loc, from, horizon)

	// Group the transitions by kind, in order of first appearance.
	type key struct {
		dst      bool
		from, to int
		name     string
	}
	groups := map[key][]transition{}
	var order []key
	for _, tr := range ts {
		k := key{tr.dst, tr.from, tr.to, tr.name}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], tr)
	}

	c := goical.NewComponent(goical.CompTimezone)
	c.Props.SetText(goical.PropTimezoneID, loc.String())
	for _, k := range order {
		g := groups[k]
		if byday, ok := yearlyRule(g); ok {
			obs := observance(g[0])
			last := g[len(g)-1]
			rule := fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%s", int(wall(last).Month()), byday)
			// A kind that stops before the horizon (the zone gave up
			// daylight-saving time, or changed its rule) ends with UNTIL.
			if last.at.AddDate(1, 0, 7).Before(horizon) {
				rule += ";UNTIL=" + last.at.UTC().Format("20060102T150405Z")
			}
			p := goical.NewProp(goical.PropRecurrenceRule)
			p.Value = rule
			obs.Props.Set(p)
			c.Children = append(c.Children, obs)
			continue
		}
		for _, tr := range g {
			c.Children = append(c.Children, observance(tr))
		}
	}
	return c
}

// observance is the STANDARD or DAYLIGHT component starting at tr.
func observance(tr transition) *goical.Component {
	name := goical.CompTimezoneStandard
	if tr.dst {
		name = goical.CompTimezoneDaylight
	}
	o := goical.NewComponent(name)
	start := goical.NewProp(goical.PropDateTimeStart)
	if tr.forever {
		// The zone has had this offset as far back as its data goes; the
		// customary start for "always" (Outlook writes the same).
		start.Value = "16010101T000000"
	} else {
		start.Value = wall(tr).Format("20060102T150405")
	}
	o.Props.Set(start)
	for _, p := range []struct {
		name string
		off  int
	}{{goical.PropTimezoneOffsetFrom, tr.from}, {goical.PropTimezoneOffsetTo, tr.to}} {
		prop := goical.NewProp(p.name)
		prop.Value = offset(p.off)
		o.Props.Set(prop)
	}
	o.Props.SetText(goical.PropTimezoneName, tr.name)
	return o
}

// wall is the local time of a transition on the clock before it, which is
// how RFC 5545 writes an observance's DTSTART.
func wall(tr transition) time.Time {
	return tr.at.In(time.FixedZone("", tr.from))
}

// offset writes seconds east of UTC as RFC 5545's UTC-OFFSET, ±HHMM[SS].
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// yearlyRule reports whether the transitions fall in consecutive years on
// one weekday rule — same month, weekday and clock time, and the same
// ordinal of that weekday in the month — and returns the rule's BYDAY.
func yearlyRule(g []transition) (string, bool) {
	if len(g) < 2 || g[0].forever {
		return "", false
	}
	w0 := wall(g[0])
	fromEnd, nth := ordinals(w0)
	sameEnd, sameNth := true, true
	for i, tr := range g[1:] {
		w := wall(tr)
		if w.Year() != wall(g[i]).Year()+1 || w.Month() != w0.Month() || w.Weekday() != w0.Weekday() ||
			w.Hour() != w0.Hour() || w.Minute() != w0.Minute() || w.Second() != w0.Second() {
			return "", false
		}
		e, n := ordinals(w)
		sameEnd = sameEnd && e == fromEnd
		sameNth = sameNth && n == nth
	}
	day := [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}[w0.Weekday()]
	switch {
	case sameEnd && fromEnd == -1:
		return "-1" + day, true
	case sameNth:
		return strconv.Itoa(nth) + day, true
	case sameEnd:
		return strconv.Itoa(fromEnd) + day, true
	}
	return "", false
}

// ordinals returns which weekday of its kind t's day is in its month,
// counted from the end (-1 for the last) and from the start (1 for the first).
func ordinals(t time.Time) (fromEnd, nth int) {
	days := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return -((days-t.Day())/7 + 1), (t.Day()-1)/7 + 1
}
