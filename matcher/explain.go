package matcher

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Explanation says, for one left side, why it got what it got: for each of
// its matches what the score was made of and how the host ranked among its
// candidates, or, if it got no match, why not. String renders it as a short
// sentence; the fields are for JSON.
type Explanation struct {
	Left      int              `json:"left"` // index into Problem.Left
	LeftID    string           `json:"left_id"`
	Matched   []MatchReason    `json:"matched,omitempty"`
	Unmatched *UnmatchedReason `json:"unmatched,omitempty"` // nil when matched
}

// MatchReason explains one match.
type MatchReason struct {
	Candidate int     `json:"candidate"` // index into Problem.Candidates
	Right     int     `json:"right"`
	RightID   string  `json:"right_id"`
	Score     float64 `json:"score"`
	// Rank is the host's place among the person's candidates by score,
	// 1 for the best; equal scores are ranked by right index.
	Rank       int  `json:"rank"`
	Candidates int  `json:"candidates"` // how many candidates the person had
	Pinned     bool `json:"pinned,omitempty"`
	// Contributions is each feature's share of the score, Breakdown[f]·w_f
	// / Σ w, in Feature order; they add up to the score when the score is
	// the weighted mean under the same weights.
	Contributions []Contribution `json:"contributions"`
}

// Contribution is one feature's part of a score.
type Contribution struct {
	Feature string  `json:"feature"` // Feature.String()
	Value   float64 `json:"value"`
}

// UnmatchedReason explains why a left side got no match. Exactly one of
// NoPlaces, NoCandidates and Hosts says why; Rejected and Rules tell which
// hard rules removed the other pairs.
type UnmatchedReason struct {
	// NoPlaces: the side's Amount is 0, so it takes no match.
	NoPlaces bool `json:"no_places,omitempty"`
	// NoCandidates: no pair of the side was admissible.
	NoCandidates bool `json:"no_candidates,omitempty"`
	// Hosts explains each admissible candidate host, best score first.
	Hosts []HostReason `json:"hosts,omitempty"`
	// Quotas are the indices of the quotas whose group includes the side
	// and had reached its maximum, so no further match of the group was
	// allowed.
	Quotas []int `json:"quotas,omitempty"`
	// Rejected are the pairs of the side that hard rules removed, in
	// Problem.Rejections order.
	Rejected []RejectedPair `json:"rejected,omitempty"`
	// Rules counts Rejected by rule, most frequent first.
	Rules []RuleCount `json:"rules,omitempty"`
}

// HostReason explains why one admissible host did not take the person.
type HostReason struct {
	Candidate int     `json:"candidate"`
	Right     int     `json:"right"`
	RightID   string  `json:"right_id"`
	Score     float64 `json:"score"` // the person's score there
	Rank      int     `json:"rank"`  // as in MatchReason
	Places    int     `json:"places"`
	// Full: all Places went to others, listed in Holders by score, best
	// first. A host with a free place was out of reach for another reason
	// (a quota, see UnmatchedReason.Quotas).
	Full    bool     `json:"full"`
	Holders []Holder `json:"holders,omitempty"`
	// Price is the price of a place there in score units
	// (Assignment.Prices): what a newcomer's score had to beat.
	Price float64 `json:"price"`
}

// Holder is a match that took a place at a host.
type Holder struct {
	Candidate int     `json:"candidate"`
	Left      int     `json:"left"`
	LeftID    string  `json:"left_id"`
	Score     float64 `json:"score"`
}

// RejectedPair is a pair a hard rule removed.
type RejectedPair struct {
	Right   int    `json:"right"`
	RightID string `json:"right_id"`
	Rule    Rule   `json:"rule"`
}

// RuleCount is how many of a side's pairs one rule removed.
type RuleCount struct {
	Rule  Rule `json:"rule"`
	Count int  `json:"count"`
}

// Explain returns one Explanation per left side of p, in order, for the
// assignment a (from Solve, Repair or DeferredAcceptance on the same p),
// with contributions computed under the weights w.
//
// A side with matches gets a MatchReason for each. A side without gets the
// reason: its Amount is 0; or it had no admissible candidate (with the pairs
// the hard rules removed, counted by rule); or, for each candidate host,
// that the host was full and whose matches filled it, or that the host had
// room but a quota of the side's group was at its maximum. Sides with
// Amount above 1 that got some but not all of their matches are explained
// by their matches only.
//
// It returns an error wrapping ErrInvalidProblem when p is malformed or a
// does not fit it (an index out of range, not ascending).
func Explain(p *Problem, a *Assignment, w Weights) ([]Explanation, error) {
	start, _, err := checkAssignProblem(p)
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	if err := checkMatched(p, a); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	rank := candidateRanks(p, start)
	pinned := make([]bool, len(p.Candidates))
	for _, e := range p.Pins {
		if e >= 0 && e < len(pinned) {
			pinned[e] = true
		}
	}
	matched := make([]bool, len(p.Candidates))
	holders := make([][]int, len(p.Right)) // matched candidates per host
	for _, e := range a.Matched {
		matched[e] = true
		r := p.Candidates[e].Right
		holders[r] = append(holders[r], e)
	}
	for r := range holders {
		slices.SortStableFunc(holders[r], func(x, y int) int {
			return cmp.Compare(p.Candidates[y].Score, p.Candidates[x].Score)
		})
	}
	rejected := make([][]int, len(p.Left)) // indices into p.Rejections
	for i, rj := range p.Rejections {
		if rj.Left < 0 || rj.Left >= len(p.Left) || rj.Right < 0 || rj.Right >= len(p.Right) {
			return nil, fmt.Errorf("explain: %w: rejection %d: pair (%d, %d) out of range", ErrInvalidProblem, i, rj.Left, rj.Right)
		}
		rejected[rj.Left] = append(rejected[rj.Left], i)
	}
	var full []int // quotas at their maximum
	for _, o := range a.Quotas {
		if o.Quota >= 0 && o.Quota < len(p.Quotas) && o.Max >= 0 && o.Matched >= o.Max {
			full = append(full, o.Quota)
		}
	}
	// Each full host's holders, built once and shared by every person the
	// host turned away: in a national round tens of thousands of people
	// cite the same few thousand hosts.
	holderLists := make([][]Holder, len(p.Right))
	hostHolders := func(r int) []Holder {
		if holderLists[r] == nil {
			hs := make([]Holder, len(holders[r]))
			for i, o := range holders[r] {
				oc := p.Candidates[o]
				hs[i] = Holder{Candidate: o, Left: oc.Left, LeftID: p.Left[oc.Left].ID, Score: oc.Score}
			}
			holderLists[r] = hs
		}
		return holderLists[r]
	}

	out := make([]Explanation, len(p.Left))
	for l := range p.Left {
		ex := Explanation{Left: l, LeftID: p.Left[l].ID}
		deg := start[l+1] - start[l]
		for e := start[l]; e < start[l+1]; e++ {
			if !matched[e] {
				continue
			}
			c := p.Candidates[e]
			mr := MatchReason{
				Candidate: e, Right: c.Right, RightID: p.Right[c.Right].ID, Score: c.Score,
				Rank: rank[e], Candidates: deg, Pinned: pinned[e],
			}
			mr.Contributions = w.Contributions(c.Breakdown)
			ex.Matched = append(ex.Matched, mr)
		}
		if len(ex.Matched) == 0 {
			ex.Unmatched = explainUnmatched(p, a, l, start, rank, hostHolders, rejected[l], full)
		}
		out[l] = ex
	}
	return out, nil
}

// explainUnmatched builds the reason left side l got no match.
func explainUnmatched(p *Problem, a *Assignment, l int, start, rank []int, hostHolders func(r int) []Holder, rejected, full []int) *UnmatchedReason {
	u := &UnmatchedReason{
		NoPlaces:     p.Left[l].Amount == 0,
		NoCandidates: start[l] == start[l+1],
	}
	counts := map[Rule]int{}
	for _, i := range rejected {
		rj := p.Rejections[i]
		u.Rejected = append(u.Rejected, RejectedPair{Right: rj.Right, RightID: p.Right[rj.Right].ID, Rule: rj.Rule})
		if counts[rj.Rule] == 0 {
			u.Rules = append(u.Rules, RuleCount{Rule: rj.Rule})
		}
		counts[rj.Rule]++
	}
	for i := range u.Rules {
		u.Rules[i].Count = counts[u.Rules[i].Rule]
	}
	slices.SortStableFunc(u.Rules, func(x, y RuleCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Rule, y.Rule))
	})
	if u.NoPlaces {
		return u
	}
	for _, qi := range full {
		if quotaCounts(&p.Quotas[qi], &p.Left[l]) {
			u.Quotas = append(u.Quotas, qi)
		}
	}
	for e := start[l]; e < start[l+1]; e++ {
		c := p.Candidates[e]
		h := HostReason{
			Candidate: e, Right: c.Right, RightID: p.Right[c.Right].ID, Score: c.Score,
			Rank: rank[e], Places: p.Right[c.Right].Amount,
		}
		h.Full = len(hostHolders(c.Right)) >= h.Places
		if h.Full {
			h.Holders = hostHolders(c.Right)
		}
		if a.Prices != nil && c.Right < len(a.Prices) {
			h.Price = a.Prices[c.Right]
		}
		u.Hosts = append(u.Hosts, h)
	}
	slices.SortStableFunc(u.Hosts, func(x, y HostReason) int { return x.Rank - y.Rank })
	return u
}

// candidateRanks returns, per candidate, the rank of its host among its
// left side's candidates: 1 for the highest score, ties by right index.
func candidateRanks(p *Problem, start []int) []int {
	rank := make([]int, len(p.Candidates))
	var order []int
	for l := range p.Left {
		order = order[:0]
		for e := start[l]; e < start[l+1]; e++ {
			order = append(order, e)
		}
		// Candidates of l are in right order already, so a stable sort
		// by score keeps ties by right index.
		slices.SortStableFunc(order, func(x, y int) int {
			return cmp.Compare(p.Candidates[y].Score, p.Candidates[x].Score)
		})
		for i, e := range order {
			rank[e] = i + 1
		}
	}
	return rank
}

// checkMatched checks that a's matched candidates are indices of p,
// strictly ascending.
func checkMatched(p *Problem, a *Assignment) error {
	if a == nil {
		return fmt.Errorf("%w: nil assignment", ErrInvalidProblem)
	}
	for i, e := range a.Matched {
		if e < 0 || e >= len(p.Candidates) {
			return fmt.Errorf("%w: assignment: matched candidate %d out of range [0, %d)", ErrInvalidProblem, e, len(p.Candidates))
		}
		if i > 0 && a.Matched[i-1] >= e {
			return fmt.Errorf("%w: assignment: matched candidates not strictly ascending at %d (%d after %d)", ErrInvalidProblem, i, e, a.Matched[i-1])
		}
	}
	return nil
}

// String renders the explanation as a short sentence, such as "p-1 was not
// matched: host o-12 was full: its 3 places went to p-4 (0.81), p-9 (0.77),
// p-2 (0.74); your score there was 0.70."
func (e Explanation) String() string {
	var b strings.Builder
	who := e.LeftID
	if who == "" {
		who = "left " + strconv.Itoa(e.Left)
	}
	if len(e.Matched) > 0 {
		b.WriteString(who)
		b.WriteString(" was matched with ")
		for i, m := range e.Matched {
			if i > 0 {
				b.WriteString("; and with ")
			}
			if m.Candidates == 1 {
				fmt.Fprintf(&b, "%s (score %.2f, the only candidate", m.RightID, m.Score)
			} else {
				fmt.Fprintf(&b, "%s (score %.2f, the %s of %d candidates", m.RightID, m.Score, ordinalEN(m.Rank), m.Candidates)
			}
			if m.Pinned {
				b.WriteString(", pinned")
			}
			b.WriteString(")")
			if parts := topContributions(m.Contributions); parts != "" {
				b.WriteString(": ")
				b.WriteString(parts)
			}
		}
		b.WriteString(".")
		return b.String()
	}
	u := e.Unmatched
	if u == nil {
		return who + " was not matched."
	}
	switch {
	case u.NoPlaces:
		fmt.Fprintf(&b, "%s was not matched: it takes no match (amount 0).", who)
	case u.NoCandidates:
		fmt.Fprintf(&b, "%s was not matched: no host was admissible", who)
		if len(u.Rejected) == 0 {
			b.WriteString(".")
		} else {
			fmt.Fprintf(&b, "; hard rules removed %s (%s).", nounCount(len(u.Rejected), "pair", "pairs"), ruleCounts(u.Rules))
		}
		return b.String()
	default:
		fmt.Fprintf(&b, "%s was not matched.", who)
		for _, h := range u.Hosts[:min(len(u.Hosts), sentenceHosts)] {
			b.WriteString(" ")
			b.WriteString(h.sentence(u.Quotas))
		}
		if more := len(u.Hosts) - sentenceHosts; more > 0 {
			full := 0
			for _, h := range u.Hosts[sentenceHosts:] {
				if h.Full {
					full++
				}
			}
			fmt.Fprintf(&b, " Of %s more, %d %s full.", nounCount(more, "candidate host", "candidate hosts"), full,
				map[bool]string{true: "was", false: "were"}[full == 1])
		}
	}
	if len(u.Rejected) > 0 && !u.NoPlaces {
		fmt.Fprintf(&b, " Hard rules removed %s (%s).", nounCount(len(u.Rejected), "other pair", "other pairs"), ruleCounts(u.Rules))
	}
	return b.String()
}

// sentenceHosts is how many candidate hosts String describes one by one:
// the best few tell the story, and the fields keep them all.
const sentenceHosts = 3

// sentence explains one host, given the quotas at their maximum.
func (h HostReason) sentence(quotas []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Host %s ", h.RightID)
	switch {
	case h.Places == 0:
		b.WriteString("has no places")
	case h.Full:
		fmt.Fprintf(&b, "was full: its %s went to ", nounCount(h.Places, "place", "places"))
		for i, o := range h.Holders {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s (%.2f)", o.LeftID, o.Score)
		}
	case len(quotas) > 0:
		if len(quotas) == 1 {
			fmt.Fprintf(&b, "had a free place, but quota %d was at its maximum", quotas[0])
		} else {
			fmt.Fprintf(&b, "had a free place, but quotas %s were at their maximum", joinInts(quotas))
		}
	default:
		b.WriteString("had a free place")
	}
	fmt.Fprintf(&b, "; your score there was %.2f.", h.Score)
	return b.String()
}

// topContributions lists the non-zero contributions, largest first.
func topContributions(cs []Contribution) string {
	sorted := slices.Clone(cs)
	slices.SortStableFunc(sorted, func(x, y Contribution) int { return cmp.Compare(y.Value, x.Value) })
	var parts []string
	for _, c := range sorted {
		if c.Value != 0 {
			parts = append(parts, fmt.Sprintf("%s %.2f", c.Feature, c.Value))
		}
	}
	return strings.Join(parts, ", ")
}

// ruleCounts renders rule counts as "no_shared_language 3, availability 1".
func ruleCounts(rs []RuleCount) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%s %d", r.Rule, r.Count)
	}
	return strings.Join(parts, ", ")
}

// ordinalEN renders 1 as "1st", 2 as "2nd", 11 as "11th".
func ordinalEN(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
