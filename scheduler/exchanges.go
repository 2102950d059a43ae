package scheduler

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/scheduler/recur"
)

// DefaultExchangeGap is the least number of weeks between the end of the first
// visit of a mutual pair and the start of the return visit when
// ExchangeInput.Gap is 0: four, so that the hosts of the first visit have
// time to prepare their own trip and the two visits do not read as one.
const DefaultExchangeGap = 4

// DefaultExchangeDayStart and DefaultExchangeDayEnd are the local times,
// after midnight in the host's zone, at which an exchange visit starts on its
// first day and ends on its last when ExchangeInput leaves them 0: an office
// day, 10:00 to 17:00.
const (
	DefaultExchangeDayStart = 10 * time.Hour
	DefaultExchangeDayEnd   = 17 * time.Hour
)

// Exchange is one exchange visit: people of the Visitor organisation spend
// Days consecutive days at the Host organisation.
type Exchange struct {
	Visitor, Host program.OrgID
	Days          int // days on site, ≥ 1
	// Zone is the IANA name of the host's zone, in which its dates and the
	// visit's times are read: Asia/Tbilisi for a Georgian host, the
	// partner's zone abroad. Empty means program.DefaultTimeZone.
	Zone string
	// Previous is the first day on site, in the host's calendar, that the
	// previous layout gave; zero when none. PlaceExchanges keeps it when it
	// still fits (see "Previous layout" there).
	Previous program.Date
}

// ID names the exchange as VISITOR→HOST in errors and reports.
func (e Exchange) ID() string { return string(e.Visitor) + "→" + string(e.Host) }

// ExchangeInput is what PlaceExchanges lays out.
type ExchangeInput struct {
	Exchanges []Exchange
	// Horizon is the closed range of dates the programme schedules (usually
	// its year), read in each host's zone; both ends must be set.
	Horizon program.Window
	// Availability lists each organisation's availability windows, as
	// visitor and as host alike; an organisation with none is always
	// available. Touching or overlapping windows count as one stretch.
	Availability map[program.OrgID][]program.Window
	// Blocked returns the days closed in a host's calendar (its country's
	// public holidays, its blackouts); no visit has a blocked day on site.
	// A nil Blocked, or a nil result, blocks nothing.
	Blocked func(host program.OrgID) Blocked
	// Gap is the least number of weeks from the last day of the first visit
	// of a mutual pair to the first day of the return visit; 0 means
	// DefaultExchangeGap.
	Gap int
	// DayStart and DayEnd are the local times, after midnight, at which a
	// visit starts on its first day and ends on its last; 0 means
	// DefaultExchangeDayStart and DefaultExchangeDayEnd. DayStart must be
	// before DayEnd and both within the day.
	DayStart, DayEnd time.Duration
}

// PlacedExchange is an exchange visit with its dates and times.
type PlacedExchange struct {
	Exchange
	Index int // position in ExchangeInput.Exchanges
	// First and Last are the first and last days on site, in the host's
	// calendar.
	First, Last program.Date
	// Start and End are the instants (UTC) the visit starts on First at
	// DayStart and ends on Last at DayEnd, host's local time, read by
	// recur.At's rule for clock changes.
	Start, End time.Time
	// Shifted reports that DayStart or DayEnd did not exist on its day
	// (clocks sprang forward over it) and was moved to the end of the gap.
	Shifted bool
	// Mutual reports that the opposite visit (Host→Visitor) is listed too;
	// ReturnOf is then, for the return visit, the first visit's ID.
	Mutual   bool
	ReturnOf string
	// Kept reports that First is the visit's Previous day.
	Kept bool
}

// UnplacedExchange is an exchange visit that could not be placed.
type UnplacedExchange struct {
	Exchange
	Index  int
	Reason string
	// Conflicts names the visits already placed whose days took every start
	// this visit otherwise had; empty when the reason was not a conflict.
	Conflicts []string
}

// ExchangeLayout is the result of PlaceExchanges. Both lists are sorted by
// visitor id, then host id.
type ExchangeLayout struct {
	Placed   []PlacedExchange
	Unplaced []UnplacedExchange
}

// PlaceExchanges lays out exchange visits between organisations.
//
// # Rules
//
// A visit's days on site are Days consecutive dates in its host's calendar
// (Exchange.Zone). They lie inside the horizon, inside one stretch of the
// visitor's availability and one of the host's; the first is a working day
// (Monday to Friday) and none is blocked in the host's calendar (weekends
// after the first day are allowed: a visit of ten days spans one). No
// organisation is in two visits on the same date, as visitor or as host;
// dates of different hosts are compared as written, since travel between
// them is the visitor's own affair. When both A→B and B→A are listed the pair
// is mutual: the visit whose visitor id sorts first is the first visit, and
// the return visit starts at least Gap weeks (7·Gap days) after the first
// visit's last day. If the first visit cannot be placed, the return visit is
// placed without that bound.
//
// Visits are laid out one at a time, sorted by visitor id and then host id,
// each at its earliest allowed start given the visits placed before it. This
// greedy order is what makes the layout deterministic and easy to explain;
// it does not maximise the number of visits placed.
//
// # Previous layout
//
// A visit's Previous day is where the previous layout put it, and moving it
// means new travel for the visitor and a new week for the host. So a first
// pass, in the same order, keeps each visit whose Previous day is still an
// allowed start by the rules above given the visits kept before it (for a
// return visit whose first visit was kept, after the gap); the greedy pass
// then places the others around the kept ones. A kept visit is therefore
// not pushed by a visit added before it in the order, which takes the next
// free start instead, and only the visits a change made impossible move. A
// first visit placed after its return visit was kept must end at least Gap
// weeks before the return visit starts. When it cannot, but could be placed
// as usual with the return visit at its earliest start after it, the
// return visit is moved there, since two visits placed are worth more than
// one kept; otherwise the return visit stays and the first visit is
// unplaced.
//
// The visit's Start is DayStart on its first day and End is DayEnd on its last
// day, in the host's zone, turned into instants with recur.At: a visit in
// Warsaw keeps 10:00 local on both sides of a clock change.
//
// # Unplaceable visits
//
// A visit with no allowed start goes to Unplaced with the first reason that
// applies: the windows overlap for fewer days than asked (giving the
// longest overlap); no start is left within the mutual gap's bound (naming
// the other visit and the bound); some remaining start was a working
// day with no blocked day on site but every such start clashes with visits
// already placed (naming them in Conflicts); or every remaining start is a
// weekend or has a blocked day on site (naming the first blocked day and its
// reason).
//
// # Errors
//
// Bad input — an empty visitor or host, a visitor hosting itself, a visit
// listed twice, Days < 1, an unknown zone (or "Local"), a horizon with an
// open end or ending before it starts, an availability window ending before
// it starts, a negative Gap, or DayStart/DayEnd out of order or outside the
// day — is an error wrapping program.ErrInvalid that quotes the bad value.
//
// The result depends only on the input: no clock, no map iteration order.
// For V visits over a horizon of H days it costs O(V·H·(Days + k)) for k
// visits per organisation.
func PlaceExchanges(in ExchangeInput) (*ExchangeLayout, error) {
	zones, err := checkExchanges(in)
	if err != nil {
		return nil, err
	}
	gap := in.Gap
	if gap == 0 {
		gap = DefaultExchangeGap
	}
	dayStart, dayEnd := exchangeDay(in)

	order := make([]int, len(in.Exchanges))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		x, y := in.Exchanges[a], in.Exchanges[b]
		return cmp.Or(cmp.Compare(x.Visitor, y.Visitor), cmp.Compare(x.Host, y.Host))
	})
	listed := make(map[exchangePair]bool, len(in.Exchanges))
	for _, e := range in.Exchanges {
		listed[exchangePair{e.Visitor, e.Host}] = true
	}

	h := span{dayNumber(in.Horizon.From), dayNumber(in.Horizon.To)}
	l := &exchangeLayouter{
		in:      in,
		horizon: h,
		gap:     7 * gap,
		booked:  map[program.OrgID][]booking{},
		placed:  map[exchangePair]PlacedExchange{},
		hosts:   map[program.OrgID][]string{},
	}
	hold := func(i, s int) PlacedExchange {
		e := in.Exchanges[i]
		first, last := dateOfDay(s), dateOfDay(s+e.Days-1)
		start, sh1 := recurAt(first, dayStart, zones[i])
		end, sh2 := recurAt(last, dayEnd, zones[i])
		p := PlacedExchange{
			Exchange: e, Index: i,
			First: first, Last: last,
			Start: start.UTC(), End: end.UTC(),
			Shifted: sh1 || sh2,
			Mutual:  listed[exchangePair{e.Host, e.Visitor}],
			Kept:    first == e.Previous,
		}
		l.hold(p)
		return p
	}
	// Keep what still fits, then place the rest greedily (see the doc).
	for _, i := range order {
		e := in.Exchanges[i]
		if e.Previous.IsZero() {
			continue
		}
		b, p := l.bound(e), dayNumber(e.Previous)
		if p < b.lo || p > b.hi {
			continue
		}
		if s, un := l.place(e, startBound{lo: p, hi: p}); un == nil {
			hold(i, s)
		}
	}
	unplaced := make([]*UnplacedExchange, len(in.Exchanges))
	for _, i := range order {
		e := in.Exchanges[i]
		if _, kept := l.placed[exchangePair{e.Visitor, e.Host}]; kept {
			continue
		}
		b := l.bound(e)
		s, un := l.place(e, b)
		if un != nil && b.keptReturn != nil {
			// The kept return visit leaves its first visit no start: move
			// it if that places both (see the doc), else put it back.
			r := *b.keptReturn
			l.release(r)
			if fs, fu := l.place(e, l.bound(e)); fu == nil {
				p := hold(i, fs)
				if rs, ru := l.place(r.Exchange, l.bound(r.Exchange)); ru == nil {
					hold(r.Index, rs)
					continue
				}
				l.release(p)
			}
			l.hold(r)
		}
		if un != nil {
			un.Exchange, un.Index = e, i
			unplaced[i] = un
			continue
		}
		hold(i, s)
	}
	out := &ExchangeLayout{}
	for _, i := range order {
		e := in.Exchanges[i]
		if un := unplaced[i]; un != nil {
			out.Unplaced = append(out.Unplaced, *un)
			continue
		}
		p := l.placed[exchangePair{e.Visitor, e.Host}]
		// Known only now: a kept return visit may have been placed
		// before its first visit.
		if first, ok := l.placed[exchangePair{e.Host, e.Visitor}]; ok && e.Host < e.Visitor {
			p.ReturnOf = first.ID()
		}
		out.Placed = append(out.Placed, p)
	}
	return out, nil
}

// recurAt returns the instant of local time of day d on date day in loc.
func recurAt(day program.Date, d time.Duration, loc *time.Location) (time.Time, bool) {
	s := int(d / time.Second)
	return recur.At(day.Year, day.Month, day.Day, s/3600, s/60%60, s%60, loc)
}

func exchangeDay(in ExchangeInput) (start, end time.Duration) {
	start, end = in.DayStart, in.DayEnd
	if start == 0 {
		start = DefaultExchangeDayStart
	}
	if end == 0 {
		end = DefaultExchangeDayEnd
	}
	return start, end
}

// exchangePair is a visit's direction.
type exchangePair struct{ visitor, host program.OrgID }

// booking is a placed visit's days, held by both its organisations.
type booking struct {
	from, to int
	id       string
}

type exchangeLayouter struct {
	in      ExchangeInput
	horizon span
	gap     int                         // the mutual gap, in days
	booked  map[program.OrgID][]booking // in placement order
	placed  map[exchangePair]PlacedExchange
	hosts   map[program.OrgID][]string // see closed
}

// startBound is the range of day numbers, both ends included, in which a
// visit may start, and, when the mutual gap set it, why (for the reason of
// a visit that finds no start in it) and, when that was a kept return
// visit, which.
type startBound struct {
	lo, hi     int
	why        string
	keptReturn *PlacedExchange
}

// hold books p for both its organisations.
func (l *exchangeLayouter) hold(p PlacedExchange) {
	l.placed[exchangePair{p.Visitor, p.Host}] = p
	bk := booking{from: dayNumber(p.First), to: dayNumber(p.Last), id: p.ID()}
	l.booked[p.Visitor] = append(l.booked[p.Visitor], bk)
	l.booked[p.Host] = append(l.booked[p.Host], bk)
}

// release undoes hold(p).
func (l *exchangeLayouter) release(p PlacedExchange) {
	delete(l.placed, exchangePair{p.Visitor, p.Host})
	for _, org := range [2]program.OrgID{p.Visitor, p.Host} {
		l.booked[org] = slices.DeleteFunc(l.booked[org], func(bk booking) bool { return bk.id == p.ID() })
	}
}

// bound returns the starts the horizon and the mutual gap leave e, given
// the visits placed so far: a return visit starts Gap weeks after its first
// visit's last day, and a first visit whose return visit was kept ends Gap
// weeks before it starts.
func (l *exchangeLayouter) bound(e Exchange) startBound {
	b := startBound{lo: l.horizon.from, hi: l.horizon.to}
	other, ok := l.placed[exchangePair{e.Host, e.Visitor}]
	if !ok {
		return b
	}
	if e.Host < e.Visitor {
		b.lo = max(b.lo, dayNumber(other.Last)+l.gap)
		b.why = fmt.Sprintf("the return visit may start no earlier than %s, the mutual gap after %s", dateOfDay(b.lo), other.ID())
		return b
	}
	b.hi = min(b.hi, dayNumber(other.First)-l.gap-(e.Days-1))
	b.why = fmt.Sprintf("the first visit must end by %s, the mutual gap before %s, which was kept where the previous layout put it", dateOfDay(b.hi+e.Days-1), other.ID())
	b.keptReturn = &other
	return b
}

// closed returns why each day of the horizon, indexed from its first, is
// blocked in the host's calendar ("" when open), computing it once per host.
func (l *exchangeLayouter) closed(host program.OrgID) []string {
	if c, ok := l.hosts[host]; ok {
		return c
	}
	var b Blocked
	if l.in.Blocked != nil {
		b = l.in.Blocked(host)
	}
	c := make([]string, l.horizon.to-l.horizon.from+1)
	for i := range c {
		if reason, no := b.check(dateOfDay(l.horizon.from + i)); no {
			if reason == "" {
				reason = "blocked"
			}
			c[i] = reason
		}
	}
	l.hosts[host] = c
	return c
}

// place returns the earliest allowed start of e within b, or why there is
// none.
func (l *exchangeLayouter) place(e Exchange, b startBound) (int, *UnplacedExchange) {
	h := l.horizon
	common := intersect(stretches(l.in.Availability[e.Visitor], h), stretches(l.in.Availability[e.Host], h))
	closed := l.closed(e.Host)

	longest, inBound, firstBlocked, firstReason := 0, false, -1, ""
	var conflicts []string
	for _, st := range common {
		longest = max(longest, st.to-st.from+1)
	starts:
		for s := max(st.from, b.lo); s+e.Days-1 <= st.to && s <= b.hi; s++ {
			inBound = true
			if !isWorkingDay(s) {
				continue
			}
			for d := s; d < s+e.Days; d++ {
				if r := closed[d-h.from]; r != "" {
					if firstBlocked < 0 {
						firstBlocked, firstReason = d, r
					}
					continue starts
				}
			}
			clash := false
			for _, org := range [2]program.OrgID{e.Visitor, e.Host} {
				for _, bk := range l.booked[org] {
					if overlaps(s, e.Days, bk.from, bk.to-bk.from+1) {
						clash = true
						if !slices.Contains(conflicts, bk.id) {
							conflicts = append(conflicts, bk.id)
						}
					}
				}
			}
			if !clash {
				return s, nil
			}
		}
	}
	un := &UnplacedExchange{}
	switch {
	case longest < e.Days:
		un.Reason = fmt.Sprintf("the visitor's and host's windows overlap (within %s..%s) for at most %d days, fewer than the %d asked; widen a window or shorten the visit", l.in.Horizon.From, l.in.Horizon.To, longest, e.Days)
	case !inBound:
		un.Reason = b.why + ", and no stretch of both windows fits it within that bound; widen a window or shorten the gap"
	case len(conflicts) == 0 && firstBlocked >= 0:
		un.Reason = fmt.Sprintf("every start that fits falls on a weekend or has a blocked day on site (first blocked: %s, %s); lift a blackout or widen a window", dateOfDay(firstBlocked), firstReason)
	case len(conflicts) == 0:
		un.Reason = "every start that fits falls on a weekend; widen a window so that the visit can start on a working day"
	default:
		slices.Sort(conflicts)
		un.Conflicts = conflicts
		un.Reason = fmt.Sprintf("every free start clashes with a visit already placed for the visitor or the host (%s); widen a window or move one of them", strings.Join(conflicts, ", "))
	}
	return 0, un
}

func checkExchanges(in ExchangeInput) ([]*time.Location, error) {
	if in.Horizon.From.IsZero() || in.Horizon.To.IsZero() || !in.Horizon.Ordered() {
		return nil, fmt.Errorf("scheduler: exchanges: horizon %s..%s must have both ends, in order; give the programme's first and last day: %w", in.Horizon.From, in.Horizon.To, program.ErrInvalid)
	}
	if in.Gap < 0 {
		return nil, fmt.Errorf("scheduler: exchanges: gap %d weeks; give 0 (the default, %d) or more: %w", in.Gap, DefaultExchangeGap, program.ErrInvalid)
	}
	if in.DayStart < 0 || in.DayEnd < 0 || in.DayStart >= 24*time.Hour || in.DayEnd >= 24*time.Hour {
		return nil, fmt.Errorf("scheduler: exchanges: day %v to %v: times must lie in [0, 24h); 0 means %v to %v: %w", in.DayStart, in.DayEnd, DefaultExchangeDayStart, DefaultExchangeDayEnd, program.ErrInvalid)
	}
	if start, end := exchangeDay(in); start >= end {
		return nil, fmt.Errorf("scheduler: exchanges: day %v to %v: the start must be before the end: %w", start, end, program.ErrInvalid)
	}
	orgs := make([]program.OrgID, 0, len(in.Availability))
	for org := range in.Availability {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	for _, org := range orgs {
		for _, w := range in.Availability[org] {
			if !w.Ordered() {
				return nil, fmt.Errorf("scheduler: exchanges: organisation %s: window %s..%s ends before it starts; swap or fix the dates: %w", org, w.From, w.To, program.ErrInvalid)
			}
		}
	}
	zones := make([]*time.Location, len(in.Exchanges))
	seen := make(map[exchangePair]bool, len(in.Exchanges))
	loaded := map[string]*time.Location{}
	for i, e := range in.Exchanges {
		switch {
		case e.Visitor == "" || e.Host == "":
			return nil, fmt.Errorf("scheduler: exchange %d %q: visitor and host must both be set: %w", i, e.ID(), program.ErrInvalid)
		case e.Visitor == e.Host:
			return nil, fmt.Errorf("scheduler: exchange %s: an organisation cannot visit itself: %w", e.ID(), program.ErrInvalid)
		case seen[exchangePair{e.Visitor, e.Host}]:
			return nil, fmt.Errorf("scheduler: exchange %s: listed twice; list each visit once: %w", e.ID(), program.ErrInvalid)
		case e.Days < 1:
			return nil, fmt.Errorf("scheduler: exchange %s: %d days on site; give 1 or more: %w", e.ID(), e.Days, program.ErrInvalid)
		}
		seen[exchangePair{e.Visitor, e.Host}] = true
		name := e.Zone
		if name == "" {
			name = program.DefaultTimeZone
		}
		loc, ok := loaded[name]
		if !ok {
			var err error
			// LoadLocation reads "Local" as the machine's zone, and a
			// layout must not change with the server it runs on.
			if name == "Local" {
				err = fmt.Errorf("the machine's zone is not accepted")
			} else {
				loc, err = time.LoadLocation(name)
			}
			if err != nil {
				return nil, fmt.Errorf("scheduler: exchange %s: zone %q: %v; give an IANA name such as %q or %q: %w", e.ID(), e.Zone, err, program.DefaultTimeZone, "Europe/Warsaw", program.ErrInvalid)
			}
			loaded[name] = loc
		}
		zones[i] = loc
	}
	return zones, nil
}
