package scheduler

import (
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// meetingSectors are the five sectors the yearly self-reflection meeting
// balances, in the order in which seats left over after an even split go
// out (one each): the civil sector the programme is for first, then the
// others as PROGRAM.md lists them.
//
// International organisations count as civil society (SectorCSO): in the
// programme they are partner CSOs and advocacy groups abroad, and a sixth
// share for them would shrink the five sectors the meeting is meant to
// balance.
var meetingSectors = [...]program.Sector{
	program.SectorCSO,
	program.SectorGovernment,
	program.SectorPrivate,
	program.SectorMedia,
	program.SectorAcademia,
}

// MeetingSectors returns the five balanced sectors in seat order; see
// Invite.
func MeetingSectors() []program.Sector { return meetingSectors[:] }

// meetingSector maps an organisation's sector to its share.
func meetingSector(s program.Sector) program.Sector {
	if s == program.SectorInternational {
		return program.SectorCSO
	}
	return s
}

// MeetingInput is what MeetingDay chooses the meeting's day from.
type MeetingInput struct {
	Year  int
	Month time.Month
	// Prefer is the weekday to take, Monday to Friday; nil means
	// "earliest".
	Prefer *time.Weekday
	// Previous is the day the previous layout gave; zero when none.
	Previous program.Date
	// Blocked closes days (holidays, blackouts).
	Blocked Blocked
}

// MeetingDay returns the day of the yearly self-reflection meeting in the
// given month: a working day (Monday to Friday) that Blocked does not close.
// It keeps Previous when that is still such a day of the month: everyone
// invited has it in their calendar, and neither a blackout elsewhere in the
// month nor another Prefer is worth moving it. Otherwise it takes the
// first such day that falls on Prefer, when Prefer is given, and otherwise
// (or when no such day is free) the first free working day.
//
// A month with no free working day is an *UnplaceableError (ErrUnplaceable)
// naming the month; a Saturday or Sunday as Prefer, or a month outside
// January..December, is an error wrapping program.ErrInvalid.
func MeetingDay(in MeetingInput) (program.Date, error) {
	year, month, prefer := in.Year, in.Month, in.Prefer
	if month < time.January || month > time.December || year < 1 || year > 9999 {
		return program.Date{}, fmt.Errorf("scheduler: meeting month %04d-%02d does not exist; give a year 1..9999 and a month 1..12: %w", year, int(month), program.ErrInvalid)
	}
	if prefer != nil && (*prefer == time.Saturday || *prefer == time.Sunday || *prefer < time.Sunday || *prefer > time.Saturday) {
		return program.Date{}, fmt.Errorf("scheduler: meeting weekday %v is not a working day; prefer Monday to Friday or none: %w", *prefer, program.ErrInvalid)
	}
	free := func(d int) bool {
		if !isWorkingDay(d) {
			return false
		}
		_, no := in.Blocked.check(dateOfDay(d))
		return !no
	}
	if p := in.Previous; p.Valid() && p.Year == year && p.Month == month && free(dayNumber(p)) {
		return p, nil
	}
	first := dayNumber(program.Date{Year: year, Month: month, Day: 1})
	next := dayNumber(program.Date{Year: year, Month: month + 1, Day: 1}) // month 13 rolls over, as time.Date does
	earliest := -1
	for d := first; d < next; d++ {
		if !free(d) {
			continue
		}
		if prefer == nil || weekdayOf(d) == *prefer {
			return dateOfDay(d), nil
		}
		if earliest < 0 {
			earliest = d
		}
	}
	if earliest >= 0 {
		return dateOfDay(earliest), nil
	}
	return program.Date{}, &UnplaceableError{
		ID:     fmt.Sprintf("meeting %04d-%02d", year, int(month)),
		Reason: fmt.Sprintf("no working day in %s %d is free of holidays and blackouts; choose another month or lift a blackout", month, year),
	}
}

// Invitation is the meeting's invitation list.
type Invitation struct {
	// Invited are the chosen organisations' ids, in the priority order given.
	Invited []program.OrgID
	// Seats gives the seats each of the five sectors got, indexed like
	// MeetingSectors().
	Seats [5]int
	// Empty is how many seats stayed empty because there were fewer
	// organisations than seats.
	Empty int
}

// Invite chooses seats organisations for the meeting, balanced across the
// five sectors of MeetingSectors (international counts as cso).
//
// Seats are dealt one at a time to the sectors in MeetingSectors order,
// skipping a sector once all its organisations are invited, until the seats
// or the organisations run out. So when every sector has enough
// organisations, each gets ⌊seats/5⌋ or one more (the extra seats going to
// the first sectors in that order), and a sector that runs short gives its
// unused seats to the others, again as evenly as they can be spread. Inside a
// sector, organisations are taken in the order given: orgs is the priority
// order (sort it by ID for "by id"), which keeps the result deterministic.
//
// A negative seat count, an organisation with no id or an unknown sector,
// or an id listed twice is an error wrapping program.ErrInvalid naming it.
func Invite(orgs []program.Organization, seats int) (*Invitation, error) {
	if seats < 0 {
		return nil, fmt.Errorf("scheduler: meeting seats %d; give 0 or more: %w", seats, program.ErrInvalid)
	}
	var pool [5][]program.OrgID
	seen := map[program.OrgID]bool{}
	for i, o := range orgs {
		if o.ID == "" {
			return nil, fmt.Errorf("scheduler: meeting invitation: organisation %d has no id; give every organisation its id: %w", i, program.ErrInvalid)
		}
		if seen[o.ID] {
			return nil, fmt.Errorf("scheduler: meeting invitation: organisation %s is listed twice; list it once: %w", o.ID, program.ErrInvalid)
		}
		seen[o.ID] = true
		k := -1
		for j, s := range meetingSectors {
			if s == meetingSector(o.Sector) {
				k = j
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("scheduler: meeting invitation: organisation %s has sector %q; use one of %v: %w", o.ID, o.Sector, program.AllSectors(), program.ErrInvalid)
		}
		pool[k] = append(pool[k], o.ID)
	}

	inv := &Invitation{}
	left := seats
	for left > 0 {
		dealt := false
		for k := range meetingSectors {
			if left > 0 && inv.Seats[k] < len(pool[k]) {
				inv.Seats[k]++
				left--
				dealt = true
			}
		}
		if !dealt {
			break
		}
	}
	inv.Empty = left

	chosen := map[program.OrgID]bool{}
	for k := range meetingSectors {
		for _, id := range pool[k][:inv.Seats[k]] {
			chosen[id] = true
		}
	}
	for _, o := range orgs {
		if chosen[o.ID] {
			inv.Invited = append(inv.Invited, o.ID)
		}
	}
	return inv, nil
}
