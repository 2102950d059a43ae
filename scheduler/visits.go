package scheduler

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher/lap"
)

// Blocked reports whether a day is closed to activities — a public holiday or
// a programme blackout — and, if so, why ("Independence Day"), so that an
// unplaceable event can say which day stopped it. The scheduler takes it as a
// function rather than importing scheduler/holidays so that the layout stays
// independent of how holidays are computed and tests can block any day.
// A nil Blocked blocks nothing.
type Blocked func(program.Date) (reason string, blocked bool)

func (b Blocked) check(d program.Date) (string, bool) {
	if b == nil {
		return "", false
	}
	return b(d)
}

// ErrUnplaceable reports an activity for which no date satisfies its rules.
// Layouts report such activities in their result rather than failing; the
// single-activity functions (PlaceInternship, MeetingDay) return it wrapped in
// an *UnplaceableError.
var ErrUnplaceable = errors.New("scheduler: cannot be placed")

// UnplaceableError says which activity could not be placed and why.
type UnplaceableError struct {
	ID     string // the activity's id: a visit, internship or meeting
	Reason string // what blocked it and what to change
}

// Error returns "scheduler: ID: cannot be placed: REASON".
func (e *UnplaceableError) Error() string {
	return fmt.Sprintf("scheduler: %s: cannot be placed: %s", e.ID, e.Reason)
}

// Unwrap returns ErrUnplaceable.
func (e *UnplaceableError) Unwrap() error { return ErrUnplaceable }

// Day arithmetic is done on day numbers (days since 1970-01-01) because
// program.Date has no arithmetic of its own, and midnight UTC has no
// daylight-saving jumps, so consecutive days differ by exactly 86,400 s.
func dayNumber(d program.Date) int { return int(d.In(time.UTC).Unix() / 86400) }

func dateOfDay(n int) program.Date { return program.DateOf(time.Unix(int64(n)*86400, 0).UTC()) }

// weekdayOf returns the weekday of day number n; 1970-01-01 was a Thursday.
func weekdayOf(n int) time.Weekday { return time.Weekday(((n % 7) + 7 + 4) % 7) }

func isWorkingDay(n int) bool {
	wd := weekdayOf(n)
	return wd != time.Saturday && wd != time.Sunday
}

// TravelDays returns the days of travel each way for a trip of distanceKm:
// one day per started 300 km, the distance a minibus covers on Georgian
// mountain roads in a working day. Zero, negative and NaN distances need no
// travel day.
func TravelDays(distanceKm float64) int {
	if !(distanceKm > 0) {
		return 0
	}
	return int(math.Ceil(distanceKm / 300))
}

// Visit is one visit of a community by a CSO leader: the K-th (from 0) of the
// N visits the community wants in the year. A community whose N visits are
// shared by several leaders lists one Visit per visit, each with its leader.
type Visit struct {
	Community program.CommunityID
	Leader    program.ParticipantID
	K, N      int
	// OnSiteDays is how many days the visit itself lasts; 0 means 1.
	OnSiteDays int
	// TravelDays is the days of travel each way, before and after the visit;
	// TravelDays(distanceKm) computes it from the distance.
	TravelDays int
	// Previous is the first day of the visit's span (its Depart) in the
	// previous layout; zero when it had none. PlaceVisits prefers to leave
	// it there (see "Previous layout" there).
	Previous program.Date
}

// ID names the visit as COMMUNITY#k/N, with k counted from 1, in errors and
// reports.
func (v Visit) ID() string { return fmt.Sprintf("%s#%d/%d", v.Community, v.K+1, v.N) }

func (v Visit) onSite() int { return max(v.OnSiteDays, 1) }

// span is how many consecutive days the visit takes the leader away.
func (v Visit) span() int { return 2*v.TravelDays + v.onSite() }

// VisitInput is what PlaceVisits lays out.
type VisitInput struct {
	// Year is the calendar year; every visit, travel included, lies in it.
	Year   int
	Visits []Visit
	// Availability lists each leader's availability windows; a leader with
	// none is always available. A leader's own days off are gaps between
	// windows. A visit's whole span, travel days included, must lie in them.
	Availability map[program.ParticipantID][]program.Window
	// Blocked closes days (holidays, blackouts) to every day of a visit's
	// span: nobody travels to a community on Easter Monday either.
	Blocked Blocked
	// MaxNodes bounds the branch-and-bound search of each leader; 0 means
	// DefaultMaxNodes. A leader whose search stops at the bound gets the best
	// layout found and is listed in VisitLayout.Unproven.
	MaxNodes int
}

// DefaultMaxNodes is the default bound on branch-and-bound nodes per leader.
// A node is one assignment solve on a few rows by about 370 columns, some
// 50 µs, so the bound caps a leader at a few tens of milliseconds. Leaders
// whose visits have distinct ideal dates need a few nodes; a leader with
// several visits sharing one ideal date (communities wanting the same N)
// can need far more, because the interchangeable visits make symmetric
// subtrees, and then keeps the best layout found.
const DefaultMaxNodes = 500

// PlacedVisit is a visit with its dates.
type PlacedVisit struct {
	Visit
	Index  int          // position in VisitInput.Visits
	Depart program.Date // first travel day (the visit day when no travel)
	Start  program.Date // first day on site
	Return program.Date // last day of the span, travel back included
	Ideal  program.Date // the evenly spaced target for the first day on site
	// Deviation is |Start − Ideal| in days.
	Deviation int
	// Kept reports that the visit departs on its Previous day.
	Kept bool
}

// UnplacedVisit is a visit that could not be placed, with the reason.
type UnplacedVisit struct {
	Visit
	Index  int
	Reason string
	// Conflicts names the visits of the same leader whose spans took every
	// free start this visit had; empty when it had no free start at all.
	Conflicts []string
}

// VisitLayout is the result of PlaceVisits.
type VisitLayout struct {
	Placed   []PlacedVisit   // in input order
	Unplaced []UnplacedVisit // in input order
	// Deviation is the total deviation of the placed visits, in days.
	Deviation int
	// Kept counts the placed visits that depart on their Previous day.
	Kept int
	// Nodes counts branch-and-bound nodes (assignment solves) over all
	// leaders; it depends only on the input.
	Nodes int
	// Unproven lists, sorted, the leaders whose search hit MaxNodes: their
	// layout is valid but not proven optimal.
	Unproven []program.ParticipantID
}

// PlaceVisits lays out community visits over a year.
//
// # Rules
//
// Visit k of a community wanting N visits has the ideal first day on site
// yearStart + (k+½)·365/N days, rounded to the nearest day (halves up), so
// the visits are spread evenly with spacing 365/N (365 also in leap years:
// the rule, and 31 December stays usable). A visit takes its leader
// away for span = 2·TravelDays + OnSiteDays consecutive days; every one of
// them must lie in the year and in the leader's availability and must not
// be blocked. A leader's spans never overlap, travel included.
//
// # Objective and formulation
//
// Per leader (leaders do not interact), PlaceVisits places as many visits as
// possible; among those layouts it moves as few visits as possible from
// their Previous day (see below); among those it minimises
// Σ|first day on site − ideal|. It is solved exactly by branch and bound
// over linear assignments (lap.Solve): rows are the leader's n visits;
// columns are the days of the year as start days plus one private
// "unplaced" column per visit. Cell (i, s) is allowed when visit i's span
// starting on s is free, with cost
//
//	|s + TravelDays_i − ideal_i| + K·[visit i has a previous start p_i, free for it, and s ≠ p_i]
//
// and visit i's unplaced column costs U + K·[i has such a p_i], with
// K = n·(days+max span)+1, more than any total deviation, and U = (n+1)·K,
// more than n moves plus any total deviation. A layout's cost is thus
// U·unplaced + K·moved + deviation with every term below the unit of the
// one before, so minimising the sum minimises the three in that order. A
// leader has at most 366 visits (see Errors), so U < 10^8, far inside
// lap's bound on costs. Without the non-overlap rule this is a plain
// assignment, so its optimum is a lower bound. When the solution has two
// overlapping spans, let b be the later-starting one and t
// its start day (covered by both), and split: either b's span does not cover
// t (its starts in [t−span_b+1, t] are forbidden), or it does and no other
// visit's does (b is held to those starts, the others lose theirs). The two
// branches partition the layouts without overlap, so the search — depth
// first, pruning nodes whose bound reaches the best layout found — returns
// an optimal layout when it finishes. A plain assignment cannot be exact
// alone: spans of several days make "no overlap" a packing constraint, not
// a one-per-column one; slotting the year into disjoint blocks would make
// it one but would move visits off their ideal days.
//
// The search is seeded with a valid layout (visits with a previous start
// first, then the others, each group in order of ideal date, each visit at
// its cheapest start clear of those already placed, which is its previous
// start when that is clear), so pruning starts at once and a leader whose
// search reaches MaxNodes still gets a valid layout, listed in Unproven.
// Leaders whose visits have distinct ideal dates finish in a few nodes; several visits of one leader sharing an ideal
// date are interchangeable and make the tree symmetric, which is what the
// node bound is for.
//
// Ties are broken deterministically: leaders in order of id, visits in input
// order, and lap.Solve's lowest-index rule.
//
// # Previous layout
//
// Visit.Previous is the day a visit departed on in the previous layout.
// Moving a visit means new travel plans for its leader and a new date for
// its community, so a re-run after a change (a visit added, a blackout, a
// leader's availability cut) keeps every visit whose previous span is still
// free and clear of the other kept ones, unless keeping it would leave a
// visit unplaced that could otherwise be placed; the term K above does
// this exactly, not greedily, for each leader. A previous day that is no
// longer free (blocked, outside the year or the leader's availability) adds
// K to every layout alike and so does not count. PlanYear names visits
// "K-of-N", so when a community's number of visits N changes, all its
// visits are new ones and none is kept.
//
// # Errors
//
// Bad input — a year outside 1..9999, N < 1, K outside [0, N), negative days,
// an empty community or leader, the same community visit listed twice, a
// leader with more visits than a year has days (they could not all take
// place, and the bound keeps the costs above exact), a window that ends
// before it starts — is an error wrapping program.ErrInvalid that names the
// visit or leader. Visits that cannot be placed are not
// errors: they are in VisitLayout.Unplaced with the reason.
func PlaceVisits(in VisitInput) (*VisitLayout, error) {
	if in.Year < 1 || in.Year > 9999 {
		return nil, fmt.Errorf("scheduler: year %d is outside 1..9999; give a calendar year: %w", in.Year, program.ErrInvalid)
	}
	if err := checkVisits(in); err != nil {
		return nil, err
	}
	first := dayNumber(program.Date{Year: in.Year, Month: time.January, Day: 1})
	days := dayNumber(program.Date{Year: in.Year + 1, Month: time.January, Day: 1}) - first

	// Blocked is consulted once per day of the year, not once per visit, so
	// an expensive holiday function costs the same for 5 or 500 visits.
	blocked := make([]bool, days)
	for d := range days {
		_, blocked[d] = in.Blocked.check(dateOfDay(first + d))
	}

	byLeader := map[program.ParticipantID][]int{}
	var leaders []program.ParticipantID
	for i, v := range in.Visits {
		if _, ok := byLeader[v.Leader]; !ok {
			leaders = append(leaders, v.Leader)
		}
		byLeader[v.Leader] = append(byLeader[v.Leader], i)
	}
	slices.Sort(leaders)

	out := &VisitLayout{}
	placed := make([]int, len(in.Visits)) // start day index, or -1 when unplaced
	conflicts := make([][]string, len(in.Visits))
	reasons := make([]string, len(in.Visits))
	maxNodes := in.MaxNodes
	if maxNodes <= 0 {
		maxNodes = DefaultMaxNodes
	}
	for _, leader := range leaders {
		lp := newLeaderProblem(in, leader, byLeader[leader], first, days, blocked)
		nodes, proven := lp.solve(maxNodes)
		out.Nodes += nodes
		if !proven {
			out.Unproven = append(out.Unproven, leader)
		}
		lp.report(placed, reasons, conflicts)
	}

	for i, v := range in.Visits {
		if placed[i] < 0 {
			out.Unplaced = append(out.Unplaced, UnplacedVisit{Visit: v, Index: i, Reason: reasons[i], Conflicts: conflicts[i]})
			continue
		}
		s := placed[i]
		ideal := idealDay(v)
		dev := abs(s + v.TravelDays - ideal)
		out.Deviation += dev
		p := PlacedVisit{
			Visit:     v,
			Index:     i,
			Depart:    dateOfDay(first + s),
			Start:     dateOfDay(first + s + v.TravelDays),
			Return:    dateOfDay(first + s + v.span() - 1),
			Ideal:     dateOfDay(first + ideal),
			Deviation: dev,
		}
		if p.Kept = p.Depart == v.Previous; p.Kept {
			out.Kept++
		}
		out.Placed = append(out.Placed, p)
	}
	return out, nil
}

func checkVisits(in VisitInput) error {
	seen := map[string]int{}
	for i, v := range in.Visits {
		id := v.ID()
		switch {
		case v.Community == "":
			return fmt.Errorf("scheduler: visit %d has no community; give each visit its community id: %w", i, program.ErrInvalid)
		case v.Leader == "":
			return fmt.Errorf("scheduler: visit %s has no leader; assign a leader before scheduling: %w", id, program.ErrInvalid)
		case v.N < 1:
			return fmt.Errorf("scheduler: visit %s: N = %d visits a year; give N ≥ 1: %w", id, v.N, program.ErrInvalid)
		case v.K < 0 || v.K >= v.N:
			return fmt.Errorf("scheduler: visit %s: K = %d is outside 0..%d; number a community's visits from 0 to N−1: %w", id, v.K, v.N-1, program.ErrInvalid)
		case v.OnSiteDays < 0 || v.TravelDays < 0:
			return fmt.Errorf("scheduler: visit %s: negative days (on site %d, travel %d); give 0 or more: %w", id, v.OnSiteDays, v.TravelDays, program.ErrInvalid)
		case v.span() > 366:
			return fmt.Errorf("scheduler: visit %s takes %d days, longer than a year; shorten the visit or its travel: %w", id, v.span(), program.ErrInvalid)
		}
		if j, dup := seen[id]; dup {
			return fmt.Errorf("scheduler: visit %s is listed twice (positions %d and %d); list each community visit once: %w", id, j, i, program.ErrInvalid)
		}
		seen[id] = i
	}
	perLeader := map[program.ParticipantID]int{}
	for _, v := range in.Visits {
		if perLeader[v.Leader]++; perLeader[v.Leader] > 366 {
			return fmt.Errorf("scheduler: leader %s has more than 366 visits, more than a year has days; give the visits to other leaders: %w", v.Leader, program.ErrInvalid)
		}
		for _, w := range in.Availability[v.Leader] {
			if !w.Ordered() {
				return fmt.Errorf("scheduler: leader %s: availability window %s..%s ends before it starts; swap or fix the dates: %w", v.Leader, w.From, w.To, program.ErrInvalid)
			}
		}
	}
	return nil
}

// idealDay returns visit k's ideal first day on site as a day of the year
// from 0: round((k+½)·365/N) = ⌊((2k+1)·365 + N) / 2N⌋.
func idealDay(v Visit) int { return ((2*v.K+1)*365 + v.N) / (2 * v.N) }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// leaderProblem is one leader's visits, solved by branch and bound on
// assignments (see PlaceVisits).
type leaderProblem struct {
	in       VisitInput
	idx      []int // input indices of the visits still to place (rows)
	span     []int
	cost     [][]int // cost[r][s], the K term included; -1 when start s is not free for row r
	prev     []int   // previous start per row, when free for it; -1 otherwise
	days     int
	unplaced []int64 // unplaced column's cost per row, U + K·[prev ≥ 0]
	m        *lap.Matrix
	best     []int // start per row, -1 unplaced
	bestC    int64
	nodes    int
	stop     bool
	noFree   []int // input indices with no free start at all
}

func newLeaderProblem(in VisitInput, leader program.ParticipantID, idx []int, first, days int, blocked []bool) *leaderProblem {
	windows := in.Availability[leader]
	free := make([]bool, days)
	for d := range days {
		if blocked[d] {
			continue
		}
		if len(windows) == 0 {
			free[d] = true
			continue
		}
		date := dateOfDay(first + d)
		for _, w := range windows {
			if w.Contains(date) {
				free[d] = true
				break
			}
		}
	}
	// run[d] is how many consecutive free days start at d, so a span of L
	// days may start at s exactly when run[s] ≥ L.
	run := make([]int, days+1)
	for d := days - 1; d >= 0; d-- {
		if free[d] {
			run[d] = run[d+1] + 1
		}
	}

	lp := &leaderProblem{in: in, days: days}
	maxSpan := 0
	for _, i := range idx {
		v := in.Visits[i]
		row := make([]int, days)
		hasFree := false
		ideal := idealDay(v)
		for s := range days {
			row[s] = -1
			if run[s] >= v.span() {
				row[s] = abs(s + v.TravelDays - ideal)
				hasFree = true
			}
		}
		if !hasFree {
			lp.noFree = append(lp.noFree, i)
			continue
		}
		prev := -1
		if !v.Previous.IsZero() {
			if p := dayNumber(v.Previous) - first; p >= 0 && p < days && row[p] >= 0 {
				prev = p
			}
		}
		lp.idx = append(lp.idx, i)
		lp.span = append(lp.span, v.span())
		lp.cost = append(lp.cost, row)
		lp.prev = append(lp.prev, prev)
		maxSpan = max(maxSpan, v.span())
	}
	// The lexicographic weights of PlaceVisits' doc: K above any total
	// deviation, U above n moves plus any total deviation.
	n := len(lp.idx)
	k := n*(days+maxSpan) + 1
	u := int64(n+1) * int64(k)
	lp.unplaced = make([]int64, n)
	for r, p := range lp.prev {
		lp.unplaced[r] = u
		if p < 0 {
			continue
		}
		lp.unplaced[r] += int64(k)
		for s, c := range lp.cost[r] {
			if c >= 0 && s != p {
				lp.cost[r][s] = c + k
			}
		}
	}
	return lp
}

// solve runs the branch and bound and reports the nodes used and whether
// the search finished (so the layout is proven optimal).
func (lp *leaderProblem) solve(maxNodes int) (nodes int, proven bool) {
	n := len(lp.idx)
	if n == 0 {
		return 0, true
	}
	lp.m = lap.NewMatrix(n, lp.days+n)
	for r := range n {
		for s, c := range lp.cost[r] {
			if c < 0 {
				lp.m.Forbid(r, s)
			} else {
				lp.m.Set(r, s, int64(c))
			}
		}
		for q := range n {
			if q == r {
				lp.m.Set(r, lp.days+q, lp.unplaced[r])
			} else {
				lp.m.Forbid(r, lp.days+q)
			}
		}
	}
	lp.best, lp.bestC = lp.seed()
	lp.branch(maxNodes)
	return lp.nodes, !lp.stop
}

// seed places the visits with a previous start and then the others, each
// group in order of ideal date, each visit at its cheapest free start not
// overlapping those already placed (its previous start when that is
// clear): a valid layout whose cost starts the pruning. It only seeds the
// exact search.
func (lp *leaderProblem) seed() ([]int, int64) {
	n := len(lp.idx)
	order := make([]int, n)
	for r := range order {
		order[r] = r
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if pa, pb := lp.prev[a] >= 0, lp.prev[b] >= 0; pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return idealDay(lp.in.Visits[lp.idx[a]]) - idealDay(lp.in.Visits[lp.idx[b]])
	})
	start := make([]int, n)
	var total int64
	for _, r := range order {
		start[r] = -1
		bestCost := -1
		for s, c := range lp.cost[r] {
			if c < 0 || (bestCost >= 0 && c >= bestCost) {
				continue
			}
			ok := true
			for q := range n {
				if start[q] >= 0 && q != r && overlaps(s, lp.span[r], start[q], lp.span[q]) {
					ok = false
					break
				}
			}
			if ok {
				start[r], bestCost = s, c
			}
		}
		if start[r] < 0 {
			total += lp.unplaced[r]
		} else {
			total += int64(bestCost)
		}
	}
	return start, total
}

func overlaps(s1, l1, s2, l2 int) bool { return s1 < s2+l2 && s2 < s1+l1 }

type cell struct {
	r, c int
	cost int64
}

// forbid forbids (r, c) if allowed and records it in undo.
func (lp *leaderProblem) forbid(r, c int, undo []cell) []cell {
	if cost, ok := lp.m.At(r, c); ok {
		lp.m.Forbid(r, c)
		undo = append(undo, cell{r, c, cost})
	}
	return undo
}

func (lp *leaderProblem) restore(undo []cell) {
	for _, u := range undo {
		lp.m.Set(u.r, u.c, u.cost)
	}
}

func (lp *leaderProblem) branch(maxNodes int) {
	if lp.nodes >= maxNodes {
		lp.stop = true
		return
	}
	lp.nodes++
	sol, err := lap.Solve(lp.m, nil)
	if err != nil || sol.Cost >= lp.bestC {
		// Infeasible cannot happen while every unfixed row keeps its
		// unplaced column; either way nothing better lies below this node.
		return
	}
	n := len(lp.idx)
	start := make([]int, n)
	var rows []int
	for r, c := range sol.RowToCol {
		start[r] = -1
		if c < lp.days {
			start[r] = c
			rows = append(rows, r)
		}
	}
	slices.SortFunc(rows, func(a, b int) int {
		if start[a] != start[b] {
			return start[a] - start[b]
		}
		return a - b
	})
	// Sorted by start, some two spans overlap exactly when two neighbours do.
	b := -1
	for k := 1; k < len(rows); k++ {
		p, q := rows[k-1], rows[k]
		if overlaps(start[p], lp.span[p], start[q], lp.span[q]) {
			b = q
			break
		}
	}
	if b < 0 {
		lp.best, lp.bestC = start, sol.Cost
		return
	}
	// Both spans cover day t, the later start; in a layout without overlap
	// at most one visit covers it. Split into "b does not cover t" and "b
	// covers t and no other visit does": the two partition the layouts, and
	// each forbids whole ranges of starts, which cuts far deeper than
	// forbidding the one cell the relaxation chose.
	t := start[b]
	var undo []cell
	for c := max(0, t-lp.span[b]+1); c <= t; c++ {
		undo = lp.forbid(b, c, undo)
	}
	lp.branch(maxNodes)
	lp.restore(undo)
	if lp.stop {
		return
	}
	undo = undo[:0]
	for c := range lp.days + n {
		if c < t-lp.span[b]+1 || c > t {
			undo = lp.forbid(b, c, undo)
		}
	}
	for r := range n {
		if r != b {
			for c := max(0, t-lp.span[r]+1); c <= t; c++ {
				undo = lp.forbid(r, c, undo)
			}
		}
	}
	lp.branch(maxNodes)
	lp.restore(undo)
}

// report writes the leader's starts and reasons into the layout's arrays.
func (lp *leaderProblem) report(placed []int, reasons []string, conflicts [][]string) {
	for _, i := range lp.noFree {
		v := lp.in.Visits[i]
		placed[i] = -1
		reasons[i] = fmt.Sprintf("no free day in the window: leader %s has no %d consecutive days in %d inside the availability windows and clear of holidays and blackouts; widen the leader's availability, shorten the visit or reassign it", v.Leader, v.span(), lp.in.Year)
	}
	for r, i := range lp.idx {
		placed[i] = lp.best[r]
		if lp.best[r] >= 0 {
			continue
		}
		v := lp.in.Visits[i]
		var ids []string
		for q, i2 := range lp.idx {
			if lp.best[q] < 0 {
				continue
			}
			for s, c := range lp.cost[r] {
				if c >= 0 && overlaps(s, lp.span[r], lp.best[q], lp.span[q]) {
					ids = append(ids, lp.in.Visits[i2].ID())
					break
				}
			}
		}
		conflicts[i] = ids
		reasons[i] = fmt.Sprintf("conflict: every free start of leader %s overlaps visit %s; give the visit another leader or widen the leader's availability", v.Leader, strings.Join(ids, ", "))
	}
}
