package scheduler

import (
	"errors"
	"fmt"
	"slices"

	"github.com/khidi/khidi/internal/program"
)

// Internship asks for a period of Days consecutive calendar days inside both
// the intern's and the host's availability.
type Internship struct {
	ID   string // the match or participant id, used in reports
	Days int    // length of the period, ≥ 1
	// Intern and Host are availability windows; an empty list means always
	// available. Touching or overlapping windows of one list count as one
	// stretch, so a period may run from one into the next.
	Intern []program.Window
	Host   []program.Window
	// Preferred, when set, asks for the start closest to it (the earlier
	// of two equally close); otherwise the earliest start is taken.
	Preferred program.Date
	// Previous is the start the previous layout gave; zero when none. It is
	// kept whenever it is still an allowed start, before Preferred or the
	// earliest start is considered.
	Previous program.Date
}

// PlacedInternship is an internship with its period, both ends inclusive.
type PlacedInternship struct {
	ID         string
	Index      int // position in the input
	Start, End program.Date
	// Kept reports that Start is the internship's Previous start.
	Kept bool
}

// UnplacedInternship is an internship that could not be placed.
type UnplacedInternship struct {
	ID     string
	Index  int
	Reason string
}

// InternshipLayout is the result of PlaceInternships, in input order.
type InternshipLayout struct {
	Placed   []PlacedInternship
	Unplaced []UnplacedInternship
}

// PlaceInternship chooses the period of one internship inside horizon, the
// closed range of dates the programme schedules (usually its year).
//
// The period lies inside one stretch of the intern's availability, one of the
// host's, and the horizon. It starts on a working day (Monday to Friday) that
// blocked does not close: a first day on a weekend or holiday has nobody at
// the host to receive the intern. Later days may be holidays, as in any job.
// When Previous is an allowed start it is kept: intern and host have
// planned around it, and a re-run after a change elsewhere (a window that
// opened earlier, a blackout lifted, another Preferred day) should not move
// it. Otherwise, among the allowed starts it takes the earliest, or the
// closest to Preferred (ties to the earlier).
//
// When no start is allowed it returns an *UnplaceableError (ErrUnplaceable)
// saying why: the windows overlap by fewer days than asked (giving the
// longest overlap), or every start that fits is a weekend or blocked (naming
// the first blocked day and its reason). Bad input — Days < 1, a horizon
// with an open end, a window that ends before it starts — is an error
// wrapping program.ErrInvalid naming the internship.
func PlaceInternship(in Internship, horizon program.Window, blocked Blocked) (PlacedInternship, error) {
	if err := checkInternship(in, horizon); err != nil {
		return PlacedInternship{}, err
	}
	h := span{dayNumber(horizon.From), dayNumber(horizon.To)}
	common := intersect(stretches(in.Intern, h), stretches(in.Host, h))
	if !in.Previous.IsZero() {
		p := dayNumber(in.Previous)
		fits := slices.ContainsFunc(common, func(st span) bool { return st.from <= p && p+in.Days-1 <= st.to })
		if _, no := blocked.check(in.Previous); fits && isWorkingDay(p) && !no {
			kept := placedAt(in, p)
			kept.Kept = true
			return kept, nil
		}
	}

	longest := 0
	best, bestDist := -1, 0
	pref := 0
	if !in.Preferred.IsZero() {
		pref = dayNumber(in.Preferred)
	}
	firstBlocked, firstReason := -1, ""
	for _, st := range common {
		longest = max(longest, st.to-st.from+1)
		for s := st.from; s+in.Days-1 <= st.to; s++ {
			if !isWorkingDay(s) {
				continue
			}
			if reason, no := blocked.check(dateOfDay(s)); no {
				if firstBlocked < 0 {
					firstBlocked, firstReason = s, reason
				}
				continue
			}
			if in.Preferred.IsZero() {
				// Stretches are in date order, so the first start found is
				// the earliest.
				return placedAt(in, s), nil
			}
			if d := abs(s - pref); best < 0 || d < bestDist {
				best, bestDist = s, d
			}
		}
	}
	if best >= 0 {
		return placedAt(in, best), nil
	}
	var reason string
	switch {
	case longest < in.Days:
		reason = fmt.Sprintf("the intern's and host's windows overlap (within %s..%s) for at most %d days, fewer than the %d asked; widen a window or shorten the internship", horizon.From, horizon.To, longest, in.Days)
	case firstBlocked >= 0:
		reason = fmt.Sprintf("every start that fits falls on a weekend or a blocked day (first blocked: %s, %s); lift a blackout or widen a window", dateOfDay(firstBlocked), firstReason)
	default:
		reason = "every start that fits falls on a weekend; widen a window so that the period can start on a working day"
	}
	return PlacedInternship{}, &UnplaceableError{ID: in.ID, Reason: reason}
}

func placedAt(in Internship, s int) PlacedInternship {
	return PlacedInternship{ID: in.ID, Start: dateOfDay(s), End: dateOfDay(s + in.Days - 1)}
}

// PlaceInternships places each internship independently with
// PlaceInternship: an intern has one internship and a host's places were
// counted when the round was matched, so the periods do not compete. What
// cannot be placed goes to Unplaced with the reason; bad input stops the
// layout with PlaceInternship's error.
func PlaceInternships(ins []Internship, horizon program.Window, blocked Blocked) (*InternshipLayout, error) {
	out := &InternshipLayout{}
	for i, in := range ins {
		p, err := PlaceInternship(in, horizon, blocked)
		var ue *UnplaceableError
		switch {
		case err == nil:
			p.Index = i
			out.Placed = append(out.Placed, p)
		case errors.As(err, &ue):
			out.Unplaced = append(out.Unplaced, UnplacedInternship{ID: in.ID, Index: i, Reason: ue.Reason})
		default:
			return nil, err
		}
	}
	return out, nil
}

func checkInternship(in Internship, horizon program.Window) error {
	if in.Days < 1 {
		return fmt.Errorf("scheduler: internship %s: length %d days; give 1 or more: %w", in.ID, in.Days, program.ErrInvalid)
	}
	if horizon.From.IsZero() || horizon.To.IsZero() || !horizon.Ordered() {
		return fmt.Errorf("scheduler: internship %s: horizon %s..%s must have both ends, in order; give the programme's first and last day: %w", in.ID, horizon.From, horizon.To, program.ErrInvalid)
	}
	for k, ws := range [][]program.Window{in.Intern, in.Host} {
		for _, w := range ws {
			if !w.Ordered() {
				return fmt.Errorf("scheduler: internship %s: %s window %s..%s ends before it starts; swap or fix the dates: %w", in.ID, [2]string{"intern", "host"}[k], w.From, w.To, program.ErrInvalid)
			}
		}
	}
	return nil
}

// span is an inclusive range of day numbers.
type span struct{ from, to int }

// stretches clips windows to h, and merges those that overlap or touch, in
// date order. No windows means always available: h itself.
func stretches(ws []program.Window, h span) []span {
	if len(ws) == 0 {
		return []span{h}
	}
	var out []span
	for _, w := range ws {
		s := span{h.from, h.to}
		if !w.From.IsZero() {
			s.from = max(s.from, dayNumber(w.From))
		}
		if !w.To.IsZero() {
			s.to = min(s.to, dayNumber(w.To))
		}
		if s.from <= s.to {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.from - b.from })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.from <= merged[n-1].to+1 {
			merged[n-1].to = max(merged[n-1].to, s.to)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// intersect returns the days in both sorted, disjoint lists.
func intersect(a, b []span) []span {
	var out []span
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].from, b[j].from), min(a[i].to, b[j].to)
		if lo <= hi {
			out = append(out, span{lo, hi})
		}
		if a[i].to < b[j].to {
			i++
		} else {
			j++
		}
	}
	return out
}
