package lap

import (
	"math"
	"math/bits"
)

// sparseSolver is one run of the Jonker–Volgenant algorithm for sparse
// problems (LAPJVsp) on working costs that it minimises. Its invariant is
// the dense solver's: every assigned row i is assigned to a column of least
// reduced cost c(i, j) − v(j) among its cells, and u(i) is that least
// reduced cost. Unlike the dense solver it keeps u, so that a search
// reaching row i through its column knows the row's offset without looking
// for the cell in the row.
type sparseSolver[T cell] struct {
	jvState
	start []int
	col   []int32
	cost  []T // the working costs, in col's order
}

func newSparseSolver[T cell](s *Sparse, cost []T, lim limits) *sparseSolver[T] {
	sp := &sparseSolver[T]{
		jvState: newJVState(s.rows, s.cols, lim),
		start:   s.start,
		col:     s.col,
		cost:    cost,
	}
	sp.u = make([]int64, s.rows)
	return sp
}

// columnReduction is the dense solver's columnReduction over the listed
// cells only: each column's dual becomes its least cost, each row takes
// its first column (by index) at that cost that is still free, and each
// assigned row transfers to its column the gap to its second-best cell. A
// column with no cell keeps dual 0 (the problem is then infeasible, which
// the shortest-path step will prove). It returns the rows left free,
// ascending.
//
// One pass over each row does both the choice and the transfer, which
// the dense solver does in two passes over all rows: a transfer changes
// only the dual of an assigned column, which no later row can choose, so
// the choices are the same; a row's transfer sees the transfers of the
// rows before it only, which keeps the invariant all the same, as the
// rows after can only raise its other reduced costs.
func (s *sparseSolver[T]) columnReduction() []int {
	v, x, y, u := s.v, s.x, s.y, s.u
	const none = math.MaxInt64
	for j := range v {
		v[j] = none
	}
	for p, j := range s.col {
		v[j] = min(v[j], int64(s.cost[p]))
	}
	for j := range v {
		if v[j] == none {
			v[j] = 0
		}
	}
	var free []int
	for i := range s.rows {
		lo, hi := s.start[i], s.start[i+1]
		cols, cost := s.col[lo:hi], s.cost[lo:hi]
		cost = cost[:len(cols)]
		// j1 is the first free column at its least cost (reduced cost 0);
		// h1 ≤ h2 are the two least reduced costs, h1 at column at1.
		j1, at1 := -1, -1
		h1, h2 := int64(none), int64(none)
		for p, j := range cols {
			h := int64(cost[p]) - v[j]
			if j1 < 0 && h == 0 && y[j] < 0 {
				j1 = int(j)
			}
			if h < h1 {
				h1, h2, at1 = h, h1, int(j)
			} else if h < h2 {
				h2 = h
			}
		}
		if j1 < 0 {
			free = append(free, i)
			continue
		}
		x[i], y[j1] = j1, i
		mu := h1 // the least reduced cost of a column other than j1
		if at1 == j1 {
			mu = h2
		}
		c1 := v[j1] // row i's cost at j1, whose reduced cost is 0
		if mu != none {
			v[j1] = max(c1-mu, s.lim.floor)
		}
		u[i] = c1 - v[j1]
	}
	return free
}

// bestTwo scans row i's cells; see jvSteps. Cells are in column order, so
// the strict comparisons put the lower column first among equals.
func (s *sparseSolver[T]) bestTwo(i int) (j1, j2 int, u1, u2 int64) {
	lo, hi := s.start[i], s.start[i+1]
	if lo == hi {
		return -1, -1, 0, 0
	}
	v := s.v
	cols, cost := s.col[lo:hi], s.cost[lo:hi]
	cost = cost[:len(cols)]
	u1, u2 = int64(cost[0])-v[cols[0]], int64(math.MaxInt64)
	j1, j2 = int(cols[0]), -1
	for p := 1; p < len(cols); p++ {
		j := cols[p]
		h := int64(cost[p]) - v[j]
		if h < u2 {
			if h >= u1 {
				u2, j2 = h, int(j)
			} else {
				u2, j2 = u1, j1
				u1, j1 = h, int(j)
			}
		}
	}
	return j1, j2, u1, u2
}

// Distances of columns that a search has not reached, and of columns it
// has made final (whose distance is then kept in readyD). With these two
// sentinels one comparison tells whether a cell improves its column's
// distance, always for an unreached column and never for a final one, so
// the scan needs no state array. Real distances lie within ±15NB < 2^61
// (see limits), so they never equal a sentinel, and dk − d cannot overflow.
const (
	unreachedDist = 1 << 62
	finalDist     = -1 << 62
)

// augment assigns each free row along a shortest augmenting path, found by
// Dijkstra's method over the columns, with the paper's treatment of ties:
// all columns at the current minimum distance become final together, and
// are scanned one after another before the next minimum is sought, and
// columns that a scan brings down to that minimum join them at once,
// without going through the priority queue.
//
// Every array indexed by column is allocated once; a search touches only
// the columns it reaches, and resets just those, so one augmentation costs
// time proportional to the cells it scans (times a logarithm of the range
// of distances, see radixHeap), whatever the number of columns.
func (s *sparseSolver[T]) augment(free []int) error {
	n := s.cols
	y, u := s.y[:n], s.u
	cs := make([]colDV, n)
	for j := range cs {
		cs[j] = colDV{d: unreachedDist, v: s.v[j]}
	}
	defer func() {
		for j := range cs {
			s.v[j] = cs[j].v
		}
	}()
	pred := make([]int, n)
	maxDeg := 0
	for i := range s.rows {
		maxDeg = max(maxDeg, s.start[i+1]-s.start[i])
	}
	impP := make([]int32, maxDeg)
	impD := make([]int64, maxDeg)
	var (
		reached []int32 // columns reached in this search, to reset
		ready   []int32 // columns scanned in this search, in order…
		readyD  []int64 // …and their distances
		level   []int32 // final columns at distance mind: level[next:] wait for their scan
		h       radixHeap
	)
	for _, f := range free {
		s.augmentations++
		for _, j := range reached {
			cs[j].d = unreachedDist
		}
		reached, ready, readyD, level = reached[:0], ready[:0], readyD[:0], level[:0]
		h.reset()
		// bound is the least distance of a free column reached: the search
		// ends at that level or below, so a column further away is never
		// scanned, nor is an assigned column at that distance (at that
		// level a free column ends the search), and neither is queued.
		bound := int64(unreachedDist)
		for p := s.start[f]; p < s.start[f+1]; p++ {
			j := s.col[p]
			dj := int64(s.cost[p]) - cs[j].v
			cs[j].d, pred[j] = dj, f
			reached = append(reached, j)
			h.push(dj, j)
			if y[j] < 0 {
				bound = min(bound, dj)
			}
		}
		var mind int64
		next := 0
		end := -1
	search:
		for {
			if next == len(level) {
				// The next level: every column at the least distance left.
				level, next = h.popMin(cs, level[:0]), 0
				if len(level) == 0 {
					return hallError(f, ready, y)
				}
				mind = h.last
				// Among equally short paths, end at the lowest free column.
				for _, j := range level {
					cs[j].d = finalDist
					if y[j] < 0 && (end < 0 || int(j) < end) {
						end = int(j)
					}
				}
				if end >= 0 {
					break
				}
			}
			j1 := level[next]
			next++
			ready = append(ready, j1)
			readyD = append(readyD, mind)
			i := y[j1]
			s.scans++
			// Reaching row i through j1 at distance mind, a cell (i, k)
			// leads to k at mind + c(i, k) − v(k) − u(i), which is ≥ mind
			// by the invariant.
			off := u[i] - mind
			lo, hi := s.start[i], s.start[i+1]
			cols, cost := s.col[lo:hi], s.cost[lo:hi]
			cost = cost[:len(cols)]
			// First find the cells that improve their column, without a
			// branch, so that the processor can load many columns at once;
			// then act on those few.
			impP, impD := impP[:len(cols)], impD[:len(cols)]
			nb := 0
			for p, k := range cols {
				dk := int64(cost[p]) - cs[k].v - off
				impP[nb], impD[nb] = int32(p), dk
				nb += int(uint64(dk-cs[k].d) >> 63)
			}
			for q, p := range impP[:nb] {
				k := cols[p]
				dk := impD[q]
				if dk >= bound && (dk > bound || y[k] >= 0) {
					continue
				}
				c := &cs[k]
				if c.d == unreachedDist {
					reached = append(reached, k)
				}
				pred[k] = i
				if dk != mind {
					c.d = dk
					h.push(dk, k)
					if y[k] < 0 {
						bound = dk
					}
					continue
				}
				c.d = finalDist
				if y[k] < 0 {
					// Cells are in column order, so this is the lowest
					// free column this row brings to mind.
					end = int(k)
					break search
				}
				level = append(level, k)
			}
		}
		// Columns made final before the last level move their duals by
		// d − mind ≤ 0 and their rows' by the opposite; the path's rows
		// keep theirs, and f's becomes mind.
		for k, j := range ready {
			delta := readyD[k] - mind
			cs[j].v += delta
			u[y[j]] -= delta
		}
		u[f] = mind
		s.flip(f, end, pred)
	}
	return nil
}

// colDV holds a column's distance and dual side by side: a scan reads
// both for every cell, and one cache line serves both.
type colDV struct{ d, v int64 }

// rowDuals sets u(i) = c(i, x(i)) − v(x(i)) from the cells, so that the
// row duals returned are exact whatever the arithmetic along the way, and
// returns them with the total working cost of the assignment.
func (s *sparseSolver[T]) rowDuals() (u []int64, total int64) {
	for i, j := range s.x {
		p := s.start[i]
		for int(s.col[p]) != j {
			p++
		}
		c := int64(s.cost[p])
		s.u[i] = c - s.v[j]
		total += c
	}
	return s.u, total
}

// radixHeap is a monotone priority queue of columns keyed by distance
// (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the shortest
// path problem", J. ACM 37 (1990)): Dijkstra's method never asks for a key
// below the last minimum, so keys are kept in 65 buckets by the highest bit
// in which they differ from it. A push is an append; a pop empties the
// lowest bucket, or else redistributes the lowest non-empty one around its
// minimum, and each entry moves down at most 64 times. It is lazy: a
// column whose distance drops is pushed again, and entries that no longer
// hold their column's distance are dropped when met.
type radixHeap struct {
	last    int64 // the last minimum; every key held is ≥ last
	buckets [65][]distEntry
	used    uint64 // bit b set when buckets[b+1] may be non-empty
}

type distEntry struct {
	d int64
	j int32
}

func (h *radixHeap) reset() {
	for b := range h.buckets {
		h.buckets[b] = h.buckets[b][:0]
	}
	h.last, h.used = math.MinInt64, 0
}

// bucket returns the index of the bucket for key k: 0 when k == h.last,
// otherwise one more than the highest bit in which they differ, comparing
// them as unsigned after flipping the sign bit, which keeps their order.
func (h *radixHeap) bucket(k int64) int {
	return bits.Len64(uint64(k ^ h.last))
}

func (h *radixHeap) push(k int64, j int32) {
	b := h.bucket(k)
	h.buckets[b] = append(h.buckets[b], distEntry{k, j})
	if b > 0 {
		h.used |= 1 << (b - 1)
	}
}

// popMin appends to level every column whose current distance is the
// least key held, in the order the heap holds them, which depends only on
// the pushes; makes that key h.last; and returns level. It returns level
// unchanged when no live entry is left.
func (h *radixHeap) popMin(cs []colDV, level []int32) []int32 {
	for {
		for _, e := range h.buckets[0] {
			if cs[e.j].d == e.d {
				level = append(level, e.j)
			}
		}
		h.buckets[0] = h.buckets[0][:0]
		if len(level) > 0 || h.used == 0 {
			return level
		}
		// Move the lowest non-empty bucket's live entries down around
		// their minimum, which then fills bucket 0. They all land in lower
		// buckets, so es is not appended to meanwhile.
		b := bits.TrailingZeros64(h.used) + 1
		h.used &^= 1 << (b - 1)
		es := h.buckets[b]
		low := int64(math.MaxInt64)
		for _, e := range es {
			if cs[e.j].d == e.d {
				low = min(low, e.d)
			}
		}
		if low != math.MaxInt64 {
			h.last = low
			for _, e := range es {
				if cs[e.j].d == e.d {
					h.push(e.d, e.j)
				}
			}
		}
		h.buckets[b] = es[:0]
	}
}
