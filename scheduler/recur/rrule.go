package recur

import (
	"math/bits"
	"strconv"
	"strings"
)

// starBit is the bit robfig/cron sets in a field written "*" or "?"; the
// library does not export it. It decides whether day of month and day of
// week combine by AND (one of them starred) or by OR (neither).
const starBit = 1 << 63

// rruleDays are the RFC 5545 weekday names, by Go's (and cron's) numbering.
var rruleDays = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// RRule returns the RFC 5545 recurrence rule (without DTSTART, UNTIL or
// COUNT, and without the "RRULE:" prefix) that gives the same wall-clock
// times as r, when RFC 5545 can say it: then a calendar can hold a series
// as one event instead of one event per occurrence. It reports false for a
// rule it cannot say, such as one whose day of month and day of week
// combine by cron's OR, or an "every N" over a rule with more than one
// occurrence a week or a month.
//
// The translation covers the rule's wall-clock times only. Where r moves a
// local time that does not exist (see the package doc), RFC 5545 moves it
// differently, and "every N" counts from the first occurrence of a window
// while an RRULE counts from its DTSTART; so a caller that writes the rule
// must start it at an occurrence of r and should check the expansion of the
// result against Occurrences over the span it writes, as internal/feed does.
func (r Rule) RRule() (string, bool) {
	if r.loc == nil {
		return "", false
	}
	s := r.sched
	domStar, dowStar := s.Dom&starBit != 0, s.Dow&starBit != 0
	if !domStar && !dowStar {
		return "", false // cron's OR of the two day fields
	}
	seconds := setBits(s.Second, 0, 59)
	minutes := setBits(s.Minute, 0, 59)
	hours := setBits(s.Hour, 0, 23)
	doms := setBits(s.Dom, 1, 31)
	months := setBits(s.Month, 1, 12)
	dows := setBits(s.Dow, 0, 6)
	allDoms, allMonths, allDows := len(doms) == 31, len(months) == 12, len(dows) == 7
	oneTime := len(seconds) == 1 && len(minutes) == 1 && len(hours) == 1

	var parts []string
	add := func(name string, vals []int, pre string) {
		strs := make([]string, len(vals))
		for i, v := range vals {
			strs[i] = pre + strconv.Itoa(v)
		}
		parts = append(parts, name+"="+strings.Join(strs, ","))
	}
	byDay := func(prefix string) {
		names := make([]string, len(dows))
		for i, d := range dows {
			names[i] = prefix + rruleDays[d]
		}
		parts = append(parts, "BYDAY="+strings.Join(names, ","))
	}

	freq := "DAILY"
	switch {
	case r.days != noDayFilter:
		// The first or last Monday–Friday of the month, when cron's day
		// fields let every candidate through.
		if r.nth != 0 || !oneTime || !allMonths || !includes(dows, 1, 5) ||
			(r.days == firstWeekday && !includes(doms, 1, 3)) || (r.days == lastWeekday && !includes(doms, 26, 31)) {
			return "", false
		}
		freq = "MONTHLY"
		parts = append(parts, "BYDAY=MO,TU,WE,TH,FR")
		if r.days == firstWeekday {
			parts = append(parts, "BYSETPOS=1")
		} else {
			parts = append(parts, "BYSETPOS=-1")
		}
	case r.nth != 0:
		// The K-th given weekday of the month: BYDAY=2TU.
		if !allDoms {
			return "", false
		}
		freq = "MONTHLY"
		byDay(strconv.Itoa(r.nth))
		if !allMonths {
			add("BYMONTH", months, "")
		}
	default:
		if !allMonths {
			add("BYMONTH", months, "")
		}
		if !allDoms {
			add("BYMONTHDAY", doms, "")
		}
		if !allDows {
			byDay("")
		}
	}
	if r.Every() > 1 {
		// INTERVAL counts periods, "every N" counts occurrences: they agree
		// when there is one occurrence per period.
		switch {
		case !oneTime || !allMonths:
			return "", false
		case freq == "MONTHLY" && (r.days != noDayFilter || len(dows) == 1):
		case freq == "DAILY" && allDoms && len(dows) == 1:
			freq = "WEEKLY"
		case freq == "DAILY" && allDoms && allDows:
		case freq == "DAILY" && allDows && len(doms) == 1 && doms[0] <= 28:
			freq = "MONTHLY"
		default:
			return "", false
		}
		parts = append(parts, "INTERVAL="+strconv.Itoa(r.Every()))
	}
	add("BYHOUR", hours, "")
	add("BYMINUTE", minutes, "")
	if len(seconds) != 1 || seconds[0] != 0 {
		add("BYSECOND", seconds, "")
	}
	return "FREQ=" + freq + ";" + strings.Join(parts, ";"), true
}

// setBits lists the values from lo to hi whose bit is set in field.
func setBits(field uint64, lo, hi int) []int {
	field &^= starBit
	out := make([]int, 0, bits.OnesCount64(field))
	for v := lo; v <= hi; v++ {
		if field&(1<<v) != 0 {
			out = append(out, v)
		}
	}
	return out
}

// includes reports whether the sorted list vals holds every value from lo
// to hi.
func includes(vals []int, lo, hi int) bool {
	n := 0
	for _, v := range vals {
		if v >= lo && v <= hi {
			n++
		}
	}
	return n == hi-lo+1
}
