// Package lap solves the linear assignment problem exactly, with integer
// costs, on dense cost matrices (Solve) and on sparse problems given by
// their allowed cells (SolveSparse), and reads OR-Library assignment
// instances.
//
// # Problem
//
// Given an r×m matrix of costs c(i, j) ∈ ℤ with r ≤ m, some cells of which
// may be forbidden, Solve and SolveSparse find an assignment σ of every row
// to its own allowed column,
//
//	minimise (or maximise)  Σ_i c(i, σ(i))
//	over injective σ: {0, …, r−1} → {0, …, m−1} with (i, σ(i)) allowed for all i.
//
// When r < m, m − r columns stay unassigned. Maximising is done by
// minimising the negated costs.
//
// The answer carries its own proof. Relaxing σ to x(i, j) ≥ 0 with
// Σ_j x(i, j) = 1 for each row and Σ_i x(i, j) ≤ 1 for each column gives a
// linear program whose optimum is integral; its dual is
//
//	maximise Σ_i u(i) + Σ_j v(j)
//	subject to u(i) + v(j) ≤ c(i, j) on allowed cells, v(j) ≤ 0.
//
// Both return u and v with reduced costs c − u − v ≥ 0 everywhere and 0
// on the assignment, and v = 0 on unassigned columns, so both objectives are
// equal and the assignment is optimal (Solution gives the exact convention,
// with signs flipped for maximising). Verify checks such a certificate in
// O(r·m) time without solving anything, and VerifySparse in time linear in
// the allowed cells.
//
// The two differ in how the problem is given. A Matrix holds all r·m
// costs, with forbidden cells marked. A Sparse holds only the allowed
// cells, e of them, in compressed sparse rows: memory is O(e + r + m)
// whatever r·m is, which is what lets a round in which each person keeps a
// few candidate hosts be solved at a size where r·m cells would not fit.
// Both describe the same problem, and a Solution means the same for both.
//
// # Preconditions and errors
//
// Every allowed cost must satisfy |c| ≤ MaxCost(m) = 2^57/(m+1) (about
// 3.6·10^13 for m = 4000); the bound makes every intermediate value fit in
// an int64, so the answer is exact. Solve and SolveSparse return
//
//   - ErrCostRange, naming the first cell outside that range;
//   - ErrInfeasible when r > m, or as an *InfeasibleError when some rows
//     cannot all be assigned: it names the row whose search failed, and a
//     set of rows whose allowed cells lie in fewer columns than there are
//     rows (a violation of Hall's condition), which proves no assignment
//     exists.
//
// NewSparse returns ErrEdge for an edge outside the problem or a cell
// listed twice, naming the edge.
//
// Forbidden cells are not big costs. Inside the dense solver they hold a
// marker so large that, by the cost bound, any path through one is longer
// than every real path, and a search that can only go on through such a
// path reports infeasibility instead; so an answer never uses one. The
// sparse solver never sees them: they are not stored.
//
// # Algorithm
//
// R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for
// dense and sparse linear assignment problems", Computing 38 (1987)
// 325–340 (LAPJV), with the paper's initialisation and augmentation
// procedures. Square problems start with column reduction and reduction
// transfer (with one change: rows take their least-cost columns greedily,
// which suits integer ties better; see columnReduction), then two rounds of
// augmenting row reduction, then one shortest augmenting path per row still
// free, found by Dijkstra's method on reduced costs, scanning every column
// at the current minimum distance before seeking the next. Rectangular
// problems skip column reduction and start from v = 0, which keeps
// unassigned columns at dual 0 as the certificate needs. Augmenting row
// reduction stops after a number of rebids proportional to r: it is a
// heuristic, and the shortest paths finish whatever it leaves.
//
// Worst-case time is O(r²·m): each of at most r augmentations scans at most
// r rows of m cells; random instances take far less. Memory is O(r + m)
// beyond the matrix, plus a working copy of it when maximising, when cells
// are forbidden, or when a matrix of more than 2^21 cells fits in int16 or
// int32, whose rows are then cheaper to stream.
//
// SolveSparse is the same paper's sparse version (LAPJVsp): the same three
// steps, each reading only the allowed cells, and the same dual updates.
// Its Dijkstra searches keep their tentative distances in a radix heap
// (R. K. Ahuja, K. Mehlhorn, J. B. Orlin and R. E. Tarjan, "Faster
// algorithms for the shortest path problem", J. ACM 37 (1990) 213–223)
// rather than the paper's scan of every column for the next minimum, and
// each search touches only the columns it reaches, so a search costs time
// in proportion to the cells it scans, not to m. A search ends at the
// first free column at the least distance, and columns further away than
// the nearest free column reached so far are not queued at all.
//
// Worst-case time for SolveSparse is O(r·e·log(m·C)) with costs within ±C:
// each of at most r searches scans at most e cells, and a queued column
// moves down the heap's buckets at most log₂ of the range of distances
// times. Typical instances take far less: on OR-Library's sparse ones a
// search reaches a few hundred columns, until the last few free rows,
// whose searches reach most of them. Memory is O(e + r + m): the cells,
// their costs copied into int16 or int32 when they fit (again cheaper to
// stream), and a few arrays of r and of m entries.
//
// # Determinism
//
// Solve and SolveSparse are pure functions of their input: no goroutines,
// no randomness, no maps, no global state, and counters instead of
// timings. Wherever the algorithm chooses among equals it takes the lowest
// index first (after the paper's preference for a free column over an
// assigned one), so the same input always gives the same output; among
// several optimal assignments, though, the one returned need not be the
// lexicographically smallest. NewSparse stores each row's cells in column
// order, so SolveSparse's answer does not depend on the order in which the
// edges were listed.
package lap
