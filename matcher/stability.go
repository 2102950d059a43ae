package matcher

import (
	"fmt"
	"slices"
	"sort"
)

// BlockingPair is a candidate pair that blocks an assignment: both sides
// would rather be matched together than keep what they got.
type BlockingPair struct {
	Candidate int    `json:"candidate"` // index into Problem.Candidates
	Left      int    `json:"left"`
	Right     int    `json:"right"`
	LeftID    string `json:"left_id"`
	RightID   string `json:"right_id"`
}

// StabilityReport compares the score-optimal assignment with the stable
// one deferred acceptance finds: welfare (total score, matches) against
// stability (blocking pairs).
type StabilityReport struct {
	OptimalScore    float64        `json:"optimal_score"`
	StableScore     float64        `json:"stable_score"`
	OptimalMatches  int            `json:"optimal_matches"`
	StableMatches   int            `json:"stable_matches"`
	OptimalBlocking int            `json:"optimal_blocking"`
	StableBlocking  int            `json:"stable_blocking"` // 0, computed rather than assumed
	Blocking        []BlockingPair `json:"blocking"`        // the optimal assignment's blocking pairs
	Stable          *Assignment    `json:"stable"`          // deferred acceptance's assignment
}

// String summarises the report in one line.
func (s *StabilityReport) String() string {
	return fmt.Sprintf("optimal: score %.2f, %s, %s; stable: score %.2f, %s, %s",
		s.OptimalScore, nounCount(s.OptimalMatches, "match", "matches"), nounCount(s.OptimalBlocking, "blocking pair", "blocking pairs"),
		s.StableScore, nounCount(s.StableMatches, "match", "matches"), nounCount(s.StableBlocking, "blocking pair", "blocking pairs"))
}

// Stability reports on the assignment a of p (usually Solve's) next to
// DeferredAcceptance(p, prefs). Errors are those of BlockingPairs and
// DeferredAcceptance.
func Stability(p *Problem, a *Assignment, prefs [][]int) (*StabilityReport, error) {
	blocking, err := BlockingPairs(p, a, prefs)
	if err != nil {
		return nil, err
	}
	stable, err := DeferredAcceptance(p, prefs)
	if err != nil {
		return nil, err
	}
	stableBlocking, err := BlockingPairs(p, stable, prefs)
	if err != nil {
		return nil, err
	}
	return &StabilityReport{
		OptimalScore: a.Score, StableScore: stable.Score,
		OptimalMatches: len(a.Matched), StableMatches: len(stable.Matched),
		OptimalBlocking: len(blocking), StableBlocking: len(stableBlocking),
		Blocking: blocking, Stable: stable,
	}, nil
}

// BlockingPairs returns the blocking pairs of the assignment a of p under
// the people's rankings prefs (one list per left side, of right indices,
// best first), in candidate order.
//
// People rank hosts; a host prefers the person of higher candidate score,
// ties going to the lower left index. Only candidate pairs count: a ranked
// host that is not a candidate is ignored, and a candidate host the person
// did not rank is acceptable to the maximiser of scores but ranked below
// every host the person did rank. A blocking pair is a candidate (l, r), not
// matched, that l ranked, where
//
//   - l has a free unit (fewer matches than Amount) or prefers r to its
//     worst match, and
//   - r has a free place or prefers l to the worst person it received.
//
// Both would rather be matched together, so an assignment with blocking
// pairs invites side deals. The score-maximising assignment of Solve often
// has some; DeferredAcceptance has none, usually at some cost in total
// score. StabilityReport shows both side by side.
//
// It returns an error wrapping ErrInvalidProblem when p is malformed, a
// does not fit p, or prefs has not one list per left side or lists a right
// index out of range or twice. It takes time linear in the candidates and
// the rankings, with a binary search per ranked host.
func BlockingPairs(p *Problem, a *Assignment, prefs [][]int) ([]BlockingPair, error) {
	pm, err := newPrefModel(p, prefs)
	if err != nil {
		return nil, fmt.Errorf("blocking pairs: %w", err)
	}
	if err := checkMatched(p, a); err != nil {
		return nil, fmt.Errorf("blocking pairs: %w", err)
	}
	matched := make([]bool, len(p.Candidates))
	countL, countR := make([]int, len(p.Left)), make([]int, len(p.Right))
	worstL := make([]int, len(p.Left))  // the largest rank matched; unranked counts as len(ranked)
	worstR := make([]int, len(p.Right)) // the least preferred candidate received, −1 for none
	for l := range worstL {
		worstL[l] = -1
	}
	for r := range worstR {
		worstR[r] = -1
	}
	for _, e := range a.Matched {
		c := p.Candidates[e]
		matched[e] = true
		countL[c.Left]++
		countR[c.Right]++
		rank := pm.rank[e]
		if rank < 0 {
			rank = len(pm.ranked[c.Left])
		}
		worstL[c.Left] = max(worstL[c.Left], rank)
		if w := worstR[c.Right]; w < 0 || pm.hostPrefers(w, e) {
			worstR[c.Right] = e
		}
	}
	var out []BlockingPair
	for e, c := range p.Candidates {
		if matched[e] || pm.rank[e] < 0 {
			continue
		}
		leftWants := countL[c.Left] < p.Left[c.Left].Amount || worstL[c.Left] > pm.rank[e]
		rightWants := countR[c.Right] < p.Right[c.Right].Amount || worstR[c.Right] >= 0 && pm.hostPrefers(e, worstR[c.Right])
		if leftWants && rightWants {
			out = append(out, BlockingPair{Candidate: e, Left: c.Left, Right: c.Right, LeftID: p.Left[c.Left].ID, RightID: p.Right[c.Right].ID})
		}
	}
	return out, nil
}

// DeferredAcceptance returns the applicant-optimal stable assignment of p
// under prefs, by Gale and Shapley's deferred acceptance with the left
// sides proposing ("College admissions and the stability of marriage",
// American Mathematical Monthly 69, 1962), over candidate pairs the person
// ranked only.
//
// Each left side with a free unit proposes to the next host on its ranking;
// a host holds the best Amount proposals so far (by candidate score, ties to
// the lower left index) and rejects the rest, and a rejected or displaced
// person proposes further down. It ends when no one with a free unit has a
// host left to try. The result has no blocking pair, and every person gets
// the best hosts it gets in any stable assignment.
//
// Left sides with Amount above 1 (a leader making several visits) propose
// to several hosts, one unit at a time, in their order. With such
// responsive preferences the same procedure still gives a pairwise-stable
// assignment that every left side prefers to any other stable one (Roth,
// "Stability and polarization of interests in job matching",
// Econometrica 52, 1984): of its hosts together with those of another
// stable assignment, its Amount best are its own.
//
// Pins and quotas are ignored: the stable assignment is a reference point
// for comparison, not a proposal. The result has Matched and Score only. It
// returns an error wrapping ErrInvalidProblem as BlockingPairs does. Each
// ranked pair is proposed at most once, at a cost of O(log Amount) for the
// host's heap, after a binary search among the person's candidates to look
// it up. Every step is fixed by indices, so the result is deterministic
// (and would not depend on the order of proposals in any case).
func DeferredAcceptance(p *Problem, prefs [][]int) (*Assignment, error) {
	pm, err := newPrefModel(p, prefs)
	if err != nil {
		return nil, fmt.Errorf("deferred acceptance: %w", err)
	}
	held := make([][]int, len(p.Right)) // per host: a heap, least preferred on top
	free := make([]int, len(p.Left))
	next := make([]int, len(p.Left))
	queue := make([]int, 0, len(p.Left))
	for l, s := range p.Left {
		free[l] = s.Amount
		queue = append(queue, l)
	}
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		for free[l] > 0 && next[l] < len(pm.ranked[l]) {
			e := pm.ranked[l][next[l]]
			next[l]++
			r := p.Candidates[e].Right
			h := held[r]
			switch {
			case len(h) < p.Right[r].Amount:
				held[r] = pm.heapPush(h, e)
				free[l]--
			case len(h) > 0 && pm.hostPrefers(e, h[0]):
				out := h[0]
				h[0] = e
				pm.siftDown(h, 0)
				free[l]--
				ol := p.Candidates[out].Left
				free[ol]++
				queue = append(queue, ol)
			}
		}
	}
	a := &Assignment{}
	for _, h := range held {
		a.Matched = append(a.Matched, h...)
	}
	slices.Sort(a.Matched)
	for _, e := range a.Matched {
		a.Score += p.Candidates[e].Score
	}
	return a, nil
}

// prefModel is p with the people's rankings looked up among its candidates.
type prefModel struct {
	p      *Problem
	ranked [][]int // per left side: its ranked candidates, best first
	rank   []int   // per candidate: its place in ranked, −1 if unranked
}

// newPrefModel checks p and prefs and looks the rankings up.
func newPrefModel(p *Problem, prefs [][]int) (*prefModel, error) {
	start, _, err := checkAssignProblem(p)
	if err != nil {
		return nil, err
	}
	if len(prefs) != len(p.Left) {
		return nil, fmt.Errorf("%w: %d preference lists for %d left sides", ErrInvalidProblem, len(prefs), len(p.Left))
	}
	pm := &prefModel{p: p, ranked: make([][]int, len(p.Left)), rank: make([]int, len(p.Candidates))}
	for e := range pm.rank {
		pm.rank[e] = -1
	}
	for l, list := range prefs {
		cands := p.Candidates[start[l]:start[l+1]]
		for i, r := range list {
			if r < 0 || r >= len(p.Right) {
				return nil, fmt.Errorf("%w: preferences of %s: entry %d: right index %d out of range [0, %d)", ErrInvalidProblem, sideName(p.Left, l, "left"), i, r, len(p.Right))
			}
			if slices.Contains(list[:i], r) {
				return nil, fmt.Errorf("%w: preferences of %s: %s ranked twice", ErrInvalidProblem, sideName(p.Left, l, "left"), sideName(p.Right, r, "right"))
			}
			k := sort.Search(len(cands), func(k int) bool { return cands[k].Right >= r })
			if k < len(cands) && cands[k].Right == r {
				e := start[l] + k
				pm.rank[e] = len(pm.ranked[l])
				pm.ranked[l] = append(pm.ranked[l], e)
			}
		}
	}
	return pm, nil
}

// hostPrefers reports whether the host of candidates x and y (the same
// host) prefers x's person: higher score, ties to the lower left index.
func (pm *prefModel) hostPrefers(x, y int) bool {
	cx, cy := pm.p.Candidates[x], pm.p.Candidates[y]
	if cx.Score != cy.Score {
		return cx.Score > cy.Score
	}
	return cx.Left < cy.Left
}

// heapPush adds e to the heap h of held proposals (least preferred on top).
func (pm *prefModel) heapPush(h []int, e int) []int {
	h = append(h, e)
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !pm.hostPrefers(h[parent], h[i]) {
			break
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
	return h
}

// siftDown restores the heap order below i.
func (pm *prefModel) siftDown(h []int, i int) {
	for {
		worst := i
		if c := 2*i + 1; c < len(h) && pm.hostPrefers(h[worst], h[c]) {
			worst = c
		}
		if c := 2*i + 2; c < len(h) && pm.hostPrefers(h[worst], h[c]) {
			worst = c
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}
