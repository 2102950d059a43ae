package lap

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// ErrInfeasible reports that no solution assigns every row: some set of
// rows can use fewer allowed columns than it has rows (Hall's condition
// fails), or there are more rows than columns.
var ErrInfeasible = errors.New("lap: infeasible")

// ErrCostRange reports an allowed cost whose magnitude exceeds MaxCost, the
// bound below which the solvers' arithmetic provably cannot overflow.
var ErrCostRange = errors.New("lap: cost out of range")

// ErrCertificate reports a solution that Verify or VerifySparse rejects.
var ErrCertificate = errors.New("lap: certificate rejected")

// Sense says whether Solve and SolveSparse minimise or maximise the total
// cost.
type Sense int

const (
	// Minimize asks for the least total cost.
	Minimize Sense = iota
	// Maximize asks for the greatest total cost.
	Maximize
)

// String returns "minimize" or "maximize".
func (s Sense) String() string {
	switch s {
	case Minimize:
		return "minimize"
	case Maximize:
		return "maximize"
	}
	return fmt.Sprintf("Sense(%d)", int(s))
}

// Options tunes Solve, SolveSparse, Verify and VerifySparse. A nil
// *Options means the zero value: minimise.
type Options struct {
	Sense Sense
}

// Solution is an optimal assignment with the dual values that prove it
// optimal.
//
// The duals are a certificate in the caller's sense, for the linear program
// in which every row is assigned exactly once and every column at most once.
// Write r(i, j) = c(i, j) − RowDual[i] − ColDual[j]. When minimising:
//
//	r(i, j) ≥ 0 on every allowed cell,
//	r(i, j) = 0 on every assigned cell,
//	ColDual[j] ≤ 0 for every column, and ColDual[j] = 0 on unassigned columns.
//
// When maximising every inequality flips: r(i, j) ≤ 0 and ColDual[j] ≥ 0.
// Summing r over any other feasible assignment shows it cannot do better,
// which is what Verify and VerifySparse check. For a square problem the
// sign condition on ColDual is not needed (every column is assigned), but
// the solvers still return duals shifted so that it holds, so both shapes
// read the same way.
type Solution struct {
	RowToCol []int   // RowToCol[i] is the column of row i; every row is assigned
	ColToRow []int   // ColToRow[j] is the row of column j, or -1 when j is unassigned
	Cost     int64   // total cost of the assignment in the caller's costs
	RowDual  []int64 // u_i, see above
	ColDual  []int64 // v_j, see above

	// Augmentations counts the shortest augmenting paths searched after the
	// initialisation heuristics; RowScans counts rows scanned in those
	// searches. Both depend only on the input, unlike wall time.
	Augmentations int
	RowScans      int
}

// MaxCost returns the largest cost magnitude Solve and SolveSparse accept
// for a problem with n columns: 2^57/(n+1). See limits for why.
func MaxCost(n int) int64 {
	if n < 0 {
		n = 0
	}
	return maxCostNumerator / int64(n+1)
}

const (
	maxCostNumerator = 1 << 57

	// narrowCells is the matrix size above which Solve copies costs that
	// fit into int16 or int32 rather than read them in place: measured on
	// dense uniform instances, the copy starts to pay at about n = 1500.
	narrowCells = 1 << 21

	// dualLimit bounds the duals Verify accepts, so that c − u − v cannot
	// overflow; the solvers' duals stay far inside it (see limits).
	dualLimit int64 = 1 << 61
)

// limits are the constants that keep one solve exact. Let B ≥ 1 bound the
// |cost| of allowed cells and N = cols + 1 > rows. An alternating path
// visits at most N rows, so its cost lies within ±2NB. Column duals then
// stay in [−4NB, B] (the heuristics are held above floor = −4NB; the
// shortest-path updates stay there by themselves), and row duals, path
// lengths and every sum formed from them within ±15NB.
//
// A forbidden cell holds forbidden = 32NB in the working matrix. It is
// never used as a cost: a path through one is at least 32NB − 11NB > 16NB
// long and a real path at most 15NB, so a distance of at least unreachable
// = 16NB means "no path", exactly, with no big-M guess. MaxCost keeps 32NB
// ≤ 2^62, so nothing overflows an int64; when 32NB is small, forbidden fits
// in an int32 or int16 working matrix too.
//
// The sparse solver has no forbidden cells, so it uses floor alone; its
// distances stay within ±15NB < 2^61, which leaves room for the sentinels
// of jvsp.go.
type limits struct {
	floor, unreachable, forbidden int64
}

func newLimits(cols int, maxAbs int64) limits {
	nb := int64(cols+1) * max(maxAbs, 1)
	return limits{floor: -4 * nb, unreachable: 16 * nb, forbidden: 32 * nb}
}

// InfeasibleError reports a set of rows that cannot all be assigned: Rows
// can use only the columns in Cols, one fewer than there are rows. Row is the
// row whose search for a free column failed. It matches ErrInfeasible under
// errors.Is.
type InfeasibleError struct {
	Row  int
	Rows []int // ascending, includes Row
	Cols []int // ascending; every allowed column of every row in Rows
}

// Error names the row and, briefly, the rows and columns involved.
func (e *InfeasibleError) Error() string { return e.Numbered(0) }

// Numbered is Error with rows and columns counted from first: 0 as the
// solver counts, 1 for a file whose rows count from 1.
func (e *InfeasibleError) Numbered(first int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "lap: infeasible: row %d cannot be assigned: ", e.Row+first)
	if len(e.Cols) == 0 {
		b.WriteString("it has no allowed column")
		return b.String()
	}
	columns := "columns"
	if len(e.Cols) == 1 {
		columns = "column"
	}
	fmt.Fprintf(&b, "%d rows (%s) can use only %d %s (%s)",
		len(e.Rows), shortList(e.Rows, first), len(e.Cols), columns, shortList(e.Cols, first))
	return b.String()
}

// Unwrap returns ErrInfeasible.
func (e *InfeasibleError) Unwrap() error { return ErrInfeasible }

// shortList prints at most eight indices so that a Hall violator of
// thousands of rows still gives a readable message.
func shortList(xs []int, first int) string {
	const show = 8
	var b strings.Builder
	for k, x := range xs {
		if k == show {
			fmt.Fprintf(&b, " and %d more", len(xs)-show)
			break
		}
		if k > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, x+first)
	}
	return b.String()
}

// Solve returns an optimal assignment of the rows of m to distinct allowed
// columns, minimising or maximising the total cost as opts says, together
// with its dual certificate. See the package documentation for the problem,
// the errors and the algorithm. Solve does not modify m. It panics if m is
// nil.
func Solve(m *Matrix, opts *Options) (*Solution, error) {
	sense, maxAbs, err := prepare(m, opts)
	if err != nil {
		return nil, err
	}
	rows, cols := m.rows, m.cols

	// Pick the working matrix. The algorithm minimises, so maximising needs
	// a negated copy; forbidden cells need one holding lim.forbidden. Past
	// a few million cells, scans stream rows from main memory, and a copy
	// in int16 or int32 pays for itself; below that, the caller's costs are
	// read in place (and never written).
	lim := newLimits(cols, maxAbs)
	widest := maxAbs // the largest magnitude the working matrix must hold
	if m.nforbidden > 0 {
		widest = lim.forbidden
	}
	var r result
	switch {
	case sense == Minimize && m.nforbidden == 0 && (len(m.cost) <= narrowCells || widest > math.MaxInt32):
		r, err = solveCells(m.cost, rows, cols, lim)
	case widest <= math.MaxInt16:
		r, err = solveCells(working[int16](m, sense, lim), rows, cols, lim)
	case widest <= math.MaxInt32:
		r, err = solveCells(working[int32](m, sense, lim), rows, cols, lim)
	default:
		r, err = solveCells(working[int64](m, sense, lim), rows, cols, lim)
	}
	if err != nil {
		return nil, err
	}
	return r.solution(sense), nil
}

// problem is a *Matrix or a *Sparse.
type problem interface {
	Rows() int
	Cols() int
	At(i, j int) (cost int64, allowed bool)
	// check returns the errors of the solver for this problem, shape and
	// cost range, and otherwise a bound on |cost| that is at most
	// MaxCost(Cols()).
	check() (maxAbs int64, err error)
	// dualInfeasible returns an allowed cell (i, j) of cost c whose reduced
	// cost c − u(i) − v(j), times sign, is negative, if there is one. The
	// duals lie within ±dualLimit, so the reduced costs cannot overflow.
	dualInfeasible(u, v []int64, sign int64) (i, j int, c int64, found bool)
}

// prepare returns what the solvers and the verifiers check first: the
// sense opts asks for (Minimize when opts is nil), and p's shape and cost
// range, giving the bound on |cost|.
func prepare(p problem, opts *Options) (sense Sense, maxAbs int64, err error) {
	if opts != nil {
		sense = opts.Sense
	}
	if sense != Minimize && sense != Maximize {
		return 0, 0, fmt.Errorf("lap: unknown sense %v", sense)
	}
	maxAbs, err = p.check()
	return sense, maxAbs, err
}

// result is what Solve and SolveSparse need from a run of a solver, which
// minimised the costs negated when maximising.
type result struct {
	x, y                 []int
	u, v                 []int64
	total                int64 // of the working costs of the assignment
	augmentations, scans int
}

// solution turns r into the caller's Solution for sense. For a square
// problem it first moves
// the largest column dual into the row duals, which makes every column dual
// ≤ 0, the convention of the rectangular case; any constant moves freely
// between the row and column duals of a square problem. Then, when
// maximising, it negates the duals.
func (r result) solution(sense Sense) *Solution {
	if len(r.x) == len(r.y) && len(r.y) > 0 {
		top := slices.Max(r.v)
		for j := range r.v {
			r.v[j] -= top
		}
		for i := range r.u {
			r.u[i] += top
		}
	}
	if sense == Maximize {
		r.total = -r.total
		for i := range r.u {
			r.u[i] = -r.u[i]
		}
		for j := range r.v {
			r.v[j] = -r.v[j]
		}
	}
	return &Solution{
		RowToCol:      r.x,
		ColToRow:      r.y,
		Cost:          r.total,
		RowDual:       r.u,
		ColDual:       r.v,
		Augmentations: r.augmentations,
		RowScans:      r.scans,
	}
}

func solveCells[T cell](w []T, rows, cols int, lim limits) (result, error) {
	s := newSolver(w, rows, cols, lim)
	if err := runJV(s); err != nil {
		return result{}, err
	}
	return s.result(s.rowDuals()), nil
}

// working copies m's costs into a working matrix of T (see convertCosts),
// with lim.forbidden in forbidden cells so that the hot loop has no second
// array to read.
func working[T cell](m *Matrix, sense Sense, lim limits) []T {
	w := convertCosts[T](m.cost, sense)
	for b, word := range m.forbidden {
		for ; word != 0; word &= word - 1 {
			w[b*64+bits.TrailingZeros64(word)] = T(lim.forbidden)
		}
	}
	return w
}

// convertCosts copies cost into T, negated when maximising. The caller has
// checked that every value it will use fits in T; T's range is symmetric
// once its minimum is excluded, which the cost bound does.
func convertCosts[T cell](cost []int64, sense Sense) []T {
	w := make([]T, len(cost))
	if sense == Maximize {
		for k, c := range cost {
			w[k] = T(-c)
		}
	} else {
		for k, c := range cost {
			w[k] = T(c)
		}
	}
	return w
}

// check returns the errors Solve and Verify share, shape and cost range,
// and otherwise a bound on |cost| over the allowed cells that is at most
// MaxCost(cols).
func (m *Matrix) check() (maxAbs int64, err error) {
	// m.bound may be stale (a large cost overwritten, or forbidden), so a
	// scan finds the true largest cost.
	return checkProblem(m.rows, m.cols, m.bound, func(limit int64) (maxAbs int64, err error) {
		for k, c := range m.cost {
			if -maxAbs <= c && c <= maxAbs || !m.allowed(k) {
				continue
			}
			if c > limit || c < -limit {
				return 0, costRangeError(c, k/m.cols, k%m.cols, m.rows, m.cols)
			}
			maxAbs = max(c, -c)
		}
		return maxAbs, nil
	})
}

// checkProblem returns the errors the solvers share for a rows×cols
// problem whose allowed costs are bounded by bound: ErrInfeasible when
// there are more rows than columns, or, when bound exceeds MaxCost(cols),
// what scan(MaxCost(cols)) finds; otherwise bound.
func checkProblem(rows, cols int, bound int64, scan func(limit int64) (int64, error)) (int64, error) {
	if rows > cols {
		return 0, fmt.Errorf("%w: %d rows but only %d columns, and every row needs a column of its own",
			ErrInfeasible, rows, cols)
	}
	if limit := MaxCost(cols); bound > limit {
		return scan(limit)
	}
	return bound, nil
}

// costRangeError reports cost c of cell (i, j), outside MaxCost(cols).
func costRangeError(c int64, i, j, rows, cols int) error {
	return fmt.Errorf("%w: cost %d at row %d, column %d: a %d×%d problem allows |cost| ≤ %d",
		ErrCostRange, c, i, j, rows, cols, MaxCost(cols))
}
