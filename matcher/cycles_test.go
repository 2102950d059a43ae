package matcher

import (
	"errors"
	"fmt"
	"github.com/khidi/khidi/matcher/internal/oracle"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// peerInstance is a test instance whose scores are whole thousandths, so
// that totals can be compared exactly in integers, independently of the
// solver's scaling.
type peerInstance struct {
	n       int
	milli   map[[2]int]int // (i, j) → score in thousandths, for admissible pairs
	regions []string
}

// candidates lists the instance's pairs in a shuffled order (the solver
// must not depend on it).
func (in *peerInstance) candidates(r *rand.Rand) []Candidate {
	var cs []Candidate
	for i := range in.n {
		for j := range in.n {
			if s, ok := in.milli[[2]int{i, j}]; ok {
				cs = append(cs, Candidate{Left: i, Right: j, Score: float64(s) / 1000})
			}
		}
	}
	if r != nil {
		r.Shuffle(len(cs), func(a, b int) { cs[a], cs[b] = cs[b], cs[a] })
	}
	return cs
}

// admissible reports whether i may visit j under the instance's rules.
func (in *peerInstance) admissible(i, j int, sameRegionBan bool) bool {
	if _, ok := in.milli[[2]int{i, j}]; !ok {
		return false
	}
	return !sameRegionBan || in.regions == nil || in.regions[i] == "" || in.regions[i] != in.regions[j]
}

// bruteForceCover returns the best (score in thousandths, participants)
// over every permutation of the organisations, a fixed point meaning "takes
// no part", by enumeration.
func bruteForceCover(in *peerInstance, sameRegionBan, forbidMutual bool) (bestScore, bestPart int) {
	bestScore, bestPart = 0, 0 // everyone staying out
	oracle.Permutations(in.n, func(perm []int) {
		score, part := 0, 0
		for i, j := range perm {
			if i == j {
				continue
			}
			if !in.admissible(i, j, sameRegionBan) || (forbidMutual && perm[j] == i) {
				return
			}
			score += in.milli[[2]int{i, j}]
			part++
		}
		if score > bestScore || (score == bestScore && part > bestPart) {
			bestScore, bestPart = score, part
		}
	})
	return bestScore, bestPart
}

// checkCover checks that c is a valid cover of in and returns its score in
// thousandths and its participants, computed from the instance's own
// scores.
func checkCover(t *testing.T, in *peerInstance, c *PeerCover, sameRegionBan, forbidMutual bool) (score, part int) {
	t.Helper()
	if len(c.Visits) != in.n || len(c.Hosts) != in.n {
		t.Fatalf("cover has %d visits and %d hosts for %d organisations", len(c.Visits), len(c.Hosts), in.n)
	}
	hosted := make([]int, in.n)
	for i := range hosted {
		hosted[i] = -1
	}
	for i, j := range c.Visits {
		if j == -1 {
			continue
		}
		if j < 0 || j >= in.n || j == i {
			t.Fatalf("organisation %d visits %d", i, j)
		}
		if !in.admissible(i, j, sameRegionBan) {
			t.Fatalf("organisation %d visits %d, which is not admissible", i, j)
		}
		if forbidMutual && c.Visits[j] == i {
			t.Fatalf("organisations %d and %d visit each other", i, j)
		}
		if hosted[j] >= 0 {
			t.Fatalf("organisation %d is visited by %d and %d", j, hosted[j], i)
		}
		hosted[j] = i
		score += in.milli[[2]int{i, j}]
		part++
	}
	for j := range in.n {
		if c.Hosts[j] != hosted[j] {
			t.Fatalf("Hosts[%d] = %d, want %d", j, c.Hosts[j], hosted[j])
		}
		if (c.Visits[j] < 0) != (hosted[j] < 0) {
			t.Fatalf("organisation %d visits %d but is visited by %d: a cycle is broken", j, c.Visits[j], hosted[j])
		}
	}
	if c.Participants != part {
		t.Errorf("Participants = %d, want %d", c.Participants, part)
	}
	if got, want := c.Score*1000, float64(score); got-want > 1e-6 || want-got > 1e-6 {
		t.Errorf("Score = %v, want %v", c.Score, float64(score)/1000)
	}
	// Cycles: every participant once, following Visits, each starting at
	// its smallest member, in order of first members.
	seen := 0
	for k, cyc := range c.Cycles {
		if len(cyc) < 2 || slices.Min(cyc) != cyc[0] || (k > 0 && c.Cycles[k-1][0] > cyc[0]) {
			t.Fatalf("Cycles[%d] = %v is not a ring starting at its smallest member in order", k, cyc)
		}
		for x, i := range cyc {
			if c.Visits[i] != cyc[(x+1)%len(cyc)] {
				t.Fatalf("Cycles[%d] = %v, but %d visits %d", k, cyc, i, c.Visits[i])
			}
		}
		seen += len(cyc)
	}
	if seen != part {
		t.Fatalf("Cycles hold %d organisations, want %d", seen, part)
	}
	return score, part
}

// randomPeerInstance draws n organisations with each ordered pair
// admissible with probability fill, scores in thousandths between lo and
// 1000, and (with regions) one of three regions or none.
func randomPeerInstance(r *rand.Rand, n int, fill float64, lo int, symmetric, regions bool) *peerInstance {
	in := &peerInstance{n: n, milli: map[[2]int]int{}}
	for i := range n {
		for j := range n {
			if i == j || r.Float64() >= fill {
				continue
			}
			s := lo + r.IntN(1001-lo)
			if r.IntN(8) == 0 {
				s = 0 // ties with staying out
			}
			if rev, ok := in.milli[[2]int{j, i}]; symmetric && ok {
				s = rev
			}
			in.milli[[2]int{i, j}] = s
		}
	}
	if regions {
		in.regions = make([]string, n)
		for i := range in.regions {
			in.regions[i] = []string{"", "Kakheti", "Imereti", "Tbilisi"}[r.IntN(4)]
		}
	}
	return in
}

func TestCycleCoverBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(4, 1))
	cases, branched, early := 0, 0, 0
	for trial := range 1000 {
		n := 1 + trial%8
		if n == 8 && trial%3 != 0 {
			continue // 8! permutations: only the symmetric, branching-prone ones
		}
		fill := []float64{0.25, 0.5, 0.8, 1}[r.IntN(4)]
		lo := []int{0, 0, -300}[r.IntN(3)] // some negative scores
		in := randomPeerInstance(r, n, fill, lo, trial%3 == 0, trial%2 == 0)
		for _, forbidMutual := range []bool{false, true} {
			for _, useRegions := range []bool{false, true} {
				if useRegions && in.regions == nil {
					continue
				}
				opts := &CycleOptions{ForbidMutual: forbidMutual}
				if useRegions {
					opts.Regions = in.regions
				}
				name := fmt.Sprintf("trial=%d/n=%d/mutual=%v/regions=%v", trial, n, !forbidMutual, useRegions)
				c, err := CycleCover(n, in.candidates(r), opts)
				if err != nil {
					t.Fatalf("%s: CycleCover: %v", name, err)
				}
				score, part := checkCover(t, in, c, useRegions, forbidMutual)
				wantScore, wantPart := bruteForceCover(in, useRegions, forbidMutual)
				if score != wantScore || part != wantPart {
					t.Fatalf("%s: CycleCover(%v) scores %d/1000 with %d taking part, want %d/1000 with %d (brute force)",
						name, in.milli, score, part, wantScore, wantPart)
				}
				if c.Bound != c.Score {
					t.Fatalf("%s: proven optimal, but Bound %v ≠ Score %v", name, c.Bound, c.Score)
				}
				if forbidMutual {
					// With a tolerance the cover may fall short of the
					// optimum, but by no more than the tolerance allows,
					// and the bound must hold.
					const gap = 0.05
					opts.Gap = gap
					g, err := CycleCover(n, in.candidates(r), opts)
					if err != nil {
						t.Fatalf("%s: CycleCover(Gap %v): %v", name, gap, err)
					}
					got, _ := checkCover(t, in, g, useRegions, forbidMutual)
					opt := float64(wantScore) / 1000
					if g.Bound < opt-1e-9 || g.Bound < g.Score {
						t.Fatalf("%s: CycleCover(Gap %v) Bound = %v, below the optimum %v or the score %v", name, gap, g.Bound, opt, g.Score)
					}
					if limit := g.Score + gap*(math.Abs(g.Score)+1) + 1e-6; opt > limit {
						t.Fatalf("%s: CycleCover(Gap %v) scores %d/1000, too far below the optimum %d/1000", name, gap, got, wantScore)
					}
					if g.Bound > g.Score {
						early++
					}
				}
				cases++
				if c.Nodes > 1 {
					branched++
				}
			}
		}
	}
	// The search must really have branched, or the branching goes untested.
	if branched == 0 {
		t.Errorf("no case branched; make the family harder")
	}
	if early == 0 {
		t.Errorf("no case stopped early within the gap; make the family harder")
	}
	t.Logf("%d cases checked against brute force, %d of them branched, %d stopped early within a gap", cases, branched, early)
}

func TestCycleCoverHand(t *testing.T) {
	t.Parallel()
	// Four organisations. 0 and 1 like each other most (0.9 both ways);
	// 2 and 3 too (0.8). Every other pair scores 0.5, except that nobody
	// may visit 3 from 0 or 1.
	//
	// With mutual pairs allowed the best cover is the two 2-cycles:
	// 0.9+0.9+0.8+0.8 = 3.4. Without them, covers are a 4-cycle (arcs
	// into 3 only from 2, so 2→3, and 3→0 or 3→1 …), or a triangle with one
	// organisation out. By hand:
	//   0→1→2→3→0: 0.9+0.5+0.8+0.5 = 2.7
	//   1→0→2→3→1: 0.9+0.5+0.8+0.5 = 2.7
	//   0→2→3→1→0: 0.5+0.8+0.5+0.9 = 2.7
	//   1→2→3→0→1: 0.5+0.8+0.5+0.9 = 2.7
	//   triangles score at most 0.9+0.5+0.5 = 1.9 (without 3) or
	//   0.5+0.8+0.5 = 1.8 (with 3: x→2→3→x).
	// The first found of the 2.7 covers depends on the search, so only
	// the score and participation are fixed.
	in := &peerInstance{n: 4, milli: map[[2]int]int{}}
	for i := range 4 {
		for j := range 4 {
			if i != j && !(j == 3 && i < 2) {
				in.milli[[2]int{i, j}] = 500
			}
		}
	}
	in.milli[[2]int{0, 1}], in.milli[[2]int{1, 0}] = 900, 900
	in.milli[[2]int{2, 3}], in.milli[[2]int{3, 2}] = 800, 800
	in.regions = []string{"Kakheti", "Imereti", "Kakheti", "Tbilisi"}

	tests := []struct {
		name      string
		opts      *CycleOptions
		wantScore int
		wantPart  int
		want      []int // Visits, when the optimum is unique
	}{
		{name: "mutual allowed", opts: nil, wantScore: 3400, wantPart: 4, want: []int{1, 0, 3, 2}},
		{name: "mutual forbidden", opts: &CycleOptions{ForbidMutual: true}, wantScore: 2700, wantPart: 4},
		// Regions forbid 0↔2. Then 0→1→2→3→0 (2.7) and 1→2→3→0→1 (2.7)
		// survive, as do the 2-cycles when allowed.
		{name: "regions, mutual allowed", opts: &CycleOptions{Regions: in.regions}, wantScore: 3400, wantPart: 4, want: []int{1, 0, 3, 2}},
		{name: "regions, mutual forbidden", opts: &CycleOptions{Regions: in.regions, ForbidMutual: true}, wantScore: 2700, wantPart: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CycleCover(4, in.candidates(nil), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			ban := tt.opts != nil && tt.opts.Regions != nil
			mutual := tt.opts != nil && tt.opts.ForbidMutual
			score, part := checkCover(t, in, c, ban, mutual)
			if score != tt.wantScore || part != tt.wantPart {
				t.Errorf("CycleCover scores %d/1000 with %d taking part, want %d/1000 with %d", score, part, tt.wantScore, tt.wantPart)
			}
			if tt.want != nil && !slices.Equal(c.Visits, tt.want) {
				t.Errorf("CycleCover Visits = %v, want %v", c.Visits, tt.want)
			}
		})
	}
}

func TestCycleCoverStaysOut(t *testing.T) {
	t.Parallel()
	// 0 and 1 can only visit each other; 2, 3, 4 form a ring; 5 has no
	// admissible pair at all. With the ban, 0 and 1 take no part.
	cs := []Candidate{
		{Left: 0, Right: 1, Score: 0.7}, {Left: 1, Right: 0, Score: 0.6},
		{Left: 2, Right: 3, Score: 0.1}, {Left: 3, Right: 4, Score: 0.2}, {Left: 4, Right: 2, Score: 0.3},
	}
	tests := []struct {
		name string
		opts *CycleOptions
		want []int
	}{
		{"mutual allowed", nil, []int{1, 0, 3, 4, 2, -1}},
		{"mutual forbidden", &CycleOptions{ForbidMutual: true}, []int{-1, -1, 3, 4, 2, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CycleCover(6, cs, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Visits, tt.want) {
				t.Errorf("CycleCover Visits = %v, want %v", c.Visits, tt.want)
			}
		})
	}
}

func TestCycleCoverZeroScoreTakesPart(t *testing.T) {
	t.Parallel()
	// A ring of zero scores ties with everyone staying out; the tie goes
	// to taking part.
	cs := []Candidate{{Left: 0, Right: 1}, {Left: 1, Right: 2}, {Left: 2, Right: 0}}
	for _, ban := range []bool{false, true} {
		c, err := CycleCover(3, cs, &CycleOptions{ForbidMutual: ban})
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 2, 0}; !slices.Equal(c.Visits, want) {
			t.Errorf("CycleCover(ForbidMutual: %v) Visits = %v, want %v", ban, c.Visits, want)
		}
	}
}

func TestCycleCoverErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		cs   []Candidate
		opts *CycleOptions
	}{
		{"negative n", -1, nil, nil},
		{"index out of range", 3, []Candidate{{Left: 0, Right: 3, Score: 0.5}}, nil},
		{"negative index", 3, []Candidate{{Left: -1, Right: 2, Score: 0.5}}, nil},
		{"self pair", 3, []Candidate{{Left: 1, Right: 1, Score: 0.5}}, nil},
		{"duplicate", 3, []Candidate{{Left: 0, Right: 1, Score: 0.5}, {Left: 2, Right: 0}, {Left: 0, Right: 1, Score: 0.4}}, nil},
		{"NaN score", 3, []Candidate{{Left: 0, Right: 1, Score: math.NaN()}}, nil},
		{"huge score", 3, []Candidate{{Left: 0, Right: 1, Score: 1e15}}, nil},
		{"regions length", 3, nil, &CycleOptions{Regions: []string{"a"}}},
		{"negative limit", 3, nil, &CycleOptions{MaxNodes: -1}},
		{"negative gap", 3, nil, &CycleOptions{Gap: -0.1}},
		{"gap of one", 3, nil, &CycleOptions{Gap: 1}},
		{"NaN gap", 3, nil, &CycleOptions{Gap: math.NaN()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CycleCover(tt.n, tt.cs, tt.opts)
			if !errors.Is(err, ErrPeerInput) {
				t.Errorf("CycleCover = %v, %v; want an error wrapping ErrPeerInput", c, err)
			}
		})
	}
}

func TestCycleCoverNodeLimit(t *testing.T) {
	t.Parallel()
	// Symmetric scores make 2-cycles the natural optimum, so the search
	// may branch; take the first seeded instance that does, and stop it
	// after one node.
	var in *peerInstance
	var want int
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 7))
		cand := randomPeerInstance(r, 8, 1, 100, true, false)
		c, err := CycleCover(cand.n, cand.candidates(nil), &CycleOptions{ForbidMutual: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.Nodes > 1 {
			in = cand
			score, _ := checkCover(t, in, c, false, true)
			if want, _ = bruteForceCover(in, false, true); score != want {
				t.Fatalf("CycleCover scores %d/1000, want %d/1000 (brute force)", score, want)
			}
			break
		}
	}
	if in == nil {
		t.Fatal("no seeded instance needs more than one node; change the family")
	}
	c, err := CycleCover(in.n, in.candidates(nil), &CycleOptions{ForbidMutual: true, MaxNodes: 1})
	var ble *BranchLimitError
	if !errors.As(err, &ble) || !errors.Is(err, ErrTooManyBranches) {
		t.Fatalf("CycleCover(MaxNodes: 1) = %v, %v; want a *BranchLimitError", c, err)
	}
	if ble.Limit != 1 || ble.Best == nil || ble.Best.Nodes != 1 {
		t.Fatalf("BranchLimitError = %+v, want Limit 1 and a best cover after 1 node", ble)
	}
	score, _ := checkCover(t, in, ble.Best, false, true)
	if score > want {
		t.Errorf("best cover scores %d/1000, above the optimum %d/1000", score, want)
	}
	if ble.Bound*1000 < float64(want)-1e-6 || ble.Best.Bound != ble.Bound {
		t.Errorf("Bound = %v (best cover's %v), below the optimum %v or different", ble.Bound, ble.Best.Bound, float64(want)/1000)
	}
}

func TestCycleCoverDeterministic(t *testing.T) {
	t.Parallel()
	// The same instance in another candidate order gives the same cover,
	// counters included, on larger instances, dense and sparse, symmetric
	// or not.
	for _, tt := range []struct {
		n         int
		fill      float64
		symmetric bool
	}{{60, 1, false}, {60, 0.1, false}, {40, 1, true}, {40, 0.2, true}} {
		t.Run(fmt.Sprintf("n=%d/fill=%v/symmetric=%v", tt.n, tt.fill, tt.symmetric), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(uint64(tt.n), 3))
			in := randomPeerInstance(r, tt.n, tt.fill, 0, tt.symmetric, true)
			opts := &CycleOptions{ForbidMutual: true, Regions: in.regions}
			a, err := CycleCover(in.n, in.candidates(r), opts)
			if err != nil {
				t.Fatal(err)
			}
			b, err := CycleCover(in.n, in.candidates(r), opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("CycleCover differs between two candidate orders:\n%+v\n%+v", a, b)
			}
			checkCover(t, in, a, true, true)
			// Forbidding mutual pairs can only cost score.
			free, err := CycleCover(in.n, in.candidates(r), &CycleOptions{Regions: in.regions})
			if err != nil {
				t.Fatal(err)
			}
			if a.Score > free.Score+1e-9 {
				t.Errorf("with the ban the cover scores %v, above %v without it", a.Score, free.Score)
			}
			t.Logf("nodes %d, solves %d, score %.3f (without ban %.3f)", a.Nodes, a.Solves, a.Score, free.Score)
		})
	}
}

// BenchmarkCycleCover solves a peer exchange of 500 organisations with
// every pair admissible and independent uniform scores, with mutual pairs
// allowed and forbidden; and one of 300 whose scores are 80% symmetric, as
// theme similarity makes real ones, where the ban makes the search work.
func BenchmarkCycleCover(b *testing.B) {
	for _, tt := range []struct {
		n         int
		symmetric float64 // the weight of the symmetric part of each score
		ban       []bool
	}{{500, 0, []bool{false, true}}, {300, 0.8, []bool{true}}} {
		r := rand.New(rand.NewPCG(uint64(tt.n), 1))
		sym := make([]float64, tt.n*tt.n)
		for k := range sym {
			sym[k] = r.Float64()
		}
		cands := make([]Candidate, 0, tt.n*(tt.n-1))
		for i := range tt.n {
			for j := range tt.n {
				if i != j {
					s := tt.symmetric*sym[min(i, j)*tt.n+max(i, j)] + (1-tt.symmetric)*r.Float64()
					cands = append(cands, Candidate{Left: i, Right: j, Score: s})
				}
			}
		}
		for _, ban := range tt.ban {
			b.Run(fmt.Sprintf("n=%d/symmetric=%v/forbid_mutual=%v", tt.n, tt.symmetric, ban), func(b *testing.B) {
				opts := &CycleOptions{ForbidMutual: ban}
				b.ReportAllocs()
				var c *PeerCover
				for b.Loop() {
					var err error
					if c, err = CycleCover(tt.n, cands, opts); err != nil {
						b.Fatal(err)
					}
				}
				if c.Participants != tt.n {
					b.Fatalf("CycleCover placed %d of %d organisations", c.Participants, tt.n)
				}
				b.ReportMetric(float64(c.Nodes), "nodes")
				b.ReportMetric(float64(c.Solves), "solves")
			})
		}
	}
}
