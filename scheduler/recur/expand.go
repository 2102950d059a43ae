package recur

import (
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// Occurrence is one run of a rule.
type Occurrence struct {
	// Start and End are instants in UTC, which is how the store keeps them;
	// End is Start plus the rule's Duration.
	Start, End time.Time
	// Local is Start in the rule's zone, for display and for the date the
	// occurrence falls on there.
	Local time.Time
	// Shifted reports that the nominal local time did not exist (clocks
	// sprang forward over it) and the occurrence was moved to the end of the
	// gap, so a calendar can say so.
	Shifted bool
}

// Occurrences returns the rule's occurrences that start in [from, to), in
// order, each once, with the daylight-saving rule and the modifiers of the
// package doc applied; "every N" counts from the first occurrence at or
// after from. It returns an error wrapping program.ErrInvalid when to is
// before from, the rule is the zero Rule or Duration is negative, and one
// wrapping ErrTooMany when more than MaxOccurrences candidate times lie in
// the window. The cron library looks at most five years past each
// occurrence, so a rule whose runs are further apart (29 February across
// 2100) ends there.
func (r Rule) Occurrences(from, to time.Time) ([]Occurrence, error) {
	if r.loc == nil {
		return nil, fmt.Errorf("recur: the zero Rule has no schedule: build rules with Parse: %w", program.ErrInvalid)
	}
	if to.Before(from) {
		return nil, fmt.Errorf("recur: rule %q: window ends at %s, before it starts at %s: give an end at or after the start: %w",
			r, to.Format(time.RFC3339), from.Format(time.RFC3339), program.ErrInvalid)
	}
	if r.Duration < 0 {
		return nil, fmt.Errorf("recur: rule %q: duration %s is negative: give zero or more: %w", r, r.Duration, program.ErrInvalid)
	}
	every := r.Every()
	var out []Occurrence
	// The search runs on wall-clock time: floating holds a local time of
	// day in the rule's zone written as if it were UTC, where Next never
	// meets a clock change. Start one second early because Next is strictly
	// after its argument.
	after := wallClock(from.In(r.loc)).Truncate(time.Minute).Add(-time.Second)
	var last time.Time
	kept, candidates := 0, 0
	for {
		floating := r.sched.Next(after)
		if floating.IsZero() {
			break
		}
		// Rules fire on whole minutes (the seconds field is always 0), so
		// the next candidate is a minute on at least: asking Next from the
		// minute's last second spares it stepping through 59 seconds.
		after = floating.Add(time.Minute - time.Second)
		start, shifted := resolve(floating, r.loc)
		if !start.Before(to) {
			break
		}
		if start.Before(from) || (!last.IsZero() && start.Equal(last)) {
			continue
		}
		if candidates++; candidates > MaxOccurrences {
			return nil, fmt.Errorf("recur: rule %q fires more than %d times from %s to %s: narrow the window or the spec: %w: %w",
				r, MaxOccurrences, from.Format(time.RFC3339), to.Format(time.RFC3339), ErrTooMany, program.ErrInvalid)
		}
		last = start
		if !r.dayKept(floating) {
			continue
		}
		kept++
		if (kept-1)%every != 0 {
			continue
		}
		start = start.UTC()
		out = append(out, Occurrence{Start: start, End: start.Add(r.Duration), Local: start.In(r.loc), Shifted: shifted})
	}
	return out, nil
}

// OccurrencesIn returns the occurrences on the dates of w, read in the
// rule's zone: from midnight starting w.From to midnight ending w.To. Both
// ends must be set, since an open window has no last occurrence.
func (r Rule) OccurrencesIn(w program.Window) ([]Occurrence, error) {
	if r.loc == nil {
		return nil, fmt.Errorf("recur: the zero Rule has no schedule: build rules with Parse: %w", program.ErrInvalid)
	}
	if w.From.IsZero() || w.To.IsZero() {
		return nil, fmt.Errorf("recur: rule %q: window %s..%s is open: give both a first and a last date: %w", r, w.From, w.To, program.ErrInvalid)
	}
	if !w.Ordered() {
		return nil, fmt.Errorf("recur: rule %q: window ends on %s, before it starts on %s: give a last date on or after the first: %w",
			r, w.To, w.From, program.ErrInvalid)
	}
	return r.Occurrences(w.From.In(r.loc), w.To.AddDays(1).In(r.loc))
}

// dayKept applies the day-of-month modifiers to a nominal local time.
func (r Rule) dayKept(wall time.Time) bool {
	day := wall.Day()
	dim := daysIn(wall.Year(), wall.Month())
	switch {
	case r.nth > 0 && (day-1)/7+1 != r.nth:
		return false
	case r.nth < 0 && day+7 <= dim:
		return false
	}
	switch r.days {
	case firstWeekday:
		// The first Monday–Friday is the 1st unless the month starts on a
		// weekend: then the Monday after, the 2nd or the 3rd.
		return isWeekday(wall) && (day == 1 || day <= 3 && wall.Weekday() == time.Monday)
	case lastWeekday:
		return isWeekday(wall) && (day == dim || day >= dim-2 && wall.Weekday() == time.Friday)
	}
	return true
}

func isWeekday(t time.Time) bool {
	return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// wallClock returns t's local date and time of day in its own zone as the
// same reading in UTC.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), time.UTC)
}

// span bounds the search for the instants that read as a wall-clock time:
// UTC offsets lie within ±14 hours, so any such instant is within 14 hours
// of the reading taken as UTC; 26 hours leaves room for the offset change.
const span = 26 * time.Hour

// At returns the instant at which the local date and time of day happen in
// loc, by the package's rule for clock changes: the reading itself when it
// happens once, its first occurrence when it happens twice, and the instant
// the clocks jump over it when it does not happen (shifted is then true).
// Layouts that move an occurrence to another day use it, so that a moved
// run reads its local time exactly as a nominal one does.
func At(year int, month time.Month, day, hour, min, sec int, loc *time.Location) (t time.Time, shifted bool) {
	return resolve(time.Date(year, month, day, hour, min, sec, 0, time.UTC), loc)
}

// resolve returns the instant at which the wall-clock reading wall (written
// in UTC) happens in loc, by the package's rule: the reading itself when it
// happens once, its first occurrence when it happens twice, and the instant
// the clocks jump over it when it does not happen (shifted is then true).
// time.Date leaves both cases unspecified, so the zone's periods are walked
// here with ZoneBounds.
func resolve(wall time.Time, loc *time.Location) (t time.Time, shifted bool) {
	at := wall.Add(-span).In(loc)
	end := wall.Add(span)
	prevOffset := 0
	first := true
	for {
		_, offset := at.Zone()
		startPeriod, endPeriod := at.ZoneBounds()
		if !first && !startPeriod.IsZero() {
			// The clocks jumped at startPeriod from prevOffset to offset: a
			// reading between the two sides of the jump does not exist.
			before := startPeriod.Add(time.Duration(prevOffset) * time.Second)
			after := startPeriod.Add(time.Duration(offset) * time.Second)
			if !wall.Before(before) && wall.Before(after) {
				return startPeriod, true
			}
		}
		u := wall.Add(-time.Duration(offset) * time.Second)
		if !u.Before(startPeriod) && (endPeriod.IsZero() || u.Before(endPeriod)) {
			return u.In(loc), false // the earliest period holding the reading wins
		}
		if endPeriod.IsZero() || endPeriod.After(end) {
			break
		}
		prevOffset, first = offset, false
		at = endPeriod.In(loc)
	}
	// Unreachable for real zone data: every reading either happens or falls
	// in a jump. Fall back on the offset in force at the reading.
	_, offset := wall.In(loc).Zone()
	return wall.Add(-time.Duration(offset) * time.Second).In(loc), false
}
