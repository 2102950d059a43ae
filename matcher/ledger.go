package matcher

import (
	"fmt"
	"slices"

	"github.com/khidi/khidi/internal/program"
)

// Ledger is where the pairs of a prepared round stand between its repairs:
// which hold a place (offered or accepted) and which left the round
// (declined, expired, withdrawn), with how many places each side has
// taken. A service keeps one beside its RepairPlan so that the repair
// after one answer looks at what the answer freed, not at every match of
// the round again. It does not tell offered from accepted: filling freed
// places (FillFreed) does not depend on it.
//
// A Ledger is not safe for concurrent use; the repairs of a round take
// turns anyway.
type Ledger struct {
	plan *RepairPlan
	// pairs holds the pairs the round acted on, by (left, right) side
	// index: true while the pair holds a place, false once it left.
	pairs        map[[2]int]bool
	loadL, loadR []int
	// exact is false when a match is one that Repair would withdraw (its
	// pair no longer admissible): Refill then declines, so that the caller
	// repairs the whole round.
	exact bool
}

// Ledger returns where the round's pairs stand given its matches, as
// Repair takes them. Matches whose side is no longer in the round hold no
// place in it.
func (plan *RepairPlan) Ledger(matches []program.Match) *Ledger {
	r := &plan.r
	l := &Ledger{
		plan:  plan,
		pairs: make(map[[2]int]bool, len(matches)),
		loadL: make([]int, len(r.p.Left)), loadR: make([]int, len(r.p.Right)),
		exact: true,
	}
	for _, m := range matches {
		key, ok := plan.pair(m)
		if !ok {
			l.exact = l.exact && m.Status.Leaves() // Repair withdraws it, or refuses an acceptance
			continue
		}
		l.set(key, !m.Status.Leaves())
	}
	return l
}

// pair returns the side indices of m's pair in the plan, and false when a
// side is no longer in the round or the pair is not admissible now (a
// hard rule; a pair below the threshold or cut by the top K still is).
func (plan *RepairPlan) pair(m program.Match) ([2]int, bool) {
	r := &plan.r
	who, where := string(m.ParticipantID)+string(m.VisitorID), m.Place()
	left, okL := r.scorer.LeftIndex(who)
	right, okR := r.scorer.RightIndex(where)
	if !okL || !okR {
		return [2]int{}, false
	}
	key := [2]int{left, right}
	if _, ok := r.p.find(left, right); !ok && m.Status != program.OfferAccepted {
		if _, _, rule := r.scorer.Pair(left, right); rule != "" && rule != RuleBelowThreshold {
			return key, false
		}
	}
	return key, true
}

// set records that the pair key holds a place (taken) or has left.
func (l *Ledger) set(key [2]int, taken bool) {
	if was, ok := l.pairs[key]; ok && was {
		l.loadL[key[0]]--
		l.loadR[key[1]]--
	}
	l.pairs[key] = taken
	if taken {
		l.loadL[key[0]]++
		l.loadR[key[1]]++
	}
}

// Refill is the plan's Repair after the offers freed left a round whose
// matches stood as l says: the new matches to offer, in status proposed,
// exactly those Repair would make (see FillFreed). It looks only at the
// candidates of the sides with room left. It reports false, changing
// nothing, when the shortcut does not apply: a round with quotas, an
// overfull side, a freed offer the ledger does not hold a place for, or a
// match Repair would withdraw. The caller then repairs from every match.
// l is not changed: Record does that once the new offers are stored.
func (l *Ledger) Refill(freed ...program.Match) ([]program.Match, bool, error) {
	r := &l.plan.r
	p := r.p
	if !l.exact || len(p.Quotas) > 0 || len(p.Pins) > 0 {
		return nil, false, nil
	}
	loadL, loadR := slices.Clone(l.loadL), slices.Clone(l.loadR)
	gone := make(map[[2]int]bool, len(freed))
	for _, m := range freed {
		key, ok := l.plan.pair(m)
		if !ok || !l.pairs[key] || gone[key] {
			return nil, false, nil
		}
		gone[key] = true
		loadL[key[0]]--
		loadR[key[1]]--
	}
	remL, remR, ok := remaining(p, loadL, loadR)
	if !ok {
		return nil, false, nil
	}
	var fresh []int
	for right, room := range remR {
		if room == 0 {
			continue
		}
		for _, e := range l.plan.byRight[right] {
			c := p.Candidates[e]
			if _, acted := l.pairs[[2]int{c.Left, right}]; !acted && remL[c.Left] > 0 {
				fresh = append(fresh, int(e))
			}
		}
	}
	slices.Sort(fresh)
	matched, err := fillFree(p, remL, remR, fresh)
	if err != nil {
		return nil, false, fmt.Errorf("matcher: refill %s round: %w", l.plan.in.Kind, err)
	}
	out := make([]program.Match, len(matched))
	for i, e := range matched {
		out[i] = r.match(e)
	}
	return out, true, nil
}

// Record updates l once a repair is stored: the offers freed left the
// round, the matches offered hold a place. Matches not in the round are
// ignored.
func (l *Ledger) Record(freed, offered []program.Match) {
	for i, ms := range [][]program.Match{freed, offered} {
		for _, m := range ms {
			if key, ok := l.plan.pair(m); ok {
				l.set(key, i == 1)
			}
		}
	}
}
