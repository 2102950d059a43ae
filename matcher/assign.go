package matcher

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/khidi/khidi/matcher/flow"
)

// ScoreScale turns scores into the integer costs the flow solver works in:
// a score s ∈ [0, 1] counts as round(s·ScoreScale) units, and Solve is exact
// in those units. Scores are weighted means of features computed in float64,
// so digits beyond the sixth are noise of the feature formulas, not
// differences a manager could act on; a finer scale would only shrink the
// largest round that fits flow's cost range (see Solve).
const ScoreScale = 1_000_000

// flowCostBudget is matcher/flow's bound on (nodes+2)·max|cost| (2^58, see
// its package documentation). Solve checks it before building the network,
// so that a round too large for exact scaling is refused with a message about
// the round rather than about one arc.
const flowCostBudget = 1 << 58

// quotaSlack absorbs floating-point error in the quota bounds ⌈Min·T⌉ and
// ⌊Max·T⌋: shares such as 0.6 have no exact binary form, so 0.6·5 may come
// out a hair above or below 3. A billionth is far below 1/T for any round
// that fits in memory, so it never moves a bound that is not an integer.
const quotaSlack = 1e-9

// maxAmount bounds Side.Amount so that the supplies and capacities of the
// flow network stay far inside flow's range whatever the number of sides.
const maxAmount = 1 << 24

// Errors returned by Solve and Repair, wrapped with the detail; test for them
// with errors.Is.
var (
	// ErrInvalidProblem reports a Problem that breaks its own contract: an
	// index out of range, candidates out of order, a score outside [0, 1],
	// a negative amount, a bad quota.
	ErrInvalidProblem = errors.New("matcher: invalid problem")
	// ErrPinConflict reports pins (or, in Repair, accepted offers) that
	// cannot all be matched together: more of them at one side than it
	// has places, or a pin on a pair that was declined. *PinError carries
	// the detail when it is about capacity.
	ErrPinConflict = errors.New("matcher: pins cannot all hold")
	// ErrQuotaInfeasible reports quotas that no assignment can meet;
	// *QuotaError carries the quota, its group and what to relax.
	ErrQuotaInfeasible = errors.New("matcher: quotas cannot be met")
)

// Assignment is a solution of a Problem: the candidate pairs matched, with
// what the solver proved about them.
type Assignment struct {
	// Matched are the indices into Problem.Candidates of the pairs
	// matched, ascending (so grouped by left side).
	Matched []int `json:"matched"`
	// Score is the total score of the matched pairs, summed in the order
	// of Matched.
	Score float64 `json:"score"`
	// Prices is, per right side, the price of one of its places in score
	// units: the dual value of its capacity in the optimal flow. It is 0
	// where a place is free; at a full host it is the score a newcomer
	// with no other option would need there to displace someone (up to
	// 1/ScoreScale). Nil for assignments Solve and Repair did not make.
	Prices []float64 `json:"prices,omitempty"`
	// Base is T, the number of matches of the optimal assignment without
	// quotas, from which the quotas' bounds are computed (see Solve).
	Base int `json:"base"`
	// Quotas reports, for every quota that bounds anything, the bounds
	// applied and the matches its group received, in Problem.Quotas order.
	Quotas []QuotaOutcome `json:"quotas,omitempty"`
	// Pivots counts the network simplex pivots over every solve made.
	Pivots int `json:"pivots"`
}

// QuotaOutcome is how one quota of Problem.Quotas came out.
type QuotaOutcome struct {
	Quota int `json:"quota"` // index into Problem.Quotas
	// Min and Max are the bounds on the group's matches: ⌈Min·T⌉ and
	// ⌊Max·T⌋; Max is −1 when the quota sets no upper bound.
	Min     int `json:"min"`
	Max     int `json:"max"`
	Matched int `json:"matched"` // matches of the group's left sides
	Members int `json:"members"` // left sides in the group
}

// Solve returns an assignment of p of greatest total score.
//
// With x_e ∈ {0, 1} for each candidate e = (l, r) of score s_e, it
// maximises Σ round(s_e·ScoreScale)·x_e subject to Σ_{e∋l} x_e ≤ Amount_l
// for every left side, Σ_{e∋r} x_e ≤ Amount_r for every right side, x_e = 1
// for every pin, and the quota bounds below. Staying unmatched is allowed:
// a candidate is only matched when that adds score. Among assignments of
// equal score it makes the most matches (costs are −(units·W + 1) with W
// more than the matches possible, so the score part always dominates), which
// also makes T below well defined.
//
// Quotas are solved exactly inside the flow model. Solve first solves
// without quotas and counts T, the matches made. A quota's group is the set
// of left sides whose region is listed (or, with Outside, not listed); it
// must then receive between ⌈Min·T⌉ and ⌊Max·T⌋ matches, counting a side
// with Amount 2 and two matches twice (Min 0 sets no lower bound, Max 0 or 1
// no upper bound). The bound is put on the group's unmatched units: their
// arcs to the sink pass through a node U_g whose own arc carries between
// supply_g − ⌊Max·T⌋ and supply_g − ⌈Min·T⌉ units, supply_g being the
// group's total Amount. The groups must be nested or disjoint (a laminar
// family, so the U_g form a tree); overlapping quotas are refused. The
// quotas apply to the number of matches, not to the score, and T is fixed:
// the assignment with quotas may make more or fewer than T matches.
//
// Network: left nodes (supply Amount), right nodes, a sink, one node per
// quota; unit arcs for candidates (lower bound 1 when pinned) costing
// −(round(s·ScoreScale)·W + 1), right → sink arcs of capacity Amount, and
// left → sink (or U_g) arcs of capacity Amount and cost 0 for staying
// unmatched. It is solved by flow.MinCostFlow (network simplex), exactly in
// integers. flow requires (nodes+2)·max|cost| ≤ 2^58; with max|cost| =
// ScoreScale·W + 1 this allows, for instance, 500000 sides with up to
// 500000 possible matches (a national round of 105000 sides and 100000
// matches uses a 27th of it), and a round beyond it gets an error wrapping
// flow.ErrCostRange.
//
// Errors: ErrInvalidProblem for a malformed p; ErrPinConflict (a *PinError)
// naming a side whose pins exceed its Amount; ErrQuotaInfeasible (a
// *QuotaError) naming the quota that cannot be met and what to relax.
//
// Solve is deterministic: the same p gives the same Assignment. It takes
// one or two network simplex solves on L+R+1+Q nodes and C+R+L+Q arcs, in
// time roughly proportional to the pivots (a few per unit of supply on
// these networks), and O(C+L+R) memory.
func Solve(p *Problem) (*Assignment, error) {
	m, err := newAssignModel(p, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("solve: %w", err)
	}
	a, err := m.solve(objective{})
	if err != nil {
		return nil, fmt.Errorf("solve: %w", err)
	}
	return a, nil
}

// PinError is the detail of ErrPinConflict when one side has more pinned
// pairs than places.
type PinError struct {
	Right  bool     // the side is a right side (a host), else a left side
	Side   int      // its index into Problem.Left or Problem.Right
	ID     string   // its ID
	Amount int      // its places
	Pins   []int    // the candidates pinned at it, ascending
	Pairs  []string // the pinned pairs as "left→right" IDs, like Pins
}

// Error names the side, its places and every pinned pair.
func (e *PinError) Error() string {
	kind := "left side"
	if e.Right {
		kind = "host"
	}
	return fmt.Sprintf("%v: %s %s takes %d but %d pairs are pinned to it (%s); unpin %d of them or raise its amount",
		ErrPinConflict, kind, e.ID, e.Amount, len(e.Pins), strings.Join(e.Pairs, ", "), len(e.Pins)-e.Amount)
}

// Unwrap returns ErrPinConflict.
func (e *PinError) Unwrap() error { return ErrPinConflict }

// QuotaError is the detail of ErrQuotaInfeasible.
type QuotaError struct {
	// Quota is the index into Problem.Quotas of the quota that cannot be
	// met even alone, or −1 when each can but not all together.
	Quota int
	// Quotas are the indices of every quota that bounds anything, for the
	// joint case.
	Quotas []int
	Base   int // T: the matches made without quotas
	// Min and Max are the bounds on the group's matches (Max −1: none).
	Min, Max int
	// Members are the group's left sides; Places their total Amount;
	// WithCandidates the members with at least one candidate; Candidates
	// their candidate pairs.
	Members, Places, WithCandidates, Candidates int
	// Pinned is the number of the group's matches its pins force; Reachable
	// the most matches the group can get at all, pins respected.
	Pinned, Reachable int
	q                 Quota
}

// Error says which bound fails, why, and what to relax.
func (e *QuotaError) Error() string {
	base := nounCount(e.Base, "match", "matches")
	if e.Quota < 0 {
		return fmt.Sprintf("%v: quotas %s can each be met alone but not all together (%s without quotas); relax one of them",
			ErrQuotaInfeasible, joinInts(e.Quotas), base)
	}
	what := fmt.Sprintf("%v: quota %d (%s)", ErrQuotaInfeasible, e.Quota, describeQuota(e.q))
	switch {
	case e.Max >= 0 && e.Min > e.Max:
		return fmt.Sprintf("%s leaves no whole number of matches out of the %s made without quotas (at least %d, at most %d); widen Min or Max",
			what, base, e.Min, e.Max)
	case e.Min > e.Reachable:
		return fmt.Sprintf("%s needs at least %d of the %s made without quotas, but its %s (%s, %d with candidates, %s) can get at most %d; lower Min to at most %s or give the group more candidates or places",
			what, e.Min, base, nounCount(e.Members, "member", "members"), nounCount(e.Places, "place", "places"),
			e.WithCandidates, nounCount(e.Candidates, "candidate pair", "candidate pairs"), e.Reachable, shareAtMost(e.Reachable, e.Base))
	case e.Max >= 0 && e.Pinned > e.Max:
		return fmt.Sprintf("%s allows at most %d of the %s made without quotas, but pins force %s on its %s; raise Max to at least %s or unpin",
			what, e.Max, base, nounCount(e.Pinned, "match", "matches"), nounCount(e.Members, "member", "members"), shareAtLeast(e.Pinned, e.Base))
	}
	return fmt.Sprintf("%s cannot be met (at least %d, at most %d of %s); relax it", what, e.Min, e.Max, base)
}

// nounCount renders "1 match" or "3 matches".
func nounCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Unwrap returns ErrQuotaInfeasible.
func (e *QuotaError) Unwrap() error { return ErrQuotaInfeasible }

// shareAtMost is the share k/t rounded down to three decimals: a Min at
// most that can be met.
func shareAtMost(k, t int) string {
	if t == 0 {
		return "0"
	}
	return strconv.FormatFloat(math.Floor(float64(k)/float64(t)*1000)/1000, 'f', -1, 64)
}

// shareAtLeast is the share k/t rounded up to three decimals: a Max at
// least that admits k matches.
func shareAtLeast(k, t int) string {
	if t == 0 {
		return "1"
	}
	return strconv.FormatFloat(math.Ceil(float64(k)/float64(t)*1000)/1000, 'f', -1, 64)
}

// describeQuota renders a quota as "outside Tbilisi, at least 0.6".
func describeQuota(q Quota) string {
	var b strings.Builder
	if q.Outside {
		b.WriteString("outside ")
	}
	b.WriteString(strings.Join(q.Regions, ", "))
	if q.Min > 0 {
		fmt.Fprintf(&b, ", at least %g", q.Min)
	}
	if q.Max > 0 && q.Max < 1 {
		fmt.Fprintf(&b, ", at most %g", q.Max)
	}
	return b.String()
}

// joinInts renders indices as "0, 2, 3".
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// quotaCounts reports whether a left side belongs to a quota's group.
func quotaCounts(q *Quota, s *Side) bool {
	return slices.Contains(q.Regions, s.Region) != q.Outside
}

// quotaBounds returns a quota's bounds on its group's matches for T
// matches without quotas; hi is −1 for no upper bound.
func quotaBounds(q *Quota, t int) (lo, hi int) {
	hi = -1
	if hasMin(q) {
		lo = int(math.Ceil(q.Min*float64(t) - quotaSlack))
	}
	if hasMax(q) {
		hi = int(math.Floor(q.Max*float64(t) + quotaSlack))
	}
	return lo, hi
}

// hasMin and hasMax report whether a quota sets a lower or an upper bound:
// a Min of 0 sets none, and neither does a Max of 0 or 1.
func hasMin(q *Quota) bool { return q.Min > 0 }
func hasMax(q *Quota) bool { return q.Max > 0 && q.Max < 1 }

// quotaActive reports whether a quota bounds anything.
func quotaActive(q *Quota) bool { return hasMin(q) || hasMax(q) }

// objective says what an assignModel optimises besides the score: prior
// offers to keep, for Repair.
type objective struct {
	// lexKeep: first keep the most prior offers, then maximise the score.
	lexKeep bool
	// penalty: score units gained per prior offer kept (when not lexKeep).
	penalty int64
}

// assignModel is a validated Problem with the per-candidate data the flow
// networks are built from.
//
// Network layout (node and arc indices are fixed, so arcs can be matched up
// between solves): nodes are the left sides 0..L−1, the right sides
// L..L+R−1, the sink L+R and one node per quota group after it; arcs are the
// candidates (same indices), then left l → sink or its group's node (C+l,
// staying unmatched), then right r → sink (C+L+r), then one arc per group.
// The order matters to the network simplex's block pricing: with the hosts'
// arcs after the unmatched ones it took half the pivots on the benchmark
// family (880 thousand against 1.7 million at 100000 × 5000 × 30).
type assignModel struct {
	p       *Problem
	start   []int   // the candidates of left l are start[l]:start[l+1]
	units   []int64 // per candidate: round(Score·ScoreScale)
	pinned  []bool  // per candidate: lower bound 1
	removed []bool  // per candidate: never matched (Repair); nil for none
	keep    []bool  // per candidate: a prior offer (Repair); nil for none
	weight  int64   // W: more than the most matches possible
	plan    *quotaPlan
}

// newAssignModel validates p and builds the model. extraPins are further
// pinned candidates and removed those never to be matched (both from
// Repair; nil for Solve).
func newAssignModel(p *Problem, extraPins, removed []bool) (*assignModel, error) {
	start, units, err := checkAssignProblem(p)
	if err != nil {
		return nil, err
	}
	m := &assignModel{p: p, start: start, units: units, removed: removed}
	m.pinned = make([]bool, len(p.Candidates))
	for i, e := range p.Pins {
		if e < 0 || e >= len(p.Candidates) {
			return nil, fmt.Errorf("%w: pin %d: candidate %d out of range [0, %d)", ErrInvalidProblem, i, e, len(p.Candidates))
		}
		if m.pinned[e] {
			return nil, fmt.Errorf("%w: pin %d: candidate %d (%s) pinned twice", ErrInvalidProblem, i, e, pairName(p, e))
		}
		m.pinned[e] = true
	}
	for e, x := range extraPins {
		m.pinned[e] = m.pinned[e] || x
	}
	for e := range removed {
		if removed[e] && m.pinned[e] {
			return nil, fmt.Errorf("%w: pair %s is pinned but its offer ended (declined, expired or withdrawn); unpin it", ErrPinConflict, pairName(p, e))
		}
	}
	if err := m.checkPins(); err != nil {
		return nil, err
	}
	m.plan, err = newQuotaPlan(p)
	if err != nil {
		return nil, err
	}
	// W = (the most matches possible) + 1, bounded by what each side can
	// take given its candidates.
	var byLeft, byRight int64
	deg := make([]int, len(p.Right))
	for l, s := range p.Left {
		d := 0
		for e := start[l]; e < start[l+1]; e++ {
			if !m.isRemoved(e) {
				d++
				deg[p.Candidates[e].Right]++
			}
		}
		byLeft += int64(min(s.Amount, d))
	}
	for r, s := range p.Right {
		byRight += int64(min(s.Amount, deg[r]))
	}
	m.weight = min(byLeft, byRight) + 1
	return m, nil
}

// isRemoved reports whether candidate e may never be matched.
func (m *assignModel) isRemoved(e int) bool { return m.removed != nil && m.removed[e] }

// checkAssignProblem checks p's contract and returns the candidate ranges
// per left side and the scores in units.
func checkAssignProblem(p *Problem) (start []int, units []int64, err error) {
	if p == nil {
		return nil, nil, fmt.Errorf("%w: nil problem", ErrInvalidProblem)
	}
	for i, s := range p.Left {
		if s.Amount < 0 || s.Amount > maxAmount {
			return nil, nil, fmt.Errorf("%w: left side %d (%s): amount %d outside [0, %d]", ErrInvalidProblem, i, s.ID, s.Amount, maxAmount)
		}
	}
	for i, s := range p.Right {
		if s.Amount < 0 || s.Amount > maxAmount {
			return nil, nil, fmt.Errorf("%w: right side %d (%s): amount %d outside [0, %d]", ErrInvalidProblem, i, s.ID, s.Amount, maxAmount)
		}
	}
	start = make([]int, len(p.Left)+1)
	units = make([]int64, len(p.Candidates))
	for e, c := range p.Candidates {
		if c.Left < 0 || c.Left >= len(p.Left) || c.Right < 0 || c.Right >= len(p.Right) {
			return nil, nil, fmt.Errorf("%w: candidate %d: pair (%d, %d) outside %d left and %d right sides", ErrInvalidProblem, e, c.Left, c.Right, len(p.Left), len(p.Right))
		}
		if e > 0 {
			prev := p.Candidates[e-1]
			if prev.Left > c.Left || prev.Left == c.Left && prev.Right >= c.Right {
				return nil, nil, fmt.Errorf("%w: candidate %d (%s) after candidate %d (%s): candidates must be sorted by (left, right) with no pair twice", ErrInvalidProblem, e, pairName(p, e), e-1, pairName(p, e-1))
			}
		}
		u := math.Round(c.Score * ScoreScale)
		if !(u >= 0 && u <= ScoreScale) { // also false for NaN
			return nil, nil, fmt.Errorf("%w: candidate %d (%s): score %v outside [0, 1]", ErrInvalidProblem, e, pairName(p, e), c.Score)
		}
		units[e] = int64(u)
		start[c.Left+1]++
	}
	for l := range p.Left {
		start[l+1] += start[l]
	}
	for i, q := range p.Quotas {
		if !(q.Min >= 0 && q.Min <= 1) || !(q.Max >= 0 && q.Max <= 1) {
			return nil, nil, fmt.Errorf("%w: quota %d: Min %v and Max %v must be shares in [0, 1]", ErrInvalidProblem, i, q.Min, q.Max)
		}
		if q.Max > 0 && q.Max < 1 && q.Min > q.Max {
			return nil, nil, fmt.Errorf("%w: quota %d: Min %v exceeds Max %v", ErrInvalidProblem, i, q.Min, q.Max)
		}
	}
	return start, units, nil
}

// sideName is a side's ID, or its index when the ID is empty.
func sideName(s []Side, i int, kind string) string {
	if s[i].ID != "" {
		return s[i].ID
	}
	return kind + " " + strconv.Itoa(i)
}

// pairName renders candidate e as "p-1→o-2".
func pairName(p *Problem, e int) string {
	c := p.Candidates[e]
	return sideName(p.Left, c.Left, "left") + "→" + sideName(p.Right, c.Right, "right")
}

// checkPins reports the first side, left sides first, with more pins than
// places. Pins within the amounts can always all hold at once: staying
// unmatched is allowed for everything else.
func (m *assignModel) checkPins() error {
	p := m.p
	for l, s := range p.Left {
		var pins []int
		for e := m.start[l]; e < m.start[l+1]; e++ {
			if m.pinned[e] {
				pins = append(pins, e)
			}
		}
		if len(pins) > s.Amount {
			return m.pinError(false, l, pins)
		}
	}
	count := make([]int, len(p.Right))
	for e, c := range p.Candidates {
		if m.pinned[e] {
			count[c.Right]++
		}
	}
	for r, s := range p.Right {
		if count[r] > s.Amount {
			var pins []int
			for e, c := range p.Candidates {
				if m.pinned[e] && c.Right == r {
					pins = append(pins, e)
				}
			}
			return m.pinError(true, r, pins)
		}
	}
	return nil
}

// pinError builds the PinError of side i (a host if right).
func (m *assignModel) pinError(right bool, i int, pins []int) *PinError {
	side := m.p.Left
	kind := "left"
	if right {
		side, kind = m.p.Right, "right"
	}
	e := &PinError{Right: right, Side: i, ID: sideName(side, i, kind), Amount: side[i].Amount, Pins: pins}
	for _, c := range pins {
		e.Pairs = append(e.Pairs, pairName(m.p, c))
	}
	return e
}

// quotaPlan is the tree of quota groups: groups ordered by size (then quota
// index), each group's node feeding the node of the smallest group that
// contains it, or the sink.
type quotaPlan struct {
	groups []quotaGroup
	node   []int // per left side: its smallest group, −1 for none
}

// quotaGroup is one active quota's group of left sides.
type quotaGroup struct {
	quota   int    // index into Problem.Quotas
	member  []bool // per left side
	members int
	supply  int64 // Σ Amount of the members
	parent  int   // the group whose node this group's arc enters; −1: sink
}

// newQuotaPlan groups the left sides by the quotas that bound anything and
// checks that the groups are nested or disjoint. It returns nil when no quota
// bounds anything.
func newQuotaPlan(p *Problem) (*quotaPlan, error) {
	var groups []quotaGroup
	for i := range p.Quotas {
		q := &p.Quotas[i]
		if !quotaActive(q) {
			continue
		}
		g := quotaGroup{quota: i, member: make([]bool, len(p.Left)), parent: -1}
		for l := range p.Left {
			if quotaCounts(q, &p.Left[l]) {
				g.member[l] = true
				g.members++
				g.supply += int64(p.Left[l].Amount)
			}
		}
		groups = append(groups, g)
	}
	if len(groups) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(groups, func(a, b quotaGroup) int { return a.members - b.members })
	for a := range groups {
		for b := a + 1; b < len(groups); b++ {
			ga, gb := &groups[a], &groups[b]
			both, onlyA := -1, -1
			common := 0
			for l := range p.Left {
				switch {
				case ga.member[l] && gb.member[l]:
					common++
					if both < 0 {
						both = l
					}
				case ga.member[l]:
					if onlyA < 0 {
						onlyA = l
					}
				}
			}
			if common == 0 {
				continue
			}
			if common < ga.members { // overlap without containment
				qa, qb := min(ga.quota, gb.quota), max(ga.quota, gb.quota)
				return nil, fmt.Errorf("%w: quotas %d and %d overlap without one containing the other (%s is in both, %s only in quota %d); exact quotas need groups that are nested or disjoint, so merge or split them",
					ErrInvalidProblem, qa, qb, sideName(p.Left, both, "left"), sideName(p.Left, onlyA, "left"), ga.quota)
			}
			if ga.parent < 0 {
				ga.parent = b // the first, so the smallest, group containing a
			}
		}
	}
	plan := &quotaPlan{groups: groups, node: make([]int, len(p.Left))}
	for l := range p.Left {
		plan.node[l] = -1
		for g := range groups {
			if groups[g].member[l] {
				plan.node[l] = g
				break
			}
		}
	}
	return plan, nil
}

// Arc bounds fixed by the first phase of a lexicographic solve.
const (
	arcFree  int8 = iota
	arcLower      // the flow stays at the arc's lower bound
	arcUpper      // the flow stays at the arc's capacity
)

// build returns the model's flow network (layout in the assignModel
// comment) with the given candidate costs, quota bounds lo/hi per group
// (nil without quotas) and fixed arcs (nil for none).
func (m *assignModel) build(cost func(e int) int64, lo, hi []int, fix []int8) *flow.Network {
	p := m.p
	left, right := len(p.Left), len(p.Right)
	sink := left + right
	nodes := sink + 1
	if lo != nil {
		nodes += len(m.plan.groups)
	}
	n := flow.NewNetwork(nodes)
	// Candidates, then for each left side its arc to the sink, for each
	// right side its own, and one per quota group.
	n.Grow(len(p.Candidates) + left + right + nodes - sink)
	var total int64
	for l, s := range p.Left {
		n.SetSupply(l, int64(s.Amount))
		total += int64(s.Amount)
	}
	n.SetSupply(sink, -total)
	arc := 0
	add := func(from, to int, lower, capacity, c int64) {
		if fix != nil {
			switch fix[arc] {
			case arcLower:
				capacity = lower
			case arcUpper:
				lower = capacity
			}
		}
		n.AddArc(from, to, lower, capacity, c)
		arc++
	}
	for e, c := range p.Candidates {
		var lower, capacity int64 = 0, 1
		if m.pinned[e] {
			lower = 1
		}
		if m.isRemoved(e) {
			capacity = 0
		}
		add(c.Left, left+c.Right, lower, capacity, cost(e))
	}
	for l, s := range p.Left {
		to := sink
		if lo != nil && m.plan.node[l] >= 0 {
			to = sink + 1 + m.plan.node[l]
		}
		add(l, to, 0, int64(s.Amount), 0)
	}
	for r, s := range p.Right {
		add(left+r, sink, 0, int64(s.Amount), 0)
	}
	if lo != nil {
		for g, grp := range m.plan.groups {
			to := sink
			if grp.parent >= 0 {
				to = sink + 1 + grp.parent
			}
			// matched_g = supply_g − unmatched_g ∈ [lo, hi]. The
			// bounds are checked against each other before building
			// (see solveQuotas), so lower ≤ capacity here.
			lower := int64(0)
			if hi[g] >= 0 {
				lower = max(0, grp.supply-int64(hi[g]))
			}
			add(sink+1+g, to, lower, grp.supply-int64(lo[g]), 0)
		}
	}
	return n
}

// scoreCost is the cost of candidate e in the score phase: −(units·W + 1),
// less the penalty per prior offer kept.
func (m *assignModel) scoreCost(obj objective) func(e int) int64 {
	return func(e int) int64 {
		c := -(m.units[e]*m.weight + 1)
		if m.keep != nil && m.keep[e] {
			c -= obj.penalty * m.weight
		}
		return c
	}
}

// checkRange refuses a round whose scaled costs exceed flow's safe range.
func (m *assignModel) checkRange(obj objective) error {
	nodes := len(m.p.Left) + len(m.p.Right) + 1
	if m.plan != nil {
		nodes += len(m.plan.groups)
	}
	maxCost := (float64(ScoreScale) + float64(obj.penalty)) * float64(m.weight)
	if float64(nodes+2)*(maxCost+1) > flowCostBudget {
		return fmt.Errorf("round too large for exact scores: %d nodes and up to %d matches need costs up to %.0f, and (nodes+2)·cost must not exceed 2^58: split the round: %w",
			nodes, m.weight-1, maxCost+1, flow.ErrCostRange)
	}
	return nil
}

// optimise solves the model's network with quota bounds lo/hi (nil for
// none) for obj and returns the flow result and the number of pivots.
//
// With obj.lexKeep it works in two phases, each exact. Phase 1 maximises the
// prior offers kept (cost −1 on their arcs, 0 elsewhere). Every optimal
// flow of phase 1 satisfies complementary slackness with phase 1's optimal
// potentials p (any optimal primal with any optimal dual), and every flow
// that does is optimal; so fixing each arc of reduced cost c − p_from + p_to
// > 0 at its lower bound and each of reduced cost < 0 at its capacity leaves
// exactly phase 1's optimal flows. Phase 2 maximises the score over those.
// A single solve with a keep bonus dominating every score difference would
// need a bonus above W·ScoreScale·(matches), whose square-sized costs leave
// flow's range already at a few thousand sides; two phases keep the costs
// of Solve.
func (m *assignModel) optimise(obj objective, lo, hi []int) (*flow.Result, int, error) {
	var fix []int8
	pivots := 0
	if obj.lexKeep && m.keep != nil {
		n1 := m.build(func(e int) int64 {
			if m.keep[e] {
				return -1
			}
			return 0
		}, lo, hi, nil)
		r1, err := flow.MinCostFlow(n1, nil)
		if err != nil {
			return nil, 0, err
		}
		pivots += r1.Pivots
		fix = make([]int8, n1.NumArcs())
		for e := range fix {
			a := n1.Arc(e)
			switch rc := a.Cost - r1.Potential[a.From] + r1.Potential[a.To]; {
			case rc > 0:
				fix[e] = arcLower
			case rc < 0:
				fix[e] = arcUpper
			}
		}
	}
	n := m.build(m.scoreCost(obj), lo, hi, fix)
	r, err := flow.MinCostFlow(n, nil)
	if err != nil {
		return nil, 0, err
	}
	return r, pivots + r.Pivots, nil
}

// solve solves the model for obj: without quotas to count T, then, if any
// quota bounds anything, with them.
func (m *assignModel) solve(obj objective) (*Assignment, error) {
	if err := m.checkRange(obj); err != nil {
		return nil, err
	}
	r, pivots, err := m.optimise(obj, nil, nil)
	if err != nil {
		// Pins within amounts always fit (checkPins), so this is not
		// the input's fault.
		return nil, fmt.Errorf("without quotas: %w", err)
	}
	base := 0
	for e := range m.p.Candidates {
		base += int(r.Flow[e])
	}
	var outcomes []QuotaOutcome
	if m.plan != nil {
		groups := m.plan.groups
		lo, hi := make([]int, len(groups)), make([]int, len(groups))
		feasible := true
		for g := range groups {
			lo[g], hi[g] = quotaBounds(&m.p.Quotas[groups[g].quota], base)
			if int64(lo[g]) > groups[g].supply || hi[g] >= 0 && hi[g] < lo[g] {
				feasible = false
			}
		}
		var rq *flow.Result
		if feasible {
			var pq int
			rq, pq, err = m.optimise(obj, lo, hi)
			pivots += pq
			if err != nil && !errors.Is(err, flow.ErrInfeasible) {
				return nil, fmt.Errorf("with quotas: %w", err)
			}
		}
		if !feasible || err != nil {
			return nil, m.quotaError(base, lo, hi)
		}
		r = rq
		for g, grp := range groups {
			o := QuotaOutcome{Quota: grp.quota, Min: lo[g], Max: hi[g], Members: grp.members}
			for e, c := range m.p.Candidates {
				if grp.member[c.Left] {
					o.Matched += int(r.Flow[e])
				}
			}
			outcomes = append(outcomes, o)
		}
		slices.SortFunc(outcomes, func(a, b QuotaOutcome) int { return a.Quota - b.Quota })
	}
	a := m.assignment(r)
	a.Base, a.Quotas, a.Pivots = base, outcomes, pivots
	return a, nil
}

// assignment reads the matched pairs and the prices of places off r.
func (m *assignModel) assignment(r *flow.Result) *Assignment {
	p := m.p
	a := &Assignment{Prices: make([]float64, len(p.Right))}
	for e, c := range p.Candidates {
		if r.Flow[e] > 0 {
			a.Matched = append(a.Matched, e)
			a.Score += c.Score
		}
	}
	sink := len(p.Left) + len(p.Right)
	scale := float64(ScoreScale) * float64(m.weight)
	for j := range p.Right {
		// A full host's arc to the sink carries flow at capacity, so its
		// reduced cost −p_j + p_sink ≤ 0: the excess p_j − p_sink ≥ 0 is
		// what one more place there would save. Below 0 (a free host) it
		// can be raised to 0 without breaking the certificate.
		a.Prices[j] = float64(max(0, r.Potential[len(p.Left)+j]-r.Potential[sink])) / scale
	}
	return a
}

// quotaError finds why the quotas fail: the first quota that cannot be met
// even alone, with its group's numbers, or else all of them together.
func (m *assignModel) quotaError(base int, lo, hi []int) error {
	p := m.p
	groups := slices.Clone(m.plan.groups)
	slices.SortFunc(groups, func(a, b quotaGroup) int { return a.quota - b.quota })
	var all []int
	for _, g := range groups {
		all = append(all, g.quota)
	}
	for _, g := range groups {
		q := p.Quotas[g.quota]
		e := &QuotaError{Quota: g.quota, Quotas: all, Base: base, Members: g.members, q: q}
		e.Min, e.Max = quotaBounds(&q, base)
		for l := range p.Left {
			if !g.member[l] {
				continue
			}
			e.Places += p.Left[l].Amount
			has := false
			for c := m.start[l]; c < m.start[l+1]; c++ {
				if m.isRemoved(c) {
					continue
				}
				has = true
				e.Candidates++
				if m.pinned[c] {
					e.Pinned++
				}
			}
			if has {
				e.WithCandidates++
			}
		}
		// Alone, a quota holds iff [Min, Max] meets [Pinned, Reachable]:
		// the group's matches over the feasible flows take every value in
		// between, since fixing them to k is again an integral network.
		r, err := flow.MinCostFlow(m.build(func(c int) int64 {
			if g.member[p.Candidates[c].Left] {
				return -1
			}
			return 0
		}, nil, nil, nil), nil)
		if err != nil {
			return fmt.Errorf("quota %d: its group's reach: %w", g.quota, err)
		}
		e.Reachable = int(-r.Cost)
		if e.Max >= 0 && e.Min > e.Max || e.Min > e.Reachable || e.Max >= 0 && e.Pinned > e.Max {
			return e
		}
	}
	return &QuotaError{Quota: -1, Quotas: all, Base: base}
}
