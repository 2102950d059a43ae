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

// SessionPolicy says what a study circle's series does with a session whose
// local date is blocked (a public holiday or a blackout).
type SessionPolicy uint8

const (
	// SkipBlocked drops a session on a blocked day; it is listed in
	// Series.Skipped with the day's reason (an EXDATE in the calendar).
	SkipBlocked SessionPolicy = iota
	// ShiftBlocked moves a session on a blocked day to the next day, at the
	// same local time, that is free (see LayoutSessions for "free" and for
	// how far it looks); when none is, the session is skipped as with
	// SkipBlocked, the reason saying that no day was free.
	ShiftBlocked
)

// String returns "skip" or "shift".
func (p SessionPolicy) String() string {
	switch p {
	case SkipBlocked:
		return "skip"
	case ShiftBlocked:
		return "shift"
	}
	return fmt.Sprintf("SessionPolicy(%d)", uint8(p))
}

// DefaultMaxShift is how many days after its nominal date a session may move
// when Circle.MaxShift is 0: six, so that a weekly session stays in its week.
const DefaultMaxShift = 6

// Circle is one study circle's session series.
type Circle struct {
	ID string
	// Rule gives the sessions (cron spec, zone, modifiers) and, in
	// Rule.Duration, how long each lasts; it must be positive.
	Rule   recur.Rule
	Policy SessionPolicy
	// MaxShift bounds a move, in days after the nominal date; 0 means
	// DefaultMaxShift. It bounds moves for conflicts under both policies.
	MaxShift int
	// Members and Trainers are the people who attend every session. A person
	// listed twice, or as both, counts once.
	Members  []program.ParticipantID
	Trainers []program.ParticipantID
	// Window holds the series: its dates, read in the rule's zone, both set.
	Window program.Window
	// Previous is the layout this series had before (see LayoutSessions,
	// "Previous layout"): the start each session had, by the session's
	// nominal local date, which names it whatever day it was moved to. A
	// nil or empty map means none; a nominal date the rule no longer gives
	// is ignored.
	Previous map[program.Date]time.Time
}

// SessionInput is what LayoutSessions lays out.
type SessionInput struct {
	// Circles in priority order: where two circles share a person and their
	// sessions overlap, the later-listed one gives way.
	Circles []Circle
	// Blocked closes days, read as local dates in each series' zone.
	Blocked Blocked
}

// Session is one placed session of a series.
type Session struct {
	// Occurrence gives the placed Start and End (UTC) and Local (Start in the
	// rule's zone). Its Shifted flag is recur's: the nominal wall-clock time
	// did not exist (clocks sprang forward over it).
	recur.Occurrence
	// Nominal is the start the rule gave, in UTC; it equals Start unless the
	// session was moved. A calendar writes a moved session as EXDATE Nominal
	// plus RDATE Start.
	Nominal time.Time
	// ShiftedFrom is the nominal local date of a moved session; zero when the
	// session is where the rule put it.
	ShiftedFrom program.Date
	// Reason says why a session was moved: the blocked day's reason, or the
	// conflict ("p-17 in circle c-3"), or for a session kept on a day its
	// previous layout moved it to while its nominal day is open, "kept where
	// the previous layout put it"; empty when it was not moved.
	Reason string
	// Kept reports that the session is where Circle.Previous put it.
	Kept bool
}

// SkippedSession is a nominal session that was not held: an EXDATE.
type SkippedSession struct {
	Date   program.Date // nominal local date
	Start  time.Time    // nominal start, UTC
	Local  time.Time    // nominal start in the rule's zone
	Reason string       // the holiday's name, or why no move was possible
}

// Series is the layout of one circle.
type Series struct {
	Circle   string
	Index    int              // position in SessionInput.Circles
	Sessions []Session        // by start
	Skipped  []SkippedSession // by nominal start
}

// SessionConflict is a person whom two circles' sessions would have had in
// two places at once, and what was done about it.
type SessionConflict struct {
	Person program.ParticipantID
	// Circle is the circle whose session gave way: the later-listed one, or
	// the one whose session was not kept when the other's was (see
	// LayoutSessions). Start and End are where that session would have been
	// (UTC).
	Circle     string
	Start, End time.Time
	// With is the circle holding the person at that time, and WithStart,
	// WithEnd its placed session (UTC).
	With               string
	WithStart, WithEnd time.Time
	// MovedTo is the start (UTC) the giving-way session was moved to; zero
	// when it could not be moved and was skipped (see Series.Skipped).
	MovedTo time.Time
}

// SessionLayout is the result of LayoutSessions.
type SessionLayout struct {
	Series []Series // in input order
	// Conflicts in the order found: by circle in input order, then session,
	// then person in the circle's order (members, then trainers), then the
	// other session's start.
	Conflicts []SessionConflict
	// Placed and Skipped count sessions over all series; Kept counts the
	// placed ones that are where Circle.Previous put them.
	Placed, Skipped, Kept int
}

// LayoutSessions lays out the session series of study circles.
//
// # Rules
//
// Each circle's nominal sessions are its rule's occurrences on the dates of
// its window (recur.Rule.OccurrencesIn: zone and daylight-saving rules are
// recur's). Circles are laid out one at a time in input order, each session
// in order, against the sessions already placed. A session's candidate
// positions are its nominal start and then the same local wall-clock time on
// each of the next MaxShift days (DefaultMaxShift when 0), stopping before
// the date of the series' next nominal session and at the end of the window,
// so a move never reorders a series. A local time that does not exist or
// happens twice on a candidate day is read by recur's rule (the end of the
// gap; the first of the two). A candidate is free when its local date is not
// blocked, it ends before the series' next nominal session starts, and none of
// the circle's people is in a session already placed that overlaps it
// (sessions are half-open intervals: one ending at 18:00 and one starting at
// 18:00 do not overlap).
//
//   - The nominal position is taken when free.
//   - Nominal date blocked, SkipBlocked: the session is skipped with the
//     day's reason.
//   - Nominal date blocked, ShiftBlocked: the first free candidate is taken;
//     blocked candidates are passed over.
//   - Conflict: the first candidate that is not blocked but has people busy
//     (the nominal one, or under ShiftBlocked the first unblocked day) is
//     reported in SessionLayout.Conflicts, one entry per person and session
//     in the way, and the session is moved to the next free candidate by the
//     Shift rule above whatever its policy: its day is open, only its people
//     are not, and moving a session keeps more of the circle than dropping it.
//   - No free candidate: the session is skipped, with a reason naming the
//     holiday or the conflict and the days searched.
//
// So the conflict rule is: the earlier-listed circle keeps its session, the
// later-listed one moves or, failing that, is skipped, and either way the
// conflict is reported. No session is dropped without an entry in Skipped.
// In the output no person is in two overlapping sessions, and no session lies
// on a blocked day.
//
// # Previous layout
//
// Re-running the layout after a change should move as few sessions as
// possible, since each move is an update sent to every attendee. So before
// the rules above run, a first pass goes through the circles in input order
// and keeps each session whose Circle.Previous start is still one the rules
// could choose: the nominal start or the same local time on one of its
// candidate days, on a day that is not blocked (and, under SkipBlocked, with
// the nominal day not blocked either, since such a session is skipped), and
// with none of the circle's people in a session kept before it. The rules
// above then place the other sessions around the kept ones, which count as
// placed sessions of their circles whatever their position in the list. A
// previous layout is thus a commitment: a circle inserted at the front of
// the list, or one whose sessions were not laid out before, gives way to the
// sessions already published rather than pushing them, and only the sessions
// that a change made impossible (a new blackout on their day, a person who
// joined a circle and now clashes) move. A session whose nominal date the
// rule no longer gives, or whose start moved because the rule's time or
// duration changed, is laid out afresh. With no Previous the layout is the
// one the rules alone give.
//
// # Complexity
//
// Each person's placed sessions are kept sorted by start and, by
// construction, disjoint, so whether a candidate overlaps one of them is a
// binary search and a look at the neighbours before it: O(log k) for a
// person with k sessions. A layout of S sessions with m people each costs
// O(S·m·(log k + k)) with the O(k) insertion into the sorted list, which for a
// weekly year (k ≈ 52–104) is small; 2,000 circles of 12 over a year take
// well under a second.
//
// # Errors
//
// Bad input — an empty or repeated circle id, the zero Rule, a Duration that
// is not positive, sessions of one series that overlap each other, a window
// with an open end or ending before it starts, an unknown policy, a negative
// MaxShift — is an error wrapping program.ErrInvalid naming the circle.
// Sessions that cannot be held are not errors.
//
// The result depends only on the input: no clock, no map iteration order.
func LayoutSessions(in SessionInput) (*SessionLayout, error) {
	if err := checkCircles(in.Circles); err != nil {
		return nil, err
	}
	l := &sessionLayouter{
		in:       in,
		person:   map[program.ParticipantID]int32{},
		expanded: map[string][]recur.Occurrence{},
		frames:   make([]seriesFrame, len(in.Circles)),
		out:      &SessionLayout{Series: make([]Series, len(in.Circles))},
	}
	for ci := range in.Circles {
		if err := l.frame(ci); err != nil {
			return nil, err
		}
	}
	kept := make([][]bool, len(in.Circles))
	for ci := range in.Circles {
		kept[ci] = l.keep(ci)
	}
	for ci := range in.Circles {
		l.layoutCircle(ci, kept[ci])
	}
	// Kept sessions were appended first; the rest follow in nominal order.
	// Sorting only now keeps the session indices in l.busy valid while
	// conflicts are being reported. A session never leaves the days before
	// its series' next nominal session, so this is also nominal order.
	for ci := range in.Circles {
		if kept[ci] != nil {
			slices.SortFunc(l.out.Series[ci].Sessions, func(a, b Session) int { return a.Start.Compare(b.Start) })
		}
	}
	return l.out, nil
}

func checkCircles(cs []Circle) error {
	seen := make(map[string]int, len(cs))
	for i, c := range cs {
		switch {
		case c.ID == "":
			return fmt.Errorf("scheduler: circle %d has no id; give each circle its id: %w", i, program.ErrInvalid)
		case c.Rule.Zone() == nil:
			return fmt.Errorf("scheduler: circle %s has no rule; build it with recur.Parse: %w", c.ID, program.ErrInvalid)
		case c.Rule.Duration <= 0:
			return fmt.Errorf("scheduler: circle %s: session duration %v; give a positive duration: %w", c.ID, c.Rule.Duration, program.ErrInvalid)
		case c.Policy != SkipBlocked && c.Policy != ShiftBlocked:
			return fmt.Errorf("scheduler: circle %s: unknown policy %d; use SkipBlocked or ShiftBlocked: %w", c.ID, c.Policy, program.ErrInvalid)
		case c.MaxShift < 0:
			return fmt.Errorf("scheduler: circle %s: MaxShift = %d; give 0 (the default, %d days) or more: %w", c.ID, c.MaxShift, DefaultMaxShift, program.ErrInvalid)
		case c.Window.From.IsZero() || c.Window.To.IsZero():
			return fmt.Errorf("scheduler: circle %s: window %s..%s is open; give both a first and a last date: %w", c.ID, c.Window.From, c.Window.To, program.ErrInvalid)
		case !c.Window.Ordered():
			return fmt.Errorf("scheduler: circle %s: window ends on %s, before it starts on %s; swap or fix the dates: %w", c.ID, c.Window.To, c.Window.From, program.ErrInvalid)
		}
		if j, dup := seen[c.ID]; dup {
			return fmt.Errorf("scheduler: circle %s is listed twice (positions %d and %d); list each circle once: %w", c.ID, j, i, program.ErrInvalid)
		}
		seen[c.ID] = i
	}
	return nil
}

// busy is one placed session of a person: [start, end) in Unix nanoseconds,
// and which circle's which session it is.
type busy struct {
	start, end int64
	circle     int32
	session    int32
}

type sessionLayouter struct {
	in     SessionInput
	person map[program.ParticipantID]int32 // lookup only, never ranged over
	busy   [][]busy                        // per person, sorted by start, disjoint
	// expanded caches each distinct rule and window's occurrences (lookup only).
	expanded map[string][]recur.Occurrence
	frames   []seriesFrame // per circle
	out      *SessionLayout
}

// seriesFrame is what both passes need of one circle: its nominal
// sessions, its people and how far a session may move.
type seriesFrame struct {
	occ      []recur.Occurrence
	idx      []int32 // people, as indices into l.busy
	ids      []program.ParticipantID
	maxShift int
	last     int // day number of the window's last day
}

// reach returns the candidate days of nominal session k, from its nominal
// day to limit, and the start of the series' next nominal session (in Unix
// nanoseconds), before which a session must end.
func (f *seriesFrame) reach(k int) (nominalDay, limit int, nextStart int64) {
	nominalDay = dayNumber(program.DateOf(f.occ[k].Local))
	limit = min(nominalDay+f.maxShift, f.last)
	nextStart = 1<<63 - 1
	if k+1 < len(f.occ) {
		limit = min(limit, dayNumber(program.DateOf(f.occ[k+1].Local))-1)
		nextStart = f.occ[k+1].Start.UnixNano()
	}
	return nominalDay, limit, nextStart
}

// people returns the circle's distinct people as indices into l.busy, in the
// order listed (members, then trainers), with their ids.
func (l *sessionLayouter) people(c Circle) ([]int32, []program.ParticipantID) {
	idx := make([]int32, 0, len(c.Members)+len(c.Trainers))
	ids := make([]program.ParticipantID, 0, cap(idx))
	for _, list := range [2][]program.ParticipantID{c.Members, c.Trainers} {
		for _, p := range list {
			k, ok := l.person[p]
			if !ok {
				k = int32(len(l.busy))
				l.person[p] = k
				l.busy = append(l.busy, nil)
			}
			if slices.Contains(idx, k) {
				continue
			}
			idx = append(idx, k)
			ids = append(ids, p)
		}
	}
	return idx, ids
}

// frame expands circle ci's rule, registers its people and starts its
// series.
func (l *sessionLayouter) frame(ci int) error {
	c := l.in.Circles[ci]
	occ, err := l.occurrences(c)
	if err != nil {
		return err
	}
	f := &l.frames[ci]
	f.occ = occ
	f.idx, f.ids = l.people(c)
	f.maxShift = cmp.Or(c.MaxShift, DefaultMaxShift)
	f.last = dayNumber(c.Window.To)
	l.out.Series[ci] = Series{Circle: c.ID, Index: ci, Sessions: make([]Session, 0, len(occ))}
	return nil
}

// keptReason is the Reason of a kept session off its nominal day when that
// day is open.
const keptReason = "kept where the previous layout put it"

// keep holds the sessions of circle ci that are still where Circle.Previous
// says, by the rule in LayoutSessions, and reports which nominal sessions it
// held; nil when the circle has no previous layout.
func (l *sessionLayouter) keep(ci int) []bool {
	c, f := l.in.Circles[ci], &l.frames[ci]
	if len(c.Previous) == 0 {
		return nil
	}
	loc := c.Rule.Zone()
	kept := make([]bool, len(f.occ))
	for k, o := range f.occ {
		nominalDate := program.DateOf(o.Local)
		prev, ok := c.Previous[nominalDate]
		if !ok {
			continue
		}
		nominalDay, limit, nextStart := f.reach(k)
		day := dayNumber(program.DateOf(prev.In(loc)))
		if day < nominalDay || day > limit {
			continue
		}
		cand := o
		if day != nominalDay {
			cand = atDay(o, day, loc, c.Rule.Duration)
		}
		// A start that differs at the same day means the rule's time of
		// day changed: the session moves whatever we do.
		if !cand.Start.Equal(prev) || cand.End.UnixNano() > nextStart {
			continue
		}
		if _, b := l.in.Blocked.check(dateOfDay(day)); b {
			continue
		}
		sess := Session{Occurrence: cand, Nominal: o.Start, Kept: true}
		if day != nominalDay {
			sess.ShiftedFrom, sess.Reason = nominalDate, keptReason
			if holiday, b := l.in.Blocked.check(nominalDate); b {
				if c.Policy == SkipBlocked {
					continue
				}
				sess.Reason = holiday
			}
		}
		st, en := cand.Start.UnixNano(), cand.End.UnixNano()
		if slices.ContainsFunc(f.idx, func(p int32) bool { return len(l.overlapping(p, st, en)) > 0 }) {
			continue
		}
		l.hold(ci, sess)
		kept[k] = true
		l.out.Kept++
	}
	return kept
}

// hold books sess for circle ci's people and adds it to the series.
func (l *sessionLayouter) hold(ci int, sess Session) {
	s := &l.out.Series[ci]
	b := busy{sess.Start.UnixNano(), sess.End.UnixNano(), int32(ci), int32(len(s.Sessions))}
	for _, p := range l.frames[ci].idx {
		l.book(p, b)
	}
	s.Sessions = append(s.Sessions, sess)
}

// layoutCircle places circle ci's sessions that keep did not hold, by the
// rules in LayoutSessions.
func (l *sessionLayouter) layoutCircle(ci int, kept []bool) {
	c, f := l.in.Circles[ci], &l.frames[ci]
	idx, ids := f.idx, f.ids
	loc := c.Rule.Zone()
	s := &l.out.Series[ci]

	for k, o := range f.occ {
		if kept != nil && kept[k] {
			continue
		}
		nominalDate := program.DateOf(o.Local)
		nominalDay, limit, nextStart := f.reach(k)
		firstConflict := len(l.out.Conflicts)
		conflicted := false
		holiday := ""
		placed := false
		for day := nominalDay; day <= limit; day++ {
			cand := o
			if day != nominalDay {
				cand = atDay(o, day, loc, c.Rule.Duration)
			}
			if reason, b := l.in.Blocked.check(dateOfDay(day)); b {
				if day == nominalDay {
					holiday = reason
					if c.Policy == SkipBlocked {
						break
					}
				}
				continue
			}
			st, en := cand.Start.UnixNano(), cand.End.UnixNano()
			if en > nextStart {
				continue
			}
			free := true
			for pi, p := range idx {
				for _, b := range l.overlapping(p, st, en) {
					free = false
					if conflicted {
						break
					}
					other := l.out.Series[b.circle].Sessions[b.session]
					l.out.Conflicts = append(l.out.Conflicts, SessionConflict{
						Person: ids[pi], Circle: c.ID, Start: cand.Start, End: cand.End,
						With: l.in.Circles[b.circle].ID, WithStart: other.Start, WithEnd: other.End,
					})
				}
				if !free && conflicted {
					break
				}
			}
			if !free {
				conflicted = true
				continue
			}
			sess := Session{Occurrence: cand, Nominal: o.Start}
			if day != nominalDay {
				sess.ShiftedFrom = nominalDate
				if holiday != "" {
					sess.Reason = holiday
				} else {
					sess.Reason = l.conflictReason(firstConflict)
				}
			}
			for i := firstConflict; i < len(l.out.Conflicts); i++ {
				l.out.Conflicts[i].MovedTo = cand.Start
			}
			l.hold(ci, sess)
			placed = true
			break
		}
		if placed {
			continue
		}
		var reason string
		switch {
		case holiday != "" && c.Policy == SkipBlocked:
			reason = holiday
		case holiday != "" && !conflicted:
			reason = fmt.Sprintf("%s; no free day up to %s", holiday, dateOfDay(limit))
		case holiday != "":
			reason = fmt.Sprintf("%s; %s; no free day up to %s", holiday, l.conflictReason(firstConflict), dateOfDay(limit))
		case conflicted:
			reason = fmt.Sprintf("%s; no free day up to %s", l.conflictReason(firstConflict), dateOfDay(limit))
		default:
			// Unreachable: an unblocked nominal day without conflict is placed.
			reason = "no free day"
		}
		s.Skipped = append(s.Skipped, SkippedSession{Date: nominalDate, Start: o.Start, Local: o.Local, Reason: reason})
	}
	l.out.Placed += len(s.Sessions)
	l.out.Skipped += len(s.Skipped)
}

// occurrences expands c's rule over its window. Circles of one programme
// share a few rules and windows ("Tuesdays at 18:00 in 2027"), so expansions,
// which are most of the cost of a layout, are shared: the slices are only
// read.
func (l *sessionLayouter) occurrences(c Circle) ([]recur.Occurrence, error) {
	key := fmt.Sprintf("%s|%d|%s|%s", c.Rule, c.Rule.Duration, c.Window.From, c.Window.To)
	if occ, ok := l.expanded[key]; ok {
		return occ, nil
	}
	occ, err := c.Rule.OccurrencesIn(c.Window)
	if err != nil {
		return nil, fmt.Errorf("scheduler: circle %s: %w", c.ID, err)
	}
	for k := 1; k < len(occ); k++ {
		if occ[k].Start.Before(occ[k-1].End) {
			return nil, fmt.Errorf("scheduler: circle %s: sessions at %s and %s overlap; shorten the duration (%v) below the gap between sessions: %w",
				c.ID, occ[k-1].Local.Format(time.RFC3339), occ[k].Local.Format(time.RFC3339), c.Rule.Duration, program.ErrInvalid)
		}
	}
	l.expanded[key] = occ
	return occ, nil
}

// conflictReason names the people and circles of the conflicts recorded
// from index first on: "conflict: p-1 in circle c-2, p-4 in circle c-3".
func (l *sessionLayouter) conflictReason(first int) string {
	var b strings.Builder
	b.WriteString("conflict: ")
	for i, cf := range l.out.Conflicts[first:] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s in circle %s", cf.Person, cf.With)
	}
	return b.String()
}

// overlapping returns person p's placed sessions that overlap [st, en), by
// start. Because they are disjoint and sorted by start, their ends are sorted
// too, so only the run just before the first session starting at or after en
// can overlap: a binary search and a look back at the neighbours.
func (l *sessionLayouter) overlapping(p int32, st, en int64) []busy {
	bs := l.busy[p]
	i, _ := slices.BinarySearchFunc(bs, en, func(b busy, t int64) int { return cmp.Compare(b.start, t) })
	j := i
	for j > 0 && bs[j-1].end > st {
		j--
	}
	return bs[j:i]
}

func (l *sessionLayouter) book(p int32, b busy) {
	bs := l.busy[p]
	i, _ := slices.BinarySearchFunc(bs, b.start, func(x busy, t int64) int { return cmp.Compare(x.start, t) })
	l.busy[p] = slices.Insert(bs, i, b)
}

// atDay returns occurrence o moved to day number day at the same local
// wall-clock time, read by recur's rule for times that do not exist or happen
// twice.
func atDay(o recur.Occurrence, day int, loc *time.Location, d time.Duration) recur.Occurrence {
	hh, mm, ss := o.Local.Clock()
	date := dateOfDay(day)
	t, shifted := recur.At(date.Year, date.Month, date.Day, hh, mm, ss, loc)
	return recur.Occurrence{Start: t.UTC(), End: t.Add(d).UTC(), Local: t.In(loc), Shifted: shifted}
}
