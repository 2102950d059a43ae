package flow

// autoAlgorithm is what Auto means: the network simplex, which was faster
// than successive shortest paths on every family measured (transport
// 1k–100k applicants, sparse and dense random networks, a single
// source–sink pair; see the package documentation and
// BenchmarkMinCostFlow).
const autoAlgorithm = NetworkSimplex
