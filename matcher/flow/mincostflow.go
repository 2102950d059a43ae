package flow

import (
	"fmt"
	"math"
	"math/bits"
)

// Algorithm selects the method MinCostFlow uses.
type Algorithm int

const (
	// Auto picks the algorithm measured fastest on khidi's networks
	// (capacitated assignments); see the package documentation.
	Auto Algorithm = iota
	// SuccessiveShortestPath is the primal-dual successive shortest path
	// method on a pseudo-flow, with Dijkstra searches that stop at the first
	// deficit node and update only the potentials of the nodes they settled.
	SuccessiveShortestPath
	// NetworkSimplex is the primal network simplex method with a strongly
	// feasible spanning tree and block-search pricing.
	NetworkSimplex
)

// String returns the algorithm's name.
func (a Algorithm) String() string {
	switch a {
	case Auto:
		return "Auto"
	case SuccessiveShortestPath:
		return "SuccessiveShortestPath"
	case NetworkSimplex:
		return "NetworkSimplex"
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// Options configures MinCostFlow. A nil *Options means the defaults.
type Options struct {
	// Algorithm selects the method; the zero value is Auto.
	Algorithm Algorithm
}

// Result is an optimal flow with its optimality certificate.
type Result struct {
	// Flow is the flow on each arc, indexed like the network's arcs,
	// lower bound included.
	Flow []int64
	// Potential is a node potential p proving optimality: the reduced cost
	// c_ij - p_i + p_j of every arc is ≥ 0 where its flow is below its
	// capacity and ≤ 0 where its flow is above its lower bound. p is the
	// linear-programming dual of the conservation constraint of each node,
	// so p_i is the marginal cost of one more unit of supply at i. The
	// potentials are shifted so that the smallest is 0.
	Potential []int64
	// Cost is the total cost Σ Flow[e]·Cost[e].
	Cost int64
	// Augmentations counts the augmenting paths of SuccessiveShortestPath
	// (0 for NetworkSimplex).
	Augmentations int
	// Pivots counts the pivots of NetworkSimplex, degenerate ones included
	// (0 for SuccessiveShortestPath).
	Pivots int
}

// costBudget bounds (nodes+2)·max|cost|. Potentials of either algorithm are
// sums of at most a few simple-path lengths (network simplex adds one
// artificial cost of about (nodes+1)·max|cost|), so every potential stays
// below 4·costBudget and every reduced cost below 2^61: no intermediate value
// can overflow an int64.
const costBudget = 1 << 58

// flowBudget bounds Σ|supply| + Σ finite capacities (lower bounds of arcs
// without an upper bound included), so that every flow, excess and
// substitute capacity fits in an int64 with room to spare.
const flowBudget = 1 << 60

// problem is a network in the solvers' form: lower bounds moved into the
// supplies, capacities finite. Slices may alias the Network's and are never
// written by the solvers.
type problem struct {
	n, m     int
	src, dst []int32
	capacity []int64
	cost     []int64
	supply   []int64
	maxCost  int64 // max |cost|
	hasLower bool  // some arc has a positive lower bound
}

// MinCostFlow returns a minimum-cost flow of network n: a flow f with
// Lower ≤ f ≤ Capacity on every arc and, at every node, outflow − inflow =
// supply, minimising Σ cost·f. opts may be nil.
//
// It returns an error wrapping ErrInfeasible if no such flow exists,
// ErrUnbounded if a negative-cost cycle of Unbounded arcs makes the cost
// unbounded below, and ErrCostRange if the data lie outside the safe range
// described in the package documentation. The network is not modified.
func MinCostFlow(n *Network, opts *Options) (*Result, error) {
	alg := Auto
	if opts != nil {
		alg = opts.Algorithm
	}
	switch alg {
	case Auto:
		alg = autoAlgorithm
	case SuccessiveShortestPath, NetworkSimplex:
	default:
		return nil, fmt.Errorf("%w: unknown algorithm %v", ErrInvalid, alg)
	}
	p, err := newProblem(n)
	if err != nil {
		return nil, err
	}
	var sol solution
	switch alg {
	case SuccessiveShortestPath:
		sol, err = solveSSP(p)
	default:
		sol, err = solveSimplex(p)
	}
	if err != nil {
		return nil, err
	}
	return finish(n, p, sol)
}

// solution is what a solver returns for a problem: the flow without lower
// bounds and potentials in the Result convention.
type solution struct {
	flow          []int64
	pot           []int64
	augmentations int
	pivots        int
}

// newProblem validates n and builds the solvers' form.
//
// Arcs without an upper bound get the capacity B = U+1, where U is Σ|supply|
// plus the finite capacities (plus the lower bounds of unbounded arcs).
// This is safe. Take any feasible flow, move the lower bounds into the
// supplies and decompose it into paths from supplies to demands and cycles.
// The paths carry at most Σ supply⁺ ≤ U units. A cycle made only of
// unbounded arcs either has negative cost or can be removed without raising
// the cost. Every other cycle contains a finite arc e, and the cycles
// through e carry at most its capacity in total. So, unless a negative cycle
// of unbounded arcs exists, some optimal flow f* carries at most U < B on
// every arc, and the cap changes neither feasibility nor the optimum.
//
// finish then reads the answer off the solved capped problem's potentials
// p. If no negative cycle of unbounded arcs exists, f* is optimal for the
// capped problem too, so it meets complementary slackness with p: an
// unbounded arc with reduced cost < 0 would have to carry B in f*. Hence
// every unbounded arc has reduced cost ≥ 0, and one the solver left at B
// has exactly 0: the certificate holds for the uncapped network as well.
// If such a cycle exists (and the network is feasible), its reduced costs
// sum to its negative cost, so one of its arcs has a negative reduced cost:
// finish reports ErrUnbounded exactly when an unbounded arc does.
func newProblem(n *Network) (*problem, error) {
	nodes, m := n.Nodes(), n.NumArcs()
	if m > MaxArcs {
		return nil, fmt.Errorf("%w: %d arcs exceed the limit of %d", ErrCostRange, m, MaxArcs)
	}
	var total, absTotal uint64 // Σ supply (mod 2^64), Σ|supply| + capacities
	for v, b := range n.supply {
		if b == math.MinInt64 {
			return nil, fmt.Errorf("%w: node %d: supply %d", ErrCostRange, v, b)
		}
		absTotal += uint64(abs64(b))
		if absTotal > flowBudget {
			return nil, fmt.Errorf("%w: node %d: supplies sum to more than %d in absolute value", ErrCostRange, v, int64(flowBudget))
		}
		total += uint64(b)
	}
	sum := int64(total) // exact: Σ|supply| ≤ flowBudget
	needCopy, hasLower := false, false
	var maxCost int64
	for e := range m {
		lo, hi, c := n.lower[e], n.capacity[e], n.cost[e]
		if lo < 0 {
			return nil, fmt.Errorf("%w: arc %d (%d→%d): negative lower bound %d", ErrCostRange, e, n.from[e], n.to[e], lo)
		}
		if hi < 0 {
			return nil, fmt.Errorf("%w: arc %d (%d→%d): negative capacity %d", ErrCostRange, e, n.from[e], n.to[e], hi)
		}
		if lo > hi {
			return nil, fmt.Errorf("%w: arc %d (%d→%d): lower bound %d exceeds capacity %d", ErrInfeasible, e, n.from[e], n.to[e], lo, hi)
		}
		if c == math.MinInt64 {
			return nil, fmt.Errorf("%w: arc %d (%d→%d): cost %d", ErrCostRange, e, n.from[e], n.to[e], c)
		}
		maxCost = max(maxCost, abs64(c))
		if hi == Unbounded {
			needCopy = true
			absTotal += uint64(lo)
		} else {
			absTotal += uint64(hi)
		}
		if lo != 0 {
			needCopy = true
			hasLower = true
		}
		if absTotal > flowBudget {
			return nil, fmt.Errorf("%w: arc %d (%d→%d): supplies and finite capacities sum to more than %d", ErrCostRange, e, n.from[e], n.to[e], int64(flowBudget))
		}
	}
	if maxCost > costBudget/int64(nodes+2) {
		return nil, fmt.Errorf("%w: largest |cost| %d exceeds %d for %d nodes ((nodes+2)·max|cost| must not exceed 2^58)", ErrCostRange, maxCost, costBudget/int64(nodes+2), nodes)
	}
	if sum != 0 {
		pos, neg := int64(0), int64(0)
		for _, b := range n.supply {
			if b > 0 {
				pos += b
			} else {
				neg -= b
			}
		}
		return nil, fmt.Errorf("%w: total supply %d ≠ total demand %d", ErrInfeasible, pos, neg)
	}
	p := &problem{
		n: nodes, m: m,
		src: n.from, dst: n.to,
		capacity: n.capacity,
		cost:     n.cost,
		supply:   append([]int64(nil), n.supply...),
		maxCost:  maxCost,
		hasLower: hasLower,
	}
	if needCopy {
		big := int64(absTotal) + 1
		p.capacity = make([]int64, m)
		for e := range m {
			lo, hi := n.lower[e], n.capacity[e]
			if hi == Unbounded {
				p.capacity[e] = big
			} else {
				p.capacity[e] = hi - lo
			}
			if lo != 0 {
				p.supply[n.from[e]] -= lo
				p.supply[n.to[e]] += lo
			}
		}
	}
	return p, nil
}

// finish maps a solver's solution back to the network: lower bounds added,
// unbounded arcs checked, cost summed without overflow, potentials shifted.
func finish(n *Network, p *problem, sol solution) (*Result, error) {
	pot := sol.pot
	for e := range p.m {
		if n.capacity[e] != Unbounded {
			continue
		}
		u, v := n.from[e], n.to[e]
		if n.cost[e]-pot[u]+pot[v] < 0 {
			return nil, fmt.Errorf("%w: arc %d (%d→%d) lies on a negative-cost cycle of unbounded arcs", ErrUnbounded, e, u, v)
		}
	}
	flow := sol.flow
	var cost int64
	for e := range p.m {
		if lo := n.lower[e]; lo != 0 {
			flow[e] += lo
		}
		f := flow[e]
		if f == 0 {
			continue
		}
		c, ok := mulInt64(f, n.cost[e])
		if ok {
			cost, ok = addInt64(cost, c)
		}
		if !ok {
			return nil, fmt.Errorf("%w: the optimal cost does not fit in an int64 (overflow at arc %d)", ErrCostRange, e)
		}
	}
	if len(pot) > 0 {
		lo := pot[0]
		for _, x := range pot {
			lo = min(lo, x)
		}
		for i := range pot {
			pot[i] -= lo
		}
	}
	return &Result{
		Flow:          flow,
		Potential:     pot,
		Cost:          cost,
		Augmentations: sol.augmentations,
		Pivots:        sol.pivots,
	}, nil
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// mulInt64 returns a·b and whether it fits in an int64.
func mulInt64(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(uabs(a), uabs(b))
	if hi != 0 {
		return 0, false
	}
	if neg {
		if lo > 1<<63 {
			return 0, false
		}
		return int64(-lo), true
	}
	if lo > math.MaxInt64 {
		return 0, false
	}
	return int64(lo), true
}

// addInt64 returns a+b and whether it fits in an int64.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

func uabs(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// traceSupply returns a node with positive supply whose flow reaches start
// along arcs carrying flow, found breadth-first backwards from start, or
// start itself if it has supply or no such node exists. Solvers use it to
// name, in an infeasibility error, a node whose own supply is stuck rather
// than the transshipment node where it piled up.
func traceSupply(p *problem, flow []int64, start int) int {
	if p.supply[start] > 0 {
		return start
	}
	// Flow-carrying arcs by head, in CSR form.
	first := make([]int32, p.n+1)
	for e, f := range flow {
		if f > 0 {
			first[p.dst[e]+1]++
		}
	}
	for v := range p.n {
		first[v+1] += first[v]
	}
	in := make([]int32, first[p.n])
	fill := append([]int32(nil), first[:p.n]...)
	for e, f := range flow {
		if f > 0 {
			v := p.dst[e]
			in[fill[v]] = p.src[e]
			fill[v]++
		}
	}
	seen := make([]bool, p.n)
	seen[start] = true
	queue := []int32{int32(start)}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if p.supply[v] > 0 {
			return int(v)
		}
		for _, u := range in[first[v]:first[v+1]] {
			if !seen[u] {
				seen[u] = true
				queue = append(queue, u)
			}
		}
	}
	return start
}
