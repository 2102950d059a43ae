package flow

import "math"

// Arc states in the network simplex.
const (
	atLower int8 = 1
	inTree  int8 = 0
	atUpper int8 = -1
)

// simplexBlockFactor scales the pricing block of the block-search rule
// (Kovács 2015) to simplexBlockFactor·√arcs arcs. A block must be
// large enough to find a good entering arc and small enough that pricing
// does not dominate a pivot. On the transport family (10k–100k applicants)
// 0.5 needed about 15% more pivots than 1.0 but priced 40% fewer arcs; it
// was the fastest of 0.25, 0.35, 0.5, 0.7 and 1.
const simplexBlockFactor = 0.5

// simplexMinBlock is the smallest pricing block.
const simplexMinBlock = 10

// pricedArc is an arc as the pricing loop sees it, oriented so that its
// violation is cost − p[u] + p[v] whatever its state: an arc at its upper
// bound is stored reversed with its cost negated. Tree arcs have reduced
// cost 0 and so never look violated. Keeping the three fields together
// makes pricing one sequential stream plus two potential look-ups per arc.
type pricedArc struct {
	cost int64
	u, v int32
}

// arcState is the rest of an arc's data, kept in one record so that a
// pivot touching an arc pays one cache miss, not one per field.
type arcState struct {
	flow, capa int64
	state      int8
	flipped    bool // price holds the arc reversed, cost negated
}

// simplex is the state of the network simplex method. Nodes 0..n-1 are the
// problem's, node n is an artificial root. Arcs 0..m-1 are the problem's
// arcs of positive capacity, stored in a mixed order; arc m+v joins node v
// and the root, pointing up (v→root, cost 0) when v's supply is
// non-negative and down (root→v, cost M) otherwise, so the initial tree is
// strongly feasible. Artificial arcs are never priced: once they leave
// the tree they stay out.
//
// The spanning tree is stored as parent, the arc to the parent (pred) and
// its direction (up: pred goes from the node to its parent), the depth, and
// a preorder thread with its reverse (Ahuja, Magnanti & Orlin 1993, ch. 11).
type simplex struct {
	n, m  int
	price []pricedArc // len m+n; only 0..m-1 are priced
	arcs  []arcState  // len m+n

	parent    []int32
	pred      []int32
	up        []bool
	thread    []int32
	revThread []int32
	depth     []int32
	pot       []int64

	order []int32 // problem arc e is arc order[e] here, or -1 if dropped
	block int
	next  int // where pricing resumes

	stem []int32 // scratch for the tree update
}

func solveSimplex(p *problem) (solution, error) {
	s := newSimplex(p)
	pivots := 0
	for {
		in := s.findEntering()
		if in < 0 {
			break
		}
		s.pivot(in)
		pivots++
	}
	if err := s.infeasible(p); err != nil {
		return solution{}, err
	}
	return solution{
		flow:   s.problemFlow(p),
		pot:    s.pot[:p.n:p.n],
		pivots: pivots,
	}, nil
}

func newSimplex(p *problem) *simplex {
	n := p.n
	m := 0
	for _, c := range p.capacity {
		if c > 0 {
			m++
		}
	}
	all := m + n
	s := &simplex{
		n: n, m: m,
		price:     make([]pricedArc, all),
		arcs:      make([]arcState, all),
		parent:    make([]int32, n+1),
		pred:      make([]int32, n+1),
		up:        make([]bool, n+1),
		thread:    make([]int32, n+1),
		revThread: make([]int32, n+1),
		depth:     make([]int32, n+1),
		pot:       make([]int64, n+1),
		order:     make([]int32, p.m),
	}
	// Arc mixing, an idea of LEMON's network simplex with another stride:
	// the arcs are dealt into the pricing order with stride block, pass
	// j = 0, 1, … filling positions j, j+block, j+2·block, … A pricing
	// block then holds the t-th arc of block different stretches of the
	// input, arcs of about block different nodes, where in input order it
	// would hold the arcs of the few consecutive nodes that files and
	// generators write together. On the transport family this cut the
	// pivots eightfold and the time tenfold (100k applicants: 2.9M pivots
	// in input order, 0.36M mixed); LEMON's stride, arcs/nodes, which is
	// about one node's degree there, leaves ~30 nodes per block and needed
	// 0.58M.
	block := max(int(simplexBlockFactor*math.Sqrt(float64(m))), simplexMinBlock)
	i, j := 0, 0
	for e := range p.m {
		if p.capacity[e] == 0 {
			// An arc that cannot carry flow needs no optimality condition.
			s.order[e] = -1
			continue
		}
		s.order[e] = int32(i)
		s.price[i] = pricedArc{cost: p.cost[e], u: p.src[e], v: p.dst[e]}
		s.arcs[i] = arcState{capa: p.capacity[e], state: atLower}
		if i += block; i >= m {
			j++
			i = j
		}
	}
	// M = (max|cost|+1)·(n+1) exceeds the cost of any simple path of real
	// arcs. When the method stops, every residual cycle of the arcs it
	// still uses costs ≥ 0. If flow remained on an artificial arc while a
	// feasible flow g existed, the difference to g would contain a cycle
	// entering the root backwards along a down arc (cost −M) and leaving it
	// backwards along an up arc (cost 0), closed by a simple real path:
	// negative. So leftover artificial flow proves infeasibility.
	artCost := (p.maxCost + 1) * int64(n+1)
	root := int32(n)
	s.parent[root] = -1
	s.pred[root] = -1
	s.thread[root] = 0
	s.revThread[0] = root
	if n == 0 {
		s.thread[root] = root
	}
	for v := range n {
		a := m + v
		s.parent[v] = root
		s.pred[v] = int32(a)
		s.depth[v] = 1
		if b := p.supply[v]; b >= 0 {
			s.price[a] = pricedArc{cost: 0, u: int32(v), v: root}
			s.arcs[a] = arcState{flow: b, capa: math.MaxInt64 / 4, state: inTree}
			s.up[v] = true
		} else {
			s.price[a] = pricedArc{cost: artCost, u: root, v: int32(v)}
			s.arcs[a] = arcState{flow: -b, capa: math.MaxInt64 / 4, state: inTree}
			s.pot[v] = -artCost
		}
		nx := int32(v + 1)
		if v == n-1 {
			nx = root
		}
		s.thread[v] = nx
		s.revThread[nx] = int32(v)
	}
	s.block = block
	return s
}

// findEntering returns an arc violating its optimality condition, or -1 if
// there is none: block search (Kovács 2015), pricing blocks of arcs
// cyclically from where the previous search stopped and returning the most
// violating arc of the first block that has one.
func (s *simplex) findEntering() int32 {
	e, found := s.scan(s.next, s.m)
	if found < 0 && s.next > 0 {
		e, found = s.scan(0, s.next)
	}
	if e == s.m {
		e = 0
	}
	s.next = e
	return found
}

// scan prices arcs from, from+1, …, to-1 block by block and returns where
// it stopped and the most violating arc of the first block with a
// violation, or -1.
func (s *simplex) scan(from, to int) (int, int32) {
	price := s.price[:to]
	pot := s.pot
	best, bestV := int32(-1), int64(0)
	for start := from; start < to; {
		end := min(start+s.block, to)
		for e := start; e < end; e++ {
			a := &price[e]
			if v := a.cost - pot[a.u] + pot[a.v]; v < bestV {
				bestV, best = v, int32(e)
			}
		}
		start = end
		if best >= 0 {
			return end, best
		}
	}
	return to, best
}

// setState records that non-tree arc e sits at bound st and orients its
// pricing entry accordingly.
func (s *simplex) setState(e int32, st int8) {
	a := &s.arcs[e]
	a.state = st
	if flip := st == atUpper; flip != a.flipped {
		a.flipped = flip
		p := &s.price[e]
		p.cost, p.u, p.v = -p.cost, p.v, p.u
	}
}

// pivot brings arc in into the tree, sends flow around the cycle it closes
// and removes the leaving arc chosen so that the tree stays strongly
// feasible (Ahuja, Magnanti & Orlin 1993, ch. 11; Cunningham 1976).
func (s *simplex) pivot(in int32) {
	ain := &s.arcs[in]
	st := ain.state
	// The pricing entry is oriented along the improving direction.
	pin := s.price[in]
	first, second := pin.u, pin.v
	// The cycle runs first → second along in, up the tree to the join and
	// down to first. The leaving arc is the last blocking arc met when
	// walking the cycle from the join: ties on the first side go to the arc
	// nearest first, ties on the second side to the arc nearest the join.
	join := s.findJoin(first, second)
	parent, pred, up, arcs := s.parent, s.pred, s.up, s.arcs
	delta := ain.capa
	side := 0
	var out int32 // the endpoint of the leaving arc below it in the tree
	for u := first; u != join; u = parent[u] {
		a := &arcs[pred[u]]
		r := a.flow
		if !up[u] {
			r = a.capa - r
		}
		if r < delta {
			delta, out, side = r, u, 1
		}
	}
	for u := second; u != join; u = parent[u] {
		a := &arcs[pred[u]]
		r := a.flow
		if up[u] {
			r = a.capa - r
		}
		if r <= delta {
			delta, out, side = r, u, 2
		}
	}
	if delta > 0 {
		ain.flow += int64(st) * delta
		for u := first; u != join; u = parent[u] {
			if up[u] {
				arcs[pred[u]].flow -= delta
			} else {
				arcs[pred[u]].flow += delta
			}
		}
		for u := second; u != join; u = parent[u] {
			if up[u] {
				arcs[pred[u]].flow += delta
			} else {
				arcs[pred[u]].flow -= delta
			}
		}
	}
	if side == 0 {
		s.setState(in, -st)
		return
	}
	leaving := pred[out]
	if arcs[leaving].flow == 0 {
		s.setState(leaving, atLower)
	} else {
		s.setState(leaving, atUpper)
	}
	ain.state = inTree
	uIn, vIn := first, second
	if side == 2 {
		uIn, vIn = second, first
	}
	// The moved subtree's potentials shift so that in gets reduced cost 0.
	shift := pin.cost - s.pot[first] + s.pot[second]
	if uIn == second {
		shift = -shift
	}
	src := first
	if ain.flipped {
		src = second
	}
	s.rehang(in, uIn, vIn, out, shift, src == uIn)
}

// findJoin returns the nearest common ancestor of u and v.
func (s *simplex) findJoin(u, v int32) int32 {
	depth, parent := s.depth, s.parent
	for depth[u] > depth[v] {
		u = parent[u]
	}
	for depth[v] > depth[u] {
		v = parent[v]
	}
	for u != v {
		u, v = parent[u], parent[v]
	}
	return u
}

// rehang cuts the subtree below out, reverses the stem w_0 = uIn, …,
// w_k = out so that uIn becomes its root, hangs it under vIn through arc in,
// and rethreads it. The moved part is threaded as S_0 S_1 … S_k, where S_i
// is the old subtree of w_i without that of w_{i-1}, in old thread order:
// this is a preorder of the new subtree. S_0 and the second half of each
// S_i are found by walking the thread while the depth exceeds that of w_i;
// the first half of S_i runs from w_i to the node threaded just before
// w_{i-1}. Every moved node is visited once, and its depth and potential
// updated on the way, so a pivot costs O(stem + moved subtree).
func (s *simplex) rehang(in, uIn, vIn, out int32, shift int64, inUp bool) {
	thread, rev, depth, parent, pot := s.thread, s.revThread, s.depth, s.parent, s.pot
	stem := s.stem[:0]
	for w := uIn; ; w = parent[w] {
		stem = append(stem, w)
		if w == out {
			break
		}
	}
	k := len(stem) - 1
	newDepth := depth[vIn] + 1

	// S_0: the whole old subtree of uIn. Links are only read here.
	x := stem[0]
	old := depth[x]
	dd := newDepth - old
	for {
		depth[x] += dd
		pot[x] += shift
		nx := thread[x]
		if depth[nx] <= old {
			break
		}
		x = nx
	}
	// Chain S_1 … S_k after S_0. The old links a step needs (the node
	// threaded before w_{i-1}, the node threaded after the end of S_{i-1})
	// are saved before the previous step overwrites them.
	before := rev[stem[k]]
	tail := x
	lastNext := thread[x] // old successor of the last node of S_0 … S_{i-1}
	prevRev := rev[stem[0]]
	for i := 1; i <= k; i++ {
		w := stem[i]
		old = depth[w]
		dd = newDepth + int32(i) - old
		aEnd, bStart := prevRev, lastNext
		prevRev = rev[w]
		// First half: w … aEnd.
		for y := w; ; y = thread[y] {
			depth[y] += dd
			pot[y] += shift
			if y == aEnd {
				break
			}
		}
		// Second half: from bStart while deeper than w (old depths).
		end := x
		for y := bStart; depth[y] > old; y = thread[y] {
			depth[y] += dd
			pot[y] += shift
			end = y
		}
		thread[tail], rev[w] = w, tail
		tail = aEnd
		if end != x {
			lastNext = thread[end]
			thread[tail], rev[bStart] = bStart, tail
			tail = end
			x = end
		}
	}
	// Cut the moved block out of the thread.
	thread[before], rev[lastNext] = lastNext, before
	// Insert the chain after vIn.
	nx := thread[vIn]
	thread[vIn], rev[stem[0]] = stem[0], vIn
	thread[tail], rev[nx] = nx, tail
	// Reverse the stem.
	pred, up := s.pred, s.up
	prevPred, prevUp := pred[stem[0]], up[stem[0]]
	pred[stem[0]] = in
	up[stem[0]] = inUp
	parent[stem[0]] = vIn
	for i := 1; i <= k; i++ {
		w := stem[i]
		p, u := pred[w], up[w]
		pred[w], up[w] = prevPred, !prevUp
		parent[w] = stem[i-1]
		prevPred, prevUp = p, u
	}
	s.stem = stem
}

// infeasible returns an *InfeasibleError if flow is left on an artificial
// arc, naming the first node whose up artificial arc carries flow, or the
// supply node that flow came from (see traceSupply).
func (s *simplex) infeasible(p *problem) error {
	var units int64
	start := -1
	for v := range p.n {
		if a := s.m + v; s.price[a].u == int32(v) && s.arcs[a].flow > 0 { // an up arc
			units += s.arcs[a].flow
			if start < 0 {
				start = v
			}
		}
	}
	if start < 0 {
		return nil
	}
	return &InfeasibleError{Node: traceSupply(p, s.problemFlow(p), start), Units: units, LowerBounds: p.hasLower}
}

// problemFlow returns the flow on the problem's arcs, in their order.
func (s *simplex) problemFlow(p *problem) []int64 {
	flow := make([]int64, p.m)
	for e, i := range s.order {
		if i >= 0 {
			flow[e] = s.arcs[i].flow
		}
	}
	return flow
}
