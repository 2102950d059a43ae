// Package matcher is khidi's matching engine: it turns a round's people and
// organisations into weighted bipartite assignment problems and solves them
// exactly with the solvers in its subpackages, lap (linear assignment, dense
// or sparse) and flow (capacitated assignment as minimum-cost flow).
package matcher
