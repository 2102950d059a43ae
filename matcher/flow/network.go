package flow

import (
	"fmt"
	"math"
	"slices"
)

// Unbounded is the capacity of an arc without an upper bound.
const Unbounded int64 = math.MaxInt64

// MaxNodes is the largest node count NewNetwork accepts. Solvers index nodes
// and arcs with int32 internally (plus one artificial root), which keeps the
// per-arc arrays small.
const MaxNodes = 1<<30 - 1

// MaxArcs is the largest arc count MinCostFlow accepts.
const MaxArcs = 1<<31 - 1 - (MaxNodes + 1)

// Network is a directed network with node supplies and arcs carrying lower
// bounds, capacities and costs. The zero value is an empty network with no
// nodes; use NewNetwork. Arcs are stored column-wise (one slice per field), so
// a network of m arcs takes 32·m bytes.
type Network struct {
	supply   []int64
	from, to []int32
	lower    []int64
	capacity []int64
	cost     []int64
}

// Arc is one arc of a Network: flow from From to To of at least Lower and at
// most Capacity units (Unbounded for no upper bound), each costing Cost.
type Arc struct {
	From, To        int
	Lower, Capacity int64
	Cost            int64
}

// NewNetwork returns a network with the given number of nodes, numbered
// 0..nodes-1, all with zero supply and no arcs. It panics if nodes is
// negative or exceeds MaxNodes, as make does for a bad length.
func NewNetwork(nodes int) *Network {
	if nodes < 0 || nodes > MaxNodes {
		panic(fmt.Sprintf("flow: NewNetwork(%d): node count outside [0, %d]", nodes, MaxNodes))
	}
	return &Network{supply: make([]int64, nodes)}
}

// Grow makes room for arcs more arcs, so that adding a known number of
// arcs allocates once instead of growing each column step by step (a third
// of the memory for a national round's network). It panics if arcs is
// negative.
func (n *Network) Grow(arcs int) {
	n.from = slices.Grow(n.from, arcs)
	n.to = slices.Grow(n.to, arcs)
	n.lower = slices.Grow(n.lower, arcs)
	n.capacity = slices.Grow(n.capacity, arcs)
	n.cost = slices.Grow(n.cost, arcs)
}

// Nodes returns the number of nodes.
func (n *Network) Nodes() int { return len(n.supply) }

// NumArcs returns the number of arcs.
func (n *Network) NumArcs() int { return len(n.from) }

// SetSupply sets the supply of node: positive for a source, negative for a
// demand. Supplies must sum to zero for a feasible problem. It panics if node
// is out of range.
func (n *Network) SetSupply(node int, supply int64) {
	n.checkNode("SetSupply", node)
	n.supply[node] = supply
}

// Supply returns the supply of node. It panics if node is out of range.
func (n *Network) Supply(node int) int64 {
	n.checkNode("Supply", node)
	return n.supply[node]
}

// AddArc adds an arc from node from to node to carrying between lower and
// capacity units at cost per unit, and returns its index: 0 for the first arc,
// then 1, 2, … Parallel arcs and self-loops are allowed. The values are
// checked by MinCostFlow, not here; AddArc panics only if a node is out of
// range. It reserves arc storage geometrically, like append.
func (n *Network) AddArc(from, to int, lower, capacity, cost int64) int {
	n.checkNode("AddArc", from)
	n.checkNode("AddArc", to)
	n.from = append(n.from, int32(from))
	n.to = append(n.to, int32(to))
	n.lower = append(n.lower, lower)
	n.capacity = append(n.capacity, capacity)
	n.cost = append(n.cost, cost)
	return len(n.from) - 1
}

// Arc returns arc i. It panics if i is out of range.
func (n *Network) Arc(i int) Arc {
	return Arc{
		From:     int(n.from[i]),
		To:       int(n.to[i]),
		Lower:    n.lower[i],
		Capacity: n.capacity[i],
		Cost:     n.cost[i],
	}
}

// grow reserves room for arcs more arcs without changing the network.
func (n *Network) grow(arcs int) {
	if arcs <= 0 {
		return
	}
	m := len(n.from)
	n.from = growInt32(n.from, m+arcs)
	n.to = growInt32(n.to, m+arcs)
	n.lower = growInt64(n.lower, m+arcs)
	n.capacity = growInt64(n.capacity, m+arcs)
	n.cost = growInt64(n.cost, m+arcs)
}

func growInt32(s []int32, c int) []int32 {
	if cap(s) >= c {
		return s
	}
	t := make([]int32, len(s), c)
	copy(t, s)
	return t
}

func growInt64(s []int64, c int) []int64 {
	if cap(s) >= c {
		return s
	}
	t := make([]int64, len(s), c)
	copy(t, s)
	return t
}

func (n *Network) checkNode(op string, node int) {
	if node < 0 || node >= len(n.supply) {
		panic(fmt.Sprintf("flow: %s: node %d out of range [0, %d)", op, node, len(n.supply)))
	}
}
