package flow

import (
	"errors"
	"fmt"
)

// Transport is a capacitated bipartite assignment (a transportation problem
// with unit edges): left node i offers Supply[i] units, right node j takes at
// most Capacity[j] units, and each edge carries at most one unit from its
// left to its right node at its cost. A unit that is not assigned costs
// Unmatched[i]; with Unmatched nil every unit must be assigned.
type Transport struct {
	Supply    []int64 // per left node, ≥ 0 (usually 1)
	Capacity  []int64 // per right node, ≥ 0
	Edges     []Edge  // candidate edges; parallel edges add capacity
	Unmatched []int64 // nil, or per left node the cost of one unassigned unit
}

// Edge is a candidate pair of a Transport: one unit from left node Left to
// right node Right costs Cost.
type Edge struct {
	Left, Right int
	Cost        int64
}

// TransportResult is an optimal assignment with its dual certificate.
//
// With P_i = LeftPotential[i] and Q_j = RightPotential[j], every edge
// satisfies c_e − P_i + Q_j ≥ 0 if unused and ≤ 0 if used; Q_j ≥ 0, and
// Q_j = 0 when j has spare capacity; P_i ≤ Unmatched[i] when a unit of i is
// assigned and P_i ≥ Unmatched[i] when one is left unassigned. So Q_j is the
// price of a place at j and P_i the marginal cost of i's last unit: its
// edge's cost plus the price of its place, or the cost of staying
// unassigned.
type TransportResult struct {
	Flow           []int64 // per edge: 0 or 1
	Unassigned     []int64 // per left node: units left unassigned (all 0 when Unmatched is nil)
	Cost           int64   // Σ edge costs used + Σ Unmatched[i]·Unassigned[i]
	LeftPotential  []int64 // P, per left node
	RightPotential []int64 // Q, per right node
	// Flows is the result on the network SolveTransport built: nodes are
	// the left nodes 0..L-1, the right nodes L..L+R-1 and a sink L+R; arcs
	// are the edges (same indices), then right node j → sink (index E+j,
	// capacity Capacity[j]), then, if Unmatched is not nil, left node i →
	// sink (index E+R+i, capacity Supply[i], cost Unmatched[i]). Its
	// potentials are those above: shifted so that the sink's is 0, with a
	// right node's raised to 0 where it was negative (still a valid
	// certificate). Flow, LeftPotential and RightPotential share its
	// memory.
	Flows *Result
}

// SolveTransport returns a minimum-cost assignment of t. opts may be nil.
//
// It returns an error wrapping ErrInvalid for an index out of range or an
// Unmatched slice of the wrong length, ErrCostRange for a negative supply or
// capacity or costs outside the safe range, and ErrInfeasible, naming a left
// node that cannot be assigned, when Unmatched is nil and the right nodes
// cannot absorb all supply.
func SolveTransport(t *Transport, opts *Options) (*TransportResult, error) {
	n, err := t.network()
	if err != nil {
		return nil, err
	}
	r, err := MinCostFlow(n, opts)
	if err != nil {
		var u *InfeasibleError
		if errors.As(err, &u) && u.Node < len(t.Supply) {
			return nil, &UnplaceableError{Left: u.Node, Units: u.Units}
		}
		return nil, err
	}
	left, right, edges := len(t.Supply), len(t.Capacity), len(t.Edges)
	sink := left + right
	pot := r.Potential
	base := pot[sink]
	for v := range pot {
		pot[v] -= base
	}
	// A right node's potential can be raised to 0 without breaking the
	// certificate: if it is below 0, the node takes no flow (flow on its
	// sink arc needs Q_j ≥ 0), so its edges only need a large enough Q_j
	// and its sink arc's reduced cost −Q_j only needs to stay ≥ 0.
	for j := range right {
		pot[left+j] = max(pot[left+j], 0)
	}
	res := &TransportResult{
		Flow:           r.Flow[:edges:edges],
		Unassigned:     make([]int64, left),
		Cost:           r.Cost,
		LeftPotential:  pot[:left:left],
		RightPotential: pot[left : left+right : left+right],
		Flows:          r,
	}
	if t.Unmatched != nil {
		copy(res.Unassigned, r.Flow[edges+right:])
	}
	return res, nil
}

// network validates t and builds its flow network (see TransportResult.Flows).
func (t *Transport) network() (*Network, error) {
	left, right := len(t.Supply), len(t.Capacity)
	if t.Unmatched != nil && len(t.Unmatched) != left {
		return nil, fmt.Errorf("%w: %d unmatched costs for %d left nodes", ErrInvalid, len(t.Unmatched), left)
	}
	if left+right+1 > MaxNodes {
		return nil, fmt.Errorf("%w: %d left and %d right nodes exceed the limit of %d nodes", ErrCostRange, left, right, MaxNodes)
	}
	var total int64
	for i, s := range t.Supply {
		if s < 0 {
			return nil, fmt.Errorf("%w: left node %d: negative supply %d", ErrCostRange, i, s)
		}
		if s > flowBudget-total {
			return nil, fmt.Errorf("%w: left node %d: supplies sum to more than %d", ErrCostRange, i, int64(flowBudget))
		}
		total += s
	}
	for j, c := range t.Capacity {
		if c < 0 {
			return nil, fmt.Errorf("%w: right node %d: negative capacity %d", ErrCostRange, j, c)
		}
	}
	for e, ed := range t.Edges {
		if ed.Left < 0 || ed.Left >= left {
			return nil, fmt.Errorf("%w: edge %d: left node %d out of range [0, %d)", ErrInvalid, e, ed.Left, left)
		}
		if ed.Right < 0 || ed.Right >= right {
			return nil, fmt.Errorf("%w: edge %d: right node %d out of range [0, %d)", ErrInvalid, e, ed.Right, right)
		}
	}
	sink := left + right
	n := NewNetwork(sink + 1)
	n.grow(len(t.Edges) + right + left)
	copy(n.supply, t.Supply)
	n.supply[sink] = -total
	for _, ed := range t.Edges {
		n.AddArc(ed.Left, left+ed.Right, 0, 1, ed.Cost)
	}
	for j, c := range t.Capacity {
		n.AddArc(left+j, sink, 0, c, 0)
	}
	if t.Unmatched != nil {
		for i, c := range t.Unmatched {
			n.AddArc(i, sink, 0, t.Supply[i], c)
		}
	}
	return n, nil
}

// UnplaceableError is SolveTransport's detail of ErrInfeasible: left node
// Left cannot be assigned, because the right nodes it reaches lack Units
// places. It matches ErrInfeasible under errors.Is.
type UnplaceableError struct {
	Left  int
	Units int64
}

// Error names the left node.
func (e *UnplaceableError) Error() string {
	return fmt.Sprintf("%v: left node %d cannot be assigned: the right nodes it can reach lack capacity (%d units short)", ErrInfeasible, e.Left, e.Units)
}

// Unwrap returns ErrInfeasible.
func (e *UnplaceableError) Unwrap() error { return ErrInfeasible }
