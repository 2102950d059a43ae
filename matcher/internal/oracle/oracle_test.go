package oracle

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/khidi/khidi/matcher/internal/testinstances"
)

// assignmentArcs writes an assignment instance as a flow network: rows are
// sources of one unit, columns sinks taking at most one, and a collector node
// absorbs exactly len(cost) units.
func assignmentArcs(cost [][]int64, allowed [][]bool) (int, []int64, []Arc) {
	rows, cols := len(cost), len(cost[0])
	nodes := rows + cols + 1
	supply := make([]int64, nodes)
	var arcs []Arc
	for i := range rows {
		supply[i] = 1
		for j := range cols {
			if allowed == nil || allowed[i][j] {
				arcs = append(arcs, Arc{From: i, To: rows + j, Capacity: 1, Cost: cost[i][j]})
			}
		}
	}
	for j := range cols {
		arcs = append(arcs, Arc{From: rows + j, To: nodes - 1, Capacity: 1})
	}
	supply[nodes-1] = -int64(rows)
	return nodes, supply, arcs
}

func TestAssignmentsAgree(t *testing.T) {
	for _, tt := range testinstances.Assignments {
		t.Run(tt.Name, func(t *testing.T) {
			best, ok := AssignmentBruteForce(tt.Cost, tt.Allowed)
			if ok != tt.Feasible || (ok && best != tt.Optimum) {
				t.Errorf("AssignmentBruteForce = %d, %v, want %d, %v", best, ok, tt.Optimum, tt.Feasible)
			}
			nodes, supply, arcs := assignmentArcs(tt.Cost, tt.Allowed)
			got, st, err := MinCostFlowLP(nodes, supply, arcs)
			if err != nil {
				t.Fatal(err)
			}
			want := Infeasible
			if tt.Feasible {
				want = Optimal
			}
			if st != want || (st == Optimal && int64(math.Round(got)) != tt.Optimum) {
				t.Errorf("MinCostFlowLP = %v, %v, want %d, %v", got, st, tt.Optimum, want)
			}
		})
	}
}

func TestLPStatuses(t *testing.T) {
	tests := []struct {
		name   string
		nodes  int
		supply []int64
		arcs   []Arc
		want   Status
		cost   float64
	}{
		{"path", 3, []int64{2, 0, -2}, []Arc{{0, 1, 0, -1, 3}, {1, 2, 0, 5, 4}}, Optimal, 14},
		{"capacity too small", 2, []int64{3, -3}, []Arc{{0, 1, 0, 2, 1}}, Infeasible, 0},
		{"supplies unbalanced", 2, []int64{1, 0}, []Arc{{0, 1, 0, 2, 1}}, Infeasible, 0},
		{"unbounded negative cycle", 2, []int64{0, 0}, []Arc{{0, 1, 0, -1, -1}, {1, 0, 0, -1, 0}}, Unbounded, 0},
		{"finite negative cycle", 2, []int64{0, 0}, []Arc{{0, 1, 0, 4, -3}, {1, 0, 0, -1, 1}}, Optimal, -8},
		{"lower bound forces flow", 2, []int64{0, 0}, []Arc{{0, 1, 2, 5, 3}, {1, 0, 0, -1, 1}}, Optimal, 8},
		{"lower above capacity", 2, []int64{0, 0}, []Arc{{0, 1, 3, 2, 1}}, Infeasible, 0},
		{"negative self-loop", 1, []int64{0}, []Arc{{0, 0, 0, 3, -2}}, Optimal, -6},
		{"unbounded self-loop", 1, []int64{0}, []Arc{{0, 0, 0, -1, -2}}, Unbounded, 0},
		{"unbounded self-loop, infeasible", 2, []int64{2, -2}, []Arc{{0, 0, 0, -1, -2}, {0, 1, 0, 1, 1}}, Infeasible, 0},
		{"two components", 4, []int64{1, -1, 2, -2}, []Arc{{0, 1, 0, 1, 5}, {2, 3, 0, 2, 1}}, Optimal, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st, err := MinCostFlowLP(tt.nodes, tt.supply, tt.arcs)
			if err != nil {
				t.Fatal(err)
			}
			if st != tt.want || (st == Optimal && math.Round(got) != tt.cost) {
				t.Errorf("MinCostFlowLP = %v, %v, want %v, %v", got, st, tt.cost, tt.want)
			}
		})
	}
}

// TestTransportOraclesAgree checks the two oracles against each other on
// random tiny capacitated assignments: enumeration and the LP share no code.
func TestTransportOraclesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for c := range 300 {
		left, right := 1+r.IntN(3), 1+r.IntN(3)
		supply := make([]int64, left)
		capacity := make([]int64, right)
		for i := range supply {
			supply[i] = int64(1 + r.IntN(2))
		}
		for j := range capacity {
			capacity[j] = int64(r.IntN(3))
		}
		var edges [][3]int64
		for i := range left {
			for j := range right {
				if r.IntN(3) > 0 {
					edges = append(edges, [3]int64{int64(i), int64(j), int64(r.IntN(9) - 2)})
				}
			}
		}
		var unmatched []int64
		if r.IntN(2) == 0 {
			unmatched = make([]int64, left)
			for i := range unmatched {
				unmatched[i] = int64(r.IntN(8))
			}
		}
		best, ok := TransportBruteForce(supply, capacity, edges, unmatched)

		// The same instance as a network: left, right, an unmatched node, sink.
		nodes := left + right + 2
		un, sink := left+right, left+right+1
		sup := make([]int64, nodes)
		var arcs []Arc
		var total int64
		for i, s := range supply {
			sup[i] = s
			total += s
			if unmatched != nil {
				arcs = append(arcs, Arc{From: i, To: un, Capacity: s, Cost: unmatched[i]})
			}
		}
		for _, e := range edges {
			arcs = append(arcs, Arc{From: int(e[0]), To: left + int(e[1]), Capacity: 1, Cost: e[2]})
		}
		for j, cp := range capacity {
			arcs = append(arcs, Arc{From: left + j, To: sink, Capacity: cp})
		}
		arcs = append(arcs, Arc{From: un, To: sink, Capacity: -1})
		sup[sink] = -total
		got, st, err := MinCostFlowLP(nodes, sup, arcs)
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		if ok != (st == Optimal) || (ok && float64(best) != math.Round(got)) {
			t.Fatalf("case %d: brute force %d, %v; LP %v, %v (supply %v capacity %v edges %v unmatched %v)",
				c, best, ok, got, st, supply, capacity, edges, unmatched)
		}
	}
}

func TestPermutations(t *testing.T) {
	for n, want := range []int{1, 1, 2, 6, 24, 120} {
		seen := map[string]bool{}
		Permutations(n, func(perm []int) {
			used := make([]bool, n)
			for _, v := range perm {
				if v < 0 || v >= n || used[v] {
					t.Fatalf("n=%d: %v is not a permutation", n, perm)
				}
				used[v] = true
			}
			seen[fmt.Sprint(perm)] = true
		})
		if len(seen) != want {
			t.Errorf("n=%d: %d distinct permutations, want %d", n, len(seen), want)
		}
	}
}
