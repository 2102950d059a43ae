package flow

import (
	"fmt"
	"math/bits"
)

// Verify checks that r is an optimal flow of n with a valid certificate, in
// O(nodes + arcs) time and without trusting anything r says:
//
//   - every flow lies within its arc's bounds;
//   - at every node, outflow − inflow equals the supply;
//   - r.Cost equals Σ Flow[e]·Cost[e];
//   - every reduced cost c_ij − p_i + p_j is ≥ 0 where the flow is below the
//     capacity and ≤ 0 where it is above the lower bound, which proves
//     optimality by linear-programming duality.
//
// Sums and reduced costs are computed in 128-bit arithmetic, so no input
// can make Verify overflow. The error wraps ErrCertificate and names the
// first arc or node found at fault.
func Verify(n *Network, r *Result) error {
	if r == nil {
		return fmt.Errorf("%w: nil result", ErrCertificate)
	}
	nodes, m := n.Nodes(), n.NumArcs()
	if len(r.Flow) != m {
		return fmt.Errorf("%w: %d flows for %d arcs", ErrCertificate, len(r.Flow), m)
	}
	if len(r.Potential) != nodes {
		return fmt.Errorf("%w: %d potentials for %d nodes", ErrCertificate, len(r.Potential), nodes)
	}
	pot := r.Potential
	for e, f := range r.Flow {
		u, v := n.from[e], n.to[e]
		lo, hi := n.lower[e], n.capacity[e]
		if f < lo {
			return fmt.Errorf("%w: arc %d (%d→%d): flow %d below lower bound %d", ErrCertificate, e, u, v, f, lo)
		}
		if f > hi {
			return fmt.Errorf("%w: arc %d (%d→%d): flow %d exceeds capacity %d", ErrCertificate, e, u, v, f, hi)
		}
		rc := int128{}.add(n.cost[e]).add(pot[v]).sub(pot[u])
		// An Unbounded arc is never at its capacity, whatever it carries: a
		// negative reduced cost there proves the problem unbounded, not
		// this flow optimal.
		if (f < hi || hi == Unbounded) && rc.sign() < 0 {
			return fmt.Errorf("%w: arc %d (%d→%d): reduced cost %v < 0 but flow %d is below capacity %s", ErrCertificate, e, u, v, rc, f, capacityString(hi))
		}
		if f > lo && rc.sign() > 0 {
			return fmt.Errorf("%w: arc %d (%d→%d): reduced cost %v > 0 but flow %d is above lower bound %d", ErrCertificate, e, u, v, rc, f, lo)
		}
	}
	balance := make([]int128, nodes)
	var cost int128
	for e, f := range r.Flow {
		balance[n.from[e]] = balance[n.from[e]].add(f)
		balance[n.to[e]] = balance[n.to[e]].sub(f)
		var ok bool
		if cost, ok = cost.addProduct(f, n.cost[e]); !ok {
			return fmt.Errorf("%w: the flows' cost overflows 128 bits at arc %d", ErrCertificate, e)
		}
	}
	for v, b := range balance {
		if b != (int128{}).add(n.supply[v]) {
			return fmt.Errorf("%w: node %d: outflow − inflow is %v, want supply %d", ErrCertificate, v, b, n.supply[v])
		}
	}
	if cost != (int128{}).add(r.Cost) {
		return fmt.Errorf("%w: cost is %d, flows cost %v", ErrCertificate, r.Cost, cost)
	}
	return nil
}

// int128 is a two's-complement 128-bit integer. A node's balance sums at
// most 2^31 flows below 2^63, so it cannot overflow; the cost sums products
// up to 2^126 and is checked.
type int128 struct {
	hi int64
	lo uint64
}

func (a int128) add(x int64) int128 {
	lo, carry := bits.Add64(a.lo, uint64(x), 0)
	return int128{hi: a.hi + x>>63 + int64(carry), lo: lo}
}

func (a int128) sub(x int64) int128 {
	lo, borrow := bits.Sub64(a.lo, uint64(x), 0)
	return int128{hi: a.hi - x>>63 - int64(borrow), lo: lo}
}

// addProduct returns a + x·y and whether the sum fits in 128 bits.
func (a int128) addProduct(x, y int64) (int128, bool) {
	hi, lo := bits.Mul64(uabs(x), uabs(y))
	p := int128{hi: int64(hi), lo: lo} // |x·y| ≤ 2^126: no sign overflow
	if (x < 0) != (y < 0) {
		p = p.neg()
	}
	lo, carry := bits.Add64(a.lo, p.lo, 0)
	s := int128{hi: a.hi + p.hi + int64(carry), lo: lo}
	if (a.hi < 0) == (p.hi < 0) && (s.hi < 0) != (a.hi < 0) {
		return int128{}, false
	}
	return s, true
}

func (a int128) neg() int128 {
	lo, borrow := bits.Sub64(0, a.lo, 0)
	return int128{hi: -a.hi - int64(borrow), lo: lo}
}

func (a int128) sign() int {
	switch {
	case a.hi < 0:
		return -1
	case a.hi == 0 && a.lo == 0:
		return 0
	}
	return 1
}

// String formats a in decimal when it fits in an int64 (always, for
// values Verify reports from valid-range data) and as hi·2^64+lo otherwise.
func (a int128) String() string {
	if (a.hi == 0 && a.lo < 1<<63) || (a.hi == -1 && a.lo >= 1<<63) {
		return fmt.Sprint(int64(a.lo))
	}
	return fmt.Sprintf("%d·2^64+%d", a.hi, a.lo)
}

// capacityString prints a capacity, spelling out Unbounded.
func capacityString(c int64) string {
	if c == Unbounded {
		return "Unbounded"
	}
	return fmt.Sprint(c)
}
