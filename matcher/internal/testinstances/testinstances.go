// Package testinstances is the shared table of small assignment instances
// with optima checked by hand, and the seeded generators, that the tests of
// matcher/lap and matcher/flow both run, so the two solvers check each other
// on every instance.
package testinstances

import "math/rand/v2"

// Assignment is a small assignment instance with a known optimum: every row
// goes to a distinct allowed column, minimising the total cost.
type Assignment struct {
	Name     string
	Cost     [][]int64
	Allowed  [][]bool // nil: every cell allowed
	Optimum  int64    // meaningful when Feasible
	Feasible bool
}

// Assignments lists the hand-checked instances. Each comment says where the
// optimum came from.
var Assignments = []Assignment{
	{
		// One cell: the only assignment.
		Name: "1x1", Cost: [][]int64{{7}}, Optimum: 7, Feasible: true,
	},
	{
		// 2! = 2 assignments: 1+1=2 against 2+3=5.
		Name: "2x2", Cost: [][]int64{{1, 2}, {3, 1}}, Optimum: 2, Feasible: true,
	},
	{
		// rows→cols (1,0,2) costs 1+2+1 = 4, the sum of the row minima, a
		// lower bound for any assignment.
		Name:     "3x3",
		Cost:     [][]int64{{4, 1, 3}, {2, 5, 3}, {3, 2, 1}},
		Optimum:  4,
		Feasible: true,
	},
	{
		// rows→cols (1,0,3,2) costs 3+2+2+3 = 10, which equals the sum of
		// the row minima, a lower bound for any assignment.
		Name: "4x4",
		Cost: [][]int64{
			{9, 3, 7, 8},
			{2, 6, 5, 4},
			{7, 8, 6, 2},
			{6, 9, 3, 8},
		},
		Optimum:  3 + 2 + 2 + 3,
		Feasible: true,
	},
	{
		// Every cost equal: any of the 3! assignments is optimal; ties must
		// not confuse the solver.
		Name:     "ties",
		Cost:     [][]int64{{5, 5, 5}, {5, 5, 5}, {5, 5, 5}},
		Optimum:  15,
		Feasible: true,
	},
	{
		// Negative costs: best is -9 + -8 = -17 on the anti-diagonal.
		Name:     "negative",
		Cost:     [][]int64{{-1, -9}, {-8, -2}},
		Optimum:  -17,
		Feasible: true,
	},
	{
		// Rectangular 2x3: row 0 takes column 2 (1), row 1 column 0 (2),
		// column 1 stays free; 3 is the sum of the row minima.
		Name:     "rect2x3",
		Cost:     [][]int64{{4, 3, 1}, {2, 3, 2}},
		Optimum:  3,
		Feasible: true,
	},
	{
		// Forbidden cells force the costly diagonal: off-diagonal cells are
		// cheap but not allowed.
		Name:     "forbidden-forces-diagonal",
		Cost:     [][]int64{{10, 1}, {1, 10}},
		Allowed:  [][]bool{{true, false}, {false, true}},
		Optimum:  20,
		Feasible: true,
	},
	{
		// Rows 0 and 1 may only use column 0 (Hall's condition fails).
		Name:    "infeasible-hall",
		Cost:    [][]int64{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
		Allowed: [][]bool{{true, false, false}, {true, false, false}, {true, true, true}},
	},
	{
		// Row 1 has no allowed cell at all.
		Name:    "infeasible-empty-row",
		Cost:    [][]int64{{1, 2}, {3, 4}},
		Allowed: [][]bool{{true, true}, {false, false}},
	},
	{
		// Large costs near the range a solver must handle exactly: picking
		// the two 1e12 cells beats any cell of 3e12.
		Name:     "large-costs",
		Cost:     [][]int64{{1e12, 3e12}, {3e12, 1e12}},
		Optimum:  2e12,
		Feasible: true,
	},
}

// UniformMatrix returns a rows×cols matrix of costs drawn uniformly from
// 1..maxCost by a PCG generator seeded with seed, so every run and every
// package sees the same instance.
func UniformMatrix(rows, cols int, maxCost int64, seed uint64) [][]int64 {
	r := rand.New(rand.NewPCG(seed, 0))
	m := make([][]int64, rows)
	for i := range m {
		m[i] = make([]int64, cols)
		for j := range m[i] {
			m[i][j] = 1 + r.Int64N(maxCost)
		}
	}
	return m
}
