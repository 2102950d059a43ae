package flow

import (
	"bytes"
	"math/rand/v2"

	"github.com/khidi/khidi/internal/instancegen"
)

// transportFamily returns an instance of the benchmark family of
// internal/instancegen (the shape of ../shared/peers/gen.py's transport
// instances) as a Transport.
func transportFamily(applicants, hosts, k int, seed uint64) *Transport {
	in, err := instancegen.Transport{Applicants: applicants, Hosts: hosts, K: k, Seed: seed}.Generate()
	if err != nil {
		panic(err) // the callers' sizes are constants
	}
	t := &Transport{
		Supply:    make([]int64, applicants),
		Capacity:  in.Capacity,
		Unmatched: make([]int64, applicants),
		Edges:     make([]Edge, len(in.Edges)),
	}
	for i := range applicants {
		t.Supply[i] = 1
		t.Unmatched[i] = instancegen.UnmatchedCost
	}
	for e, edge := range in.Edges {
		t.Edges[e] = Edge{Left: edge.Applicant, Right: edge.Host, Cost: edge.Cost}
	}
	return t
}

// transportFamilyNetwork returns the same instance as the DIMACS network
// instancegen writes (gen.py's layout): applicants, hosts, an "unmatched"
// node and a sink of demand applicants. Reading it back through ReadDIMACS
// keeps one description of that layout.
func transportFamilyNetwork(applicants, hosts, k int, seed uint64) *Network {
	var buf bytes.Buffer
	if err := (instancegen.Transport{Applicants: applicants, Hosts: hosts, K: k, Seed: seed}).Write(&buf); err != nil {
		panic(err) // the callers' sizes are constants
	}
	n, err := ReadDIMACS(&buf)
	if err != nil {
		panic(err)
	}
	return n
}

// randomNetwork returns a network of the given shape, drawn from r, that is
// feasible by construction: a random flow within the bounds is laid on the
// arcs and the supplies are read off it. Unbounded arcs never cost less
// than zero, so the optimum is finite.
func randomNetwork(r *rand.Rand, nodes, arcs int, maxCost int64, negative bool) *Network {
	n := NewNetwork(nodes)
	balance := make([]int64, nodes)
	for range arcs {
		u, v := r.IntN(nodes), r.IntN(nodes)
		capacity := 1 + r.Int64N(20)
		if r.IntN(10) == 0 {
			capacity = Unbounded
		}
		var lower int64
		if r.IntN(5) == 0 && capacity != Unbounded {
			lower = r.Int64N(capacity/2 + 1)
		}
		lo := int64(0)
		if negative {
			lo = -maxCost / 3
		}
		cost := lo + r.Int64N(maxCost-lo+1)
		if capacity == Unbounded && cost < 0 {
			cost = -cost // no negative cycle of unbounded arcs
		}
		n.AddArc(u, v, lower, capacity, cost)
		// A feasible flow on this arc.
		hi := capacity
		if hi == Unbounded {
			hi = lower + 20
		}
		f := lower + r.Int64N(hi-lower+1)
		balance[u] += f
		balance[v] -= f
	}
	for v, b := range balance {
		n.SetSupply(v, b)
	}
	return n
}
