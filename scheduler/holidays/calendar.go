package holidays

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// Calendar is Georgia's public holidays together with blackout dates that
// the programme or an organisation adds: its own events, closing days, or
// days off the Government declares at short notice. The zero Calendar holds
// no blackouts and is ready to use.
//
// A Calendar answers the same whatever order its blackouts were added in.
// Reads may run concurrently; Add must not run concurrently with anything
// else on the same Calendar. Pass a Calendar by pointer: a copy shares its
// blackouts with the original, and an Add to either can show in both.
type Calendar struct {
	// blackouts is sorted by date, then name, without repeats: a sorted
	// slice rather than a map so that lookups are a binary search and
	// listing never depends on map order.
	blackouts []Holiday
}

// compareBlackouts orders blackouts by date, then by name.
func compareBlackouts(a, b Holiday) int {
	return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Name, b.Name))
}

// Add adds a blackout on d named name, the reason the scheduler will report
// for not using the day. Adding the same date and name again changes
// nothing. A date may carry several blackouts, and a blackout may fall on
// a public holiday; both are reported. Any real date is accepted, also
// outside FirstYear–LastYear.
//
// Add returns an error wrapping program.ErrInvalid if d is not a real
// calendar date or name is blank.
func (c *Calendar) Add(d program.Date, name string) error {
	if !d.Valid() {
		return fmt.Errorf("holidays: blackout %q: date %q does not exist; give a real date, YYYY-MM-DD: %w",
			name, d.String(), program.ErrInvalid)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("holidays: blackout on %s has no name; name it, since the scheduler reports it as the reason the day is taken: %w",
			d, program.ErrInvalid)
	}
	b := Holiday{Date: d, Name: name, Kind: Blackout}
	i, found := slices.BinarySearchFunc(c.blackouts, b, compareBlackouts)
	if !found {
		c.blackouts = slices.Insert(c.blackouts, i, b)
	}
	return nil
}

// On returns everything that takes d: the public holidays first, in the
// Labour Code's order, then the blackouts, by name. It returns none when d
// is free. Outside FirstYear–LastYear only blackouts are known.
func (c *Calendar) On(d program.Date) []Holiday {
	out := On(d)
	i, _ := slices.BinarySearchFunc(c.blackouts, Holiday{Date: d}, compareBlackouts)
	for ; i < len(c.blackouts) && c.blackouts[i].Date == d; i++ {
		out = append(out, c.blackouts[i])
	}
	return out
}

// Blocked reports whether d is taken by a public holiday or a blackout and,
// if so, names what takes it; several names are joined with "; " in the
// order On gives. Weekends are not considered: whether an activity may run
// on a Saturday is the scheduler's rule, not the calendar's.
func (c *Calendar) Blocked(d program.Date) (name string, blocked bool) {
	hs := c.On(d)
	if len(hs) == 0 {
		return "", false
	}
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.Name
	}
	return strings.Join(names, "; "), true
}

// Holidays returns the public holidays and blackouts from from to to, both
// included, sorted by date, each day in the order On gives. Both dates must
// be real dates in FirstYear–LastYear, from not after to; otherwise the
// error wraps program.ErrInvalid, and ErrYearRange when a year is out of
// range.
func (c *Calendar) Holidays(from, to program.Date) ([]Holiday, error) {
	for _, d := range []program.Date{from, to} {
		if !d.Valid() {
			return nil, fmt.Errorf("holidays: date %q does not exist; give real dates, YYYY-MM-DD: %w", d.String(), program.ErrInvalid)
		}
		if d.Year < FirstYear || d.Year > LastYear {
			return nil, yearError(d.Year)
		}
	}
	if from.After(to) {
		return nil, fmt.Errorf("holidays: range from %s to %s ends before it starts; swap the dates: %w", from, to, program.ErrInvalid)
	}
	var out []Holiday
	for y := from.Year; y <= to.Year; y++ {
		hs, err := Year(y)
		if err != nil {
			return nil, err // unreachable: both ends were checked
		}
		for _, h := range hs {
			if !h.Date.Before(from) && !h.Date.After(to) {
				out = append(out, h)
			}
		}
	}
	i, _ := slices.BinarySearchFunc(c.blackouts, Holiday{Date: from}, compareBlackouts)
	for ; i < len(c.blackouts) && !c.blackouts[i].Date.After(to); i++ {
		out = append(out, c.blackouts[i])
	}
	// Stable: public holidays came first and stay first on their day, in
	// the Code's order; blackouts follow in name order.
	slices.SortStableFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out, nil
}
