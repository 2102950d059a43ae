package oracle

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Arc is one arc of a flow network given to MinCostFlowLP.
// Capacity < 0 means the arc has no upper bound.
type Arc struct {
	From, To        int
	Lower, Capacity int64
	Cost            int64
}

// Status says how an oracle run ended.
type Status int

const (
	// Optimal means the returned cost is the optimum.
	Optimal Status = iota
	// Infeasible means no solution satisfies the constraints.
	Infeasible
	// Unbounded means the cost can be made arbitrarily small.
	Unbounded
)

func (s Status) String() string {
	switch s {
	case Optimal:
		return "optimal"
	case Infeasible:
		return "infeasible"
	case Unbounded:
		return "unbounded"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// lpTolerance is the reduced-cost tolerance handed to lp.Simplex. The
// oracle's instances have small integer data, so any optimum is an integer and
// a tolerance far below 1 cannot change which vertex is reported.
const lpTolerance = 1e-9

// MinCostFlowLP solves minimum-cost flow as a linear program with gonum's
// simplex method: minimise Σ cost·x subject to Lower ≤ x ≤ Capacity on every
// arc and, at every node v, outflow − inflow = supply[v]. It returns the
// optimal cost (an integer-valued float for integer data) and the status.
// The returned error reports a failure of the LP machinery itself, never a
// property of the instance.
//
// The network is written in standard form (A·y = b, y ≥ 0) with y = x − Lower
// and one slack per finite capacity. Node balance rows have rank
// nodes − components, so one row per weakly connected component is dropped,
// after checking that the component's supplies sum to zero. Self-loops leave
// balance untouched and are priced in closed form.
func MinCostFlowLP(nodes int, supply []int64, arcs []Arc) (float64, Status, error) {
	if len(supply) != nodes {
		return 0, 0, fmt.Errorf("oracle: %d supplies for %d nodes", len(supply), nodes)
	}
	var constant float64
	var loopUnbounded bool
	balance := make([]int64, nodes)
	copy(balance, supply)
	var kept []Arc
	for _, a := range arcs {
		if a.Capacity >= 0 && a.Lower > a.Capacity {
			return 0, Infeasible, nil
		}
		if a.From == a.To {
			switch {
			case a.Cost < 0 && a.Capacity < 0:
				loopUnbounded = true
			case a.Cost < 0:
				constant += float64(a.Cost * a.Capacity)
			default:
				constant += float64(a.Cost * a.Lower)
			}
			continue
		}
		constant += float64(a.Cost * a.Lower)
		balance[a.From] -= a.Lower
		balance[a.To] += a.Lower
		kept = append(kept, a)
	}

	// Weakly connected components, to drop one dependent row from each.
	comp := make([]int, nodes)
	for i := range comp {
		comp[i] = i
	}
	find := func(x int) int {
		for comp[x] != x {
			comp[x] = comp[comp[x]]
			x = comp[x]
		}
		return x
	}
	for _, a := range kept {
		comp[find(a.From)] = find(a.To)
	}
	sum := make(map[int]int64)
	for v := 0; v < nodes; v++ {
		sum[find(v)] += balance[v]
	}
	for _, s := range sum {
		if s != 0 {
			return 0, Infeasible, nil
		}
	}
	// An unbounded negative self-loop makes a feasible program unbounded,
	// but an infeasible one stays infeasible: decide feasibility first.
	result := func(cost float64) (float64, Status, error) {
		if loopUnbounded {
			return 0, Unbounded, nil
		}
		return cost, Optimal, nil
	}
	if len(kept) == 0 {
		return result(constant)
	}

	rowOf := make([]int, nodes)
	rows := 0
	for v := 0; v < nodes; v++ {
		if find(v) == v {
			rowOf[v] = -1 // the dropped, linearly dependent row of this component
			continue
		}
		rowOf[v] = rows
		rows++
	}
	capRows := 0
	for _, a := range kept {
		if a.Capacity >= 0 {
			capRows++
		}
	}
	cols := len(kept) + capRows
	totalRows := rows + capRows
	// A spanning forest needs at least rows arcs and every capacity row
	// brings its own slack column, so cols ≥ totalRows: lp.Simplex's shape
	// precondition holds, and the unique slacks and the dropped component
	// rows give A full row rank.
	A := mat.NewDense(totalRows, cols, nil)
	b := make([]float64, totalRows)
	c := make([]float64, cols)
	capRow := rows
	slack := len(kept)
	for k, a := range kept {
		c[k] = float64(a.Cost)
		if r := rowOf[a.From]; r >= 0 {
			A.Set(r, k, 1)
		}
		if r := rowOf[a.To]; r >= 0 {
			A.Set(r, k, -1)
		}
		if a.Capacity >= 0 {
			A.Set(capRow, k, 1)
			A.Set(capRow, slack, 1)
			b[capRow] = float64(a.Capacity - a.Lower)
			capRow++
			slack++
		}
	}
	for v := 0; v < nodes; v++ {
		if r := rowOf[v]; r >= 0 {
			b[r] = float64(balance[v])
		}
	}
	opt, _, err := lp.Simplex(c, A, b, lpTolerance, nil)
	switch {
	case errors.Is(err, lp.ErrInfeasible):
		return 0, Infeasible, nil
	case errors.Is(err, lp.ErrUnbounded):
		return 0, Unbounded, nil
	case err != nil:
		return 0, 0, fmt.Errorf("oracle: simplex: %w", err)
	}
	return result(opt + constant)
}
