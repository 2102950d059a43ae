package lap

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/khidi/khidi/matcher/internal/oracle"
	"github.com/khidi/khidi/matcher/internal/testinstances"
)

// newTestMatrix builds a Matrix from rows of costs; allowed nil allows every
// cell.
func newTestMatrix(t testing.TB, cost [][]int64, allowed [][]bool) *Matrix {
	t.Helper()
	rows, cols := len(cost), 0
	if rows > 0 {
		cols = len(cost[0])
	}
	m := NewMatrix(rows, cols)
	for i, row := range cost {
		if len(row) != cols {
			t.Fatalf("newTestMatrix: row %d has %d costs, want %d", i, len(row), cols)
		}
		for j, c := range row {
			m.Set(i, j, c)
			if allowed != nil && !allowed[i][j] {
				m.Forbid(i, j)
			}
		}
	}
	return m
}

// negated returns -cost, to check maximising against a minimising oracle.
func negated(cost [][]int64) [][]int64 {
	out := make([][]int64, len(cost))
	for i, row := range cost {
		out[i] = make([]int64, len(row))
		for j, c := range row {
			out[i][j] = -c
		}
	}
	return out
}

// solveProblem calls Solve or SolveSparse, as p is a *Matrix or a *Sparse.
func solveProblem(p problem, opts *Options) (*Solution, error) {
	if m, ok := p.(*Matrix); ok {
		return Solve(m, opts)
	}
	return SolveSparse(p.(*Sparse), opts)
}

// verifyProblem calls Verify or VerifySparse, as p is a *Matrix or a
// *Sparse.
func verifyProblem(p problem, opts *Options, sol *Solution) error {
	if m, ok := p.(*Matrix); ok {
		return Verify(m, opts, sol)
	}
	return VerifySparse(p.(*Sparse), opts, sol)
}

// builders turn a test instance, given as rows of costs and allowed cells
// (nil: all allowed), into each kind of problem, so that one test runs
// both solvers on it.
var builders = []struct {
	name  string
	build func(t testing.TB, cost [][]int64, allowed [][]bool) problem
}{
	{"dense", func(t testing.TB, cost [][]int64, allowed [][]bool) problem { return newTestMatrix(t, cost, allowed) }},
	{"sparse", func(t testing.TB, cost [][]int64, allowed [][]bool) problem {
		return sparseOf(t, newTestMatrix(t, cost, allowed))
	}},
}

// mustSolveVerified solves p, a *Matrix or a *Sparse, and checks the
// certificate of the answer, whichever it is: Verify or VerifySparse for a
// solution, checkHall for infeasibility. It returns the solution, or nil
// when p is infeasible.
func mustSolveVerified(t testing.TB, p problem, opts *Options) *Solution {
	t.Helper()
	sol, err := solveProblem(p, opts)
	if err != nil {
		if !errors.Is(err, ErrInfeasible) {
			t.Fatalf("solving %T %d×%d: error %v, want nil or ErrInfeasible", p, p.Rows(), p.Cols(), err)
		}
		checkHall(t, p, err)
		return nil
	}
	if err := verifyProblem(p, opts, sol); err != nil {
		t.Fatalf("certificate of %T %d×%d: %v, want nil", p, p.Rows(), p.Cols(), err)
	}
	return sol
}

// checkHall checks that err proves m, a *Matrix or a *Sparse, infeasible
// by itself: its rows can use only its columns, and there are fewer
// columns than rows.
func checkHall(t testing.TB, m problem, err error) {
	t.Helper()
	var he *InfeasibleError
	if !errors.As(err, &he) {
		if m.Rows() > m.Cols() {
			return // the shape alone proves it
		}
		t.Fatalf("Solve error %v is not an *InfeasibleError", err)
	}
	if len(he.Cols) >= len(he.Rows) {
		t.Fatalf("%v: %d rows and %d columns is no Hall violation", err, len(he.Rows), len(he.Cols))
	}
	if !slices.Contains(he.Rows, he.Row) {
		t.Fatalf("%v: Row %d not among Rows %v", err, he.Row, he.Rows)
	}
	for _, i := range he.Rows {
		for j := range m.Cols() {
			if _, ok := m.At(i, j); ok && !slices.Contains(he.Cols, j) {
				t.Fatalf("%v: row %d may use column %d, which is not in Cols %v", err, i, j, he.Cols)
			}
		}
	}
}

func TestSolveSharedTable(t *testing.T) {
	t.Parallel()
	for _, tt := range testinstances.Assignments {
		for _, sense := range []Sense{Minimize, Maximize} {
			for _, b := range builders {
				t.Run(fmt.Sprintf("%s/%v/%s", tt.Name, sense, b.name), func(t *testing.T) {
					t.Parallel()
					cost, want := tt.Cost, tt.Optimum
					if sense == Maximize {
						// max Σ(−c) = −min Σc: the same instance, same optimum.
						cost, want = negated(tt.Cost), -tt.Optimum
					}
					p := b.build(t, cost, tt.Allowed)
					sol := mustSolveVerified(t, p, &Options{Sense: sense})
					switch {
					case !tt.Feasible && sol != nil:
						t.Fatalf("solving %v = %+v, want ErrInfeasible", cost, sol)
					case tt.Feasible && sol == nil:
						t.Fatalf("solving %v: infeasible, want cost %d", cost, want)
					case tt.Feasible && sol.Cost != want:
						t.Errorf("solving %v: cost %d, want %d", cost, sol.Cost, want)
					}
				})
			}
		}
	}
}

// randomCase is a random small instance for the oracle tests.
type randomCase struct {
	cost    [][]int64
	allowed [][]bool // nil: all allowed
	sense   Sense
}

// newRandomCase draws a rows×cols instance whose costs come from one of
// several ranges (tiny ranges make ties; with huge, costs up to MaxCost test
// the cost bound) and whose cells are forbidden with one of several
// densities.
func newRandomCase(r *rand.Rand, rows, cols int, huge bool) randomCase {
	var lo, hi int64
	ranges := 4
	if huge {
		ranges = 5
	}
	switch r.IntN(ranges) {
	case 0:
		lo, hi = 0, 2
	case 1:
		lo, hi = 1, 9
	case 2:
		lo, hi = -50, 50
	case 3:
		lo, hi = 1, 1000
	default:
		hi = MaxCost(cols)
		lo = -hi
	}
	forbid := []float64{0, 0, 0.2, 0.5, 0.8}[r.IntN(5)]
	c := randomCase{cost: make([][]int64, rows), sense: Sense(r.IntN(2))}
	if forbid > 0 {
		c.allowed = make([][]bool, rows)
	}
	for i := range rows {
		c.cost[i] = make([]int64, cols)
		for j := range cols {
			c.cost[i][j] = lo + r.Int64N(hi-lo+1)
		}
		if forbid > 0 {
			c.allowed[i] = make([]bool, cols)
			for j := range cols {
				c.allowed[i][j] = r.Float64() >= forbid
			}
		}
	}
	return c
}

// optimum asks the brute-force oracle, which only minimises.
func (c randomCase) optimum() (int64, bool) {
	if c.sense == Maximize {
		best, ok := oracle.AssignmentBruteForce(negated(c.cost), c.allowed)
		return -best, ok
	}
	return oracle.AssignmentBruteForce(c.cost, c.allowed)
}

func TestSolveBruteForce(t *testing.T) {
	t.Parallel()
	cases := 10000
	if testing.Short() || raceEnabled {
		cases = 3000
	}
	r := rand.New(rand.NewPCG(1, 2))
	infeasible := 0
	for k := range cases {
		rows := r.IntN(8) // 0..7
		cols := rows + r.IntN(8-rows)
		c := newRandomCase(r, rows, cols, true)
		opts := &Options{Sense: c.sense}
		want, feasible := c.optimum()
		if !feasible {
			infeasible++
		}
		for _, b := range builders {
			p := b.build(t, c.cost, c.allowed)
			sol, err := solveProblem(p, opts)
			switch {
			case !feasible && !errors.Is(err, ErrInfeasible):
				t.Fatalf("case %d, %s: solving %v, allowed %v, %v = %v, %v; want ErrInfeasible", k, b.name, c.cost, c.allowed, c.sense, sol, err)
			case !feasible:
				checkHall(t, p, err)
			case err != nil:
				t.Fatalf("case %d, %s: solving %v, allowed %v, %v: error %v, want cost %d", k, b.name, c.cost, c.allowed, c.sense, err, want)
			case sol.Cost != want:
				t.Fatalf("case %d, %s: solving %v, allowed %v, %v: cost %d, want %d", k, b.name, c.cost, c.allowed, c.sense, sol.Cost, want)
			default:
				if err := verifyProblem(p, opts, sol); err != nil {
					t.Fatalf("case %d, %s: certificate of %v, allowed %v, %v: %v", k, b.name, c.cost, c.allowed, c.sense, err)
				}
			}
		}
	}
	if infeasible < cases/20 {
		t.Errorf("only %d of %d cases infeasible: the generator no longer tests infeasibility", infeasible, cases)
	}
}

// assignmentLP writes an assignment instance as the min-cost flow problem
// the LP oracle solves: rows supply one unit each, columns pass at most one
// to a collector that absorbs them all. A row's arcs are left uncapacitated:
// its supply of one already bounds them, and every capacity costs the dense
// simplex a row and a column.
func assignmentLP(cost [][]int64, allowed [][]bool) (nodes int, supply []int64, arcs []oracle.Arc) {
	rows, cols := len(cost), len(cost[0])
	nodes = rows + cols + 1
	supply = make([]int64, nodes)
	for i := range rows {
		supply[i] = 1
		for j := range cols {
			if allowed == nil || allowed[i][j] {
				arcs = append(arcs, oracle.Arc{From: i, To: rows + j, Capacity: -1, Cost: cost[i][j]})
			}
		}
	}
	for j := range cols {
		arcs = append(arcs, oracle.Arc{From: rows + j, To: nodes - 1, Capacity: 1})
	}
	supply[nodes-1] = -int64(rows)
	return nodes, supply, arcs
}

func TestSolveLP(t *testing.T) {
	t.Parallel()
	// gonum's dense simplex takes up to 0.1 s on a 12×15 assignment, and
	// ten times that under the race detector.
	cases := 300
	if testing.Short() || raceEnabled {
		cases = 60
	}
	r := rand.New(rand.NewPCG(3, 4))
	for k := range cases {
		rows := 1 + r.IntN(12)
		cols := rows + r.IntN(13-rows)
		c := newRandomCase(r, rows, cols, false) // the LP works in float64
		lpCost := c.cost
		if c.sense == Maximize {
			lpCost = negated(c.cost)
		}
		nodes, supply, arcs := assignmentLP(lpCost, c.allowed)
		lpOpt, st, err := oracle.MinCostFlowLP(nodes, supply, arcs)
		if err != nil {
			t.Fatalf("case %d: MinCostFlowLP: %v", k, err)
		}
		opts := &Options{Sense: c.sense}
		for _, b := range builders {
			sol := mustSolveVerified(t, b.build(t, c.cost, c.allowed), opts)
			switch {
			case st == oracle.Infeasible && sol != nil:
				t.Fatalf("case %d, %s: solving %v, allowed %v, %v: cost %d, but the LP is infeasible", k, b.name, c.cost, c.allowed, c.sense, sol.Cost)
			case st == oracle.Optimal && sol == nil:
				t.Fatalf("case %d, %s: solving %v, allowed %v, %v: infeasible, but the LP optimum is %v", k, b.name, c.cost, c.allowed, c.sense, lpOpt)
			case st == oracle.Optimal:
				want := int64(math.Round(lpOpt))
				if c.sense == Maximize {
					want = -want
				}
				if sol.Cost != want {
					t.Fatalf("case %d, %s: solving %v, allowed %v, %v: cost %d, want %d (LP)", k, b.name, c.cost, c.allowed, c.sense, sol.Cost, want)
				}
			case st != oracle.Infeasible:
				t.Fatalf("case %d: MinCostFlowLP status %v", k, st)
			}
		}
	}
}

// TestSolveCertificates runs larger instances than an oracle can, relying
// on Verify (and checkHall for infeasible ones).
func TestSolveCertificates(t *testing.T) {
	t.Parallel()
	type family struct {
		name       string
		rows, cols int
		lo, hi     int64
		allowed    float64 // fraction of cells allowed
		sense      Sense
	}
	families := []family{
		{"square", 300, 300, 1, 1000, 1, Minimize},
		{"square-ties", 250, 250, 0, 3, 1, Minimize},
		{"square-negative", 200, 200, -1000, 1000, 1, Minimize},
		{"square-maximize", 200, 200, -50, 1000, 1, Maximize},
		{"square-huge", 150, 150, -MaxCost(150), MaxCost(150), 1, Minimize},
		{"square-int32", 150, 150, -1 << 30, 1 << 30, 1, Maximize},
		{"rect", 120, 300, 1, 1000, 1, Minimize},
		{"rect-ties", 200, 210, 0, 2, 1, Maximize},
		{"rect-negative", 100, 180, -1000, 1000, 1, Minimize},
		{"sparse", 250, 250, 1, 100, 0.05, Minimize},
		{"sparse-maximize", 200, 200, 1, 100, 0.1, Maximize},
		{"sparse-rect", 150, 220, -100, 100, 0.04, Minimize},
		{"sparse-ties", 200, 200, 0, 1, 0.03, Minimize},
		{"very-sparse", 200, 200, 1, 100, 0.01, Minimize}, // mostly infeasible
		{"half", 200, 200, 1, 1000, 0.5, Maximize},
	}
	for _, fam := range families {
		forSeeds(t, fam.name, func(t *testing.T, seed uint64) {
			r := rand.New(rand.NewPCG(seed, 99))
			m := NewMatrix(fam.rows, fam.cols)
			for i := range fam.rows {
				for j := range fam.cols {
					m.Set(i, j, fam.lo+r.Int64N(fam.hi-fam.lo+1))
					if fam.allowed < 1 && r.Float64() >= fam.allowed {
						m.Forbid(i, j)
					}
				}
			}
			mustSolveVerified(t, m, &Options{Sense: fam.sense})
		})
	}
}

// forSeeds runs f as a parallel subtest "name/seed=N" for each of three
// seeds, or for the first only with -short or under the race detector.
func forSeeds(t *testing.T, name string, f func(t *testing.T, seed uint64)) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() || raceEnabled {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("%s/seed=%d", name, seed), func(t *testing.T) {
			t.Parallel()
			f(t, seed)
		})
	}
}

func TestSolveEmpty(t *testing.T) {
	for _, tt := range []struct{ rows, cols int }{{0, 0}, {0, 3}} {
		for _, p := range []problem{NewMatrix(tt.rows, tt.cols), mustNewSparse(t, tt.rows, tt.cols, nil)} {
			sol, err := solveProblem(p, nil)
			if err != nil {
				t.Fatalf("solving %T %d×%d: error %v", p, tt.rows, tt.cols, err)
			}
			if sol.Cost != 0 || len(sol.RowToCol) != 0 || len(sol.ColToRow) != tt.cols {
				t.Errorf("solving %T %d×%d = %+v, want cost 0, no rows, %d unassigned columns", p, tt.rows, tt.cols, sol, tt.cols)
			}
			if err := verifyProblem(p, nil, sol); err != nil {
				t.Errorf("certificate of %T %d×%d: %v", p, tt.rows, tt.cols, err)
			}
		}
	}
}

func TestSolveErrors(t *testing.T) {
	t.Parallel()
	limit := MaxCost(3)
	ones := func(rows, cols int) [][]int64 { return testinstances.UniformMatrix(rows, cols, 1, 1) }
	with := func(cost [][]int64, i, j int, c int64) [][]int64 { cost[i][j] = c; return cost }
	allowedExcept := func(rows, cols int, forbidden func(i, j int) bool) [][]bool {
		a := make([][]bool, rows)
		for i := range a {
			a[i] = make([]bool, cols)
			for j := range a[i] {
				a[i][j] = !forbidden(i, j)
			}
		}
		return a
	}
	tests := []struct {
		name    string
		cost    [][]int64
		allowed [][]bool
		opts    *Options
		want    error
		row     int // for an *InfeasibleError, the row it must name, or -1
	}{
		{"more rows than columns", ones(3, 2), nil, nil, ErrInfeasible, -1},
		{"cost above MaxCost", with(ones(2, 3), 1, 2, limit+1), nil, nil, ErrCostRange, -1},
		{"cost below -MaxCost", with(ones(2, 3), 0, 1, -limit-1), nil, &Options{Sense: Maximize}, ErrCostRange, -1},
		{"MinInt64", with(ones(3, 3), 2, 2, math.MinInt64), nil, nil, ErrCostRange, -1},
		{"empty row", ones(3, 3), allowedExcept(3, 3, func(i, j int) bool { return i == 1 }), nil, ErrInfeasible, 1},
		{"empty column", ones(3, 3), allowedExcept(3, 3, func(i, j int) bool { return j == 0 }), nil, ErrInfeasible, -1},
		{"three rows share two columns", ones(4, 5), allowedExcept(4, 5, func(i, j int) bool { return i != 1 && j >= 2 }),
			&Options{Sense: Maximize}, ErrInfeasible, -1},
	}
	for _, tt := range tests {
		for _, b := range builders {
			t.Run(tt.name+"/"+b.name, func(t *testing.T) {
				p := b.build(t, tt.cost, tt.allowed)
				sol, err := solveProblem(p, tt.opts)
				if !errors.Is(err, tt.want) {
					t.Fatalf("solving = %v, %v; want error %v", sol, err, tt.want)
				}
				if errors.Is(err, ErrInfeasible) {
					checkHall(t, p, err)
				}
				var he *InfeasibleError
				if tt.row >= 0 && (!errors.As(err, &he) || he.Row != tt.row) {
					t.Errorf("solving: error %v, want an *InfeasibleError naming row %d", err, tt.row)
				}
			})
		}
	}
}

func TestSolveAcceptsLargeForbiddenCost(t *testing.T) {
	// A forbidden cell's cost is never used, so it may be anything.
	m := newTestMatrix(t, [][]int64{{1, math.MaxInt64}, {math.MinInt64, 1}}, nil)
	m.Forbid(0, 1)
	m.Forbid(1, 0)
	sol := mustSolveVerified(t, m, nil)
	if sol == nil || sol.Cost != 2 {
		t.Errorf("Solve = %+v, want cost 2", sol)
	}
}

func TestSolveUnknownSense(t *testing.T) {
	for _, p := range []problem{NewMatrix(1, 1), mustNewSparse(t, 1, 1, []Edge{{0, 0, 1}})} {
		if sol, err := solveProblem(p, &Options{Sense: 7}); err == nil {
			t.Errorf("solving %T with sense 7 = %v, want an error", p, sol)
		}
		if err := verifyProblem(p, &Options{Sense: 7}, &Solution{}); err == nil {
			t.Errorf("verifying %T with sense 7: no error", p)
		}
	}
}

func TestSolveDeterministic(t *testing.T) {
	t.Parallel()
	cost := testinstances.UniformMatrix(120, 150, 5, 7) // many ties
	m := newTestMatrix(t, cost, nil)
	m.Forbid(3, 4)
	before := slices.Clone(m.cost)
	first, err := Solve(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := Solve(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("Solve gave %+v, then %+v", first, again)
		}
	}
	if !slices.Equal(before, m.cost) {
		t.Errorf("Solve modified the matrix")
	}
}

func TestMatrix(t *testing.T) {
	m := NewMatrix(2, 3)
	if m.Rows() != 2 || m.Cols() != 3 {
		t.Fatalf("NewMatrix(2, 3) is %d×%d", m.Rows(), m.Cols())
	}
	m.Set(1, 2, -5)
	m.Forbid(0, 1)
	m.Forbid(0, 1) // twice: still one forbidden cell
	checks := []struct {
		i, j    int
		cost    int64
		allowed bool
	}{{0, 0, 0, true}, {0, 1, 0, false}, {1, 2, -5, true}}
	for _, c := range checks {
		if cost, ok := m.At(c.i, c.j); cost != c.cost || ok != c.allowed {
			t.Errorf("At(%d, %d) = %d, %v; want %d, %v", c.i, c.j, cost, ok, c.cost, c.allowed)
		}
	}
	if m.nforbidden != 1 {
		t.Errorf("%d forbidden cells, want 1", m.nforbidden)
	}
	m.Set(0, 1, 4)
	if cost, ok := m.At(0, 1); cost != 4 || !ok {
		t.Errorf("At(0, 1) after Set = %d, %v; want 4, true", cost, ok)
	}
	if m.nforbidden != 0 {
		t.Errorf("%d forbidden cells after Set, want 0", m.nforbidden)
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"negative size", func() { NewMatrix(-1, 2) }},
		{"row out of range", func() { NewMatrix(2, 2).Set(2, 0, 1) }},
		{"column out of range", func() { NewMatrix(2, 2).At(0, -1) }},
		{"forbid out of range", func() { NewMatrix(2, 2).Forbid(0, 2) }},
		{"sparse negative size", func() { _, _ = NewSparse(-1, 2, nil) }},
		{"sparse row out of range", func() { mustNewSparse(t, 2, 2, nil).At(2, 0) }},
		{"sparse column out of range", func() { mustNewSparse(t, 2, 2, nil).At(0, -1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tt.f()
		})
	}
}

// TestCellTypes runs each solver on the same costs held as int16, int32
// and int64: the arithmetic is int64 throughout, so every result must be
// identical. The solvers pick the type by size and range, so small tests
// alone would not reach all of them.
func TestCellTypes(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	for k := range 150 {
		rows := 1 + r.IntN(20)
		cols := rows + r.IntN(3)*r.IntN(10)
		maxCost := []int64{1, 2, 10, 20}[r.IntN(4)] // 32·(cols+1)·20 fits in int16
		m := NewMatrix(rows, cols)
		forbid := []float64{0, 0.1, 0.6}[r.IntN(3)]
		for i := range rows {
			for j := range cols {
				m.Set(i, j, r.Int64N(2*maxCost+1)-maxCost)
				if r.Float64() < forbid {
					m.Forbid(i, j)
				}
			}
		}
		s := sparseOf(t, m)
		sense := Sense(r.IntN(2))
		lim := newLimits(cols, maxCost)
		if lim.forbidden > math.MaxInt16 {
			t.Fatalf("case %d: forbidden marker %d does not fit in int16; make the case smaller", k, lim.forbidden)
		}
		solvers := []struct {
			name                      string
			solve64, solve16, solve32 func() (result, error)
		}{
			{"dense",
				func() (result, error) { return solveCells(working[int64](m, sense, lim), rows, cols, lim) },
				func() (result, error) { return solveCells(working[int16](m, sense, lim), rows, cols, lim) },
				func() (result, error) { return solveCells(working[int32](m, sense, lim), rows, cols, lim) }},
			{"sparse",
				func() (result, error) { return solveSparse(s, convertCosts[int64](s.cost, sense), lim) },
				func() (result, error) { return solveSparse(s, convertCosts[int16](s.cost, sense), lim) },
				func() (result, error) { return solveSparse(s, convertCosts[int32](s.cost, sense), lim) }},
		}
		for _, sv := range solvers {
			want, wantErr := sv.solve64()
			got16, err16 := sv.solve16()
			got32, err32 := sv.solve32()
			if !reflect.DeepEqual(got16, want) || !reflect.DeepEqual(err16, wantErr) {
				t.Fatalf("case %d (%d×%d), %s: int16 cells give %+v, %v; int64 %+v, %v", k, rows, cols, sv.name, got16, err16, want, wantErr)
			}
			if !reflect.DeepEqual(got32, want) || !reflect.DeepEqual(err32, wantErr) {
				t.Fatalf("case %d (%d×%d), %s: int32 cells give %+v, %v; int64 %+v, %v", k, rows, cols, sv.name, got32, err32, want, wantErr)
			}
		}
	}
}

// TestSolveLarge goes through Solve's narrow working copies, used only
// above narrowCells.
func TestSolveLarge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		rows, cols int
		maxCost    int64
		sense      Sense
	}{
		{"int16", 1450, 1450, 1000, Minimize},
		{"int32", 1000, 2100, 1 << 20, Minimize},
		{"int16 maximize", 300, 400, 100, Maximize},
		{"int64 maximize", 300, 400, 1 << 40, Maximize},
	}
	// And forbidden cells, whose marker grows with n·B.
	forbidden := []struct {
		name       string
		rows, cols int
		maxCost    int64
		allowed    float64
	}{
		{"forbidden int16", 30, 30, 30, 0.3},
		{"forbidden int32", 400, 500, 1000, 0.05},
		{"forbidden int64", 200, 200, 1 << 30, 0.1},
	}
	for _, tt := range forbidden {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := uniformMatrix(tt.rows, tt.cols, tt.maxCost, tt.allowed, 3)
			mustSolveVerified(t, m, nil)
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := uniformMatrix(tt.rows, tt.cols, tt.maxCost, 1, 2)
			mustSolveVerified(t, m, &Options{Sense: tt.sense})
		})
	}
}
