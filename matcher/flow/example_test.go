package flow_test

import (
	"fmt"

	"github.com/khidi/khidi/matcher/flow"
)

func ExampleMinCostFlow() {
	// Two units from node 0 to node 3 over two routes; the cheap route via
	// node 1 takes one unit only, and arc 2→3 must carry at least one.
	n := flow.NewNetwork(4)
	n.SetSupply(0, 2)
	n.SetSupply(3, -2)
	n.AddArc(0, 1, 0, 1, 1)              // arc 0
	n.AddArc(1, 3, 0, flow.Unbounded, 1) // arc 1
	n.AddArc(0, 2, 0, 2, 3)              // arc 2
	n.AddArc(2, 3, 1, 2, 1)              // arc 3: lower bound 1
	r, err := flow.MinCostFlow(n, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cost", r.Cost)
	fmt.Println("flow", r.Flow)
	fmt.Println("certificate ok:", flow.Verify(n, r) == nil)
	// Output:
	// cost 6
	// flow [1 1 1 1]
	// certificate ok: true
}

func ExampleSolveTransport() {
	// Three applicants, two hosts with one place each; staying unplaced
	// costs 10. Applicants 0 and 1 both prefer host 0; placing applicant 0
	// there and leaving applicant 1 out (1 + 3 + 10) beats the other way
	// round (2 + 3 + 10).
	t := &flow.Transport{
		Supply:   []int64{1, 1, 1},
		Capacity: []int64{1, 1},
		Edges: []flow.Edge{
			{Left: 0, Right: 0, Cost: 1},
			{Left: 0, Right: 1, Cost: 4},
			{Left: 1, Right: 0, Cost: 2},
			{Left: 1, Right: 1, Cost: 9},
			{Left: 2, Right: 1, Cost: 3},
		},
		Unmatched: []int64{10, 10, 10},
	}
	r, err := flow.SolveTransport(t, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cost", r.Cost)
	for e, f := range r.Flow {
		if f > 0 {
			fmt.Printf("applicant %d → host %d\n", t.Edges[e].Left, t.Edges[e].Right)
		}
	}
	fmt.Println("unassigned", r.Unassigned)
	fmt.Println("host prices", r.RightPotential)
	// Output:
	// cost 14
	// applicant 0 → host 0
	// applicant 2 → host 1
	// unassigned [0 1 0]
	// host prices [9 7]
}
