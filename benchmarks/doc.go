// Package benchmarks holds khidi's reproducible benchmark programs: gen
// writes seeded instances, compare runs khidi beside the reference solvers
// of ../shared/peers on the same files, and hostload puts the host pages
// under the load of many hosts answering at once. Their results are in
// RESULTS.md.
package benchmarks
