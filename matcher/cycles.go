package matcher

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/khidi/khidi/matcher/lap"
)

// PeerScoreScale converts peer-exchange scores into the integer costs the
// assignment solver works in: a score s counts as round(s·PeerScoreScale).
// A million keeps six decimals, finer than any difference the scoring can
// justify; even after the participation tie-break multiplies it by n+1,
// scores in [0, 1] stay within the bound CycleCover checks (a quarter of
// lap.MaxCost) for up to 190,000 organisations.
const PeerScoreScale = 1e6

// DefaultPeerNodeLimit is how many branch-and-bound nodes CycleCover
// explores, when CycleOptions.MaxNodes is 0, before it gives up on proving
// a cover without mutual pairs optimal. A node solves up to a dozen
// assignment problems, a few milliseconds each for 200 organisations with
// every pair admissible, so the default stops a hopeless search after a
// few minutes rather than hours; the instances that finish at all
// usually need far fewer nodes.
const DefaultPeerNodeLimit = 2000

// peerRootIterations and peerNodeIterations bound the Lagrangian
// (subgradient) steps at the root and at every other node. The root's
// multipliers are inherited by the whole tree, so they are worth more
// effort; below it a few steps recover what a branching decision moved.
// peerPatience is how many steps without a better bound end the steps at
// a node early. These only change how fast optimality is proved, never
// the optimal value; they were tuned on random instances of 70 to 500
// organisations with symmetric and nearly symmetric scores, where more
// steps cost more solves than they saved nodes.
const (
	peerRootIterations = 60
	peerNodeIterations = 12
	peerPatience       = 6
)

// ErrPeerInput reports peer-exchange input that CycleCover cannot use: an
// organisation index out of range, a pair listed twice, an organisation
// paired with itself, a score that is not a finite number or is too large,
// or options that do not fit the organisations.
var ErrPeerInput = errors.New("matcher: invalid peer-exchange input")

// ErrTooManyBranches reports that CycleCover explored its node limit
// without proving a cover free of mutual pairs optimal. The error is a
// *BranchLimitError carrying the best cover found.
var ErrTooManyBranches = errors.New("matcher: too many branch-and-bound nodes")

// CycleOptions tunes CycleCover. A nil *CycleOptions allows mutual pairs,
// forbids no region and uses DefaultPeerNodeLimit.
type CycleOptions struct {
	// Regions, when not nil, holds each organisation's region (one entry
	// per organisation) and makes every pair of organisations in the same
	// non-empty region inadmissible (RuleSameRegion), so that visits cross
	// regions. Callers that already dropped such pairs leave it nil.
	Regions []string
	// ForbidMutual forbids 2-cycles (RuleMutualPair): if A visits B, B does
	// not visit A. The problem then is NP-hard in general, and CycleCover
	// solves it exactly by branch and bound (see CycleCover).
	ForbidMutual bool
	// MaxNodes bounds the branch-and-bound nodes explored; 0 means
	// DefaultPeerNodeLimit.
	MaxNodes int
	// Gap, in [0, 1), lets the search stop once no cover can score more
	// than Gap·|value| above the best one found (the value being the
	// integer objective described at CycleCover): a relative optimality
	// tolerance, as integer-programming solvers offer. 0, the default,
	// proves the cover optimal. PeerCover.Bound reports what was proven.
	Gap float64
}

// PeerCover is the peer exchange CycleCover found, optimal (or within
// CycleOptions.Gap of it): every organisation that takes part visits
// exactly one peer and hosts exactly one, so the visits form disjoint
// cycles.
type PeerCover struct {
	// Visits[i] is the organisation i visits, or -1 when i takes no part.
	Visits []int `json:"visits"`
	// Hosts[j] is the organisation that visits j, or -1 when j takes no
	// part.
	Hosts []int `json:"hosts"`
	// Cycles lists the rings of visits: each starts at its smallest
	// organisation and follows Visits; the cycles are in order of their
	// first organisation.
	Cycles [][]int `json:"cycles"`
	// Score is the sum of the scores of the visits made, added in order of
	// the visiting organisation.
	Score float64 `json:"score"`
	// Participants is the number of organisations taking part.
	Participants int `json:"participants"`
	// Bound is an upper bound on the score of any admissible cover, to
	// within the rounding of scores to 1/PeerScoreScale: Score itself when
	// the cover is proven optimal, more when CycleOptions.Gap let the
	// search stop early.
	Bound float64 `json:"bound"`
	// Nodes is the number of branch-and-bound nodes explored (1 when
	// mutual pairs are allowed) and Solves the number of assignment
	// problems solved. Both depend only on the input.
	Nodes  int `json:"nodes"`
	Solves int `json:"solves"`
}

// BranchLimitError is the detail of ErrTooManyBranches: the search stopped
// after Limit nodes. Best is the best cover found, which has no mutual
// pair but is not proven optimal; no cover scores more than Bound (to
// within the rounding of scores to 1/PeerScoreScale).
type BranchLimitError struct {
	Limit int
	Best  *PeerCover
	Bound float64
}

// Error names the limit, the best score found and the bound, and says what
// to do.
func (e *BranchLimitError) Error() string {
	return fmt.Sprintf("%v: explored %d nodes without proving a peer exchange free of mutual pairs optimal "+
		"(best found scores %.6f, none scores more than %.6f); raise CycleOptions.MaxNodes or allow mutual pairs",
		ErrTooManyBranches, e.Limit, e.Best.Score, e.Bound)
}

// Unwrap returns ErrTooManyBranches.
func (e *BranchLimitError) Unwrap() error { return ErrTooManyBranches }

// CycleCover pairs every organisation with a peer to visit and a peer to
// host, maximising the total score of the visits: it finds a maximum-score
// cycle cover of the directed graph whose arcs are the candidates (Left
// visits Right, with Score), in which an organisation may also take no part.
//
// n is the number of organisations, indexed 0..n-1; cands are the
// admissible pairs, in any order, with no pair twice and none from an
// organisation to itself. The scoring applies the hard rules; opts may add
// the same-region rule and forbid mutual pairs. Scores may be any finite
// numbers of magnitude at most lap.MaxCost(n)/(4·(n+1)·PeerScoreScale);
// the weighted scores of this package, in [0, 1], are far inside.
//
// # Model
//
// It is an n×n linear assignment, row i the visitor and column j the host,
// maximising Σ c_ij. The diagonal cell (i, i) means "i takes no part":
// it costs 0, so i neither visits nor hosts, and a perfect assignment
// always exists. Scores become integers c_ij = round(s_ij·PeerScoreScale)·
// (n+1) + 1: the +1 per visit breaks ties between covers of equal scaled
// score in favour of the one with more organisations taking part, and
// cannot outweigh one unit of score, since at most n visits are made.
// "Optimal" means optimal for these integers; scores closer than
// 1/PeerScoreScale count as equal.
//
// # Mutual pairs
//
// With ForbidMutual, covers with a 2-cycle are excluded. Maximum-weight
// cycle covers without 2-cycles are NP-hard in general (M. Bläser and
// B. Manthey, "Approximating maximum weight cycle covers in directed graphs
// with weights zero and one", Algorithmica 42, 2005), so CycleCover uses an
// exact branch and bound in the manner of Carpaneto and Toth's for the
// asymmetric travelling salesman ("Some new branching and bounding
// criteria for the asymmetric travelling salesman problem", Management
// Science 26, 1980):
//
//   - Bound: the assignment optimum with the node's decisions, tightened by
//     Lagrangian relaxation of x_ij + x_ji ≤ 1 for every pair still open,
//     with integer multipliers moved by subgradient steps (Held and Karp's
//     method for the 1-tree). Every multiplier vector gives a valid upper
//     bound, so the steps only decide how tight it is.
//   - Incumbent: each relaxed solution free of 2-cycles is a cover; the
//     others are repaired greedily (each 2-cycle is inserted into another
//     cycle, closed into a triangle with an idle organisation, shortened to
//     one member, or dropped, whichever scores most), then improved by
//     local search (exchanging two organisations' hosts, moving one
//     organisation, among each one's ten best hosts). At the root a dive
//     also fixes every 2-cycle's stronger arc and solves again until none
//     is left.
//   - Branching: on a 2-cycle i↔j of the relaxed solution, one child
//     forbids i→j, the other requires i→j and forbids j→i; the children
//     partition the node's covers, and each decides one pair for good.
//   - Search: best first (highest bound, then creation order); a node is
//     pruned when its bound does not exceed the best cover found.
//
// The result is therefore optimal whenever CycleCover returns it with
// Gap 0 (then Bound equals Score). In the worst case the tree has 2^(P+1)
// nodes for P pairs admissible both ways, each solving assignment problems
// in O(n³). On independent random scores a node or two suffice, even for
// 500 organisations. Real scores are nearly symmetric (themes and regions
// are), so 2-cycles are the natural optimum and the ban bites: on
// generated programmes with the scorer's top-30 candidates, 89 eligible
// CSOs were proven optimal in 9 nodes, but 201, 344 and 685 ran out of the
// default 2,000 nodes (47 s to 4 min) with the best cover 0.02%, 0.17% and
// 0.19% below the bound: the Lagrangian bound sits within a fraction of a
// percent of the optimum, and single-pair branching moves it too little.
// For such rounds set Gap: with 0.005 the same three finished at the root
// in under a second, each proven within half a percent. After
// opts.MaxNodes nodes CycleCover stops with a *BranchLimitError
// (ErrTooManyBranches) that carries the best cover found and the bound.
//
// # Errors and determinism
//
// Invalid input returns an error wrapping ErrPeerInput that names the
// candidate at fault. The result depends only on the input: ties are
// broken by index and the assignment solver is deterministic, so the same
// input gives the same cover, node counts included.
func CycleCover(n int, cands []Candidate, opts *CycleOptions) (*PeerCover, error) {
	if opts == nil {
		opts = &CycleOptions{}
	}
	if n < 0 {
		return nil, fmt.Errorf("peer exchange: %w: %d organisations", ErrPeerInput, n)
	}
	if !(opts.Gap >= 0 && opts.Gap < 1) {
		return nil, fmt.Errorf("peer exchange: %w: Gap is %v; use 0 to prove optimality or a tolerance below 1, such as 0.001", ErrPeerInput, opts.Gap)
	}
	if opts.MaxNodes < 0 {
		return nil, fmt.Errorf("peer exchange: %w: MaxNodes is %d; use 0 for the default or a positive limit", ErrPeerInput, opts.MaxNodes)
	}
	p, err := newPeerProblem(n, cands, opts)
	if err != nil {
		return nil, fmt.Errorf("peer exchange: %w", err)
	}
	if !opts.ForbidMutual {
		succ, _, err := p.solveNode(nil, nil)
		if err != nil {
			// The diagonal keeps every row assignable; only a solver
			// failure lands here.
			return nil, fmt.Errorf("peer exchange: %w", err)
		}
		return p.cover(succ, 1, 1), nil
	}
	limit := opts.MaxNodes
	if limit == 0 {
		limit = DefaultPeerNodeLimit
	}
	p.gap = opts.Gap
	return p.branchAndBound(limit)
}

// peerProblem is a validated instance: the admissible arcs in compressed
// sparse rows, each row's columns ascending, with their integer costs, and
// the pairs admissible both ways.
type peerProblem struct {
	n      int
	start  []int     // row i's arcs are start[i]..start[i+1]-1
	col    []int32   // per arc: the host
	cost   []int64   // per arc: round(score·scale)·(n+1) + 1
	score  []float64 // per arc: the caller's score
	pairOf []int32   // per arc: its pair, or -1 when the reverse arc is not admissible
	pairs  []peerPair
	dense  bool    // solve with lap.Solve on a matrix rather than lap.SolveSparse
	maxC   int64   // the largest |cost|, which bounds useful multipliers
	arcAt  []int32 // dense instances: arc i→j at i·n+j, or -1
	near   []int32 // per row, its peerNeighbours best hosts, best first, padded with -1

	// Scratch space for solveNode, reset after each use.
	forbid    []bool  // per arc
	rowFix    []int32 // per row: the required column, or -1
	colFix    []int32 // per column: the row required there, or -1
	lambda    []int64 // per pair: its multiplier at the node being solved
	edges     []lap.Edge
	solves    int
	bestSucc  []int32 // best cover found so far (the incumbent)
	bestValue int64
	gap       float64 // CycleOptions.Gap
	// pruned is the highest bound of a node closed only thanks to gap.
	pruned int64
}

// peerPair is a pair of organisations admissible both ways, i < j, with
// the indices of its arcs i→j and j→i.
type peerPair struct {
	i, j   int32
	ij, ji int
}

// peerDenseShare is the share of allowed cells at or above which a dense
// matrix is solved rather than a sparse list. Measured on random instances of 70
// to 300 organisations, lap.SolveSparse was faster at 30% of the cells,
// the two were about even at 60%, and with every cell allowed lap.Solve
// took half to two thirds of lap.SolveSparse's time.
const peerDenseShare = 0.5

// peerNeighbours is how many of each organisation's best hosts the local
// search of improve tries: the classic candidate lists of local search for
// the travelling salesman, which find nearly all of its gain at a small
// share of its cost.
const peerNeighbours = 10

// peerDenseLookup is the largest n for which a dense instance keeps an
// n×n table of arc indices (16 MB at 2,000), the size of the matrix each
// solve builds anyway.
const peerDenseLookup = 2000

// newPeerProblem validates the candidates and builds the arcs.
func newPeerProblem(n int, cands []Candidate, opts *CycleOptions) (*peerProblem, error) {
	if opts.Regions != nil && len(opts.Regions) != n {
		return nil, fmt.Errorf("%w: %d regions for %d organisations; give one region per organisation or none", ErrPeerInput, len(opts.Regions), n)
	}
	// The multipliers can reach 2·maxC, so costs up to 3·maxC must stay
	// within the solver's bound, with room for its own sums.
	limit := float64(lap.MaxCost(n)) / 4
	order := make([]int, 0, len(cands))
	for k, c := range cands {
		switch {
		case c.Left < 0 || c.Left >= n || c.Right < 0 || c.Right >= n:
			return nil, fmt.Errorf("%w: candidate %d (%d visits %d) names an organisation outside 0..%d; drop it", ErrPeerInput, k, c.Left, c.Right, n-1)
		case c.Left == c.Right:
			return nil, fmt.Errorf("%w: candidate %d pairs organisation %d with itself (%s); drop it", ErrPeerInput, k, c.Left, RuleSameEntity)
		case math.IsNaN(c.Score) || math.IsInf(c.Score, 0):
			return nil, fmt.Errorf("%w: candidate %d (%d visits %d) has score %v; give a finite score", ErrPeerInput, k, c.Left, c.Right, c.Score)
		case math.Abs(math.Round(c.Score*PeerScoreScale))*float64(n+1)+1 > limit:
			return nil, fmt.Errorf("%w: candidate %d (%d visits %d): score %v is too large for %d organisations; scale scores into [0, 1]", ErrPeerInput, k, c.Left, c.Right, c.Score, n)
		}
		if opts.Regions != nil && opts.Regions[c.Left] != "" && opts.Regions[c.Left] == opts.Regions[c.Right] {
			continue // RuleSameRegion
		}
		order = append(order, k)
	}
	byPair := func(a, b int) int {
		ca, cb := cands[a], cands[b]
		return cmp.Or(cmp.Compare(ca.Left, cb.Left), cmp.Compare(ca.Right, cb.Right), cmp.Compare(a, b))
	}
	// A Problem's candidates come sorted; sorting is then only a check.
	if !slices.IsSortedFunc(order, byPair) {
		slices.SortFunc(order, byPair)
	}
	p := &peerProblem{
		n:      n,
		start:  make([]int, n+1),
		col:    make([]int32, len(order)),
		cost:   make([]int64, len(order)),
		score:  make([]float64, len(order)),
		pairOf: make([]int32, len(order)),
		forbid: make([]bool, len(order)),
		rowFix: make([]int32, n),
		colFix: make([]int32, n),
	}
	for a, k := range order {
		c := cands[k]
		if a > 0 && cands[order[a-1]].Left == c.Left && cands[order[a-1]].Right == c.Right {
			return nil, fmt.Errorf("%w: candidates %d and %d both pair %d visiting %d; keep one", ErrPeerInput, order[a-1], k, c.Left, c.Right)
		}
		p.start[c.Left+1]++
		p.col[a] = int32(c.Right)
		p.cost[a] = int64(math.Round(c.Score*PeerScoreScale))*int64(n+1) + 1
		p.score[a] = c.Score
		p.maxC = max(p.maxC, max(p.cost[a], -p.cost[a]))
	}
	for i := range n {
		p.start[i+1] += p.start[i]
		p.rowFix[i], p.colFix[i] = -1, -1
	}
	for a := range p.pairOf {
		p.pairOf[a] = -1
	}
	for i := range n {
		for a := p.start[i]; a < p.start[i+1]; a++ {
			j := int(p.col[a])
			if j < i {
				continue
			}
			if b := p.arc(j, i); b >= 0 {
				p.pairOf[a], p.pairOf[b] = int32(len(p.pairs)), int32(len(p.pairs))
				p.pairs = append(p.pairs, peerPair{i: int32(i), j: int32(j), ij: a, ji: b})
			}
		}
	}
	p.lambda = make([]int64, len(p.pairs))
	p.dense = n > 0 && float64(len(order)+n) >= peerDenseShare*float64(n)*float64(n)
	return p, nil
}

// prepareSearch builds what only the search's heuristics need: each
// organisation's best hosts and, for a dense instance, a table of arcs.
func (p *peerProblem) prepareSearch() {
	n := p.n
	p.near = make([]int32, n*peerNeighbours)
	for i := range n {
		// Keep the best peerNeighbours arcs by insertion: best score
		// first, ties by host index (arcs are in host order, and only a
		// strictly better arc moves ahead).
		near := p.near[i*peerNeighbours : (i+1)*peerNeighbours]
		k := 0
		for a := p.start[i]; a < p.start[i+1]; a++ {
			pos := k
			for pos > 0 && p.cost[near[pos-1]] < p.cost[a] {
				pos--
			}
			if pos == peerNeighbours {
				continue
			}
			k = min(k+1, peerNeighbours)
			copy(near[pos+1:k], near[pos:k-1])
			near[pos] = int32(a)
		}
		for x := range near {
			if x < k {
				near[x] = p.col[near[x]]
			} else {
				near[x] = -1
			}
		}
	}
	if p.dense && n <= peerDenseLookup {
		// The heuristics look arcs up at random; a table answers in one
		// read what a binary search over a long row answers in ten.
		p.arcAt = make([]int32, n*n)
		for k := range p.arcAt {
			p.arcAt[k] = -1
		}
		for i := range n {
			for a := p.start[i]; a < p.start[i+1]; a++ {
				p.arcAt[i*n+int(p.col[a])] = int32(a)
			}
		}
	}
}

// arc returns the index of arc i→j, or -1 when it is not admissible.
func (p *peerProblem) arc(i, j int) int {
	if p.arcAt != nil {
		return int(p.arcAt[i*p.n+j])
	}
	lo, hi := p.start[i], p.start[i+1]
	k, found := slices.BinarySearch(p.col[lo:hi], int32(j))
	if !found {
		return -1
	}
	return lo + k
}

// peerDecision is one branching decision on an arc: forbid it, or require
// it (its reverse is then forbidden by a second decision).
type peerDecision struct {
	arc     int
	require bool
}

// peerNode is a node of the branch-and-bound tree. Its decisions are its
// own and its ancestors', found through parent, so a node costs memory in
// proportion to its multipliers only.
type peerNode struct {
	parent    *peerNode
	decisions []peerDecision
	bound     int64      // an upper bound on every cover in the subtree
	mult      []peerMult // nonzero multipliers to start from, by pair
	id        int        // creation order, for ties
}

// peerMult is a pair's Lagrange multiplier.
type peerMult struct {
	pair   int32
	lambda int64
}

// peerQueue is the open nodes, highest bound first, then oldest.
type peerQueue []*peerNode

func (q peerQueue) Len() int { return len(q) }
func (q peerQueue) Less(a, b int) bool {
	if q[a].bound != q[b].bound {
		return q[a].bound > q[b].bound
	}
	return q[a].id < q[b].id
}
func (q peerQueue) Swap(a, b int) { q[a], q[b] = q[b], q[a] }
func (q *peerQueue) Push(x any)   { *q = append(*q, x.(*peerNode)) }
func (q *peerQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return x
}

// apply marks the decisions of node and its ancestors in the scratch
// arrays (set true) or clears them (set false).
func (p *peerProblem) apply(node *peerNode, set bool) {
	for nd := node; nd != nil; nd = nd.parent {
		for _, d := range nd.decisions {
			if !d.require {
				p.forbid[d.arc] = set
				continue
			}
			i, j := p.tail(d.arc), int(p.col[d.arc])
			if set {
				p.rowFix[i], p.colFix[j] = int32(j), int32(i)
			} else {
				p.rowFix[i], p.colFix[j] = -1, -1
			}
		}
	}
}

// tail returns the visiting organisation of arc a.
func (p *peerProblem) tail(a int) int {
	i, _ := slices.BinarySearch(p.start, a+1)
	return i - 1
}

// solveNode solves the assignment relaxation of node with the multipliers
// in p.lambda (all zero when node is nil). It returns each row's column
// (succ[i] == i for taking no part) and the relaxed value Σ (c − λ)·x,
// or an error wrapping lap.ErrInfeasible when the node's required arcs
// leave no assignment.
func (p *peerProblem) solveNode(node *peerNode, succ []int32) ([]int32, int64, error) {
	p.apply(node, true)
	defer p.apply(node, false)
	p.solves++
	n := p.n
	if succ == nil {
		succ = make([]int32, n)
	}
	if n == 0 {
		return succ, 0, nil
	}
	cellCost := func(a int) int64 {
		if k := p.pairOf[a]; k >= 0 {
			return p.cost[a] - p.lambda[k]
		}
		return p.cost[a]
	}
	// allowed reports whether arc a may be used at this node; the row's own
	// fix is handled by the caller.
	allowed := func(a int) bool {
		return !p.forbid[a] && p.colFix[p.col[a]] < 0
	}
	opts := &lap.Options{Sense: lap.Maximize}
	var sol *lap.Solution
	var err error
	if p.dense {
		m := lap.NewMatrix(n, n)
		for i := range n {
			for j := range n {
				m.Forbid(i, j)
			}
			if f := p.rowFix[i]; f >= 0 {
				m.Set(i, int(f), cellCost(p.arc(i, int(f))))
				continue
			}
			if p.colFix[i] < 0 {
				m.Set(i, i, 0)
			}
			for a := p.start[i]; a < p.start[i+1]; a++ {
				if allowed(a) {
					m.Set(i, int(p.col[a]), cellCost(a))
				}
			}
		}
		sol, err = lap.Solve(m, opts)
	} else {
		e := p.edges[:0]
		for i := range n {
			if f := p.rowFix[i]; f >= 0 {
				e = append(e, lap.Edge{Row: i, Col: int(f), Cost: cellCost(p.arc(i, int(f)))})
				continue
			}
			diag := p.colFix[i] < 0
			for a := p.start[i]; a < p.start[i+1]; a++ {
				j := int(p.col[a])
				if diag && j > i {
					e = append(e, lap.Edge{Row: i, Col: i})
					diag = false
				}
				if allowed(a) {
					e = append(e, lap.Edge{Row: i, Col: j, Cost: cellCost(a)})
				}
			}
			if diag {
				e = append(e, lap.Edge{Row: i, Col: i})
			}
		}
		p.edges = e
		var s *lap.Sparse
		if s, err = lap.NewSparse(n, n, e); err == nil {
			sol, err = lap.SolveSparse(s, opts)
		}
	}
	if err != nil {
		return nil, 0, err
	}
	for i, j := range sol.RowToCol {
		succ[i] = int32(j)
	}
	return succ, sol.Cost, nil
}

// value returns the true value Σ c of the cover succ.
func (p *peerProblem) value(succ []int32) int64 {
	var v int64
	for i, j := range succ {
		if int(j) != i {
			v += p.cost[p.arc(i, int(j))]
		}
	}
	return v
}

// offer makes succ the incumbent if it beats it.
func (p *peerProblem) offer(succ []int32, v int64) {
	if v > p.bestValue {
		p.bestValue = v
		p.bestSucc = slices.Clone(succ)
	}
}

// mutualPairs returns the pairs that succ uses both ways, ascending.
func (p *peerProblem) mutualPairs(succ []int32, dst []int32) []int32 {
	dst = dst[:0]
	for i, j := range succ {
		if int(j) > i && int(succ[j]) == i {
			dst = append(dst, p.pairOf[p.arc(i, int(j))])
		}
	}
	return dst
}

// branchAndBound runs the search described at CycleCover.
func (p *peerProblem) branchAndBound(limit int) (*PeerCover, error) {
	n := p.n
	p.prepareSearch()
	// The empty cover (everyone takes no part) is the first incumbent.
	p.bestSucc = make([]int32, n)
	for i := range p.bestSucc {
		p.bestSucc[i] = int32(i)
	}
	p.bestValue = 0
	var q peerQueue
	ids := 0
	heap.Push(&q, &peerNode{bound: math.MaxInt64, id: ids})
	nodes := 0
	open := make([]bool, len(p.pairs)) // per pair: still open at the node being solved
	var succ []int32
	var mutual []int32
	for q.Len() > 0 {
		node := heap.Pop(&q).(*peerNode)
		if p.close(node.bound) {
			continue
		}
		if nodes == limit {
			best := p.cover(p.bestSucc, nodes, p.solves)
			best.Bound = max(best.Score, p.scoreBound(max(node.bound, p.pruned)))
			return nil, &BranchLimitError{Limit: limit, Best: best, Bound: best.Bound}
		}
		nodes++

		// Pairs with a decided arc can no longer form a 2-cycle: their
		// multipliers stay 0.
		for k := range open {
			open[k] = true
		}
		for nd := node; nd != nil; nd = nd.parent {
			for _, d := range nd.decisions {
				if k := p.pairOf[d.arc]; k >= 0 {
					open[k] = false
				}
			}
		}
		for _, m := range node.mult {
			if open[m.pair] {
				p.lambda[m.pair] = m.lambda
			}
		}
		iters := peerNodeIterations
		if node.parent == nil {
			iters = peerRootIterations
		}
		res := p.relax(node, iters, open, &succ, &mutual)
		clear(p.lambda)
		// The parent's bound holds here too, and the node's own steps may
		// not have reached below it.
		res.bound = min(res.bound, node.bound)
		if node.parent == nil && !res.infeasible && res.bound > p.bestValue {
			// One dive from the root's multipliers: a good incumbent
			// early prunes the most, and makes a BranchLimitError's
			// cover worth having.
			for _, m := range res.mult {
				p.lambda[m.pair] = m.lambda
			}
			p.dive(node)
			clear(p.lambda)
		}
		if res.infeasible || p.close(res.bound) {
			continue
		}
		// Branch on a pair: the most valuable 2-cycle of the best relaxed
		// solution, else one whose multiplier is positive (the relaxation
		// is then slack there, which is why the node is not closed).
		pair := -1
		var best int64
		for _, k := range res.mutual {
			a, b := p.pairs[k].ij, p.pairs[k].ji
			if v := p.cost[a] + p.cost[b]; pair < 0 || v > best {
				pair, best = int(k), v
			}
		}
		if pair < 0 {
			for _, m := range res.mult {
				if pair < 0 || m.lambda > best {
					pair, best = int(m.pair), m.lambda
				}
			}
		}
		if pair < 0 {
			// Cannot happen: a relaxed solution without 2-cycles and without
			// positive multipliers is a cover whose value is the bound, and
			// relax closes such a node.
			panic(fmt.Sprintf("matcher: peer exchange node %d has nothing to branch on", node.id))
		}
		a, b := p.pairs[pair].ij, p.pairs[pair].ji
		// Branch on the arc the best relaxed solution valued more: its
		// forbidding child first.
		if p.cost[b] > p.cost[a] {
			a, b = b, a
		}
		var mult []peerMult
		for _, m := range res.mult {
			if int(m.pair) != pair {
				mult = append(mult, m)
			}
		}
		ids++
		heap.Push(&q, &peerNode{parent: node, decisions: []peerDecision{{arc: a}}, bound: res.bound, mult: mult, id: ids})
		ids++
		heap.Push(&q, &peerNode{parent: node, decisions: []peerDecision{{arc: a, require: true}, {arc: b}}, bound: res.bound, mult: mult, id: ids})
	}
	c := p.cover(p.bestSucc, nodes, p.solves)
	if p.pruned > p.bestValue {
		c.Bound = max(c.Score, p.scoreBound(p.pruned))
	}
	return c, nil
}

// tolerance returns how far above the incumbent's value a bound may be for
// its node to close: CycleOptions.Gap of the incumbent's value.
func (p *peerProblem) tolerance() int64 {
	return int64(p.gap * math.Abs(float64(p.bestValue)))
}

// close reports whether a node bounded by bound can be closed, and records
// the bound when only the tolerance closes it.
func (p *peerProblem) close(bound int64) bool {
	if bound <= p.bestValue {
		return true
	}
	if bound <= p.bestValue+p.tolerance() {
		p.pruned = max(p.pruned, bound)
		return true
	}
	return false
}

// scoreBound turns a bound on the integer objective into one on the score:
// the objective counts (n+1)·PeerScoreScale per unit of score plus at most
// n for participation, so dividing can only overstate the score.
func (p *peerProblem) scoreBound(bound int64) float64 {
	return float64(bound) / float64(p.n+1) / PeerScoreScale
}

// peerRelaxation is what relax learned at a node.
type peerRelaxation struct {
	infeasible bool
	bound      int64      // the least Lagrangian bound found
	mult       []peerMult // the multipliers that gave it
	mutual     []int32    // the 2-cycles of the relaxed solution that gave it
}

// relax bounds node by Lagrangian relaxation, starting from the
// multipliers in p.lambda and taking at most iters subgradient steps, and
// offers every cover it meets as an incumbent. It stops early when the
// bound falls to the incumbent (the node is pruned) or when a relaxed
// solution is a cover worth its bound (the node is solved: its bound is
// returned as the cover's value, at most the incumbent now).
func (p *peerProblem) relax(node *peerNode, iters int, open []bool, succp *[]int32, mutualp *[]int32) peerRelaxation {
	res := peerRelaxation{bound: math.MaxInt64}
	stall := 0
	// The step is mu·(bound − incumbent)/‖g‖², Polyak's rule; mu halves
	// whenever the bound stalls for a few steps.
	mu := 1.0
	for it := 0; it < iters; it++ {
		succ, relaxed, err := p.solveNode(node, *succp)
		if err != nil {
			if !errors.Is(err, lap.ErrInfeasible) {
				// Costs were checked against lap.MaxCost when the problem
				// was built, so no other error can occur.
				panic(fmt.Sprintf("matcher: peer exchange relaxation: %v", err))
			}
			res.infeasible = true
			return res
		}
		*succp = succ
		var sumLambda, slack int64
		for k, l := range p.lambda {
			sumLambda += l
			if l > 0 && p.subgradient(succ, k) == 1 {
				slack += l
			}
		}
		bound := relaxed + sumLambda
		mutual := p.mutualPairs(succ, *mutualp)
		*mutualp = mutual
		if bound < res.bound {
			res.bound = bound
			res.mutual = slices.Clone(mutual)
			res.mult = res.mult[:0]
			for k, l := range p.lambda {
				if l > 0 {
					res.mult = append(res.mult, peerMult{pair: int32(k), lambda: l})
				}
			}
			stall = 0
		} else if stall++; stall%3 == 0 {
			mu /= 2
		}
		if len(mutual) == 0 {
			p.offer(succ, p.value(succ))
			if slack == 0 {
				// The relaxed solution is a cover whose value equals its
				// Lagrangian bound: optimal for the node, and now no better
				// than the incumbent, so the node closes.
				return peerRelaxation{bound: bound}
			}
		}
		p.repair(succ)
		if min(res.bound, node.bound) <= p.bestValue+p.tolerance() || stall >= peerPatience || it == iters-1 {
			break
		}
		// Subgradient of the bound in λ: g_k = 1 − x_ij − x_ji. Used twice
		// raises λ_k, unused lowers it; multipliers stay in [0, 2·maxC],
		// beyond which they cannot tighten anything.
		var norm int64
		for k := range p.lambda {
			if !open[k] {
				continue
			}
			g := p.subgradient(succ, k)
			if g < 0 || (g > 0 && p.lambda[k] > 0) {
				norm += g * g
			}
		}
		if norm == 0 {
			break
		}
		gap := float64(bound - p.bestValue)
		step := int64(math.Ceil(mu * gap / float64(norm)))
		step = max(step, 1)
		for k := range p.lambda {
			if !open[k] {
				continue
			}
			g := p.subgradient(succ, k)
			if g == 0 {
				continue
			}
			l := p.lambda[k] - step*g
			p.lambda[k] = min(max(l, 0), 2*p.maxC)
		}
	}
	return res
}

// subgradient returns 1 − x_ij − x_ji for pair k in succ.
func (p *peerProblem) subgradient(succ []int32, k int) int64 {
	pr := p.pairs[k]
	g := int64(1)
	if succ[pr.i] == pr.j {
		g--
	}
	if succ[pr.j] == pr.i {
		g--
	}
	return g
}

// repair turns a copy of succ into a cover without 2-cycles and offers it
// as an incumbent. Each 2-cycle i↔j, in order of i, takes the best of:
// inserting i→j or j→i into an arc a→b of another cycle (a 2-cycle among
// them, which then becomes a 4-cycle); closing a triangle with an idle
// organisation; inserting i alone, or j alone, into an arc; or dropping
// both. It is a heuristic: it only supplies good incumbents for pruning.
func (p *peerProblem) repair(relaxed []int32) {
	succ := slices.Clone(relaxed)
	n := p.n
	c := func(i, j int) (int64, bool) {
		if a := p.arc(i, j); a >= 0 {
			return p.cost[a], true
		}
		return 0, false
	}
	for i := range n {
		j := int(succ[i])
		if j <= i || int(succ[j]) != i {
			continue
		}
		// Drop both, then look for the best way back in.
		succ[i], succ[j] = int32(i), int32(j)
		cij, _ := c(i, j)
		cji, _ := c(j, i)
		var bestGain int64
		var apply func()
		consider := func(gain int64, do func()) {
			if gain > bestGain {
				bestGain, apply = gain, do
			}
		}
		for a := range n {
			b := int(succ[a])
			if b == a {
				// a is idle: a triangle a→i→j→a or a→j→i→a.
				if cai, ok := c(a, i); ok {
					if cja, ok := c(j, a); ok {
						consider(cai+cij+cja, func() { succ[a], succ[i], succ[j] = int32(i), int32(j), int32(a) })
					}
				}
				if caj, ok := c(a, j); ok {
					if cia, ok := c(i, a); ok {
						consider(caj+cji+cia, func() { succ[a], succ[j], succ[i] = int32(j), int32(i), int32(a) })
					}
				}
				continue
			}
			cab, _ := c(a, b)
			// Inserting into a→b cannot create a 2-cycle: a ≠ b, and
			// nobody else visits the idle i and j.
			if cai, ok := c(a, i); ok {
				if cjb, ok := c(j, b); ok {
					consider(cai+cij+cjb-cab, func() { succ[a], succ[i], succ[j] = int32(i), int32(j), int32(b) })
				}
				if cib, ok := c(i, b); ok {
					consider(cai+cib-cab, func() { succ[a], succ[i] = int32(i), int32(b) })
				}
			}
			if caj, ok := c(a, j); ok {
				if cib, ok := c(i, b); ok {
					consider(caj+cji+cib-cab, func() { succ[a], succ[j], succ[i] = int32(j), int32(i), int32(b) })
				}
				if cjb, ok := c(j, b); ok {
					consider(caj+cjb-cab, func() { succ[a], succ[j] = int32(j), int32(b) })
				}
			}
		}
		if apply != nil {
			apply()
		}
	}
	p.improve(succ)
	p.offer(succ, p.value(succ))
}

// peerImprovePasses bounds the passes of improve; each pass is linear in
// the arcs, and the first few find nearly all the gain.
const peerImprovePasses = 20

// improve raises the value of the cover succ, which has no 2-cycle, by
// exchanging the hosts of two organisations a and b (a visits b's host and
// b visits a's), as long as one such exchange gains and creates no
// 2-cycle. The exchange merges two cycles, splits one, brings an idle
// organisation into a cycle (a idle) or takes one out (a's new host is a
// itself). It is a heuristic for incumbents, like repair.
func (p *peerProblem) improve(succ []int32) {
	n := p.n
	pred := make([]int32, n)
	for i, j := range succ {
		pred[j] = int32(i)
	}
	cost := func(i, j int) (int64, bool) {
		if i == j {
			return 0, true
		}
		if a := p.arc(i, j); a >= 0 {
			return p.cost[a], true
		}
		return 0, false
	}
	// try makes a visit x instead of its host sa, and x's visitor b visit
	// sa, if that gains.
	try := func(a, x int) bool {
		sa, b := int(succ[a]), int(pred[x])
		if b == a {
			return false
		}
		cax, ok := cost(a, x)
		if !ok {
			return false
		}
		cbs, ok := cost(b, sa)
		if !ok {
			return false
		}
		ca, _ := cost(a, sa)
		cb, _ := cost(b, x)
		if cax+cbs <= ca+cb {
			return false
		}
		after := func(v int) int {
			switch v {
			case a:
				return x
			case b:
				return sa
			}
			return int(succ[v])
		}
		if (x != a && after(x) == a) || (sa != b && after(sa) == b) {
			return false
		}
		succ[a], succ[b] = int32(x), int32(sa)
		pred[x], pred[sa] = int32(a), int32(b)
		return true
	}
	// move takes x out of its cycle and puts it between y's visitor b and
	// y, if that gains. x's cycle must keep at least three members, and
	// y's visitor must not be x's neighbour in a way that leaves a 2-cycle.
	move := func(x, y int) bool {
		px, sx, b := int(pred[x]), int(succ[x]), int(pred[y])
		if px == x || y == x || b == x || y == sx || int(succ[sx]) == px || b == y {
			return false
		}
		cbx, ok := cost(b, x)
		if !ok {
			return false
		}
		cps, ok := cost(px, sx)
		if !ok {
			return false
		}
		cpx, _ := cost(px, x)
		cxs, _ := cost(x, sx)
		cxy, _ := cost(x, y)
		cby, _ := cost(b, y)
		if cbx+cxy+cps <= cby+cpx+cxs {
			return false
		}
		succ[px], pred[sx] = int32(sx), int32(px)
		succ[b], pred[x] = int32(x), int32(b)
		succ[x], pred[y] = int32(y), int32(x)
		return true
	}
	for range peerImprovePasses {
		improved := false
		for a := range n {
			if try(a, a) {
				improved = true
			}
			for _, x := range p.near[a*peerNeighbours : (a+1)*peerNeighbours] {
				if x < 0 {
					break
				}
				if try(a, int(x)) {
					improved = true
				}
				if move(a, int(x)) {
					improved = true
				}
			}
		}
		if !improved {
			return
		}
	}
}

// peerDiveSteps bounds the assignment problems of one dive.
const peerDiveSteps = 30

// dive looks for a good cover below node: it solves the node's relaxation
// with the multipliers in p.lambda, requires the stronger arc of every
// 2-cycle of the solution and forbids the weaker, as the branching's second
// child does, and solves again until no 2-cycle remains (or no assignment
// does), then repairs and offers the last solution. It is a heuristic for
// incumbents; its decisions bind only the dive.
func (p *peerProblem) dive(node *peerNode) {
	succ := make([]int32, p.n)
	var mutual []int32
	cur := node
	for range peerDiveSteps {
		if _, _, err := p.solveNode(cur, succ); err != nil {
			break // succ still holds the last solution
		}
		mutual = p.mutualPairs(succ, mutual)
		if len(mutual) == 0 {
			break
		}
		child := &peerNode{parent: cur}
		for _, k := range mutual {
			pr := p.pairs[k]
			a, b := pr.ij, pr.ji
			if p.cost[a] < p.cost[b] {
				a, b = b, a
			}
			child.decisions = append(child.decisions, peerDecision{arc: a, require: true}, peerDecision{arc: b})
		}
		cur = child
	}
	p.repair(succ)
}

// cover builds the result for the assignment succ.
func (p *peerProblem) cover(succ []int32, nodes, solves int) *PeerCover {
	n := p.n
	c := &PeerCover{
		Visits: make([]int, n),
		Hosts:  make([]int, n),
		Cycles: [][]int{},
		Nodes:  nodes,
		Solves: solves,
	}
	for i := range n {
		c.Visits[i], c.Hosts[i] = -1, -1
	}
	for i, j := range succ {
		if int(j) == i {
			continue
		}
		c.Visits[i], c.Hosts[j] = int(j), i
		c.Score += p.score[p.arc(i, int(j))]
		c.Participants++
	}
	c.Bound = c.Score
	seen := make([]bool, n)
	for i := range n {
		if seen[i] || c.Visits[i] < 0 {
			continue
		}
		var cyc []int
		for k := i; !seen[k]; k = c.Visits[k] {
			seen[k] = true
			cyc = append(cyc, k)
		}
		c.Cycles = append(c.Cycles, cyc)
	}
	return c
}
