package matcher

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

// TestFillFreed checks FillFreed against Repair, the full two-phase
// re-solve, on random rounds answered at random: wherever the shortcut
// applies it must keep the same offers and make new ones of the same
// number and total score (ties may pick other pairs).
func TestFillFreed(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 3))
	applied := 0
	for trial := range 300 {
		p := randomProblem(rng, 3+rng.IntN(25), 1+rng.IntN(6))
		a, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		// Answer a random part of the optimal offers.
		var prior []Prior
		for _, e := range a.Matched {
			status := program.OfferOffered
			switch rng.IntN(4) {
			case 0:
				status = program.OfferAccepted
			case 1:
				status = []program.OfferStatus{program.OfferDeclined, program.OfferExpired, program.OfferWithdrawn}[rng.IntN(3)]
			}
			prior = append(prior, Prior{Candidate: e, Status: status})
		}
		if trial%10 == 0 && len(p.Right) > 0 { // a host that lost places: keeping may not fit
			p.Right[0].Amount = max(p.Right[0].Amount-1, 0)
		}
		got, ok, err := FillFreed(p, prior)
		if err != nil {
			t.Fatal(err)
		}
		_, want, err := Repair(p, prior, RepairOptions{})
		if !ok {
			continue
		}
		applied++
		if err != nil {
			t.Fatalf("trial %d: FillFreed applied but Repair failed: %v", trial, err)
		}
		if len(want.Withdrawn) != 0 || len(got.Kept) != len(want.Kept) || len(got.Accepted) != len(want.Accepted) || len(got.New) != len(want.New) {
			t.Fatalf("trial %d: FillFreed kept %d, accepted %d, new %d; Repair kept %d, accepted %d, new %d, withdrew %d",
				trial, len(got.Kept), len(got.Accepted), len(got.New), len(want.Kept), len(want.Accepted), len(want.New), len(want.Withdrawn))
		}
		if g, w := scoreOf(p, got.New), scoreOf(p, want.New); math.Abs(g-w) > 1e-9 {
			t.Fatalf("trial %d: new offers score %v, Repair's %v", trial, g, w)
		}
	}
	if applied < 200 {
		t.Errorf("the shortcut applied in %d of 300 trials; the test needs most", applied)
	}
}

func scoreOf(p *Problem, es []int) float64 {
	s := 0.0
	for _, e := range es {
		s += p.Candidates[e].Score
	}
	return s
}

// randomProblem returns people (amount 1) and hosts (amount 1–3) with
// random pairs and scores on a grid, so ties happen.
func randomProblem(rng *rand.Rand, people, hosts int) *Problem {
	p := &Problem{}
	for i := range people {
		p.Left = append(p.Left, Side{ID: "p" + string(rune('a'+i%26)) + string(rune('0'+i/26)), Amount: 1})
	}
	for j := range hosts {
		p.Right = append(p.Right, Side{ID: "h" + string(rune('a'+j)), Amount: 1 + rng.IntN(3)})
	}
	for i := range people {
		for j := range hosts {
			if rng.IntN(3) > 0 {
				p.Candidates = append(p.Candidates, Candidate{Left: i, Right: j, Score: float64(1+rng.IntN(20)) / 20})
			}
		}
	}
	return p
}
