package flow

import "fmt"

// ssp is the state of the successive shortest path method. Arcs are stored
// in forward-star (CSR) order: the arcs leaving node v are positions
// first[v] … first[v+1]-1. Arcs that carry flow are also linked into a list
// at their head node, so a search scans an arc backwards only where the
// reverse residual arc exists: a host with a thousand candidates but ten
// assigned applicants costs ten steps, not a thousand.
//
// Internally π is a distance-like potential: the reduced cost of a residual
// arc u→v is c + π_u − π_v ≥ 0. The Result's potential is −π.
type ssp struct {
	n      int
	first  []int32 // len n+1
	tail   []int32 // per position
	head   []int32
	cost   []int64
	capa   []int64
	resid  []int64 // capa − flow
	arc    []int32 // problem arc at each position
	excess []int64
	pi     []int64

	// Flow-carrying arcs entering each node, as a doubly linked list of
	// positions.
	inFirst []int32
	inNext  []int32
	inPrev  []int32

	// Dijkstra state, reset after each search through touched.
	dist    []int64
	pred    []int32 // position+1 of a forward arc, −(position+1) of a reverse arc
	heap    dheap
	touched []int32
	settled []int32
	done    []bool
}

func solveSSP(p *problem) (solution, error) {
	s := newSSP(p)
	// Arcs with a negative cost are saturated first, so that π = 0 makes
	// every residual reduced cost non-negative.
	for v := range s.n {
		for i := s.first[v]; i < s.first[v+1]; i++ {
			if s.cost[i] < 0 && s.capa[i] > 0 {
				s.push(i, s.capa[i])
			}
		}
	}
	augmentations := 0
	for v := range s.n {
		for s.excess[v] > 0 {
			if !s.search(int32(v)) {
				return solution{}, &InfeasibleError{Node: traceSupply(p, s.problemFlow(p), v), Units: s.excess[v], LowerBounds: p.hasLower}
			}
			augmentations++
		}
	}
	for v := range s.n {
		if s.excess[v] < 0 {
			// Unreachable when supplies sum to zero: kept as a guard.
			return solution{}, fmt.Errorf("%w: node %d: %d units of demand cannot be met", ErrInfeasible, v, -s.excess[v])
		}
	}
	pot := make([]int64, s.n)
	for v, x := range s.pi {
		pot[v] = -x
	}
	return solution{flow: s.problemFlow(p), pot: pot, augmentations: augmentations}, nil
}

// problemFlow returns the flow on the problem's arcs, in their order.
func (s *ssp) problemFlow(p *problem) []int64 {
	flow := make([]int64, p.m)
	for i, e := range s.arc {
		flow[e] = s.capa[i] - s.resid[i]
	}
	return flow
}

func newSSP(p *problem) *ssp {
	n, m := p.n, p.m
	s := &ssp{
		n:       n,
		first:   make([]int32, n+1),
		tail:    make([]int32, m),
		head:    make([]int32, m),
		cost:    make([]int64, m),
		capa:    make([]int64, m),
		resid:   make([]int64, m),
		arc:     make([]int32, m),
		excess:  append([]int64(nil), p.supply...),
		pi:      make([]int64, n),
		inFirst: make([]int32, n),
		inNext:  make([]int32, m),
		inPrev:  make([]int32, m),
		dist:    make([]int64, n),
		pred:    make([]int32, n),
		done:    make([]bool, n),
	}
	for _, u := range p.src {
		s.first[u+1]++
	}
	for v := range n {
		s.first[v+1] += s.first[v]
	}
	next := append([]int32(nil), s.first[:n]...)
	for e := range m {
		u := p.src[e]
		i := next[u]
		next[u]++
		s.tail[i], s.head[i] = u, p.dst[e]
		s.cost[i] = p.cost[e]
		s.capa[i], s.resid[i] = p.capacity[e], p.capacity[e]
		s.arc[i] = int32(e)
	}
	for v := range n {
		s.inFirst[v] = -1
		s.dist[v] = unreached
	}
	s.heap.pos = make([]int32, n)
	for v := range s.heap.pos {
		s.heap.pos[v] = -1
	}
	return s
}

// unreached marks a node the current search has not labelled.
const unreached = int64(1) << 62

// push sends delta more units along position i, keeping the excesses and
// the list of flow-carrying arcs up to date. delta may be negative.
func (s *ssp) push(i int32, delta int64) {
	before := s.resid[i]
	s.resid[i] -= delta
	s.excess[s.tail[i]] -= delta
	s.excess[s.head[i]] += delta
	switch after := s.resid[i]; {
	case before == s.capa[i] && after < s.capa[i]:
		// Now carries flow: link into the list of its head.
		h := s.head[i]
		f := s.inFirst[h]
		s.inNext[i], s.inPrev[i] = f, -1
		if f >= 0 {
			s.inPrev[f] = i
		}
		s.inFirst[h] = i
	case before < s.capa[i] && after == s.capa[i]:
		nx, pv := s.inNext[i], s.inPrev[i]
		if pv >= 0 {
			s.inNext[pv] = nx
		} else {
			s.inFirst[s.head[i]] = nx
		}
		if nx >= 0 {
			s.inPrev[nx] = pv
		}
	}
}

// search runs Dijkstra on reduced costs from the excess node src until it
// settles a node with a deficit, augments along the shortest path found and
// updates the potentials of the settled nodes only: π_v += d_v − D, where D
// is the distance of the deficit node. Nodes not settled keep π, so the
// work of a search is proportional to the region it explored (the LAPJVsp
// idea of Jonker & Volgenant 1987, here on a general network). It reports
// false if no deficit node is reachable.
func (s *ssp) search(src int32) bool {
	dist, pi, pred, done := s.dist, s.pi, s.pred, s.done
	h := &s.heap
	touched, settled := s.touched[:0], s.settled[:0]
	dist[src] = 0
	pred[src] = 0
	touched = append(touched, src)
	h.update(src, 0)
	target := int32(-1)
	for h.len() > 0 {
		u := h.pop()
		if s.excess[u] < 0 {
			target = u
			break
		}
		done[u] = true
		settled = append(settled, u)
		du := dist[u] + pi[u]
		for i := s.first[u]; i < s.first[u+1]; i++ {
			if s.resid[i] == 0 {
				continue
			}
			v := s.head[i]
			if done[v] {
				continue
			}
			nd := du + s.cost[i] - pi[v]
			if dv := dist[v]; nd < dv {
				if dv == unreached {
					touched = append(touched, v)
				}
				dist[v] = nd
				pred[v] = i + 1
				h.update(v, nd)
			}
		}
		for i := s.inFirst[u]; i >= 0; i = s.inNext[i] {
			v := s.tail[i]
			if done[v] {
				continue
			}
			nd := du - s.cost[i] - pi[v]
			if dv := dist[v]; nd < dv {
				if dv == unreached {
					touched = append(touched, v)
				}
				dist[v] = nd
				pred[v] = -(i + 1)
				h.update(v, nd)
			}
		}
	}
	found := target >= 0
	if found {
		d := dist[target]
		for _, v := range settled {
			pi[v] += dist[v] - d
		}
		// Augment by the largest amount the path, the excess and the
		// deficit allow.
		delta := min(s.excess[src], -s.excess[target])
		for v := target; v != src; {
			if i := pred[v]; i > 0 {
				delta = min(delta, s.resid[i-1])
				v = s.tail[i-1]
			} else {
				delta = min(delta, s.capa[-i-1]-s.resid[-i-1])
				v = s.head[-i-1]
			}
		}
		for v := target; v != src; {
			if i := pred[v]; i > 0 {
				s.push(i-1, delta)
				v = s.tail[i-1]
			} else {
				s.push(-i-1, -delta)
				v = s.head[-i-1]
			}
		}
	}
	for _, v := range touched {
		dist[v] = unreached
		done[v] = false
	}
	h.clear()
	s.touched, s.settled = touched, settled
	return found
}

// dheap is a 4-ary min-heap of nodes keyed by tentative distance, ties
// broken by node index. Keys live in the heap entries, so sifting reads one
// array.
type dheap struct {
	items []heapItem
	pos   []int32 // position of each node in items, −1 if absent
}

type heapItem struct {
	key  int64
	node int32
}

func (a heapItem) less(b heapItem) bool {
	return a.key < b.key || a.key == b.key && a.node < b.node
}

func (h *dheap) len() int { return len(h.items) }

func (h *dheap) clear() {
	for _, it := range h.items {
		h.pos[it.node] = -1
	}
	h.items = h.items[:0]
}

// update inserts node v with key, or lowers its key.
func (h *dheap) update(v int32, key int64) {
	i := int(h.pos[v])
	if i < 0 {
		h.items = append(h.items, heapItem{})
		i = len(h.items) - 1
	}
	it := heapItem{key: key, node: v}
	items, pos := h.items, h.pos
	for i > 0 {
		p := (i - 1) / 4
		if !it.less(items[p]) {
			break
		}
		items[i] = items[p]
		pos[items[i].node] = int32(i)
		i = p
	}
	items[i] = it
	pos[v] = int32(i)
}

// pop removes and returns the node with the least key.
func (h *dheap) pop() int32 {
	items, pos := h.items, h.pos
	top := items[0].node
	pos[top] = -1
	last := items[len(items)-1]
	items = items[:len(items)-1]
	h.items = items
	if len(items) == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= len(items) {
			break
		}
		best := c
		for k := c + 1; k < min(c+4, len(items)); k++ {
			if items[k].less(items[best]) {
				best = k
			}
		}
		if !items[best].less(last) {
			break
		}
		items[i] = items[best]
		pos[items[i].node] = int32(i)
		i = best
	}
	items[i] = last
	pos[last.node] = int32(i)
	return top
}
