package lap

import (
	"fmt"
	"math"
	"slices"
)

// jvState is what the dense and the sparse solver share: the partial
// assignment, the duals and the counters.
type jvState struct {
	rows, cols    int
	lim           limits
	v             []int64 // column duals
	u             []int64 // row duals of assigned rows, kept by the sparse solver only (nil in the dense one)
	x             []int   // row → column, -1 when free
	y             []int   // column → row, -1 when free
	augmentations int
	scans         int
}

func newJVState(rows, cols int, lim limits) jvState {
	st := jvState{
		rows: rows,
		cols: cols,
		lim:  lim,
		v:    make([]int64, cols),
		x:    make([]int, rows),
		y:    make([]int, cols),
	}
	for i := range st.x {
		st.x[i] = -1
	}
	for j := range st.y {
		st.y[j] = -1
	}
	return st
}

func (st *jvState) state() *jvState { return st }

// result returns the state as a result, with row duals u and the total
// working cost of the assignment.
func (st *jvState) result(u []int64, total int64) result {
	return result{x: st.x, y: st.y, u: u, v: st.v, total: total, augmentations: st.augmentations, scans: st.scans}
}

// jvSteps are the parts of the paper's three steps that the dense and the
// sparse solver implement over their own storage of the costs.
type jvSteps interface {
	state() *jvState
	// columnReduction assigns rows along least-cost cells of a square
	// problem and returns the rows left free, ascending.
	columnReduction() []int
	// bestTwo returns row i's least and second-least reduced costs
	// c(i, j) − v(j), u1 at column j1 and u2 at j2, the lower column first
	// among equals; j2 is -1 when the row has one allowed column, and j1
	// is -1 when it has none.
	bestTwo(i int) (j1, j2 int, u1, u2 int64)
	// augment assigns each free row along a shortest augmenting path.
	augment(free []int) error
}

// runJV runs the steps in the paper's order.
func runJV(s jvSteps) error {
	rows, cols := s.state().rows, s.state().cols
	if rows == 0 {
		return nil
	}
	var free []int
	if rows == cols {
		free = s.columnReduction()
	} else {
		// Column reduction would give the columns different duals, but the
		// rectangular certificate needs every unassigned column at dual 0
		// (see Solution), so start from v = 0 and let row reduction and
		// the shortest paths do the work.
		free = make([]int, rows)
		for i := range free {
			free[i] = i
		}
	}
	free, err := augmentingRowReduction(s, free)
	if err != nil {
		return err
	}
	return s.augment(free)
}

// solver is one run of the Jonker–Volgenant algorithm on a working matrix
// that it minimises. Its invariant, from the paper: every assigned row i is
// assigned to a column of least reduced cost c(i, j) − v(j), so reduced
// costs along alternating paths are never negative and Dijkstra's method
// applies. Every step below either keeps the invariant or is the paper's
// shortest-path update, which keeps it.
type solver[T cell] struct {
	jvState
	w []T // rows×cols, row-major; forbidden cells hold lim.forbidden
}

// cell is the element type of working costs, dense or sparse. Narrow types
// hold the costs when they (and, in a matrix, the forbidden-cell marker)
// fit: the shortest-path scans stream whole rows from memory, so halving
// or quartering the bytes per cell speeds them up.
type cell interface{ ~int16 | ~int32 | ~int64 }

func newSolver[T cell](w []T, rows, cols int, lim limits) *solver[T] {
	return &solver[T]{jvState: newJVState(rows, cols, lim), w: w}
}

// columnReduction is the paper's first step: each column's dual becomes its
// least cost, and rows are assigned along cells at that least cost. The
// paper gives each column to its least-cost row unless that row already has
// a column; with integer costs most columns tie, the ties fall on the same
// few rows, and half the rows stay free (n = 4000, costs 1..1000). Here
// each row instead takes its first such column still free, a greedy
// matching on the same cells that leaves a third as many. Then
// reduction transfer: an assigned row lowers its column's dual until its
// second-best column is as good, which makes the column less attractive to
// the free rows. It returns the rows left free, ascending.
func (s *solver[T]) columnReduction() []int {
	n := s.cols
	v, x, y := s.v, s.x, s.y
	// Row-major order: a column-by-column walk would touch a new cache line
	// for every cell.
	for j := range v {
		v[j] = s.lim.forbidden
	}
	for i := 0; i < s.rows; i++ {
		row := s.w[i*n : i*n+n]
		v := v[:len(row)]
		for j, c := range row {
			v[j] = min(v[j], int64(c))
		}
	}
	for j := range v {
		if v[j] == s.lim.forbidden {
			v[j] = 0 // no allowed cell: the column stays free for good
		}
	}
	var free []int
	for i := 0; i < s.rows; i++ {
		row := s.w[i*n : i*n+n]
		row = row[:len(v)]
		for j, c := range row {
			if int64(c) == v[j] && y[j] < 0 {
				x[i], y[j] = j, i
				break
			}
		}
		if x[i] < 0 {
			free = append(free, i)
		}
	}
	for i, j1 := range x {
		if j1 < 0 {
			continue
		}
		row := s.w[i*n : i*n+n]
		mu := int64(math.MaxInt64)
		for j := 0; j < j1; j++ {
			mu = min(mu, int64(row[j])-v[j])
		}
		for j := j1 + 1; j < n; j++ {
			mu = min(mu, int64(row[j])-v[j])
		}
		if mu >= s.lim.unreachable {
			continue // j1 is the row's only allowed column
		}
		v[j1] = max(v[j1]-mu, s.lim.floor)
	}
	return free
}

// augmentingRowReduction is the paper's auction-like step, run twice: a
// free row takes its best column, lowering the column's dual until the row
// is indifferent between it and its second-best column, and the row it
// displaces bids next. It returns the rows still free, or an error for a
// row with no allowed column at all.
func augmentingRowReduction(s jvSteps, free []int) ([]int, error) {
	st := s.state()
	v, x, y, u := st.v, st.x, st.y, st.u
	// Rebids are capped so the step stays a cheap heuristic whatever the
	// costs: with tiny price steps an auction can run for a very long time.
	// Duals are held above lim.floor, which keeps them in the range the
	// limits are derived from and stops the price war that rows of a Hall
	// violator would otherwise wage forever over too few columns. Stopping
	// early costs time, never correctness: the rows left free are the
	// shortest-path step's business.
	budget := 4 * st.rows
	for phase := 0; phase < 2 && len(free) > 0; phase++ {
		k, prv, next := 0, len(free), 0
		for k < prv {
			i := free[k]
			k++
			j1, j2, u1, u2 := s.bestTwo(i)
			if j1 < 0 {
				return nil, hallError[int](i, nil, y)
			}
			i0 := y[j1]
			rebid := false
			ui := u1 // row i's dual once assigned: its reduced cost at j1
			switch {
			case j2 < 0:
				// j1 is the row's only allowed column: take it as it is.
			case u1 < u2:
				nv := v[j1] - (u2 - u1)
				if nv >= st.lim.floor {
					rebid = true
				} else {
					nv = st.lim.floor
				}
				ui += v[j1] - nv
				v[j1] = nv
			case i0 >= 0:
				// A tie: prefer the second column if that displaces nobody.
				j1, i0 = j2, y[j2]
			}
			x[i], y[j1] = j1, i
			if u != nil {
				u[i] = ui
			}
			if i0 < 0 {
				continue
			}
			x[i0] = -1
			// free[:next] holds rows for the next phase and free[k:prv]
			// rows still to bid; k ≥ next always, so both fit in place.
			if rebid && budget > 0 {
				budget--
				k--
				free[k] = i0
			} else {
				free[next] = i0
				next++
			}
		}
		free = free[:next]
	}
	return free, nil
}

// bestTwo scans row i of the working matrix; see jvSteps. Forbidden cells
// hold lim.forbidden, so their reduced costs are at least lim.unreachable.
func (s *solver[T]) bestTwo(i int) (j1, j2 int, u1, u2 int64) {
	v := s.v
	row := s.w[i*s.cols : i*s.cols+s.cols]
	row = row[:len(v)]
	u1, u2 = int64(row[0])-v[0], int64(math.MaxInt64)
	j1, j2 = 0, -1
	for j := 1; j < len(row); j++ {
		h := int64(row[j]) - v[j]
		if h < u2 {
			if h >= u1 {
				u2, j2 = h, j
			} else {
				u2, j2 = u1, j1
				u1, j1 = h, j
			}
		}
	}
	switch {
	case u1 >= s.lim.unreachable:
		return -1, -1, 0, 0
	case u2 >= s.lim.unreachable:
		return j1, -1, u1, 0
	}
	return j1, j2, u1, u2
}

// augment assigns each free row along a shortest augmenting path, the
// paper's Dijkstra-like step, with its trick for the many ties of integer
// costs: every column at the current minimum distance is scanned before a
// new minimum is sought.
//
// The paper keeps the columns not yet final in a shrinking list. Here every
// scan runs over all columns, in order, because a column that is final or
// waiting at the minimum is never improved by a scan (a scanned row lies at
// the minimum distance and reduced costs are ≥ 0), so the test that
// excludes it is the very test h < d[k] the loop needs anyway. A sequential
// loop with no index list lets the compiler drop bounds checks and the
// processor prefetch, which is most of the run time on large instances.
func (s *solver[T]) augment(free []int) error {
	n := s.cols
	w, v, y := s.w, s.v[:n], s.y[:n]
	d := make([]int64, n)
	pred := make([]int, n)
	waiting := make([]int, n)  // waiting[next:nw] are at distance mind, to be scanned
	ready := make([]int, 0, n) // columns scanned, in order
	for _, f := range free {
		s.augmentations++
		row := w[f*n : f*n+n]
		for j, c := range row {
			d[j] = int64(c) - v[j]
			pred[j] = f
		}
		ready = ready[:0]
		next, nw := 0, 0
		last := 0                    // ready[:last] were final before the current minimum
		done := int64(math.MinInt64) // columns with d ≤ done are final or waiting
		var mind int64
		end := -1
		for end < 0 {
			if next == nw {
				last = len(ready)
				mind = math.MaxInt64
				next, nw = 0, 0
				for j, dj := range d {
					if dj > done && dj <= mind {
						if dj < mind {
							nw = 0
							mind = dj
						}
						waiting[nw] = j
						nw++
					}
				}
				if mind >= s.lim.unreachable {
					return hallError(f, ready, s.y)
				}
				done = mind
				// Among equally short paths, end at the lowest free column.
				for _, j := range waiting[:nw] {
					if y[j] < 0 {
						end = j
						break
					}
				}
				if end >= 0 {
					break
				}
			}
			j1 := waiting[next]
			next++
			ready = append(ready, j1)
			i := y[j1]
			s.scans++
			ri := w[i*n : i*n+n]
			u1 := int64(ri[j1]) - v[j1] - mind
			from := nw
			lv := level{row: i, mind: mind, waiting: waiting, nw: nw}
			relax(ri, v, d, pred, u1, &lv)
			nw = lv.nw
			// The scan ran to the end rather than stop at the first free
			// column, so the first one found is the lowest.
			for _, j := range waiting[from:nw] {
				if y[j] < 0 {
					end = j
					break
				}
			}
		}
		for _, j := range ready[:last] {
			v[j] += d[j] - mind
		}
		s.flip(f, end, pred)
	}
	return nil
}

// flip augments along the path that pred records from free row f to free
// column end: each row on it takes the column that led to it.
func (st *jvState) flip(f, end int, pred []int) {
	x, y := st.x, st.y
	for j := end; ; {
		i := pred[j]
		y[j] = i
		j, x[i] = x[i], j
		if i == f {
			return
		}
	}
}

// level is the part of a shortest-path search that relax touches only
// when a distance improves.
type level struct {
	row     int   // the row being scanned
	mind    int64 // the current minimum distance
	waiting []int // waiting[:nw] are columns at distance mind
	nw      int
}

// relax lowers d[k] to h = c(i, k) − v(k) − u1 where that is shorter,
// making row lv.row the predecessor, and appends the columns that reach
// lv.mind to lv.waiting. Almost all the run time goes here, so it is kept
// apart from augment, without an early exit or an append, and with the
// values needed only on an improvement behind one pointer: with more live
// variables the compiler runs out of registers and reloads one from the
// stack on every cell, which costs a fifth of the loop.
//
//go:noinline
func relax[T cell](ri []T, v, d []int64, pred []int, u1 int64, lv *level) {
	v = v[:len(ri)]
	d = d[:len(ri)]
	pred = pred[:len(ri)]
	for k, c := range ri {
		h := int64(c) - v[k] - u1
		if h < d[k] {
			d[k] = h
			pred[k] = lv.row
			if h == lv.mind {
				lv.waiting[lv.nw] = k
				lv.nw++
			}
		}
	}
}

// hallError builds the error for free row f whose search reached only the
// columns in ready, all assigned (y maps columns to rows): f and their rows
// are one more than the columns they can use. With ready empty, f has no
// allowed column at all.
func hallError[J int | int32](f int, ready []J, y []int) error {
	e := &InfeasibleError{Row: f, Rows: []int{f}}
	for _, j := range ready {
		e.Cols = append(e.Cols, int(j))
		e.Rows = append(e.Rows, y[j])
	}
	slices.Sort(e.Rows)
	slices.Sort(e.Cols)
	return e
}

// rowDuals returns u(i) = c(i, x(i)) − v(x(i)), the row duals that make
// every assigned cell's reduced cost 0, and the total working cost of the
// assignment.
func (s *solver[T]) rowDuals() (u []int64, total int64) {
	u = make([]int64, s.rows)
	for i, j := range s.x {
		c := int64(s.w[i*s.cols+j])
		if c == s.lim.forbidden {
			panic(fmt.Sprintf("lap: internal error: row %d assigned to forbidden column %d", i, j))
		}
		u[i] = c - s.v[j]
		total += c
	}
	return u, total
}
