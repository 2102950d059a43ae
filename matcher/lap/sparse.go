package lap

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrEdge reports an edge that NewSparse rejects: an index outside the
// problem, or a cell listed twice.
var ErrEdge = errors.New("lap: bad edge")

// Sparse is a Rows×Cols assignment problem given by its allowed cells, the
// edges; every cell not listed is forbidden. It is stored in compressed
// sparse rows, each row's cells in ascending column order, so memory is
// linear in the number of edges plus rows, whatever Rows×Cols is.
//
// A Sparse is immutable once built, and safe for concurrent use.
type Sparse struct {
	rows, cols int
	// The cells of row i are col[start[i]:start[i+1]], ascending, with
	// costs cost[start[i]:start[i+1]]. Column indices are int32, which
	// halves the memory that the solver's scans stream.
	start []int
	col   []int32
	cost  []int64
	bound int64 // max |cost|, exactly, so that SolveSparse checks range in O(1)
}

// MaxSparseCols is the largest number of columns NewSparse accepts: column
// indices are stored in 32 bits.
const MaxSparseCols = math.MaxInt32

// NewSparse returns the rows×cols problem whose allowed cells are edges, in
// any order. It copies what it needs, so edges may be reused afterwards.
// It returns an error wrapping ErrEdge, naming the edge by its index in
// edges, for an index outside the problem or a cell listed twice (naming
// the first repeat, and the edge it repeats). Costs are not checked here:
// SolveSparse rejects those outside MaxCost(cols). NewSparse panics if rows
// or cols is negative, as NewMatrix does, and returns an error if cols
// exceeds MaxSparseCols.
//
// It takes one pass over edges sorted by row and then column, as
// OR-Library's files are; otherwise it also sorts each row, which takes
// O(e log d) time for e edges in rows of at most d cells.
func NewSparse(rows, cols int, edges []Edge) (*Sparse, error) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("lap: NewSparse(%d, %d, …): negative dimension", rows, cols))
	}
	if cols > MaxSparseCols {
		return nil, fmt.Errorf("lap: NewSparse: %d columns, at most %d", cols, MaxSparseCols)
	}
	s := &Sparse{
		rows:  rows,
		cols:  cols,
		start: make([]int, rows+1),
		col:   make([]int32, len(edges)),
		cost:  make([]int64, len(edges)),
	}
	// Copy in the order given, hoping it is already the storage order.
	sorted := true
	for k, e := range edges {
		if uint(e.Row) >= uint(rows) {
			return nil, fmt.Errorf("%w: edge %d (row %d, column %d): row outside 0..%d", ErrEdge, k, e.Row, e.Col, rows-1)
		}
		if uint(e.Col) >= uint(cols) {
			return nil, fmt.Errorf("%w: edge %d (row %d, column %d): column outside 0..%d", ErrEdge, k, e.Row, e.Col, cols-1)
		}
		if k > 0 && cmp.Or(cmp.Compare(edges[k-1].Row, e.Row), cmp.Compare(edges[k-1].Col, e.Col)) >= 0 {
			sorted = false
		}
		s.start[e.Row+1]++
		s.col[k], s.cost[k] = int32(e.Col), e.Cost
		if e.Cost > s.bound || e.Cost < -s.bound {
			s.bound = absSat(e.Cost)
		}
	}
	for i := range rows {
		s.start[i+1] += s.start[i]
	}
	if sorted {
		return s, nil // strictly ascending cells: no duplicates either
	}

	// Place each edge in its row, keeping the order given (sequential
	// writes when the edges come grouped by row), then sort each row.
	next := slices.Clone(s.start[:rows])
	for _, e := range edges {
		p := next[e.Row]
		next[e.Row]++
		s.col[p], s.cost[p] = int32(e.Col), e.Cost
	}
	var keys []uint64
	var costs []int64
	for i := range rows {
		col, cost := s.col[s.start[i]:s.start[i+1]], s.cost[s.start[i]:s.start[i+1]]
		if !slices.IsSorted(col) {
			// Sort (column, position) keys, then gather the costs.
			keys, costs = keys[:0], append(costs[:0], cost...)
			for k, j := range col {
				keys = append(keys, uint64(j)<<32|uint64(k))
			}
			slices.Sort(keys)
			for k, key := range keys {
				col[k], cost[k] = int32(key>>32), costs[uint32(key)]
			}
		}
		for k := 1; k < len(col); k++ {
			if col[k] == col[k-1] {
				dup, first := firstDuplicate(edges)
				e := edges[dup]
				return nil, fmt.Errorf("%w: edge %d (row %d, column %d) repeats edge %d", ErrEdge, dup, e.Row, e.Col, first)
			}
		}
	}
	return s, nil
}

// firstDuplicate returns the first edge, in the order given, whose cell an
// earlier edge already lists, and the first edge that lists it; or -1, -1.
// NewSparse and ReadORLib both report this one, so that a file and the edges
// read from it name the same repeat.
func firstDuplicate(edges []Edge) (dup, first int) {
	order := make([]int, len(edges))
	for e := range order {
		order[e] = e
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(edges[a].Row, edges[b].Row), cmp.Compare(edges[a].Col, edges[b].Col), cmp.Compare(a, b))
	})
	dup, first = -1, -1
	g := 0 // order[g] is the first edge of the current cell's group
	for k := 1; k < len(order); k++ {
		a, b := edges[order[k-1]], edges[order[k]]
		if a.Row != b.Row || a.Col != b.Col {
			g = k
			continue
		}
		if dup < 0 || order[k] < dup {
			dup, first = order[k], order[g]
		}
	}
	return dup, first
}

// Rows returns the number of rows.
func (s *Sparse) Rows() int { return s.rows }

// Cols returns the number of columns.
func (s *Sparse) Cols() int { return s.cols }

// NumEdges returns the number of allowed cells.
func (s *Sparse) NumEdges() int { return len(s.col) }

// At returns the cost of cell (i, j) and whether the cell is allowed, in
// O(log d) time for a row of d cells. A forbidden cell reports cost 0. At
// panics when (i, j) is outside the problem, as Matrix.At does.
func (s *Sparse) At(i, j int) (cost int64, allowed bool) {
	if uint(i) >= uint(s.rows) || uint(j) >= uint(s.cols) {
		panic(fmt.Sprintf("lap: cell (%d, %d) outside a %d×%d problem", i, j, s.rows, s.cols))
	}
	lo, hi := s.start[i], s.start[i+1]
	if p, ok := slices.BinarySearch(s.col[lo:hi], int32(j)); ok {
		return s.cost[lo+p], true
	}
	return 0, false
}

// check returns the errors SolveSparse and VerifySparse share with Solve
// and Verify, shape and cost range, and otherwise the largest |cost|.
func (s *Sparse) check() (maxAbs int64, err error) {
	return checkProblem(s.rows, s.cols, s.bound, func(limit int64) (int64, error) {
		for i := range s.rows {
			for p := s.start[i]; p < s.start[i+1]; p++ {
				if c := s.cost[p]; c > limit || c < -limit {
					return 0, costRangeError(c, i, int(s.col[p]), s.rows, s.cols)
				}
			}
		}
		panic("lap: internal error: Sparse.bound exceeds every cost")
	})
}

// SolveSparse returns an optimal assignment of the rows of s to distinct
// allowed columns, minimising or maximising the total cost as opts says,
// together with its dual certificate, exactly as Solve does for a Matrix:
// the same Solution, the same errors (ErrCostRange, ErrInfeasible, and an
// *InfeasibleError naming a row and a Hall violator), the same dual
// convention, which VerifySparse checks. See the package documentation for
// the algorithm and its cost. SolveSparse does not modify s. It panics if s
// is nil.
func SolveSparse(s *Sparse, opts *Options) (*Solution, error) {
	sense, maxAbs, err := prepare(s, opts)
	if err != nil {
		return nil, err
	}
	// The searches stream the rows' costs, so a copy into int16 or int32,
	// one pass over the cells, makes them cheaper to read; it also holds
	// the negated costs when maximising. Otherwise the caller's costs are
	// read in place (and never written).
	lim := newLimits(s.cols, maxAbs)
	var r result
	switch {
	case maxAbs <= math.MaxInt16:
		r, err = solveSparse(s, convertCosts[int16](s.cost, sense), lim)
	case maxAbs <= math.MaxInt32:
		r, err = solveSparse(s, convertCosts[int32](s.cost, sense), lim)
	case sense == Minimize:
		r, err = solveSparse(s, s.cost, lim)
	default:
		r, err = solveSparse(s, convertCosts[int64](s.cost, sense), lim)
	}
	if err != nil {
		return nil, err
	}
	return r.solution(sense), nil
}

// solveSparse runs the sparse solver on s's cells with working costs cost,
// which it minimises.
func solveSparse[T cell](s *Sparse, cost []T, lim limits) (result, error) {
	sp := newSparseSolver(s, cost, lim)
	if err := runJV(sp); err != nil {
		return result{}, err
	}
	return sp.result(sp.rowDuals()), nil
}
