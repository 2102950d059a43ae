package matcher

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"time"

	"gonum.org/v1/gonum/floats"

	"github.com/khidi/khidi/internal/program"
)

// Geography says what FeatureGeography rewards. Each variant is a number
// in [0, 1] computed from the great-circle distance d between the two
// sides (on a sphere of radius EarthRadiusKm) and their regions.
type Geography int

const (
	// GeographyDefault is the round kind's geography (DefaultGeography).
	GeographyDefault Geography = iota
	// Closeness is 1/(1 + d/ClosenessScaleKm): 1 at the same place, ½ at
	// 500 km, still ⅙ at 2,500 km, so that it ranks hosts across a country
	// and still tells Kyiv from Lisbon for partners abroad. For
	// internships, international exchanges and study circles.
	Closeness
	// CrossRegion is ¾ when the two sides are in different regions (both
	// known), plus ¼ of Closeness: peer exchanges are for meeting CSOs from
	// elsewhere, but among those, the nearer is the cheaper visit.
	CrossRegion
	// TravelCost is 1/(1 + d/TravelScaleKm): 1 at the same place, ½ at
	// 100 km (two hours on Georgian roads), ¼ at 300 km. For community
	// visits, where every hour on the road is taken from the visit.
	TravelCost
)

// Scales of the geography variants (see Geography).
const (
	EarthRadiusKm    = 6371.0088 // the IUGG mean radius
	ClosenessScaleKm = 500.0
	TravelScaleKm    = 100.0
	// crossRegionBonus is CrossRegion's share for crossing regions.
	crossRegionBonus = 0.75
)

// DefaultGeography returns the geography of a round kind: CrossRegion for
// peer exchanges, TravelCost for community visits, Closeness otherwise.
func DefaultGeography(kind program.RoundKind) Geography {
	switch kind {
	case program.RoundPeerExchange:
		return CrossRegion
	case program.RoundCommunityVisit:
		return TravelCost
	}
	return Closeness
}

// String returns the geography's name.
func (g Geography) String() string {
	switch g {
	case GeographyDefault:
		return "default"
	case Closeness:
		return "closeness"
	case CrossRegion:
		return "cross_region"
	case TravelCost:
		return "travel_cost"
	}
	return fmt.Sprintf("Geography(%d)", int(g))
}

// DefaultTopK is the number of candidates kept per left side when
// ScoreOptions.TopK is 0: enough choice for the solver to route people
// around hosts that fill up, while the problem stays linear in the number
// of people (100k people: at most 3M candidates).
const DefaultTopK = 30

// preferenceSpan is the list length below which a preference's feature does
// not depend on how many hosts the person ranked: rank r (0-based) of n
// scores 1 − r/max(n, preferenceSpan), so a second choice is 0.8 whether
// the person ranked two hosts or five, and a list of 20 still runs down
// evenly to 0.05 rather than below 0.
const preferenceSpan = 5

// ScoreOptions are a round's scoring rules. The zero value, with Kind set,
// gives the kind's defaults and no optional rules.
type ScoreOptions struct {
	// Kind is the round's kind, which chooses the defaults.
	Kind program.RoundKind
	// Weights of the features; all zero (the zero value) means
	// DefaultWeights(Kind).
	Weights Weights
	// Geography chooses what FeatureGeography rewards; GeographyDefault
	// means DefaultGeography(Kind).
	Geography Geography
	// MinOverlapDays is how many consecutive days the activity needs in
	// both sides' availability; a pair whose longest common stretch is
	// shorter breaks RuleAvailability. 0: no rule. A common stretch with
	// no end (both sides open at the same end) is long enough.
	MinOverlapDays int
	// ForbidSameRegion turns on RuleSameRegion: two sides in the same
	// (known) region are not paired.
	ForbidSameRegion bool
	// SameEntityForbidden turns on RuleSameEntity: a left and a right side
	// with the same ID (an organisation on both sides of an exchange) are
	// not paired.
	SameEntityForbidden bool
	// Exclusions are (left id, right id) pairs the manager forbade
	// (RuleExcluded). Ids not in the round are ignored: the pair cannot
	// arise.
	Exclusions [][2]string
	// Threshold is the lowest score a candidate may have, in [0, 1]
	// (RuleBelowThreshold).
	Threshold float64
	// TopK is how many candidates each left side keeps; 0 means
	// DefaultTopK. See BuildProblem.
	TopK int
}

// Scorer scores the pairs of one round: it holds the round's vocabulary of
// themes and languages, the themes' IDF weights, the availability horizon
// and every profile in the forms scoring reads, computed once so that
// BuildProblem scores pairs without allocating. BuildProblem uses a Scorer;
// keep one to explain a pair with the same numbers the problem was built
// from.
//
// A Scorer is immutable once built and safe for concurrent use.
type Scorer struct {
	opts  ScoreOptions // resolved: weights, geography and TopK set
	wn    Weights      // weights divided by their sum
	left  scoredSide
	right scoredSide

	leftIndex, rightIndex map[string]int

	// themes is the round's theme vocabulary, sorted; idf[t] its weights.
	themes []string
	idf    []float64
	// regions are "" and then the round's regions, sorted: a profile's
	// region index i names regions[i+1], and -1 names "".
	regions []string
	// langWords is the number of uint64 words in a language mask.
	langWords int
	// horizon is the span from the earliest to the latest date any window
	// of the round names; open ends of availability are cut at it for
	// FeatureAvailability. hasHorizon is false when no window names a date.
	horizon    dayRange
	hasHorizon bool

	// Per left side.
	ownOrg   []int32 // right index of the person's own organisation, or -1
	sameAs   []int32 // right index of the same id when SameEntityForbidden, or -1
	prefOff  []int32 // preferences of left l: prefs[prefOff[l]:prefOff[l+1]]
	prefs    []rankedRight
	prefLen  []int32 // length of the person's ranked list, unknown ids included
	exclOff  []int32 // exclusions of left l: excl[exclOff[l]:exclOff[l+1]], sorted
	excl     []int32
	maxRight float64 // the highest Experience of a right side

	// postings[postOff[t]:postOff[t+1]] are the right sides listing theme t,
	// in index order: the inverted index of candidate generation.
	postOff  []int32
	postings []int32
}

// rankedRight is a right side a person ranked, at 0-based rank.
type rankedRight struct{ right, rank int32 }

// scoredSide is one side's profiles in the forms scoring reads, in flat
// arrays so that 100k profiles cost a few allocations.
type scoredSide struct {
	ids []string
	// Themes of profile i: themeIdx/themeW[themeOff[i]:themeOff[i+1]], by
	// index, with weights idf/‖v‖ so that a dot product is a cosine.
	themeOff []int32
	themeIdx []int32
	themeW   []float64
	// langs[i*langWords:(i+1)*langWords] is profile i's language set.
	langs     []uint64
	langCount []int32
	pos       [][3]float64 // unit vector of the position
	region    []int32      // index into the round's regions, or -1
	exp       []float64
	// Availability of profile i: avail[availOff[i]:availOff[i+1]], merged,
	// sorted and disjoint; availDays[i] is its days within the horizon.
	availOff  []int32
	avail     []dayRange
	availDays []int64
}

// dayRange is an inclusive range of days since 1970-01-01; openLo and
// openHi stand for open ends.
type dayRange struct{ lo, hi int64 }

const (
	openLo = math.MinInt64 / 4
	openHi = math.MaxInt64 / 4
)

// NewScorer prepares the scoring of left × right under opts.
//
// It reports, wrapping program.ErrInvalid: an id empty or repeated on one
// side, a position or experience that is NaN or out of range, weights that
// are negative, non-finite or all zero with no defaults for Kind, a
// threshold outside [0, 1], and a negative MinOverlapDays or TopK.
func NewScorer(left, right []Profile, opts ScoreOptions) (*Scorer, error) {
	opts, err := resolveOptions(opts)
	if err != nil {
		return nil, err
	}
	s := &Scorer{opts: opts}
	total := opts.Weights.sum()
	for f, w := range opts.Weights {
		s.wn[f] = w / total
	}
	if s.leftIndex, err = indexProfiles("left", left); err != nil {
		return nil, err
	}
	if s.rightIndex, err = indexProfiles("right", right); err != nil {
		return nil, err
	}

	// Vocabularies: themes (with document frequencies), languages and
	// regions, each sorted so that indices do not depend on input order
	// beyond the profiles themselves.
	themeDF := map[string]int{}
	langSet := map[string]bool{}
	regionSet := map[string]bool{}
	var seen []string
	for _, side := range [][]Profile{left, right} {
		for _, p := range side {
			seen = distinctNonEmpty(seen[:0], p.Themes)
			for _, t := range seen {
				themeDF[t]++
			}
			for _, l := range p.Languages {
				if l != "" {
					langSet[l] = true
				}
			}
			if p.Region != "" {
				regionSet[p.Region] = true
			}
			for _, w := range p.Windows {
				for _, d := range []program.Date{w.From, w.To} {
					if d.IsZero() {
						continue
					}
					day := epochDay(d)
					if !s.hasHorizon {
						s.horizon, s.hasHorizon = dayRange{day, day}, true
					}
					s.horizon.lo, s.horizon.hi = min(s.horizon.lo, day), max(s.horizon.hi, day)
				}
			}
		}
	}
	s.themes = slices.Sorted(maps.Keys(themeDF))
	themeIndex := vocabIndex(s.themes)
	// idf(t) = ln(N/df(t)) + 1 over the N profiles of both sides: the +1
	// keeps a theme everyone lists from vanishing (it still makes two
	// profiles similar, only less so).
	n := float64(len(left) + len(right))
	s.idf = make([]float64, len(s.themes))
	for i, t := range s.themes {
		s.idf[i] = math.Log(n/float64(themeDF[t])) + 1
	}
	langIndex := vocabIndex(slices.Sorted(maps.Keys(langSet)))
	s.langWords = max(1, (len(langIndex)+63)/64)
	s.regions = append([]string{""}, slices.Sorted(maps.Keys(regionSet))...)
	regionIndex := vocabIndex(s.regions[1:])

	if err := s.left.fill(s, "left", left, themeIndex, langIndex, regionIndex); err != nil {
		return nil, err
	}
	if err := s.right.fill(s, "right", right, themeIndex, langIndex, regionIndex); err != nil {
		return nil, err
	}
	for _, e := range s.right.exp {
		s.maxRight = max(s.maxRight, e)
	}

	s.fillLeftRules(left)
	s.fillPostings()
	return s, nil
}

// resolveOptions applies the defaults of opts.Kind and checks the rest.
func resolveOptions(opts ScoreOptions) (ScoreOptions, error) {
	round := "matcher: " + cmp.Or(string(opts.Kind), "unnamed") + " round"
	if opts.Weights == (Weights{}) {
		if !opts.Kind.Valid() {
			return opts, fmt.Errorf("%s: no weights, and the kind has no defaults; set ScoreOptions.Weights or a valid Kind: %w", round, program.ErrInvalid)
		}
		opts.Weights = DefaultWeights(opts.Kind)
	}
	if err := opts.Weights.Check(); err != nil {
		return opts, fmt.Errorf("%s: weights: %w", round, err)
	}
	if opts.Geography == GeographyDefault {
		opts.Geography = DefaultGeography(opts.Kind)
	}
	switch {
	case opts.Geography < Closeness || opts.Geography > TravelCost:
		return opts, fmt.Errorf("%s: unknown %v; use Closeness, CrossRegion or TravelCost: %w", round, opts.Geography, program.ErrInvalid)
	case !(opts.Threshold >= 0 && opts.Threshold <= 1):
		return opts, fmt.Errorf("%s: threshold %v is outside [0, 1], where scores lie: %w", round, opts.Threshold, program.ErrInvalid)
	case opts.MinOverlapDays < 0:
		return opts, fmt.Errorf("%s: MinOverlapDays %d is negative; use 0 for no availability rule: %w", round, opts.MinOverlapDays, program.ErrInvalid)
	case opts.TopK < 0:
		return opts, fmt.Errorf("%s: TopK %d is negative; use 0 for the default of %d: %w", round, opts.TopK, DefaultTopK, program.ErrInvalid)
	}
	if opts.TopK == 0 {
		opts.TopK = DefaultTopK
	}
	return opts, nil
}

// indexProfiles maps ids to indices, refusing empty and repeated ids.
func indexProfiles(side string, ps []Profile) (map[string]int, error) {
	index := make(map[string]int, len(ps))
	for i, p := range ps {
		if p.ID == "" {
			return nil, fmt.Errorf("matcher: %s side %d: empty id; give every profile an id: %w", side, i, program.ErrInvalid)
		}
		if j, dup := index[p.ID]; dup {
			return nil, fmt.Errorf("matcher: %s side: id %q at %d and %d; ids must be unique on a side: %w", side, p.ID, j, i, program.ErrInvalid)
		}
		index[p.ID] = i
	}
	return index, nil
}

// fill converts profiles into d.
func (d *scoredSide) fill(s *Scorer, side string, ps []Profile, themeIndex, langIndex, regionIndex map[string]int) error {
	n := len(ps)
	d.ids = make([]string, n)
	d.themeOff = make([]int32, 1, n+1)
	d.langs = make([]uint64, n*s.langWords)
	d.langCount = make([]int32, n)
	d.pos = make([][3]float64, n)
	d.region = make([]int32, n)
	d.exp = make([]float64, n)
	d.availOff = make([]int32, 1, n+1)
	d.availDays = make([]int64, n)
	vec := make([]float64, len(s.themes)) // dense TF-IDF vector, reused
	var themes []string
	var idx []int32
	var ivs []dayRange
	for i, p := range ps {
		d.ids[i] = p.ID
		switch {
		case !(p.Lat >= -90 && p.Lat <= 90) || !(p.Lon >= -180 && p.Lon <= 180):
			return fmt.Errorf("matcher: %s side %q: position (%v, %v) is not a latitude and longitude in degrees: %w", side, p.ID, p.Lat, p.Lon, program.ErrInvalid)
		case !(p.Experience >= 0 && p.Experience <= 1):
			return fmt.Errorf("matcher: %s side %q: experience %v is outside [0, 1]: %w", side, p.ID, p.Experience, program.ErrInvalid)
		}

		// Themes: binary term frequency times IDF, normalised to unit
		// length so that the dot product of two profiles is their cosine.
		// Scoring multiplies only the non-zero entries (1–3 of tens), in
		// index order.
		themes = distinctNonEmpty(themes[:0], p.Themes)
		idx = idx[:0]
		for _, t := range themes {
			idx = append(idx, int32(themeIndex[t]))
		}
		slices.Sort(idx)
		for _, t := range idx {
			vec[t] = s.idf[t]
		}
		if norm := floats.Norm(vec, 2); norm > 0 {
			for _, t := range idx {
				d.themeIdx = append(d.themeIdx, t)
				d.themeW = append(d.themeW, vec[t]/norm)
				vec[t] = 0
			}
		}
		d.themeOff = append(d.themeOff, int32(len(d.themeIdx)))

		mask := d.langs[i*s.langWords : (i+1)*s.langWords]
		for _, l := range p.Languages {
			if l != "" {
				k := langIndex[l]
				mask[k/64] |= 1 << (k % 64)
			}
		}
		for _, w := range mask {
			d.langCount[i] += int32(bits.OnesCount64(w))
		}

		d.pos[i] = unitVector(p.Lat, p.Lon)
		d.region[i] = -1
		if p.Region != "" {
			d.region[i] = int32(regionIndex[p.Region])
		}
		d.exp[i] = p.Experience

		ivs = mergeWindows(ivs[:0], p.Windows)
		d.avail = append(d.avail, ivs...)
		d.availOff = append(d.availOff, int32(len(d.avail)))
		if s.hasHorizon {
			for _, iv := range ivs {
				d.availDays[i] += clippedDays(iv, s.horizon)
			}
		}
	}
	return nil
}

// fillLeftRules prepares the per-left data of preferences and rules.
func (s *Scorer) fillLeftRules(left []Profile) {
	n := len(left)
	s.ownOrg = make([]int32, n)
	s.sameAs = make([]int32, n)
	s.prefOff = make([]int32, 1, n+1)
	s.prefLen = make([]int32, n)
	for l, p := range left {
		s.ownOrg[l], s.sameAs[l] = -1, -1
		if r, ok := s.rightIndex[p.Organization]; ok && p.Organization != "" {
			s.ownOrg[l] = int32(r)
		}
		if r, ok := s.rightIndex[p.ID]; ok && s.opts.SameEntityForbidden {
			s.sameAs[l] = int32(r)
		}
		s.prefLen[l] = int32(len(p.Preferences))
		start := len(s.prefs)
		for rank, id := range p.Preferences {
			r, ok := s.rightIndex[id]
			if !ok || slices.ContainsFunc(s.prefs[start:], func(x rankedRight) bool { return x.right == int32(r) }) {
				continue // not in the round, or ranked already (the first rank counts)
			}
			s.prefs = append(s.prefs, rankedRight{int32(r), int32(rank)})
		}
		s.prefOff = append(s.prefOff, int32(len(s.prefs)))
	}

	// Exclusions, sorted and grouped by left side, so that the order of
	// opts.Exclusions does not matter.
	type pair struct{ l, r int32 }
	var pairs []pair
	for _, e := range s.opts.Exclusions {
		l, okL := s.leftIndex[e[0]]
		r, okR := s.rightIndex[e[1]]
		if okL && okR {
			pairs = append(pairs, pair{int32(l), int32(r)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.l != b.l {
			return int(a.l - b.l)
		}
		return int(a.r - b.r)
	})
	pairs = slices.Compact(pairs)
	s.exclOff = make([]int32, n+1)
	s.excl = make([]int32, len(pairs))
	for i, p := range pairs {
		s.exclOff[p.l+1]++
		s.excl[i] = p.r
	}
	for l := range n {
		s.exclOff[l+1] += s.exclOff[l]
	}
}

// fillPostings builds the inverted index: for each theme, the right sides
// listing it, in index order.
func (s *Scorer) fillPostings() {
	R := &s.right
	s.postOff = make([]int32, len(s.themes)+1)
	for _, t := range R.themeIdx {
		s.postOff[t+1]++
	}
	for t := range s.themes {
		s.postOff[t+1] += s.postOff[t]
	}
	s.postings = make([]int32, len(R.themeIdx))
	next := slices.Clone(s.postOff[:len(s.themes)])
	for r := range len(R.ids) {
		for _, t := range R.themeIdx[R.themeOff[r]:R.themeOff[r+1]] {
			s.postings[next[t]] = int32(r)
			next[t]++
		}
	}
}

// Options returns the options the scorer applies, with the defaults filled
// in: the weights, the geography and TopK.
func (s *Scorer) Options() ScoreOptions { return s.opts }

// LeftIndex returns the index of the left side with the given id.
func (s *Scorer) LeftIndex(id string) (int, bool) {
	i, ok := s.leftIndex[id]
	return i, ok
}

// RightIndex returns the index of the right side with the given id.
func (s *Scorer) RightIndex(id string) (int, bool) {
	i, ok := s.rightIndex[id]
	return i, ok
}

// Pair scores left side l with right side r: their features, the weighted
// mean of the features, and the first hard rule the pair breaks, or "" when
// it is admissible. The rules are checked in the order RuleSameEntity,
// RuleOwnOrganization, RuleExcluded, RuleNoSharedLanguage, RuleSameRegion,
// RuleAvailability, RuleBelowThreshold. RuleNoCapacity, which depends on
// the places BuildProblem is given, is not checked here.
//
// The features (each in [0, 1]):
//
//   - FeatureTheme: the cosine of the two sides' TF-IDF vectors over the
//     round's themes, where a profile's vector has idf(t) = ln(N/df(t)) + 1
//     for each theme t it lists (N profiles on both sides, df(t) of them
//     list t) and 0 elsewhere; 0 when either lists no theme.
//   - FeatureLanguage: |shared languages| / |left's languages|; 1 when either
//     side lists none (no language condition).
//   - FeatureGeography: as opts.Geography says.
//   - FeatureAvailability: the days of the left side's availability that the
//     right side's covers, over the left side's days, both counted within the
//     round's horizon (the span from the earliest to the latest date any
//     window names), so that an open end is as long as the round's dates
//     reach; 1 when no window names a date and both are available, 0 when
//     either is never available.
//   - FeaturePreference: 1 − r/max(n, 5) when the right side is at 0-based
//     rank r of the n hosts the person ranked, 0 when unranked.
//   - FeatureExperience: max(0, right's experience − left's): high when a
//     novice meets an experienced host or member.
//
// Pair panics if l or r is out of range.
func (s *Scorer) Pair(l, r int) (Breakdown, float64, Rule) {
	var b Breakdown
	score, rule := s.pair(l, r, &b)
	return b, score, rule
}

// pair is Pair writing the breakdown into b. It builds left side l's dense
// theme vector for the one pair; candidate generation instead builds it
// once per unit and calls pairCheap and pairCostly, which allocate nothing.
func (s *Scorer) pair(l, r int, b *Breakdown) (float64, Rule) {
	lw := s.leftThemes(l, make([]float64, len(s.themes)))
	return s.pairCostly(l, r, b, s.pairCheap(l, r, lw, b))
}

// leftThemes writes left side l's unit TF-IDF vector into dst, which must
// be zero and as long as the vocabulary, and returns it. Clear it with
// clearLeftThemes.
func (s *Scorer) leftThemes(l int, dst []float64) []float64 {
	L := &s.left
	for i, t := range L.themeIdx[L.themeOff[l]:L.themeOff[l+1]] {
		dst[t] = L.themeW[int(L.themeOff[l])+i]
	}
	return dst
}

// clearLeftThemes zeroes what leftThemes wrote into dst.
func (s *Scorer) clearLeftThemes(l int, dst []float64) {
	L := &s.left
	for _, t := range L.themeIdx[L.themeOff[l]:L.themeOff[l+1]] {
		dst[t] = 0
	}
}

// pairCheap is the first half of pair: it sets the features that take a
// few instructions (theme, language, preference, experience), leaving
// geography and availability at 0, and returns the first of the rules
// RuleSameEntity, RuleOwnOrganization, RuleExcluded, RuleNoSharedLanguage
// and RuleSameRegion the pair breaks. Candidate generation bounds the score
// from these before paying for the second half.
//
// lw is left side l's theme vector, dense over the vocabulary (see
// leftThemes): scoring a pair then costs a load per theme of the right
// side, with no branch on which themes are shared.
func (s *Scorer) pairCheap(l, r int, lw []float64, b *Breakdown) Rule {
	L, R := &s.left, &s.right
	*b = Breakdown{}
	// rule is the first rule broken; each check below sets it only if no
	// earlier one has.
	var rule Rule
	if s.sameAs[l] == int32(r) {
		rule = cmp.Or(rule, RuleSameEntity)
	}
	if s.ownOrg[l] == int32(r) {
		rule = cmp.Or(rule, RuleOwnOrganization)
	}
	if lo, hi := s.exclOff[l], s.exclOff[l+1]; lo < hi {
		if _, excluded := slices.BinarySearch(s.excl[lo:hi], int32(r)); excluded {
			rule = cmp.Or(rule, RuleExcluded)
		}
	}

	b[FeatureTheme] = s.themeCosine(lw, r)

	b[FeatureLanguage] = 1
	if nl, nr := L.langCount[l], R.langCount[r]; nl > 0 && nr > 0 {
		shared := 0
		lm, rm := L.langs[l*s.langWords:(l+1)*s.langWords], R.langs[r*s.langWords:(r+1)*s.langWords]
		for k := range lm {
			shared += bits.OnesCount64(lm[k] & rm[k])
		}
		if shared == 0 {
			rule = cmp.Or(rule, RuleNoSharedLanguage)
		}
		b[FeatureLanguage] = float64(shared) / float64(nl)
	}

	if s.opts.ForbidSameRegion && L.region[l] >= 0 && L.region[l] == R.region[r] {
		rule = cmp.Or(rule, RuleSameRegion)
	}

	for _, p := range s.prefs[s.prefOff[l]:s.prefOff[l+1]] {
		if p.right == int32(r) {
			b[FeaturePreference] = 1 - float64(p.rank)/float64(max(s.prefLen[l], preferenceSpan))
			break
		}
	}

	b[FeatureExperience] = max(0, R.exp[r]-L.exp[l])
	return rule
}

// themeCosine returns FeatureTheme of the left side whose dense theme
// vector is lw with right side r: the dot product of the two unit vectors,
// over the right side's non-zero entries (1–3 of tens) in index order.
func (s *Scorer) themeCosine(lw []float64, r int) float64 {
	R := &s.right
	lo, hi := R.themeOff[r], R.themeOff[r+1]
	dot := 0.0
	for j, t := range R.themeIdx[lo:hi] {
		dot += lw[t] * R.themeW[int(lo)+j]
	}
	return min(dot, 1)
}

// DistanceKm returns the great-circle distance between left l and right r,
// in kilometres.
func (s *Scorer) DistanceKm(l, r int) float64 {
	return arcKm(&s.left.pos[l], &s.right.pos[r])
}

// DistanceKm returns the great-circle distance in kilometres between two
// points given in decimal degrees, as scoring measures it.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	p, q := unitVector(lat1, lon1), unitVector(lat2, lon2)
	return arcKm(&p, &q)
}

// unitVector returns the point at lat, lon (degrees) on the unit sphere.
func unitVector(lat, lon float64) [3]float64 {
	lat, lon = lat*math.Pi/180, lon*math.Pi/180
	return [3]float64{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}
}

// arcKm returns the great-circle distance between two unit vectors from
// their chord, d = 2R·asin(chord/2), which keeps its precision for nearby
// points (unlike the arc cosine of a dot product).
func arcKm(p, q *[3]float64) float64 {
	dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	return 2 * EarthRadiusKm * math.Asin(min(math.Sqrt(dx*dx+dy*dy+dz*dz)/2, 1))
}

// pairCostly is the second half of pair: given the first half's breakdown
// and rule, it sets geography and availability and returns the score and
// the first rule broken, adding RuleAvailability and RuleBelowThreshold.
func (s *Scorer) pairCostly(l, r int, b *Breakdown, rule Rule) (float64, Rule) {
	L := &s.left
	b[FeatureGeography] = s.geography(l, r, s.DistanceKm(l, r))

	covered, longest, unbounded := s.overlap(l, r)
	switch {
	case !s.hasHorizon:
		if unbounded {
			b[FeatureAvailability] = 1
		}
	case L.availDays[l] > 0:
		b[FeatureAvailability] = min(float64(covered)/float64(L.availDays[l]), 1)
	}
	if s.opts.MinOverlapDays > 0 && !unbounded && longest < int64(s.opts.MinOverlapDays) {
		rule = cmp.Or(rule, RuleAvailability)
	}

	score := s.weigh(b)
	if score < s.opts.Threshold {
		rule = cmp.Or(rule, RuleBelowThreshold)
	}
	return score, rule
}

// cheapBound returns an upper bound on the score of left side l and right
// side r, whose first half pairCheap has computed into b: availability at
// its highest, 1, and geography at its value for a distance no longer than
// the true one. That distance is R·chord rather than 2R·asin(chord/2): the
// chord is never longer than the arc, and it is cheap. It is shortened by
// a relative 1e-9 so that rounding in the arc sine cannot make the bound
// the smaller.
func (s *Scorer) cheapBound(l, r int, b *Breakdown) float64 {
	p, q := &s.left.pos[l], &s.right.pos[r]
	dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	km := EarthRadiusKm * math.Sqrt(dx*dx+dy*dy+dz*dz) * (1 - 1e-9)
	ub := *b
	ub[FeatureGeography] = s.geography(l, r, km)
	ub[FeatureAvailability] = 1
	return s.weigh(&ub)
}

// geography returns FeatureGeography for left side l and right side r at
// km kilometres.
func (s *Scorer) geography(l, r int, km float64) float64 {
	switch s.opts.Geography {
	case TravelCost:
		return 1 / (1 + km/TravelScaleKm)
	case CrossRegion:
		g := (1 - crossRegionBonus) / (1 + km/ClosenessScaleKm)
		if lr, rr := s.left.region[l], s.right.region[r]; lr >= 0 && rr >= 0 && lr != rr {
			g += crossRegionBonus
		}
		return g
	}
	return 1 / (1 + km/ClosenessScaleKm)
}

// weigh returns the weighted mean of b, summed in feature order. Rounding
// is monotone, so a breakdown no larger than another, feature by feature,
// never weighs more: candidate generation relies on it for its bound.
func (s *Scorer) weigh(b *Breakdown) float64 {
	sum := 0.0
	for f, x := range b {
		sum += s.wn[f] * x
	}
	return min(max(sum, 0), 1)
}

// overlap returns, for left l and right r, the days common to both within
// the horizon, the longest stretch common to both, and whether a common
// stretch is unbounded (open at an end on both sides).
func (s *Scorer) overlap(l, r int) (covered, longest int64, unbounded bool) {
	a := s.left.avail[s.left.availOff[l]:s.left.availOff[l+1]]
	b := s.right.avail[s.right.availOff[r]:s.right.availOff[r+1]]
	for i, j := 0, 0; i < len(a) && j < len(b); {
		iv := dayRange{max(a[i].lo, b[j].lo), min(a[i].hi, b[j].hi)}
		if iv.lo <= iv.hi {
			if iv.lo == openLo || iv.hi == openHi {
				unbounded = true
			} else {
				longest = max(longest, iv.hi-iv.lo+1)
			}
			if s.hasHorizon {
				covered += clippedDays(iv, s.horizon)
			}
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return covered, longest, unbounded
}

// mergeWindows appends to dst the days of windows as sorted, disjoint,
// non-adjacent intervals. No windows means always available; a window whose
// From is after its To holds no day.
func mergeWindows(dst []dayRange, windows []program.Window) []dayRange {
	if len(windows) == 0 {
		return append(dst, dayRange{openLo, openHi})
	}
	start := len(dst)
	for _, w := range windows {
		iv := dayRange{openLo, openHi}
		if !w.From.IsZero() {
			iv.lo = epochDay(w.From)
		}
		if !w.To.IsZero() {
			iv.hi = epochDay(w.To)
		}
		if iv.lo <= iv.hi {
			dst = append(dst, iv)
		}
	}
	ivs := dst[start:]
	slices.SortFunc(ivs, func(a, b dayRange) int {
		if a.lo != b.lo {
			return cmp.Compare(a.lo, b.lo)
		}
		return cmp.Compare(a.hi, b.hi)
	})
	out := ivs[:0]
	for _, iv := range ivs {
		if n := len(out); n > 0 && iv.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, iv.hi)
			continue
		}
		out = append(out, iv)
	}
	return dst[:start+len(out)]
}

// clippedDays returns the days of iv within h.
func clippedDays(iv, h dayRange) int64 {
	lo, hi := max(iv.lo, h.lo), min(iv.hi, h.hi)
	if lo > hi {
		return 0
	}
	return hi - lo + 1
}

// epochDay returns the days from 1970-01-01 to d.
func epochDay(d program.Date) int64 {
	return d.In(time.UTC).Unix() / 86400
}

// distinctNonEmpty appends to dst the distinct non-empty strings of src, in
// their first order.
func distinctNonEmpty(dst, src []string) []string {
	for _, x := range src {
		if x != "" && !slices.Contains(dst, x) {
			dst = append(dst, x)
		}
	}
	return dst
}

// vocabIndex maps each string of sorted to its index.
func vocabIndex(sorted []string) map[string]int {
	m := make(map[string]int, len(sorted))
	for i, s := range sorted {
		m[s] = i
	}
	return m
}
