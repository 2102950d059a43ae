package lap_test

import (
	"fmt"

	"github.com/khidi/khidi/matcher/lap"
)

func ExampleSolve() {
	// Three workers (rows) and four jobs (columns); worker 1 cannot do
	// job 0.
	cost := [][]int64{
		{4, 1, 3, 9},
		{2, 0, 5, 9},
		{4, 2, 2, 9},
	}
	m := lap.NewMatrix(3, 4)
	for i, row := range cost {
		for j, c := range row {
			m.Set(i, j, c)
		}
	}
	m.Forbid(1, 0)

	sol, err := lap.Solve(m, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("rows to columns:", sol.RowToCol)
	fmt.Println("columns to rows:", sol.ColToRow)
	fmt.Println("cost:", sol.Cost)
	fmt.Println("certificate:", lap.Verify(m, nil, sol))
	// Output:
	// rows to columns: [0 1 2]
	// columns to rows: [0 1 2 -1]
	// cost: 6
	// certificate: <nil>
}

func ExampleSolve_maximize() {
	m := lap.NewMatrix(2, 2)
	m.Set(0, 0, 5)
	m.Set(0, 1, 8)
	m.Set(1, 0, 7)
	m.Set(1, 1, 3)
	sol, err := lap.Solve(m, &lap.Options{Sense: lap.Maximize})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sol.RowToCol, sol.Cost)
	// Output:
	// [1 0] 15
}

func ExampleSolve_infeasible() {
	// Rows 0 and 1 can both use only column 0.
	m := lap.NewMatrix(3, 3)
	for _, i := range []int{0, 1} {
		m.Forbid(i, 1)
		m.Forbid(i, 2)
	}
	_, err := lap.Solve(m, nil)
	fmt.Println(err)
	// Output:
	// lap: infeasible: row 1 cannot be assigned: 2 rows (0 1) can use only 1 column (0)
}

func ExampleSolveSparse() {
	// Four people (rows) each list the hosts (columns) they would accept,
	// at a cost; there are five hosts, so one stays free. Cells not listed
	// are forbidden.
	edges := []lap.Edge{
		{Row: 0, Col: 0, Cost: 3}, {Row: 0, Col: 2, Cost: 1},
		{Row: 1, Col: 2, Cost: 2}, {Row: 1, Col: 4, Cost: 6},
		{Row: 2, Col: 1, Cost: 4}, {Row: 2, Col: 2, Cost: 1},
		{Row: 3, Col: 1, Cost: 2}, {Row: 3, Col: 3, Cost: 5},
	}
	s, err := lap.NewSparse(4, 5, edges)
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := lap.SolveSparse(s, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("rows to columns:", sol.RowToCol)
	fmt.Println("cost:", sol.Cost)
	fmt.Println("certificate:", lap.VerifySparse(s, nil, sol))
	// Output:
	// rows to columns: [0 4 2 1]
	// cost: 12
	// certificate: <nil>
}
