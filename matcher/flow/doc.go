// Package flow solves minimum-cost flow problems exactly, in integers, and
// the capacitated bipartite assignments ("transportation problems") that
// khidi's matching rounds are made of.
//
// # Problem
//
// Given a directed network G = (V, A) with a supply b_v at each node
// (b_v > 0 a source, b_v < 0 a demand) and, on each arc (i,j), a lower
// bound l_ij, a capacity u_ij (possibly Unbounded) and a cost c_ij,
// MinCostFlow finds an integer flow x minimising
//
//	Σ_{(i,j)∈A} c_ij·x_ij
//	subject to  Σ_j x_vj − Σ_i x_iv = b_v   for every node v,
//	            l_ij ≤ x_ij ≤ u_ij           for every arc (i,j).
//
// With integer data an optimal flow is integral. The result carries its
// certificate: node potentials p (the linear-programming duals of the
// conservation rows) such that every reduced cost c_ij − p_i + p_j is ≥ 0
// where x_ij < u_ij and ≤ 0 where x_ij > l_ij. Verify checks a flow and its
// certificate in O(|V| + |A|) without trusting the solver.
//
// SolveTransport builds and solves the assignment network of a Transport:
// left nodes with supplies, right nodes with capacities, unit-capacity
// candidate edges with costs, and an optional cost per unit left
// unassigned; its result maps back to edges and carries prices of places.
// ReadDIMACS reads the DIMACS min-cost-flow format.
//
// # Preconditions and errors
//
// Parallel arcs and self-loops are allowed. The safe range, checked before
// solving (ErrCostRange otherwise):
//
//   - 0 ≤ lower ≤ capacity (lower > capacity is ErrInfeasible);
//   - (|V| + 2) · max|c_ij| ≤ 2^58, so that potentials, reduced costs and
//     network simplex's artificial cost stay below 2^61;
//   - Σ|b_v| plus all finite capacities (and the lower bounds of unbounded
//     arcs) ≤ 2^60;
//   - the optimal cost itself fits in an int64 (checked while summing it);
//   - at most MaxNodes nodes and MaxArcs arcs.
//
// Within it no intermediate value overflows. MinCostFlow returns
// ErrInfeasible when the supplies do not balance, a lower bound exceeds its
// capacity, or no flow meets the supplies and bounds (the error names a node
// whose supply cannot be routed); ErrUnbounded when a negative-cost cycle of
// Unbounded arcs exists and a feasible flow does (infeasibility is reported
// first, as a linear-programming solver would). A negative cycle with a
// finite capacity somewhere is simply saturated. MinCostFlow panics only on
// internal contract violations that no input can trigger; the Network
// methods panic on node indices out of range, as slices do.
//
// # Method
//
// Lower bounds are moved into the supplies and added back to the result.
// Unbounded capacities are replaced by U+1, where U is the sum of |b_v| and
// all finite capacities: some optimal flow carries at most U on every arc
// unless a negative cycle of unbounded arcs exists, and such a cycle shows
// in the solved bounded problem as an unbounded arc with a negative reduced
// cost (the proof is in the source, at newProblem).
//
// NetworkSimplex (the default, Auto) is the primal network simplex method
// with a strongly feasible spanning tree, which rules out cycling (Ahuja,
// Magnanti & Orlin, Network Flows, 1993, ch. 11; Cunningham, "A network
// simplex method", Mathematical Programming 11, 1976). It starts
// from an artificial root joined to every node, prices arcs with the block
// search rule (Kovács, "Minimum-cost flow algorithms: an experimental
// evaluation", Optimization Methods & Software 30(1), 2015), and
// stores the tree as parent, depth and preorder thread arrays. Arcs are
// dealt into the pricing order with a stride of one block, so each block
// samples many nodes; on the transport family this alone cut the pivots
// eightfold. Each pivot costs one block of pricing plus time proportional to
// the pivot cycle and the subtree that moves. The number of pivots has no
// useful polynomial bound, but on khidi's networks it is a few per unit of
// supply.
//
// SuccessiveShortestPath is the primal-dual successive shortest path method
// on a pseudo-flow (Ahuja, Magnanti & Orlin 1993, ch. 9): arcs of negative
// cost are saturated first, then every excess node runs Dijkstra's algorithm
// on reduced costs until it settles a deficit node, augments along the path
// and updates the potentials of the nodes it settled only, as Jonker and
// Volgenant's sparse assignment algorithm does (Computing 38, 1987). Each
// search costs O(|A'| log |V'|) on the part of the network it explores, and
// there is one per augmentation, at most Σ b_v⁺. It is exact and simple, but
// once supply competes for scarce capacity each search explores most of the
// network: on the transport family it is 10 (1000 applicants) to over 100
// (10000 applicants) times slower than the simplex, and it was slower on
// every other family tried too (sparse and dense random networks, single
// source and sink). It is kept as an independent second solver, which the
// tests run against the first on every instance.
//
// Measured on the transport family (applicants × hosts × candidates, see
// ../shared/peers/gen.py) on a shared 2-core machine, alternating runs on
// the same files, the network simplex took a median 0.54 of the solve time
// of LEMON 1.3's NetworkSimplex on 100000×5000×30 (3.1M arcs, 2.9 s against
// 5.3 s), 0.71 on 30000×1500×30 and 0.84 on 10000×500×20, and about 0.2 of
// LEMON's CostScaling, with equal costs; see BenchmarkMinCostFlow.
//
// # Determinism
//
// Both algorithms are deterministic: no maps, no goroutines, no randomness;
// ties are broken by arc and node index. The same network and options give
// byte-identical results, counters included. The potentials are shifted so
// that the smallest is 0 (for SolveTransport, so that the sink's is 0 and
// right nodes' are ≥ 0).
package flow
