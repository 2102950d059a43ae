package matcher

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// scoringRegion is a Georgian region with the coordinates of its main town.
type scoringRegion struct {
	name     string
	lat, lon float64
	// people and hosts are the region's relative shares of applicants
	// and host organisations.
	people, hosts float64
	// second is a minority language common in the region ("" none).
	second string
}

// scoringRegions are Georgia's regions; shares roughly follow population,
// with hosts concentrated in Tbilisi as the programme's are.
var scoringRegions = []scoringRegion{
	{"Tbilisi", 41.7151, 44.8271, 30, 40, ""},
	{"Adjara", 41.6168, 41.6367, 9, 7, ""},
	{"Guria", 41.9244, 42.0068, 3, 3, ""},
	{"Imereti", 42.2679, 42.6946, 14, 10, ""},
	{"Kakheti", 41.9198, 45.4731, 8, 7, ""},
	{"Kvemo Kartli", 41.4756, 44.8083, 11, 6, "az"},
	{"Mtskheta-Mtianeti", 42.0848, 44.6946, 3, 3, ""},
	{"Racha-Lechkhumi and Kvemo Svaneti", 42.5194, 43.1500, 1, 2, ""},
	{"Samegrelo-Zemo Svaneti", 42.5088, 41.8709, 8, 8, ""},
	{"Samtskhe-Javakheti", 41.6390, 42.9826, 4, 6, "hy"},
	{"Shida Kartli", 41.9842, 44.1158, 7, 8, ""},
}

// scoringRoundConfig shapes a generated round.
type scoringRoundConfig struct {
	left, right int
	themes      int  // vocabulary size
	orgLeft     bool // left sides are organisations (exchanges), with the right sides' ids
}

// newScoringRound generates a seeded round that looks like the programme's:
// 1–3 themes each from a vocabulary of cfg.themes with a few popular ones,
// 1–3 languages with Georgian nearly everywhere, positions around regional
// towns, availability windows in 2027 (some open), a share of applicants
// who rank hosts or belong to one, and hosts with a few places (a few with
// none).
func newScoringRound(seed uint64, cfg scoringRoundConfig) (left, right []Profile, leftAmount, rightAmount []int) {
	rng := rand.New(rand.NewPCG(seed, 0x6b68696469))
	themes := make([]string, cfg.themes)
	themeWeight := make([]float64, cfg.themes)
	for i := range themes {
		themes[i] = fmt.Sprintf("theme-%02d", i)
		themeWeight[i] = 1 / (1 + float64(i)/8) // a few themes are popular
	}
	pick := func(weights []float64) int {
		total := 0.0
		for _, w := range weights {
			total += w
		}
		x := rng.Float64() * total
		for i, w := range weights {
			if x < w {
				return i
			}
			x -= w
		}
		return len(weights) - 1
	}
	peopleShare := make([]float64, len(scoringRegions))
	hostShare := make([]float64, len(scoringRegions))
	for i, r := range scoringRegions {
		peopleShare[i], hostShare[i] = r.people, r.hosts
	}
	day := func(d int) program.Date { // day d of 2027, from 0
		return program.DateOf(time.Date(2027, 1, 1+d, 0, 0, 0, 0, time.UTC))
	}
	profile := func(id string, shares []float64) Profile {
		reg := scoringRegions[pick(shares)]
		p := Profile{
			ID:     id,
			Region: reg.name,
			Lat:    reg.lat + (rng.Float64()-0.5)*0.4,
			Lon:    reg.lon + (rng.Float64()-0.5)*0.4,
		}
		for n := 1 + rng.IntN(3); len(p.Themes) < n; {
			if t := themes[pick(themeWeight)]; !slices.Contains(p.Themes, t) {
				p.Themes = append(p.Themes, t)
			}
		}
		if rng.Float64() < 0.95 {
			p.Languages = append(p.Languages, "ka")
		}
		if reg.second != "" && rng.Float64() < 0.5 {
			p.Languages = append(p.Languages, reg.second)
		}
		for _, l := range []struct {
			code  string
			share float64
		}{{"en", 0.4}, {"ru", 0.3}} {
			if len(p.Languages) < 3 && rng.Float64() < l.share {
				p.Languages = append(p.Languages, l.code)
			}
		}
		if len(p.Languages) == 0 {
			p.Languages = []string{"ru"}
		}
		return p
	}

	right = make([]Profile, cfg.right)
	rightAmount = make([]int, cfg.right)
	for j := range right {
		p := profile(fmt.Sprintf("org-%05d", j), hostShare)
		p.Experience = OrganizationInexperienced
		if rng.Float64() < 0.5 {
			p.Experience = OrganizationExperienced
		}
		if rng.Float64() < 0.7 {
			for range 1 + rng.IntN(2) {
				from := rng.IntN(300)
				p.Windows = append(p.Windows, program.Window{From: day(from), To: day(min(from+60+rng.IntN(120), 364))})
			}
		}
		right[j] = p
		rightAmount[j] = 1 + rng.IntN(5)
		if rng.Float64() < 0.03 {
			rightAmount[j] = 0
		}
	}

	left = make([]Profile, cfg.left)
	leftAmount = make([]int, cfg.left)
	for i := range left {
		var p Profile
		if cfg.orgLeft {
			p = profile(fmt.Sprintf("org-%05d", rng.IntN(2*cfg.left)), hostShare)
			p.ID = fmt.Sprintf("org-%05d", i) // overlaps the right side's ids
			p.Experience = OrganizationExperienced
		} else {
			p = profile(fmt.Sprintf("p-%06d", i), peopleShare)
			p.Experience = min(float64(rng.IntN(16))/ExperienceFullYears, 1)
		}
		switch x := rng.Float64(); {
		case x < 0.2: // always available
		case x < 0.3: // open-ended
			p.Windows = []program.Window{{From: day(rng.IntN(200))}}
		default:
			from := rng.IntN(270)
			p.Windows = []program.Window{{From: day(from), To: day(min(from+30+rng.IntN(90), 364))}}
		}
		if rng.Float64() < 0.4 {
			for range 1 + rng.IntN(5) {
				id := right[rng.IntN(len(right))].ID
				if !slices.Contains(p.Preferences, id) {
					p.Preferences = append(p.Preferences, id)
				}
			}
		}
		if !cfg.orgLeft && rng.Float64() < 0.2 {
			p.Organization = right[rng.IntN(len(right))].ID
		}
		left[i] = p
		leftAmount[i] = 1
	}
	return left, right, leftAmount, rightAmount
}

// bruteForceProblem is the oracle of BuildProblem's guarantee: it scores every
// pair, without the index, and returns per left side the candidates and
// rejections the documentation promises. It uses Scorer.Pair for the
// features and rules of one pair, which the tests in score_test.go check
// by hand; what it checks here is the choice of pairs.
func bruteForceProblem(t *testing.T, s *Scorer, left, right []Profile, rightAmount []int) (cands []Candidate, rejects []Rejection, fullScans int) {
	t.Helper()
	opts := s.Options()
	w := opts.Weights
	total := w[FeatureTheme] + w[FeatureLanguage] + w[FeatureGeography] + w[FeatureAvailability] + w[FeaturePreference] + w[FeatureExperience]
	maxExp := 0.0
	for _, r := range right {
		maxExp = max(maxExp, r.Experience)
	}
	type pair struct {
		r     int
		score float64
		b     Breakdown
		rule  Rule
	}
	order := func(a, b pair) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return a.r - b.r
	}
	for l, lp := range left {
		// R(L): right sides sharing a theme with L or ranked by L.
		indexed := make([]bool, len(right))
		for r, rp := range right {
			for _, th := range lp.Themes {
				indexed[r] = indexed[r] || slices.Contains(rp.Themes, th)
			}
			indexed[r] = indexed[r] || slices.Contains(lp.Preferences, rp.ID)
		}
		var admissible, admissibleIndexed, broken []pair
		for r := range right {
			b, score, rule := s.Pair(l, r)
			if rightAmount[r] == 0 {
				rule = RuleNoCapacity
			}
			p := pair{r, score, b, rule}
			switch {
			case rule != "":
				broken = append(broken, p)
			case indexed[r]:
				admissibleIndexed = append(admissibleIndexed, p)
				admissible = append(admissible, p)
			default:
				admissible = append(admissible, p)
			}
		}
		slices.SortFunc(admissible, order)
		slices.SortFunc(admissibleIndexed, order)
		slices.SortFunc(broken, order)
		k := opts.TopK

		// The rejections listed: broken pairs before the K-th candidate, or
		// reaching the threshold when there are fewer than K candidates.
		var listed []pair
		for _, p := range broken {
			if len(admissible) >= k && order(p, admissible[k-1]) > 0 || len(admissible) < k && p.score < opts.Threshold {
				continue
			}
			listed = append(listed, p)
		}
		listed = listed[:min(k, len(listed))]
		slices.SortFunc(listed, func(a, b pair) int { return a.r - b.r })
		for _, p := range listed {
			rejects = append(rejects, Rejection{Left: l, Right: p.r, Rule: p.rule})
		}

		kept := admissible[:min(k, len(admissible))]
		slices.SortFunc(kept, func(a, b pair) int { return a.r - b.r })
		for _, p := range kept {
			cands = append(cands, Candidate{Left: l, Right: p.r, Score: p.score, Breakdown: p.b})
		}

		// The documented work: a full scan unless R(L) holds K admissible
		// pairs and the K-th scores above B(L), or B(L) is below the
		// threshold.
		bound := (w[FeatureLanguage] + w[FeatureGeography] + w[FeatureAvailability] + w[FeatureExperience]*max(0, maxExp-lp.Experience)) / total
		boundHolds := len(admissibleIndexed) >= k && admissibleIndexed[k-1].score > bound
		if !boundHolds && bound >= opts.Threshold {
			fullScans++
		}
	}
	return cands, rejects, fullScans
}

// TestBuildProblemGuarantee checks BuildProblem's documented guarantee
// against a scan of every pair, on seeded random rounds under varied
// options: the candidates are exactly each left side's K best admissible
// pairs, and the rejections the rule-broken pairs that would otherwise
// have been among them; and the left sides scanned in full are exactly
// those the documentation says.
func TestBuildProblemGuarantee(t *testing.T) {
	t.Parallel()
	const rounds = 24
	var indexed, full, pairs, stops int
	var bounded int64
	for seed := range uint64(rounds) {
		rng := rand.New(rand.NewPCG(seed, 7))
		cfg := scoringRoundConfig{left: 200, right: 40, themes: 6 + rng.IntN(14), orgLeft: seed%4 == 3}
		if seed%6 == 5 {
			cfg.right = 400 // long theme lists, where the early stop matters
		}
		left, right, la, ra := newScoringRound(seed, cfg)
		opts := ScoreOptions{
			Kind:           program.AllRoundKinds()[rng.IntN(len(program.AllRoundKinds()))],
			TopK:           []int{1, 3, 5, 10, 30}[rng.IntN(5)],
			Geography:      Geography(rng.IntN(4)),
			MinOverlapDays: []int{0, 0, 14, 45}[rng.IntN(4)],
			Threshold:      []float64{0, 0, 0.3, 0.5}[rng.IntN(4)],
		}
		opts.ForbidSameRegion = rng.IntN(4) == 0
		opts.SameEntityForbidden = cfg.orgLeft
		if rng.IntN(2) == 0 {
			for f := range opts.Weights {
				opts.Weights[f] = float64(rng.IntN(4))
			}
			opts.Weights[FeatureTheme] += 0.5 // never all zero
		}
		for range rng.IntN(30) {
			opts.Exclusions = append(opts.Exclusions, [2]string{left[rng.IntN(len(left))].ID, right[rng.IntN(len(right))].ID})
		}
		t.Run(fmt.Sprintf("seed=%d/k=%d", seed, opts.TopK), func(t *testing.T) {
			s, err := NewScorer(left, right, opts)
			if err != nil {
				t.Fatal(err)
			}
			p, stats, err := s.problem(la, ra, 2)
			if err != nil {
				t.Fatal(err)
			}
			wantCands, wantRejects, wantFull := bruteForceProblem(t, s, left, right, ra)
			if !slices.Equal(p.Candidates, wantCands) {
				t.Errorf("candidates differ from the brute-force scan:\n%s", diffCandidates(p.Candidates, wantCands))
			}
			if !slices.Equal(p.Rejections, wantRejects) {
				t.Errorf("rejections differ from the brute-force scan:\n%s", diffRejections(p.Rejections, wantRejects))
			}
			if stats.fullScans != wantFull {
				t.Errorf("%d left sides scanned in full, want %d", stats.fullScans, wantFull)
			}
			indexed += len(left) - stats.fullScans
			full += stats.fullScans
			pairs += len(left) * len(right)
			bounded += stats.bounded
			stops += stats.stops
		})
	}
	// Both ways of generating must have been exercised for the test to
	// mean anything.
	if indexed == 0 || full == 0 {
		t.Errorf("%d left sides generated through the index alone and %d by a full scan; want both", indexed, full)
	}
	if bounded >= int64(pairs) || stops == 0 {
		t.Errorf("%d pairs bounded of %d, %d theme lists cut short; the index saved nothing", bounded, pairs, stops)
	}
	t.Logf("%d left sides through the index, %d scanned in full, %d lists cut short; %d of %d pairs bounded", indexed, full, stops, bounded, pairs)
}

// diffCandidates describes the first difference between two candidate
// lists.
func diffCandidates(got, want []Candidate) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at %d: got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("got %d candidates, want %d", len(got), len(want))
}

// diffRejections describes the first difference between two rejection
// lists.
func diffRejections(got, want []Rejection) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("got %d rejections, want %d", len(got), len(want))
}

// TestBuildProblemDeterministic checks that the problem does not depend on
// the number of workers, on their scheduling, or on the order exclusions
// are listed in, and that two runs are identical.
func TestBuildProblemDeterministic(t *testing.T) {
	t.Parallel()
	left, right, la, ra := newScoringRound(42, scoringRoundConfig{left: 1500, right: 120, themes: 20})
	opts := ScoreOptions{Kind: program.RoundInternship, TopK: 8, MinOverlapDays: 30}
	for i := range 40 {
		opts.Exclusions = append(opts.Exclusions, [2]string{left[i*7].ID, right[i%len(right)].ID})
	}
	s, err := NewScorer(left, right, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := s.problem(la, ra, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Candidates) == 0 || len(want.Rejections) == 0 {
		t.Fatalf("problem has %d candidates and %d rejections; want some of both", len(want.Candidates), len(want.Rejections))
	}
	reversed := opts
	reversed.Exclusions = slices.Clone(opts.Exclusions)
	slices.Reverse(reversed.Exclusions)
	for _, tt := range []struct {
		name    string
		opts    ScoreOptions
		workers int
	}{
		{"again", opts, 1},
		{"workers=2", opts, 2},
		{"workers=5", opts, 5},
		{"exclusions reversed", reversed, 3},
	} {
		s, err := NewScorer(left, right, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := s.problem(la, ra, tt.workers)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: problem differs from the first run", tt.name)
		}
	}
	got, err := BuildProblem(left, right, la, ra, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BuildProblem differs from the first run")
	}
}

// TestBuildProblemSides checks the sides, amounts and regions of the
// problem, and its refusal of bad amounts.
func TestBuildProblemSides(t *testing.T) {
	left := []Profile{{ID: "p1", Region: "Imereti", Themes: []string{"a"}}, {ID: "p2", Themes: []string{"a"}}}
	right := []Profile{{ID: "h1", Region: "Tbilisi", Themes: []string{"a"}}, {ID: "h2", Region: "Imereti", Themes: []string{"a"}}}
	opts := ScoreOptions{Kind: program.RoundInternship}
	p, err := BuildProblem(left, right, []int{1, 2}, []int{0, 3}, opts)
	if err != nil {
		t.Fatal(err)
	}
	wantLeft := []Side{{"p1", "Imereti", 1}, {"p2", "", 2}}
	wantRight := []Side{{"h1", "Tbilisi", 0}, {"h2", "Imereti", 3}}
	if !slices.Equal(p.Left, wantLeft) || !slices.Equal(p.Right, wantRight) {
		t.Errorf("sides = %v, %v; want %v, %v", p.Left, p.Right, wantLeft, wantRight)
	}
	wantRejects := []Rejection{{0, 0, RuleNoCapacity}, {1, 0, RuleNoCapacity}}
	if !slices.Equal(p.Rejections, wantRejects) {
		t.Errorf("rejections = %v, want %v", p.Rejections, wantRejects)
	}
	if len(p.Candidates) != 2 || p.Candidates[0].Right != 1 || p.Candidates[1].Right != 1 {
		t.Errorf("candidates = %+v, want both people with h2", p.Candidates)
	}

	for _, tt := range []struct {
		name    string
		la, ra  []int
		wantErr bool
	}{
		{"short left", []int{1}, []int{1, 1}, true},
		{"long right", []int{1, 1}, []int{1, 1, 1}, true},
		{"negative", []int{1, -1}, []int{1, 1}, true},
		{"zeros", []int{0, 0}, []int{0, 0}, false},
	} {
		_, err := BuildProblem(left, right, tt.la, tt.ra, opts)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: BuildProblem error = %v, want error %v", tt.name, err, tt.wantErr)
		}
		if err != nil && !errors.Is(err, program.ErrInvalid) {
			t.Errorf("%s: error %v does not wrap program.ErrInvalid", tt.name, err)
		}
	}
}

// BenchmarkBuildProblem times scoring and candidate generation (NewScorer
// and Problem) of internship rounds shaped like the programme's (see
// newScoringRound), and reports per left side the pairs bounded and scored
// in full and the share scanned in full, the heap the problem holds
// (problem-MiB), and the heap obtained from the system (heap-sys-MiB),
// which bounds the peak.
func BenchmarkBuildProblem(b *testing.B) {
	for _, size := range []struct{ left, right int }{{10000, 500}, {100000, 5000}} {
		b.Run(fmt.Sprintf("left=%d/right=%d", size.left, size.right), func(b *testing.B) {
			left, right, la, ra := newScoringRound(1, scoringRoundConfig{left: size.left, right: size.right, themes: 24})
			opts := ScoreOptions{Kind: program.RoundInternship, MinOverlapDays: 30}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ReportAllocs()
			var p *Problem
			var stats genStats
			for b.Loop() {
				s, err := NewScorer(left, right, opts)
				if err != nil {
					b.Fatal(err)
				}
				p, stats, err = s.problem(la, ra, runtime.GOMAXPROCS(0))
				if err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			if len(p.Candidates) < size.left*DefaultTopK*9/10 {
				b.Fatalf("%d candidates for %d people, want nearly %d each", len(p.Candidates), size.left, DefaultTopK)
			}
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "problem-MiB")
			b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-sys-MiB")
			b.ReportMetric(float64(stats.bounded)/float64(size.left), "bounded/left")
			b.ReportMetric(float64(stats.scored)/float64(size.left), "scored/left")
			b.ReportMetric(float64(stats.fullScans)/float64(size.left), "fullscans/left")
			runtime.KeepAlive(p)
		})
	}
}
