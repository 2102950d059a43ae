package matcher

import (
	"fmt"
	"math"
	"slices"

	"github.com/khidi/khidi/internal/program"
)

// maxPenalty bounds RepairOptions.Penalty: beyond a million score units
// per offer a finite penalty means nothing a lexicographic repair does not,
// and the bound keeps its conversion to integer units exact.
const maxPenalty = 1e6

// Prior is where one candidate pair of a round stands before a repair.
type Prior struct {
	Candidate int                 `json:"candidate"` // index into Problem.Candidates
	Status    program.OfferStatus `json:"status"`
}

// RepairOptions tunes Repair.
type RepairOptions struct {
	// Penalty is the score, in score units, that moving or withdrawing
	// one existing offer must gain to be made. 0, the default, makes
	// keeping offers come first whatever the score (lexicographic).
	Penalty float64
}

// Changes is what a repair changes in the offers of a round, each list of
// candidate indices ascending.
type Changes struct {
	Accepted  []int `json:"accepted"`  // accepted offers, kept as they were
	Kept      []int `json:"kept"`      // open offers (offered or proposed) kept
	New       []int `json:"new"`       // matches with no offer yet: offers to make
	Withdrawn []int `json:"withdrawn"` // open offers no longer matched: offers to withdraw
}

// Repair re-solves a round after some offers were declined, expired or
// withdrawn, disturbing as few people as it can. prior gives the state of
// the pairs the round already acted on, by candidate of p:
//
//   - accepted: pinned, as Problem.Pins are;
//   - declined, expired, withdrawn: removed, never offered again (the
//     person may still be offered another host; a person who left the
//     programme should be given Amount 0 by the caller);
//   - offered (and proposed, which is treated the same, so that repairing
//     a reviewed but unpublished proposal also keeps it): kept unless
//     keeping it is impossible.
//
// With opts.Penalty 0 the objective is lexicographic: first keep the most
// open offers, then maximise the total score (then the number of matches,
// as Solve does). So a declined seat is refilled from people without an
// offer, and an offer is only moved when keeping every offer is
// impossible. Both steps are exact: see the two phases described at
// optimise. With a positive Penalty, withdrawing an open offer instead costs
// that much score, and an offer moves when the score gains more.
//
// Quotas are applied as in Solve, to the repair's own T: the matches of
// this objective without quotas. Prior offers refer to candidates of p; one
// whose pair is no longer a candidate must be handled by the caller.
//
// Errors: those of Solve; ErrInvalidProblem for a prior entry out of range,
// listed twice or with an unknown status, or a bad Penalty; ErrPinConflict
// also for accepted offers that overfill a side and for a pin on a pair
// whose offer ended.
func Repair(p *Problem, prior []Prior, opts RepairOptions) (*Assignment, *Changes, error) {
	if p == nil {
		return nil, nil, fmt.Errorf("repair: %w: nil problem", ErrInvalidProblem)
	}
	if !(opts.Penalty >= 0 && opts.Penalty <= maxPenalty) {
		return nil, nil, fmt.Errorf("repair: %w: penalty %v outside [0, %g]", ErrInvalidProblem, opts.Penalty, float64(maxPenalty))
	}
	n := len(p.Candidates)
	accepted, removed, keep := make([]bool, n), make([]bool, n), make([]bool, n)
	seen := make([]int, n) // 1 + the prior entry that named each candidate
	for i, pr := range prior {
		e := pr.Candidate
		if e < 0 || e >= n {
			return nil, nil, fmt.Errorf("repair: %w: prior %d: candidate %d out of range [0, %d)", ErrInvalidProblem, i, e, n)
		}
		if seen[e] != 0 {
			return nil, nil, fmt.Errorf("repair: %w: prior %d: pair %s already given by prior %d", ErrInvalidProblem, i, pairName(p, e), seen[e]-1)
		}
		seen[e] = i + 1
		switch pr.Status {
		case program.OfferAccepted:
			accepted[e] = true
		case program.OfferDeclined, program.OfferExpired, program.OfferWithdrawn:
			removed[e] = true
		case program.OfferOffered, program.OfferProposed:
			keep[e] = true
		default:
			return nil, nil, fmt.Errorf("repair: %w: prior %d: pair %s: unknown offer status %q", ErrInvalidProblem, i, pairName(p, e), pr.Status)
		}
	}
	m, err := newAssignModel(p, accepted, removed)
	if err != nil {
		return nil, nil, fmt.Errorf("repair: %w", err)
	}
	if slices.Contains(keep, true) {
		m.keep = keep // else there is nothing to keep, and one phase will do
	}
	obj := objective{lexKeep: opts.Penalty == 0, penalty: int64(math.Round(opts.Penalty * ScoreScale))}
	a, err := m.solve(obj)
	if err != nil {
		return nil, nil, fmt.Errorf("repair: %w", err)
	}
	ch := &Changes{}
	matched := make([]bool, n)
	for _, e := range a.Matched {
		matched[e] = true
		switch {
		case accepted[e]:
			ch.Accepted = append(ch.Accepted, e)
		case keep[e]:
			ch.Kept = append(ch.Kept, e)
		default:
			ch.New = append(ch.New, e)
		}
	}
	for e := range keep {
		if keep[e] && !matched[e] {
			ch.Withdrawn = append(ch.Withdrawn, e)
		}
	}
	return a, ch, nil
}

// FillFreed is Repair (lexicographic, no penalty) for the common case of
// a round whose open offers can all be kept: the answers so far only freed
// places. Then the first phase of Repair keeps every open offer, and the
// second maximises the score of the new matches alone — the kept and
// accepted pairs being fixed, what is left is an assignment of the free
// places to the free people over the pairs never offered. FillFreed solves
// exactly that smaller problem with Solve: on a national round a decline
// frees one place, and the problem has one right side with spare room
// instead of every candidate of the round.
//
// It reports false, changing nothing, when the shortcut does not apply:
// quotas or pins on p (their bounds count every match), or accepted and
// open offers that together overfill a side. A caller then uses Repair.
// prior is as for Repair, already checked by the caller's own use.
func FillFreed(p *Problem, prior []Prior) (*Changes, bool, error) {
	if len(p.Quotas) > 0 || len(p.Pins) > 0 {
		return nil, false, nil
	}
	const (
		never = iota
		accepted
		removed
		kept
	)
	status := make([]uint8, len(p.Candidates))
	loadL, loadR := make([]int, len(p.Left)), make([]int, len(p.Right))
	ch := &Changes{}
	for _, pr := range prior {
		if pr.Candidate < 0 || pr.Candidate >= len(p.Candidates) {
			return nil, false, fmt.Errorf("fill freed places: %w: candidate %d out of range", ErrInvalidProblem, pr.Candidate)
		}
		c := p.Candidates[pr.Candidate]
		switch pr.Status {
		case program.OfferAccepted:
			status[pr.Candidate] = accepted
			ch.Accepted = append(ch.Accepted, pr.Candidate)
		case program.OfferOffered, program.OfferProposed:
			status[pr.Candidate] = kept
			ch.Kept = append(ch.Kept, pr.Candidate)
		default:
			status[pr.Candidate] = removed
			continue
		}
		loadL[c.Left]++
		loadR[c.Right]++
	}
	remL, remR, ok := remaining(p, loadL, loadR)
	if !ok {
		return nil, false, nil
	}
	var fresh []int
	for e, c := range p.Candidates {
		if status[e] == never && remL[c.Left] > 0 && remR[c.Right] > 0 {
			fresh = append(fresh, e)
		}
	}
	slices.Sort(ch.Accepted)
	slices.Sort(ch.Kept)
	var err error
	if ch.New, err = fillFree(p, remL, remR, fresh); err != nil {
		return nil, false, fmt.Errorf("fill freed places: %w", err)
	}
	return ch, true, nil
}

// remaining returns the room left on each side of p given its loads, and
// false when a load exceeds its side's amount.
func remaining(p *Problem, loadL, loadR []int) (remL, remR []int, ok bool) {
	remL, remR = make([]int, len(p.Left)), make([]int, len(p.Right))
	for i, s := range p.Left {
		if remL[i] = s.Amount - loadL[i]; remL[i] < 0 {
			return nil, nil, false
		}
	}
	for i, s := range p.Right {
		if remR[i] = s.Amount - loadR[i]; remR[i] < 0 {
			return nil, nil, false
		}
	}
	return remL, remR, true
}

// fillFree solves the assignment of the room left, remL and remR, over the
// candidates fresh of p (ascending, each with room on both sides), and
// returns the candidates of p matched, ascending. Only sides with a pair
// are worth a node: a decline on a national round leaves one host with
// room and thousands of people. Both sides keep their order, so the pairs
// stay sorted as Solve wants them.
func fillFree(p *Problem, remL, remR []int, fresh []int) ([]int, error) {
	if len(fresh) == 0 {
		return nil, nil
	}
	usedL, usedR := make([]int, len(p.Left)), make([]int, len(p.Right))
	for _, e := range fresh {
		c := p.Candidates[e]
		usedL[c.Left], usedR[c.Right] = 1, 1
	}
	sub := &Problem{Candidates: make([]Candidate, 0, len(fresh))}
	for _, x := range []struct {
		used, rem []int
		all       []Side
		sides     *[]Side
	}{{usedL, remL, p.Left, &sub.Left}, {usedR, remR, p.Right, &sub.Right}} {
		for i, u := range x.used {
			if u > 0 {
				x.used[i] = len(*x.sides) // now the side's index in sub
				side := x.all[i]
				side.Amount = x.rem[i]
				*x.sides = append(*x.sides, side)
			}
		}
	}
	for _, e := range fresh {
		c := p.Candidates[e]
		sub.Candidates = append(sub.Candidates, Candidate{Left: usedL[c.Left], Right: usedR[c.Right], Score: c.Score, Breakdown: c.Breakdown})
	}
	a, err := Solve(sub)
	if err != nil {
		return nil, err
	}
	matched := make([]int, len(a.Matched))
	for i, e := range a.Matched {
		matched[i] = fresh[e]
	}
	slices.Sort(matched)
	return matched, nil
}
