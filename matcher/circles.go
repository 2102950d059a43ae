package matcher

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/khidi/khidi/matcher/flow"
)

// CircleAffinityScale converts affinities into the integer costs the flow
// solver works in: an affinity a counts as round(a·CircleAffinityScale).
// A million keeps six decimals; with the bonuses that put placement first
// (see FormCircles), 100,000 members still stay inside flow's safe range.
const CircleAffinityScale = 1e6

// ErrCircleInput reports study-circle input that FormCircles cannot use:
// sizes out of order, an anchor that is not an experienced member, a
// missing callback, an affinity that is not a number in [-1, 1].
var ErrCircleInput = errors.New("matcher: invalid study-circle input")

// CircleInput is a study-circle round: members to group into circles of
// Min to Max members, each around an experienced anchor, and trainers or
// experts to assign to the circles.
type CircleInput struct {
	// Experienced says, per member, whether the member is experienced
	// (from an experienced CSO, or long in civic work): only they anchor
	// circles. Its length is the number of members.
	Experienced []bool
	// Affinity returns how well member fits a circle anchored by anchor,
	// in [-1, 1] (the scores of this package lie in [0, 1]), and false
	// when member cannot join it at all: no language in common, too far
	// to travel to every session. It is called for every member and every
	// experienced member (or every anchor of Anchors), never with
	// member == anchor, and must be a pure function.
	Affinity func(member, anchor int) (float64, bool)
	// Min and Max bound a circle's size, anchor included: 1 ≤ Min ≤ Max.
	Min, Max int
	// Circles is how many circles to open; 0 chooses (see FormCircles).
	Circles int
	// Anchors, when not nil, are the anchors, chosen by the manager: each
	// an experienced member, no one twice. They replace the choice of
	// anchors, and Circles is then ignored.
	Anchors []int
	// Trainers is the number of trainers and experts, indexed
	// 0..Trainers-1.
	Trainers int
	// TrainerAffinity returns how well trainer fits the circle of anchor
	// whose members (anchor included) are listed ascending, in [-1, 1],
	// and false when the trainer cannot serve it. It is called once per
	// trainer and final circle, and must be a pure function that does not
	// keep or change members.
	TrainerAffinity func(trainer, anchor int, members []int) (float64, bool)
	// TrainerLoad is how many circles a trainer serves at most (0: one).
	TrainerLoad int
	// TrainersPerCircle is how many trainers a circle gets at most (0:
	// one).
	TrainersPerCircle int
}

// Circle is one study circle of a CircleResult.
type Circle struct {
	// Anchor is the experienced member the circle formed around.
	Anchor int `json:"anchor"`
	// Members are the circle's members, anchor included, ascending.
	Members []int `json:"members"`
	// Trainers are the trainers serving the circle, ascending; empty when
	// none could.
	Trainers []int `json:"trainers"`
	// MeanAffinity is the mean affinity of the members other than the
	// anchor to the anchor (0 when there are none).
	MeanAffinity float64 `json:"mean_affinity"`
}

// UnplacedReason says why a member is in no circle.
type UnplacedReason string

// The reasons a member is left out, as FormCircles decides them on the
// final circles.
const (
	// UnplacedNoCircle: no anchor the member can reach was chosen (or
	// there was none).
	UnplacedNoCircle UnplacedReason = "no_reachable_circle"
	// UnplacedCircleDissolved: the only circles the member could reach
	// fell below the minimum size and were dissolved.
	UnplacedCircleDissolved UnplacedReason = "circle_dissolved"
	// UnplacedCirclesFull: every circle the member can reach has Max
	// members.
	UnplacedCirclesFull UnplacedReason = "circles_full"
)

// UnplacedMember is a member left out of every circle, and why.
type UnplacedMember struct {
	Member int            `json:"member"`
	Reason UnplacedReason `json:"reason"`
}

// CircleResult is the outcome of FormCircles.
type CircleResult struct {
	// Circles are in order of their anchors.
	Circles []Circle `json:"circles"`
	// Unplaced are the members in no circle, in order.
	Unplaced []UnplacedMember `json:"unplaced"`
	// Dissolved are the anchors whose circles stayed below Min, in the
	// order they were dissolved (ascending within one round).
	Dissolved []int `json:"dissolved"`
	// Rounds is the number of member assignments solved: one, plus one
	// per round of dissolution.
	Rounds int `json:"rounds"`
}

// FormCircles groups members into study circles and assigns trainers:
//
//  1. Anchors. With in.Anchors nil, FormCircles opens
//     k = min(E, ⌈N/t⌉) circles for N members, E of them experienced, and
//     the middle size t = ⌈(Min+Max)/2⌉ (in.Circles, when set, overrides
//     k; it must not exceed E). A middle size, not Max, leaves room for
//     members whose nearest circles would otherwise be full, and for
//     dissolved circles' members. The anchors are chosen by a greedy
//     heuristic for capacitated coverage: each next anchor is the
//     experienced member who reaches the most members not yet covered,
//     counting at most q = min(Max, ⌈N/k⌉) − 1 of them, then the greatest
//     sum of their affinities, then the lowest index; those q become
//     covered. The choice stops early when no candidate covers anyone.
//     This step is a heuristic, and only this step.
//  2. Members. Given the anchors, the other members are assigned to them
//     exactly, by minimum-cost flow: first as many members placed as
//     possible, then as many circles as possible brought up to Min, then
//     the greatest total affinity (the first two can always be had
//     together, so the order between them does not matter). In
//     particular, when some assignment keeps every circle within
//     [Min, Max], the one returned does, and it places the most members
//     and has the greatest affinity among those that do.
//  3. Dissolution. Circles still below Min are dissolved: their anchors
//     become ordinary members, and step 2 runs again without them, until
//     every circle is within [Min, Max].
//  4. Trainers. Trainers are assigned to the final circles exactly, as
//     many circles served as possible first, then as many assignments as
//     possible, then the greatest total affinity; each trainer serves at
//     most TrainerLoad circles, each circle gets at most
//     TrainersPerCircle trainers.
//
// Experienced members who anchor nothing are ordinary members, so a
// circle may hold several. Every member left out gets a reason, decided on
// the final circles: circles_full when some circle it reaches exists (all
// such circles are then full, since placing it would otherwise have been
// possible), circle_dissolved when it reached only dissolved circles,
// no_reachable_circle otherwise.
//
// Affinities count in units of 1/CircleAffinityScale. Invalid input
// returns an error wrapping ErrCircleInput naming the member or anchor at
// fault. The result depends only on the input; ties are broken by index.
// Time is dominated by N·E affinity calls and one flow solve per round on
// a network with an arc per member and reachable anchor; memory is linear
// in the member–candidate pairs that can reach each other.
func FormCircles(in *CircleInput) (*CircleResult, error) {
	if err := in.check(); err != nil {
		return nil, fmt.Errorf("study circles: %w", err)
	}
	n := len(in.Experienced)
	var cands []int // members who may anchor a circle
	if in.Anchors != nil {
		cands = slices.Sorted(slices.Values(in.Anchors))
	} else {
		for m, e := range in.Experienced {
			if e {
				cands = append(cands, m)
			}
		}
	}
	links, err := circleLinks(in, cands)
	if err != nil {
		return nil, fmt.Errorf("study circles: %w", err)
	}
	var anchors []int // indices into cands, ascending
	if in.Anchors != nil {
		for c := range cands {
			anchors = append(anchors, c)
		}
	} else {
		k := in.Circles
		if k == 0 && n > 0 {
			target := (in.Min + in.Max + 1) / 2
			k = min(len(cands), (n+target-1)/target)
		}
		anchors = chooseAnchors(n, links, k, min(in.Max, (n+max(k, 1)-1)/max(k, 1))-1)
	}

	res := &CircleResult{Circles: []Circle{}, Unplaced: []UnplacedMember{}, Dissolved: []int{}}
	var circleOf []int // per member: the index into anchors of its circle, or -1
	dissolved := make([]bool, len(cands))
	for {
		res.Rounds++
		circleOf, err = assignMembers(in, n, cands, links, anchors)
		if err != nil {
			return nil, fmt.Errorf("study circles: round %d: %w", res.Rounds, err)
		}
		size := make([]int, len(anchors))
		for _, c := range circleOf {
			if c >= 0 {
				size[c]++
			}
		}
		kept := anchors[:0:0]
		for c, a := range anchors {
			if size[c] < in.Min {
				dissolved[a] = true
				res.Dissolved = append(res.Dissolved, cands[a])
			} else {
				kept = append(kept, a)
			}
		}
		if len(kept) == len(anchors) {
			break
		}
		anchors = kept
	}

	for _, a := range anchors {
		res.Circles = append(res.Circles, Circle{Anchor: cands[a], Members: []int{}, Trainers: []int{}})
	}
	for m, c := range circleOf {
		if c >= 0 {
			res.Circles[c].Members = append(res.Circles[c].Members, m)
		}
	}
	for c, a := range anchors {
		var sum float64
		for _, l := range links[a] {
			if circleOf[l.member] == c {
				sum += l.raw
			}
		}
		if k := len(res.Circles[c].Members); k > 1 {
			res.Circles[c].MeanAffinity = sum / float64(k-1)
		}
	}
	if err := assignTrainers(in, res.Circles); err != nil {
		return nil, fmt.Errorf("study circles: %w", err)
	}

	// Reasons, from what each unplaced member reaches.
	final := make([]bool, len(cands))
	for _, a := range anchors {
		final[a] = true
	}
	reach := make([]int8, n) // 0 nothing, 1 a dissolved circle, 2 a final circle
	for a, ls := range links {
		for _, l := range ls {
			switch {
			case final[a]:
				reach[l.member] = 2
			case dissolved[a]:
				reach[l.member] = max(reach[l.member], 1)
			}
		}
	}
	for m, c := range circleOf {
		if c >= 0 {
			continue
		}
		reason := UnplacedNoCircle
		switch reach[m] {
		case 2:
			reason = UnplacedCirclesFull
		case 1:
			reason = UnplacedCircleDissolved
		}
		res.Unplaced = append(res.Unplaced, UnplacedMember{Member: m, Reason: reason})
	}
	return res, nil
}

// check validates everything but the affinities, which are checked as they
// are read.
func (in *CircleInput) check() error {
	n := len(in.Experienced)
	switch {
	case in.Min < 1 || in.Max < in.Min:
		return fmt.Errorf("%w: sizes Min %d, Max %d; want 1 ≤ Min ≤ Max", ErrCircleInput, in.Min, in.Max)
	case n > 0 && in.Affinity == nil:
		return fmt.Errorf("%w: no Affinity function for %d members", ErrCircleInput, n)
	case in.Circles < 0:
		return fmt.Errorf("%w: Circles is %d; want 0 (choose) or more", ErrCircleInput, in.Circles)
	case in.Trainers < 0 || in.TrainerLoad < 0 || in.TrainersPerCircle < 0:
		return fmt.Errorf("%w: Trainers %d, TrainerLoad %d, TrainersPerCircle %d; none may be negative", ErrCircleInput, in.Trainers, in.TrainerLoad, in.TrainersPerCircle)
	case in.Trainers > 0 && in.TrainerAffinity == nil:
		return fmt.Errorf("%w: no TrainerAffinity function for %d trainers", ErrCircleInput, in.Trainers)
	}
	if in.Anchors == nil {
		experienced := 0
		for _, e := range in.Experienced {
			if e {
				experienced++
			}
		}
		if in.Circles > experienced {
			return fmt.Errorf("%w: %d circles asked for, but only %d experienced members can anchor one; ask for fewer", ErrCircleInput, in.Circles, experienced)
		}
		return nil
	}
	seen := make([]bool, n)
	for _, a := range in.Anchors {
		switch {
		case a < 0 || a >= n:
			return fmt.Errorf("%w: anchor %d is not a member (0..%d)", ErrCircleInput, a, n-1)
		case !in.Experienced[a]:
			return fmt.Errorf("%w: anchor %d is not experienced; choose an experienced member", ErrCircleInput, a)
		case seen[a]:
			return fmt.Errorf("%w: anchor %d is listed twice", ErrCircleInput, a)
		}
		seen[a] = true
	}
	return nil
}

// circleLink is a member who can reach an anchor, with its affinity.
type circleLink struct {
	member int
	aff    int64   // round(raw·CircleAffinityScale)
	raw    float64 // as Affinity returned it
}

// circleLinks asks in.Affinity for every member and candidate anchor, and
// returns per candidate the members who reach it, ascending.
func circleLinks(in *CircleInput, cands []int) ([][]circleLink, error) {
	links := make([][]circleLink, len(cands))
	for c, a := range cands {
		for m := range in.Experienced {
			if m == a {
				continue
			}
			raw, ok := in.Affinity(m, a)
			if !ok {
				continue
			}
			if math.IsNaN(raw) || raw < -1 || raw > 1 {
				return nil, fmt.Errorf("%w: affinity of member %d to anchor %d is %v; return a number in [-1, 1]", ErrCircleInput, m, a, raw)
			}
			links[c] = append(links[c], circleLink{member: m, aff: int64(math.Round(raw * CircleAffinityScale)), raw: raw})
		}
	}
	return links, nil
}

// anchorGain is a candidate's value in chooseAnchors: how many uncovered
// members it would cover, and their summed affinity, as of round.
type anchorGain struct {
	cand  int
	count int
	sum   int64
	round int
}

// anchorQueue orders candidates by gain, then index.
type anchorQueue []anchorGain

func (q anchorQueue) Len() int { return len(q) }
func (q anchorQueue) Less(a, b int) bool {
	x, y := q[a], q[b]
	if x.count != y.count {
		return x.count > y.count
	}
	if x.sum != y.sum {
		return x.sum > y.sum
	}
	return x.cand < y.cand
}
func (q anchorQueue) Swap(a, b int) { q[a], q[b] = q[b], q[a] }
func (q *anchorQueue) Push(x any)   { *q = append(*q, x.(anchorGain)) }
func (q *anchorQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// chooseAnchors picks up to k of the candidates greedily, as FormCircles
// describes, and returns their indices ascending. A candidate's gain only
// falls as members get covered (fewer to count, or the same number with no
// greater sum), so a stale gain is an upper bound, and a candidate whose
// refreshed gain still leads the queue is the true best: the lazy greedy
// of Minoux ("Accelerated greedy algorithms for maximizing submodular set
// functions", 1978), which asks for few refreshes.
func chooseAnchors(n int, links [][]circleLink, k, q int) []int {
	// Each candidate's members, best affinity first, then by index.
	order := make([][]circleLink, len(links))
	for c, ls := range links {
		order[c] = slices.Clone(ls)
		slices.SortStableFunc(order[c], func(x, y circleLink) int { return cmp.Compare(y.aff, x.aff) })
	}
	covered := make([]bool, n)
	chosen := make([]bool, len(links))
	gain := func(c, round int) anchorGain {
		g := anchorGain{cand: c, round: round}
		for _, l := range order[c] {
			if g.count == q {
				break
			}
			if !covered[l.member] {
				g.count++
				g.sum += l.aff
			}
		}
		return g
	}
	pq := make(anchorQueue, 0, len(links))
	for c := range links {
		pq = append(pq, gain(c, 0))
	}
	heap.Init(&pq)
	var anchors []int
	for round := 0; len(anchors) < k && pq.Len() > 0; {
		top := heap.Pop(&pq).(anchorGain)
		if top.round != round {
			heap.Push(&pq, gain(top.cand, round))
			continue
		}
		if top.count == 0 && q > 0 {
			break // nobody left to cover: another circle would stay empty
		}
		anchors = append(anchors, top.cand)
		chosen[top.cand] = true
		round++
		taken := 0
		for _, l := range order[top.cand] {
			if taken == q {
				break
			}
			if !covered[l.member] {
				covered[l.member] = true
				taken++
			}
		}
	}
	slices.Sort(anchors)
	return anchors
}

// assignMembers solves step 2 of FormCircles for the given anchors
// (indices into cands, ascending) and returns, per member, the index into
// anchors of its circle, or -1.
func assignMembers(in *CircleInput, n int, cands []int, links [][]circleLink, anchors []int) ([]int, error) {
	circleOf := make([]int, n)
	for m := range circleOf {
		circleOf[m] = -1
	}
	left := make([]int, n) // member → left node, or -1 for anchors
	for c, a := range anchors {
		circleOf[cands[a]] = c
		left[cands[a]] = -1
	}
	var members []int // left node → member
	for m := range n {
		if circleOf[m] < 0 {
			left[m] = len(members)
			members = append(members, m)
		}
	}
	t := &circleNet{supply: make([]int64, len(members))}
	for i := range members {
		t.supply[i] = 1
	}
	for _, a := range anchors {
		t.fill = append(t.fill, int64(in.Min-1))
		t.extra = append(t.extra, int64(in.Max-in.Min))
		for _, l := range links[a] {
			if left[l.member] >= 0 {
				t.edges = append(t.edges, circleEdge{left: left[l.member], right: len(t.fill) - 1, aff: l.aff})
			}
		}
	}
	used, err := t.solve()
	if err != nil {
		return nil, err
	}
	for e, u := range used {
		if u {
			circleOf[members[t.edges[e].left]] = t.edges[e].right
		}
	}
	return circleOf, nil
}

// assignTrainers solves step 4 of FormCircles and fills each circle's
// Trainers.
func assignTrainers(in *CircleInput, circles []Circle) error {
	if in.Trainers == 0 || len(circles) == 0 {
		return nil
	}
	load := int64(max(in.TrainerLoad, 1))
	per := int64(max(in.TrainersPerCircle, 1))
	t := &circleNet{supply: make([]int64, in.Trainers)}
	for i := range t.supply {
		t.supply[i] = load
	}
	for range circles {
		t.fill = append(t.fill, 1)
		t.extra = append(t.extra, per-1)
	}
	for tr := range in.Trainers {
		for c := range circles {
			raw, ok := in.TrainerAffinity(tr, circles[c].Anchor, circles[c].Members)
			if !ok {
				continue
			}
			if math.IsNaN(raw) || raw < -1 || raw > 1 {
				return fmt.Errorf("%w: affinity of trainer %d to the circle of anchor %d is %v; return a number in [-1, 1]", ErrCircleInput, tr, circles[c].Anchor, raw)
			}
			t.edges = append(t.edges, circleEdge{left: tr, right: c, aff: int64(math.Round(raw * CircleAffinityScale))})
		}
	}
	used, err := t.solve()
	if err != nil {
		return fmt.Errorf("trainers: %w", err)
	}
	for e, u := range used {
		if u {
			c := &circles[t.edges[e].right]
			c.Trainers = append(c.Trainers, t.edges[e].left)
		}
	}
	return nil
}

// circleEdge is a left node (member or trainer) that may join a right
// node (circle), with its scaled affinity.
type circleEdge struct {
	left, right int
	aff         int64
}

// circleNet is the capacitated assignment behind steps 2 and 4 of
// FormCircles: left node i has supply[i] units; right node j takes up to
// fill[j] units that count as filling it and extra[j] more; each edge
// carries at most one unit; units may stay unassigned.
type circleNet struct {
	supply      []int64
	fill, extra []int64
	edges       []circleEdge
}

// solve returns, per edge, whether it is used in an assignment that
// maximises, in this order, units assigned plus fill units used (each
// worth a bonus B), then total affinity. B exceeds twice the largest
// affinity total any assignment can have, so no affinity outweighs one
// unit more. The network: left nodes, right nodes, a sink; edges
// left → right (capacity 1, cost −(B + aff)), right → sink twice (fill at
// −B, then extra at 0), left → sink (the unassigned units, cost 0).
func (t *circleNet) solve() ([]bool, error) {
	nl, nr := len(t.supply), len(t.fill)
	best := make([]int64, nl) // per left node, its largest |aff|
	deg := make([]int64, nl)
	for _, e := range t.edges {
		best[e.left] = max(best[e.left], max(e.aff, -e.aff))
		deg[e.left]++
	}
	var bonus int64 = 1
	for i := range nl {
		bonus += 2 * min(t.supply[i], deg[i]) * best[i]
	}
	net := flow.NewNetwork(nl + nr + 1)
	sink := nl + nr
	var total int64
	for i, s := range t.supply {
		net.SetSupply(i, s)
		total += s
	}
	net.SetSupply(sink, -total)
	for _, e := range t.edges {
		net.AddArc(e.left, nl+e.right, 0, 1, -(bonus + e.aff))
	}
	for j := range nr {
		if t.fill[j] > 0 {
			net.AddArc(nl+j, sink, 0, t.fill[j], -bonus)
		}
		if t.extra[j] > 0 {
			net.AddArc(nl+j, sink, 0, t.extra[j], 0)
		}
	}
	for i, s := range t.supply {
		if s > 0 {
			net.AddArc(i, sink, 0, s, 0)
		}
	}
	r, err := flow.MinCostFlow(net, nil)
	if err != nil {
		// Every unit can stay unassigned, so only ErrCostRange can occur:
		// far more members than a round holds.
		return nil, fmt.Errorf("assignment of %d to %d circles: %w", nl, nr, err)
	}
	used := make([]bool, len(t.edges))
	for e := range t.edges {
		used[e] = r.Flow[e] > 0
	}
	return used, nil
}
