package lap

import (
	"fmt"
	"math"
)

// Matrix is a dense Rows×Cols cost matrix, stored row-major, in which any
// cell may be forbidden (the row may not be assigned to that column).
//
// The zero value is a 0×0 matrix. Methods panic when an index is out of
// range, as slice indexing does: that is a bug in the caller, never a
// property of the data.
type Matrix struct {
	rows, cols int
	cost       []int64
	// forbidden has bit i*cols+j set when cell (i, j) is forbidden. It stays
	// nil until the first Forbid, so a matrix without forbidden cells costs
	// no extra memory and Solve can take its fast path.
	forbidden  []uint64
	nforbidden int
	// bound is at least |c| for every cost ever stored, so that Solve can
	// skip its O(rows·cols) range check, and pick a narrow working copy,
	// without looking at every cell. Overwriting a large cost leaves the
	// bound high, which only costs that check.
	bound int64
}

// NewMatrix returns a rows×cols matrix with every cost 0 and every cell
// allowed. It panics if rows or cols is negative.
func NewMatrix(rows, cols int) *Matrix {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("lap: NewMatrix(%d, %d): negative dimension", rows, cols))
	}
	return &Matrix{rows: rows, cols: cols, cost: make([]int64, rows*cols)}
}

// Rows returns the number of rows.
func (m *Matrix) Rows() int { return m.rows }

// Cols returns the number of columns.
func (m *Matrix) Cols() int { return m.cols }

// Set sets the cost of cell (i, j) and allows the cell if it was forbidden.
func (m *Matrix) Set(i, j int, cost int64) {
	k := m.index(i, j)
	m.cost[k] = cost
	if cost > m.bound || cost < -m.bound {
		m.bound = absSat(cost)
	}
	if m.forbidden != nil && m.forbidden[k>>6]&(1<<(k&63)) != 0 {
		m.forbidden[k>>6] &^= 1 << (k & 63)
		m.nforbidden--
	}
}

// At returns the cost of cell (i, j) and whether the cell is allowed. A
// forbidden cell reports cost 0.
func (m *Matrix) At(i, j int) (cost int64, allowed bool) {
	k := m.index(i, j)
	if m.forbidden != nil && m.forbidden[k>>6]&(1<<(k&63)) != 0 {
		return 0, false
	}
	return m.cost[k], true
}

// Forbid forbids cell (i, j): no solution assigns row i to column j.
// Set allows the cell again.
func (m *Matrix) Forbid(i, j int) {
	k := m.index(i, j)
	if m.forbidden == nil {
		m.forbidden = make([]uint64, (len(m.cost)+63)/64)
	}
	if m.forbidden[k>>6]&(1<<(k&63)) == 0 {
		m.forbidden[k>>6] |= 1 << (k & 63)
		m.nforbidden++
	}
}

// forbidAll forbids every cell, for readers that then allow the few listed
// cells; it is much cheaper than rows·cols calls to Forbid.
func (m *Matrix) forbidAll() {
	n := len(m.cost)
	m.forbidden = make([]uint64, (n+63)/64)
	for w := range m.forbidden {
		m.forbidden[w] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		m.forbidden[len(m.forbidden)-1] = 1<<r - 1
	}
	m.nforbidden = n
}

// allowed reports whether the cell at row-major index k is allowed.
func (m *Matrix) allowed(k int) bool {
	return m.nforbidden == 0 || m.forbidden[k>>6]&(1<<(k&63)) == 0
}

func (m *Matrix) index(i, j int) int {
	if uint(i) >= uint(m.rows) || uint(j) >= uint(m.cols) {
		panic(fmt.Sprintf("lap: cell (%d, %d) outside a %d×%d matrix", i, j, m.rows, m.cols))
	}
	return i*m.cols + j
}

// absSat returns |c|, or math.MaxInt64 for math.MinInt64, whose magnitude
// does not fit.
func absSat(c int64) int64 {
	if c == math.MinInt64 {
		return math.MaxInt64
	}
	return max(c, -c)
}
