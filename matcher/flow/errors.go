package flow

import (
	"errors"
	"fmt"
)

// ErrInfeasible reports that no flow satisfies the supplies, demands, lower
// bounds and capacities. It is wrapped with the node or arc where the
// infeasibility was found.
var ErrInfeasible = errors.New("flow: infeasible")

// ErrUnbounded reports a negative-cost cycle made only of arcs without an
// upper bound, so the cost can be made arbitrarily small. It is wrapped with
// an arc on such a cycle.
var ErrUnbounded = errors.New("flow: unbounded (negative-cost cycle of unbounded arcs)")

// ErrCostRange reports costs, capacities, supplies or a network size outside
// the range in which MinCostFlow computes exactly (see the package
// documentation), or an optimal cost that does not fit in an int64.
var ErrCostRange = errors.New("flow: value outside the safe range")

// ErrCertificate reports that Verify rejected a result: a bound, conservation,
// cost or reduced-cost condition does not hold.
var ErrCertificate = errors.New("flow: certificate rejected")

// ErrInvalid reports a malformed Transport (an index out of range, a slice
// of the wrong length) or an unknown Algorithm. It is wrapped with the
// offending index or value.
var ErrInvalid = errors.New("flow: invalid input")

// InfeasibleError is the detail MinCostFlow attaches to ErrInfeasible when
// supply cannot all reach the demands: Node is a node whose supply is
// stranded, traced back from where it got stuck. It matches ErrInfeasible
// under errors.Is.
type InfeasibleError struct {
	Node        int
	Units       int64 // units of supply left unrouted (at least)
	LowerBounds bool  // the supplies include moved lower bounds of arcs
}

// Error names the node and the units stranded.
func (e *InfeasibleError) Error() string {
	s := fmt.Sprintf("%v: node %d cannot send all its supply to demands (%d units unroutable)", ErrInfeasible, e.Node, e.Units)
	if e.LowerBounds {
		s += "; supplies include the lower bounds of its arcs"
	}
	return s
}

// Unwrap returns ErrInfeasible.
func (e *InfeasibleError) Unwrap() error { return ErrInfeasible }
