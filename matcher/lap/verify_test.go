package lap

import (
	"errors"
	"slices"
	"testing"
)

// cloneSolution deep-copies sol so that a test can break one field.
func cloneSolution(sol *Solution) *Solution {
	c := *sol
	c.RowToCol = slices.Clone(sol.RowToCol)
	c.ColToRow = slices.Clone(sol.ColToRow)
	c.RowDual = slices.Clone(sol.RowDual)
	c.ColDual = slices.Clone(sol.ColDual)
	return &c
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	// 3×4 with one forbidden cell. The optimum (hand-checked: row 0 takes
	// its 1, row 2 its 2, and row 1 its 3 in column 0, as its 1 in column 1
	// is taken) leaves column 3 unassigned.
	cost := [][]int64{
		{5, 1, 9, 8},
		{3, 1, 7, 9},
		{6, 4, 2, 9},
	}
	m := newTestMatrix(t, cost, nil)
	m.Forbid(1, 2)
	s := sparseOf(t, m)
	representations := []struct {
		name   string
		solve  func() (*Solution, error)
		verify func(*Solution) error
	}{
		{"dense", func() (*Solution, error) { return Solve(m, nil) }, func(sol *Solution) error { return Verify(m, nil, sol) }},
		{"sparse", func() (*Solution, error) { return SolveSparse(s, nil) }, func(sol *Solution) error { return VerifySparse(s, nil, sol) }},
	}

	tests := []struct {
		name   string
		mutate func(s *Solution)
	}{
		{"nil solution", nil},
		{"short RowToCol", func(s *Solution) { s.RowToCol = s.RowToCol[:2] }},
		{"short ColDual", func(s *Solution) { s.ColDual = s.ColDual[:3] }},
		{"column out of range", func(s *Solution) { s.RowToCol[0] = 4 }},
		{"duplicate column", func(s *Solution) { s.RowToCol[2] = s.RowToCol[0] }},
		{"forbidden cell", func(s *Solution) {
			// Row 1 moves to its forbidden column 2, row 2 to the free one.
			s.RowToCol[1], s.RowToCol[2] = 2, 3
			s.ColToRow = []int{-1, 0, 1, 2}
		}},
		{"ColToRow disagrees", func(s *Solution) { s.ColToRow[3] = 0 }},
		{"wrong cost", func(s *Solution) { s.Cost++ }},
		{"suboptimal assignment, consistent cost", func(s *Solution) {
			// Rows 0 and 1 swap: feasible, costs 5+1+2 = 8, but the duals
			// no longer give reduced cost 0 on the assigned cells.
			s.RowToCol[0], s.RowToCol[1] = 0, 1
			s.ColToRow[0], s.ColToRow[1] = 0, 1
			s.Cost = 8
		}},
		{"dual infeasible", func(s *Solution) { s.RowDual[0]++ }},
		{"dual infeasible off the assignment", func(s *Solution) {
			// Moving 100 from row 0's column dual to its row dual keeps
			// every assigned cell's reduced cost 0 and column duals ≤ 0,
			// but row 0's other cells go negative.
			s.RowDual[0] += 100
			s.ColDual[s.RowToCol[0]] -= 100
		}},
		{"complementary slackness", func(s *Solution) { s.RowDual[2]-- }},
		{"unassigned column with a dual", func(s *Solution) { s.ColDual[3] = -1 }},
		{"positive column dual", func(s *Solution) {
			// Shifting a constant from a row dual to a column dual keeps
			// every reduced cost, but a positive column dual is not
			// allowed when columns may stay unassigned.
			delta := 1 - s.ColDual[2]
			s.ColDual[2] += delta
			s.RowDual[2] -= delta
		}},
		{"dual out of range", func(s *Solution) { s.ColDual[0] = -dualLimit - 1 }},
	}
	for _, rep := range representations {
		good, err := rep.solve()
		if err != nil {
			t.Fatal(err)
		}
		if good.Cost != 6 || !slices.Equal(good.RowToCol, []int{1, 0, 2}) {
			t.Fatalf("%s: solve = %+v, want cost 6 with rows to columns [1 0 2]", rep.name, good)
		}
		if err := rep.verify(good); err != nil {
			t.Fatalf("%s: verify(good) = %v", rep.name, err)
		}
		for _, tt := range tests {
			t.Run(rep.name+"/"+tt.name, func(t *testing.T) {
				var bad *Solution
				if tt.mutate != nil {
					bad = cloneSolution(good)
					tt.mutate(bad)
				}
				if err := rep.verify(bad); !errors.Is(err, ErrCertificate) {
					t.Errorf("verify(%+v) = %v, want ErrCertificate", bad, err)
				}
			})
		}
	}
}

func TestVerifyMaximize(t *testing.T) {
	m := newTestMatrix(t, [][]int64{{5, 1, 9}, {3, 1, 7}}, nil)
	opts := &Options{Sense: Maximize}
	sol, err := Solve(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Best: row 0 → 9 (column 2), row 1 → 3 (column 0): 12.
	if sol.Cost != 12 {
		t.Fatalf("Solve(maximize).Cost = %d, want 12", sol.Cost)
	}
	if err := Verify(m, opts, sol); err != nil {
		t.Fatalf("Verify(maximize) = %v", err)
	}
	if err := Verify(m, nil, sol); !errors.Is(err, ErrCertificate) {
		t.Errorf("Verify(minimize, maximizing solution) = %v, want ErrCertificate", err)
	}
	for j, v := range sol.ColDual {
		if v < 0 {
			t.Errorf("ColDual[%d] = %d, want ≥ 0 when maximising", j, v)
		}
	}
}

func TestVerifyMatrixErrors(t *testing.T) {
	m := NewMatrix(3, 2)
	if err := Verify(m, nil, &Solution{}); !errors.Is(err, ErrInfeasible) {
		t.Errorf("Verify(3×2) = %v, want ErrInfeasible", err)
	}
	m = NewMatrix(1, 1)
	m.Set(0, 0, MaxCost(1)+1)
	sol := &Solution{RowToCol: []int{0}, ColToRow: []int{0}, RowDual: []int64{0}, ColDual: []int64{0}, Cost: MaxCost(1) + 1}
	if err := Verify(m, nil, sol); !errors.Is(err, ErrCostRange) {
		t.Errorf("Verify(cost out of range) = %v, want ErrCostRange", err)
	}
}
