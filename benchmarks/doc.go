// Package benchmarks holds khidi's reproducible benchmark programs: gen
// writes seeded instances and compare runs khidi beside the reference solvers
// of ../shared/peers on the same files. Their results are in RESULTS.md.
package benchmarks
