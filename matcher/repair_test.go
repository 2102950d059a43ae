package matcher

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

// repairProblem is a published round after one decline (scores in
// brackets, prior status after):
//
//	0 p-1 → o-1 [0.90] accepted     o-1 has 2 places, o-2 and o-3 one
//	1 p-2 → o-1 [0.80] offered
//	2 p-3 → o-2 [0.85] declined
//	3 p-4 → o-2 [0.95]
//	4 p-4 → o-3 [0.50] offered
//	5 p-5 → o-2 [0.60]
//	6 p-5 → o-3 [0.70]
//
// Solved afresh, p-4 would move to o-2 and p-5 take o-3 (1.65 against
// 1.10 for o-2 and o-3); a repair keeps p-4's offer and gives the declined
// seat at o-2 to p-5, who had none.
func repairProblem() (*Problem, []Prior) {
	p := tinyProblem([]int{1, 1, 1, 1, 1}, []int{2, 1, 1}, [][3]int{
		{0, 0, 900}, {1, 0, 800}, {2, 1, 850}, {3, 1, 950}, {3, 2, 500}, {4, 1, 600}, {4, 2, 700},
	})
	prior := []Prior{
		{0, program.OfferAccepted}, {1, program.OfferOffered}, {2, program.OfferDeclined}, {4, program.OfferOffered},
	}
	return p, prior
}

func TestRepairHand(t *testing.T) {
	p, prior := repairProblem()
	fresh, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 3, 6}; !slices.Equal(fresh.Matched, want) {
		t.Fatalf("Solve = %v, want %v: the scenario needs a fresh solve that moves p-4", fresh.Matched, want)
	}
	tests := []struct {
		name    string
		p       *Problem
		opts    RepairOptions
		matched []int
		changes Changes
	}{
		{"decline refills only the declined seat", p, RepairOptions{}, []int{0, 1, 4, 5},
			Changes{Accepted: []int{0}, Kept: []int{1, 4}, New: []int{5}}},
		// Moving p-4 gains 1.65 − 1.10 = 0.55 of score.
		{"penalty below the gain moves", p, RepairOptions{Penalty: 0.2}, []int{0, 1, 3, 6},
			Changes{Accepted: []int{0}, Kept: []int{1}, New: []int{3, 6}, Withdrawn: []int{4}}},
		{"penalty above the gain keeps", p, RepairOptions{Penalty: 0.6}, []int{0, 1, 4, 5},
			Changes{Accepted: []int{0}, Kept: []int{1, 4}, New: []int{5}}},
		// o-1 now has one place, which p-1 accepted: p-2's offer must go.
		{"lost place withdraws an offer", func() *Problem {
			q, _ := repairProblem()
			q.Right[0].Amount = 1
			return q
		}(), RepairOptions{}, []int{0, 4, 5},
			Changes{Accepted: []int{0}, Kept: []int{4}, New: []int{5}, Withdrawn: []int{1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ch, err := Repair(tt.p, prior, tt.opts)
			if err != nil {
				t.Fatalf("Repair = %v", err)
			}
			if !slices.Equal(a.Matched, tt.matched) {
				t.Errorf("Repair matched %v, want %v", a.Matched, tt.matched)
			}
			if !slices.Equal(ch.Accepted, tt.changes.Accepted) || !slices.Equal(ch.Kept, tt.changes.Kept) ||
				!slices.Equal(ch.New, tt.changes.New) || !slices.Equal(ch.Withdrawn, tt.changes.Withdrawn) {
				t.Errorf("Repair changes %+v, want %+v", *ch, tt.changes)
			}
		})
	}
}

func TestRepairErrors(t *testing.T) {
	p, prior := repairProblem()
	tests := []struct {
		name  string
		p     *Problem
		prior []Prior
		opts  RepairOptions
		want  error
	}{
		{"nil problem", nil, nil, RepairOptions{}, ErrInvalidProblem},
		{"candidate out of range", p, []Prior{{7, program.OfferOffered}}, RepairOptions{}, ErrInvalidProblem},
		{"candidate twice", p, []Prior{{1, program.OfferOffered}, {1, program.OfferDeclined}}, RepairOptions{}, ErrInvalidProblem},
		{"unknown status", p, []Prior{{1, "maybe"}}, RepairOptions{}, ErrInvalidProblem},
		{"negative penalty", p, prior, RepairOptions{Penalty: -1}, ErrInvalidProblem},
		{"NaN penalty", p, prior, RepairOptions{Penalty: math.NaN()}, ErrInvalidProblem},
		{"two accepted at a place", func() *Problem {
			q, _ := repairProblem()
			q.Right[0].Amount = 1
			return q
		}(), []Prior{{0, program.OfferAccepted}, {1, program.OfferAccepted}}, RepairOptions{}, ErrPinConflict},
		{"pinned pair declined", func() *Problem {
			q, _ := repairProblem()
			q.Pins = []int{2}
			return q
		}(), prior, RepairOptions{}, ErrPinConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := Repair(tt.p, tt.prior, tt.opts); !errors.Is(err, tt.want) {
				t.Errorf("Repair = %v, want %v", err, tt.want)
			}
		})
	}
	var pe *PinError
	_, _, err := Repair(tests[6].p, tests[6].prior, RepairOptions{})
	if !errors.As(err, &pe) || !pe.Right || pe.Side != 0 || !slices.Equal(pe.Pins, []int{0, 1}) {
		t.Errorf("Repair with two accepted offers at one place = %v, want a *PinError naming o-1 and both pairs", err)
	}
}

// randomPrior gives a random part of p's candidates a prior status: either
// drawn pair by pair, or, as after a real round, the statuses of a previous
// Solve's matches.
func randomPrior(rng *rand.Rand, p *Problem) []Prior {
	statuses := []program.OfferStatus{
		program.OfferAccepted, program.OfferOffered, program.OfferOffered, program.OfferOffered, program.OfferProposed,
		program.OfferDeclined, program.OfferExpired, program.OfferWithdrawn,
	}
	var prior []Prior
	if rng.IntN(2) == 0 {
		for e := range p.Candidates {
			if rng.IntN(2) == 0 {
				prior = append(prior, Prior{e, statuses[rng.IntN(len(statuses))]})
			}
		}
		return prior
	}
	fresh := *p
	fresh.Pins, fresh.Quotas = nil, nil
	a, err := Solve(&fresh)
	if err != nil {
		panic(err) // no pins or quotas: always solvable
	}
	for _, e := range a.Matched {
		prior = append(prior, Prior{e, statuses[rng.IntN(len(statuses))]})
	}
	return prior
}

func TestRepairBruteForce(t *testing.T) {
	cases := 6000
	if testing.Short() {
		cases = 600
	}
	rng := rand.New(rand.NewPCG(11, 2))
	penalties := []float64{0, 0, 0.05, 0.2, 0.5}
	var solved, withdrawn, conflicts, quotaErrors int
	for i := range cases {
		p := randomTinyProblem(rng, 6, 4, i%4 == 1, i%3 == 2)
		prior := randomPrior(rng, p)
		opts := RepairOptions{Penalty: penalties[rng.IntN(len(penalties))]}
		name := fmt.Sprintf("case %d (penalty %v)", i, opts.Penalty)

		must, forbid, keep := make([]bool, len(p.Candidates)), make([]bool, len(p.Candidates)), make([]bool, len(p.Candidates))
		accepted := make([]bool, len(p.Candidates))
		pinRemoved := false
		for _, e := range p.Pins {
			must[e] = true
		}
		for _, pr := range prior {
			switch pr.Status {
			case program.OfferAccepted:
				must[pr.Candidate] = true
				accepted[pr.Candidate] = true
			case program.OfferOffered, program.OfferProposed:
				keep[pr.Candidate] = true
			default:
				forbid[pr.Candidate] = true
				pinRemoved = pinRemoved || must[pr.Candidate]
			}
		}
		penaltyUnits := int64(math.Round(opts.Penalty * 1e6))
		key := func(x []bool) (oracleKey, int) {
			var units, kept int64
			n := 0
			for e, c := range p.Candidates {
				if x[e] {
					units += tinyUnits(c.Score)
					n++
					if keep[e] {
						kept++
					}
				}
			}
			if opts.Penalty == 0 {
				return oracleKey{kept, units, int64(n)}, n
			}
			return oracleKey{units + penaltyUnits*kept, int64(n)}, n
		}
		members, _ := oracleGroups(p)
		if !oracleLaminar(members) {
			continue // covered by TestSolveBruteForce
		}
		a, ch, err := Repair(p, prior, opts)
		if pinRemoved {
			if !errors.Is(err, ErrPinConflict) {
				t.Fatalf("%s: Repair(%+v, %v) = %v, want ErrPinConflict for a pinned pair that was declined", name, p, prior, err)
			}
			conflicts++
			continue
		}
		want := bruteAssign(p, must, forbid, key)
		switch {
		case !want.feasible:
			if !errors.Is(err, ErrPinConflict) {
				t.Fatalf("%s: Repair(%+v, %v) = %v, want ErrPinConflict", name, p, prior, err)
			}
			conflicts++
			continue
		case !want.quotasOK:
			var qe *QuotaError
			if !errors.As(err, &qe) || qe.Base != want.base {
				t.Fatalf("%s: Repair(%+v, %v) = %v, want a *QuotaError with base %d", name, p, prior, err, want.base)
			}
			quotaErrors++
			continue
		case err != nil:
			t.Fatalf("%s: Repair(%+v, %v) = %v, want %v", name, p, prior, err, want.best)
		}
		x := checkAssignFeasible(t, p, a, must, forbid)
		if got, _ := key(x); got != want.best || a.Base != want.base {
			t.Fatalf("%s: Repair(%+v, %v) = %v with key %v and base %d, want %v and base %d", name, p, prior, a.Matched, got, a.Base, want.best, want.base)
		}
		if len(members) > 0 {
			checkQuotaOutcomes(t, p, a, x, want.base)
		}
		// The changes, recounted.
		var acc, kept, fresh, gone []int
		for e := range p.Candidates {
			switch {
			case x[e] && accepted[e]:
				acc = append(acc, e)
			case x[e] && keep[e]:
				kept = append(kept, e)
			case x[e]:
				fresh = append(fresh, e)
			case keep[e]:
				gone = append(gone, e)
			}
		}
		if !slices.Equal(ch.Accepted, acc) || !slices.Equal(ch.Kept, kept) || !slices.Equal(ch.New, fresh) || !slices.Equal(ch.Withdrawn, gone) {
			t.Fatalf("%s: Repair changes %+v, want accepted %v kept %v new %v withdrawn %v", name, *ch, acc, kept, fresh, gone)
		}
		withdrawn += len(gone)
		solved++
	}
	t.Logf("%d repaired (%d offers withdrawn in all), %d pin conflicts, %d infeasible quotas", solved, withdrawn, conflicts, quotaErrors)
	if withdrawn == 0 || conflicts == 0 || quotaErrors == 0 {
		t.Errorf("a case kind never occurred: the generator needs adjusting")
	}
}
