package lap

import "fmt"

// Verify checks that sol is an optimal solution of m in the sense of opts by
// checking its certificate, not by solving again, in O(rows·cols) time:
//
//   - feasibility: RowToCol and ColToRow describe the same assignment, every
//     row has a distinct allowed column, and Cost is its total cost;
//   - dual feasibility: every allowed cell's reduced cost
//     c(i, j) − RowDual[i] − ColDual[j] is ≥ 0 when minimising (≤ 0 when
//     maximising) and, when rows < cols, every ColDual is ≤ 0 (≥ 0);
//   - complementary slackness: reduced cost 0 on every assigned cell and
//     ColDual 0 on every unassigned column.
//
// Together these prove that no other assignment is better (see Solution).
// Duals must lie within ±2^61 so that the check itself cannot overflow;
// Solve's always do. Verify returns an error wrapping ErrCertificate that
// names the first row or column that fails, or the errors Solve returns for
// a matrix it would not accept (ErrInfeasible, ErrCostRange).
func Verify(m *Matrix, opts *Options, sol *Solution) error {
	return verify(m, opts, sol)
}

// VerifySparse checks that sol is an optimal solution of s in the sense of
// opts, exactly as Verify does for a Matrix (the same conditions, duals and
// errors), in O(edges + rows + cols) time.
func VerifySparse(s *Sparse, opts *Options, sol *Solution) error {
	return verify(s, opts, sol)
}

func verify(p problem, opts *Options, sol *Solution) error {
	sense, _, err := prepare(p, opts)
	if err != nil {
		return err
	}
	sign := int64(1) // reduced costs times sign must be ≥ 0
	if sense == Maximize {
		sign = -1
	}
	if sol == nil {
		return fmt.Errorf("%w: no solution", ErrCertificate)
	}
	rows, cols := p.Rows(), p.Cols()
	switch {
	case len(sol.RowToCol) != rows:
		return fmt.Errorf("%w: RowToCol has %d entries for %d rows", ErrCertificate, len(sol.RowToCol), rows)
	case len(sol.ColToRow) != cols:
		return fmt.Errorf("%w: ColToRow has %d entries for %d columns", ErrCertificate, len(sol.ColToRow), cols)
	case len(sol.RowDual) != rows:
		return fmt.Errorf("%w: RowDual has %d entries for %d rows", ErrCertificate, len(sol.RowDual), rows)
	case len(sol.ColDual) != cols:
		return fmt.Errorf("%w: ColDual has %d entries for %d columns", ErrCertificate, len(sol.ColDual), cols)
	}

	// Feasibility.
	owner := make([]int, cols)
	for j := range owner {
		owner[j] = -1
	}
	var cost int64 // |cost| ≤ rows·MaxCost(cols) < 2^57: no overflow
	for i, j := range sol.RowToCol {
		if j < 0 || j >= cols {
			return fmt.Errorf("%w: row %d assigned to column %d, outside 0..%d", ErrCertificate, i, j, cols-1)
		}
		if owner[j] >= 0 {
			return fmt.Errorf("%w: rows %d and %d both assigned to column %d", ErrCertificate, owner[j], i, j)
		}
		owner[j] = i
		c, ok := p.At(i, j)
		if !ok {
			return fmt.Errorf("%w: row %d assigned to forbidden column %d", ErrCertificate, i, j)
		}
		cost += c
	}
	for j, i := range sol.ColToRow {
		switch {
		case i == owner[j]:
		case owner[j] < 0:
			return fmt.Errorf("%w: ColToRow[%d] = %d, but RowToCol assigns no row to column %d", ErrCertificate, j, i, j)
		default:
			return fmt.Errorf("%w: ColToRow[%d] = %d, but RowToCol assigns row %d to column %d", ErrCertificate, j, i, owner[j], j)
		}
	}
	if cost != sol.Cost {
		return fmt.Errorf("%w: Cost %d, but the assigned cells cost %d", ErrCertificate, sol.Cost, cost)
	}

	// Dual range and the column conditions.
	for i, u := range sol.RowDual {
		if u > dualLimit || u < -dualLimit {
			return fmt.Errorf("%w: RowDual[%d] = %d outside ±2^61", ErrCertificate, i, u)
		}
	}
	for j, v := range sol.ColDual {
		switch {
		case v > dualLimit || v < -dualLimit:
			return fmt.Errorf("%w: ColDual[%d] = %d outside ±2^61", ErrCertificate, j, v)
		case owner[j] < 0 && v != 0:
			return fmt.Errorf("%w: column %d is unassigned but ColDual[%d] = %d, not 0", ErrCertificate, j, j, v)
		case rows < cols && v*sign > 0:
			return fmt.Errorf("%w: ColDual[%d] = %d has the wrong sign: with fewer rows than columns (%d×%d) column duals must be %s 0 to %v",
				ErrCertificate, j, v, rows, cols, bound(sign), sense)
		}
	}

	// Reduced costs: |c − u − v| ≤ 2^57 + 2^62 < 2^63, no overflow.
	// Complementary slackness first, then dual feasibility everywhere.
	for i, j := range sol.RowToCol {
		c, _ := p.At(i, j)
		if r := c - sol.RowDual[i] - sol.ColDual[j]; r != 0 {
			return fmt.Errorf("%w: row %d, column %d is assigned but its reduced cost %s = %d is not 0",
				ErrCertificate, i, j, reduced(c, sol.RowDual[i], sol.ColDual[j]), r)
		}
	}
	if i, j, c, found := p.dualInfeasible(sol.RowDual, sol.ColDual, sign); found {
		u, v := sol.RowDual[i], sol.ColDual[j]
		return fmt.Errorf("%w: row %d, column %d: reduced cost %s = %d must be %s 0 to %v",
			ErrCertificate, i, j, reduced(c, u, v), c-u-v, bound(-sign), sense)
	}
	return nil
}

func (m *Matrix) dualInfeasible(u, v []int64, sign int64) (i, j int, c int64, found bool) {
	cols := m.cols
	for i := range m.rows {
		ui := u[i]
		row := m.cost[i*cols : i*cols+cols]
		v := v[:len(row)]
		for j, c := range row {
			if (c-ui-v[j])*sign < 0 && m.allowed(i*cols+j) {
				return i, j, c, true
			}
		}
	}
	return 0, 0, 0, false
}

func (s *Sparse) dualInfeasible(u, v []int64, sign int64) (i, j int, c int64, found bool) {
	for i := range s.rows {
		ui := u[i]
		for p := s.start[i]; p < s.start[i+1]; p++ {
			j := s.col[p]
			if (s.cost[p]-ui-v[j])*sign < 0 {
				return i, int(j), s.cost[p], true
			}
		}
	}
	return 0, 0, 0, false
}

// reduced prints c − u − v with negative terms in parentheses.
func reduced(c, u, v int64) string {
	term := func(x int64) string {
		if x < 0 {
			return fmt.Sprintf("(%d)", x)
		}
		return fmt.Sprint(x)
	}
	return fmt.Sprintf("%d − %s − %s", c, term(u), term(v))
}

// bound returns "≤" for sign > 0 and "≥" otherwise.
func bound(sign int64) string {
	if sign > 0 {
		return "≤"
	}
	return "≥"
}
