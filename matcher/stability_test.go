package matcher

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomPrefs ranks, for each left side, a random subset of the right
// sides in random order, candidates or not.
func randomPrefs(rng *rand.Rand, p *Problem) [][]int {
	prefs := make([][]int, len(p.Left))
	for l := range prefs {
		perm := rng.Perm(len(p.Right))
		prefs[l] = perm[:rng.IntN(len(perm)+1)]
	}
	return prefs
}

// oracleBlocking returns the blocking pairs of the assignment x by the
// definition, pair by pair: l ranked r; l has a free unit or some match it
// ranks below r (or did not rank); r has a free place or some match it
// likes less than l (lower score, or equal score and higher left index).
func oracleBlocking(p *Problem, x []bool, prefs [][]int) []int {
	var out []int
	for e, c := range p.Candidates {
		pos := slices.Index(prefs[c.Left], c.Right)
		if x[e] || pos < 0 {
			continue
		}
		nl, nr := 0, 0
		leftWants, rightWants := false, false
		for f, d := range p.Candidates {
			if !x[f] {
				continue
			}
			if d.Left == c.Left {
				nl++
				if q := slices.Index(prefs[c.Left], d.Right); q < 0 || q > pos {
					leftWants = true
				}
			}
			if d.Right == c.Right {
				nr++
				if d.Score < c.Score || d.Score == c.Score && d.Left > c.Left {
					rightWants = true
				}
			}
		}
		leftWants = leftWants || nl < p.Left[c.Left].Amount
		rightWants = rightWants || nr < p.Right[c.Right].Amount
		if leftWants && rightWants {
			out = append(out, e)
		}
	}
	return out
}

// matchedSet turns an assignment into a set of candidates.
func matchedSet(p *Problem, a *Assignment) []bool {
	x := make([]bool, len(p.Candidates))
	for _, e := range a.Matched {
		x[e] = true
	}
	return x
}

// setToMatched turns a set of candidates into ascending indices.
func setToMatched(x []bool) []int {
	var m []int
	for e, in := range x {
		if in {
			m = append(m, e)
		}
	}
	return m
}

func TestBlockingPairsBruteForce(t *testing.T) {
	cases := 2000
	if testing.Short() {
		cases = 200
	}
	rng := rand.New(rand.NewPCG(7, 3))
	checked, blocking := 0, 0
	for i := range cases {
		p := randomTinyProblem(rng, 5, 4, false, false)
		prefs := randomPrefs(rng, p)
		none := make([]bool, len(p.Candidates))
		var all [][]int
		enumerateAssignments(p, none, none, func(x []bool) { all = append(all, setToMatched(x)) })
		// Every assignment of small cases, a sample of the others.
		for k, m := range all {
			if len(all) > 30 && rng.IntN(len(all)) >= 30 && k != 0 {
				continue
			}
			got, err := BlockingPairs(p, &Assignment{Matched: m}, prefs)
			if err != nil {
				t.Fatalf("case %d: BlockingPairs = %v", i, err)
			}
			var gotE []int
			for _, bp := range got {
				c := p.Candidates[bp.Candidate]
				if bp.Left != c.Left || bp.Right != c.Right || bp.LeftID != p.Left[c.Left].ID || bp.RightID != p.Right[c.Right].ID {
					t.Fatalf("case %d: pair %+v does not match its candidate", i, bp)
				}
				gotE = append(gotE, bp.Candidate)
			}
			want := oracleBlocking(p, matchedFromIndices(p, m), prefs)
			if !slices.Equal(gotE, want) {
				t.Fatalf("case %d: BlockingPairs(%+v, %v, %v) = %v, want %v", i, p, m, prefs, gotE, want)
			}
			checked++
			blocking += len(want)
		}
	}
	t.Logf("%d assignments checked, %d blocking pairs", checked, blocking)
}

// matchedFromIndices turns ascending indices into a set.
func matchedFromIndices(p *Problem, m []int) []bool {
	return matchedSet(p, &Assignment{Matched: m})
}

// bestOf returns the at most n hosts of hosts that l ranks best.
func bestOf(rank []int, hosts []int, n int) []int {
	sorted := slices.Clone(hosts)
	slices.SortFunc(sorted, func(a, b int) int { return slices.Index(rank, a) - slices.Index(rank, b) })
	sorted = sorted[:min(n, len(sorted))]
	slices.Sort(sorted)
	return sorted
}

// hostsOf returns the hosts x gives left side l, ascending.
func hostsOf(p *Problem, x []bool, l int) []int {
	var hs []int
	for e, c := range p.Candidates {
		if x[e] && c.Left == l {
			hs = append(hs, c.Right)
		}
	}
	return hs
}

func TestDeferredAcceptanceBruteForce(t *testing.T) {
	cases := 3000
	if testing.Short() {
		cases = 300
	}
	rng := rand.New(rand.NewPCG(9, 5))
	stableCount, multiUnit, several := 0, 0, 0
	for i := range cases {
		p := randomTinyProblem(rng, 5, 4, false, false)
		prefs := randomPrefs(rng, p)
		switch i % 3 {
		case 1:
			// People prefer the hosts that like them least.
			prefs = opposedPrefs(p)
		case 2:
			// A balanced market with complete lists, where several
			// stable assignments are common.
			p, prefs = randomMarket(rng, 4)
		}
		a, err := DeferredAcceptance(p, prefs)
		if err != nil {
			t.Fatalf("case %d: DeferredAcceptance = %v", i, err)
		}
		none := make([]bool, len(p.Candidates))
		unranked := make([]bool, len(p.Candidates))
		for e, c := range p.Candidates {
			unranked[e] = !slices.Contains(prefs[c.Left], c.Right)
		}
		x := checkAssignFeasible(t, p, a, none, unranked)
		if b := oracleBlocking(p, x, prefs); len(b) != 0 {
			t.Fatalf("case %d: DeferredAcceptance(%+v, %v) = %v has blocking pairs %v", i, p, prefs, a.Matched, b)
		}
		// Applicant-optimality: against every stable assignment S over
		// ranked pairs, each left side's best Amount hosts of its own and
		// S's together are its own.
		stableHere := 0
		enumerateAssignments(p, none, unranked, func(s []bool) {
			if len(oracleBlocking(p, s, prefs)) != 0 {
				return
			}
			stableCount++
			stableHere++
			for l, side := range p.Left {
				own, other := hostsOf(p, x, l), hostsOf(p, s, l)
				if side.Amount > 1 && len(other) > 0 {
					multiUnit++
				}
				union := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(own), other...))))
				if best := bestOf(prefs[l], union, side.Amount); !slices.Equal(best, own) {
					t.Fatalf("case %d: DeferredAcceptance(%+v, %v) gives %s hosts %v, but the stable %v gives %v",
						i, p, prefs, p.Left[l].ID, own, setToMatched(s), other)
				}
			}
		})
		if stableHere > 1 {
			several++
		}
	}
	t.Logf("%d stable assignments compared (%d with several hosts per person); %d cases had several", stableCount, multiUnit, several)
	if several == 0 {
		t.Errorf("no case had several stable assignments: the generator needs adjusting")
	}
}

// randomMarket is n people and n hosts of one place each, every pair a
// candidate with a random score, every person ranking every host.
func randomMarket(rng *rand.Rand, n int) (*Problem, [][]int) {
	amounts := make([]int, n)
	for i := range amounts {
		amounts[i] = 1
	}
	var cands [][3]int
	for l := range n {
		for r := range n {
			cands = append(cands, [3]int{l, r, rng.IntN(1001)})
		}
	}
	prefs := make([][]int, n)
	for l := range prefs {
		prefs[l] = rng.Perm(n)
	}
	return tinyProblem(amounts, amounts, cands), prefs
}

// opposedPrefs ranks each person's candidates by ascending score (ties by
// right index): people want the hosts that want them least.
func opposedPrefs(p *Problem) [][]int {
	prefs := make([][]int, len(p.Left))
	var byScore []Candidate
	for l := range p.Left {
		byScore = byScore[:0]
		for _, c := range p.Candidates {
			if c.Left == l {
				byScore = append(byScore, c)
			}
		}
		slices.SortStableFunc(byScore, func(a, b Candidate) int {
			if a.Score != b.Score {
				if a.Score < b.Score {
					return -1
				}
				return 1
			}
			return 0
		})
		for _, c := range byScore {
			prefs[l] = append(prefs[l], c.Right)
		}
	}
	return prefs
}

func TestStabilityReport(t *testing.T) {
	// Both people rank o-0 first. Scores: p-0→o-0 0.6, p-0→o-1 0.5,
	// p-1→o-0 0.5, p-1→o-1 0.1. The optimum {p-0→o-1, p-1→o-0} scores
	// 1.0 but p-0 and o-0 block it (o-0 prefers p-0's 0.6); deferred
	// acceptance gives {p-0→o-0, p-1→o-1}, 0.7, stable.
	p := tinyProblem([]int{1, 1}, []int{1, 1}, [][3]int{{0, 0, 600}, {0, 1, 500}, {1, 0, 500}, {1, 1, 100}})
	prefs := [][]int{{0, 1}, {0, 1}}
	a, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Matched, []int{1, 2}) {
		t.Fatalf("Solve = %v, want [1 2]", a.Matched)
	}
	r, err := Stability(p, a, prefs)
	if err != nil {
		t.Fatal(err)
	}
	want := []BlockingPair{{Candidate: 0, Left: 0, Right: 0, LeftID: "p-0", RightID: "o-0"}}
	if math.Abs(r.OptimalScore-1.0) > 1e-9 || math.Abs(r.StableScore-0.7) > 1e-9 || r.OptimalMatches != 2 || r.StableMatches != 2 ||
		r.OptimalBlocking != 1 || r.StableBlocking != 0 || !slices.Equal(r.Blocking, want) || !slices.Equal(r.Stable.Matched, []int{0, 3}) {
		t.Errorf("Stability = %+v (stable %v), want optimal 1.0 with blocking %+v, stable [0 3] 0.7", r, r.Stable.Matched, want)
	}
	if got, want := r.String(), "optimal: score 1.00, 2 matches, 1 blocking pair; stable: score 0.70, 2 matches, 0 blocking pairs"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestDeferredAcceptanceHand(t *testing.T) {
	// o-0 has two places; three people rank it first. It keeps the two
	// best scores (0.7 and the tie at 0.5 going to the lower index p-1);
	// p-2 falls back to o-1. p-3 ranks only a host that is not its
	// candidate and stays out.
	p := tinyProblem([]int{1, 1, 1, 1}, []int{2, 1}, [][3]int{{0, 0, 700}, {1, 0, 500}, {1, 1, 900}, {2, 0, 500}, {2, 1, 100}, {3, 0, 900}})
	prefs := [][]int{{0}, {0, 1}, {0, 1}, {1}}
	a, err := DeferredAcceptance(p, prefs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 4}; !slices.Equal(a.Matched, want) {
		t.Errorf("DeferredAcceptance = %v, want %v", a.Matched, want)
	}
}

func TestDeferredAcceptanceTwoStable(t *testing.T) {
	// p-0 ranks o-0 first, p-1 ranks o-1 first; o-0 prefers p-1 (0.8
	// against 0.2) and o-1 prefers p-0. Both {p-0→o-0, p-1→o-1} and
	// {p-0→o-1, p-1→o-0} are stable; people proposing get their first
	// choices.
	p := tinyProblem([]int{1, 1}, []int{1, 1}, [][3]int{{0, 0, 200}, {0, 1, 800}, {1, 0, 800}, {1, 1, 200}})
	prefs := [][]int{{0, 1}, {1, 0}}
	var stable [][]int
	none := make([]bool, len(p.Candidates))
	enumerateAssignments(p, none, none, func(x []bool) {
		if len(oracleBlocking(p, x, prefs)) == 0 {
			stable = append(stable, setToMatched(x))
		}
	})
	if want := [][]int{{1, 2}, {0, 3}}; !slices.EqualFunc(stable, want, slices.Equal) {
		t.Fatalf("stable assignments %v, want %v (the oracle is wrong)", stable, want)
	}
	a, err := DeferredAcceptance(p, prefs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 3}; !slices.Equal(a.Matched, want) {
		t.Errorf("DeferredAcceptance = %v, want %v", a.Matched, want)
	}
}

func TestStabilityInvalid(t *testing.T) {
	p := tinyProblem([]int{1, 1}, []int{1, 1}, [][3]int{{0, 0, 600}, {1, 1, 500}})
	tests := []struct {
		name  string
		prefs [][]int
	}{
		{"too few lists", [][]int{{0}}},
		{"right out of range", [][]int{{2}, nil}},
		{"negative right", [][]int{{-1}, nil}},
		{"ranked twice", [][]int{{0, 1, 0}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DeferredAcceptance(p, tt.prefs); !errors.Is(err, ErrInvalidProblem) {
				t.Errorf("DeferredAcceptance = %v, want ErrInvalidProblem", err)
			}
			if _, err := BlockingPairs(p, &Assignment{}, tt.prefs); !errors.Is(err, ErrInvalidProblem) {
				t.Errorf("BlockingPairs = %v, want ErrInvalidProblem", err)
			}
		})
	}
	if _, err := BlockingPairs(p, &Assignment{Matched: []int{5}}, [][]int{nil, nil}); !errors.Is(err, ErrInvalidProblem) {
		t.Errorf("BlockingPairs with a bad assignment = %v, want ErrInvalidProblem", err)
	}
}

func BenchmarkDeferredAcceptance(b *testing.B) {
	p := benchAssignProblem(100000, 5000, 30, 1)
	// Each person ranks its candidates by a seeded shuffle.
	rng := rand.New(rand.NewPCG(1, 1))
	prefs := make([][]int, len(p.Left))
	for e, c := range p.Candidates {
		prefs[c.Left] = append(prefs[c.Left], p.Candidates[e].Right)
	}
	for l := range prefs {
		rng.Shuffle(len(prefs[l]), func(i, j int) { prefs[l][i], prefs[l][j] = prefs[l][j], prefs[l][i] })
	}
	b.ReportAllocs()
	var a *Assignment
	for b.Loop() {
		var err error
		if a, err = DeferredAcceptance(p, prefs); err != nil {
			b.Fatal(err)
		}
	}
	if len(a.Matched) == 0 {
		b.Fatal("no matches")
	}
	b.ReportMetric(float64(len(a.Matched)), "matches")
}

// Example output of the report, for the documentation.
func ExampleStability() {
	p := tinyProblem([]int{1, 1}, []int{1, 1}, [][3]int{{0, 0, 600}, {0, 1, 500}, {1, 0, 500}, {1, 1, 100}})
	a, _ := Solve(p)
	r, _ := Stability(p, a, [][]int{{0, 1}, {0, 1}})
	fmt.Println(r)
	// Output: optimal: score 1.00, 2 matches, 1 blocking pair; stable: score 0.70, 2 matches, 0 blocking pairs
}
