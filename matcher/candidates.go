package matcher

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/khidi/khidi/internal/program"
)

// BuildProblem scores the pairs of left × right under opts and returns the
// assignment problem over the best of them: Left and Right carry the ids,
// regions and amounts (leftAmount[i] and rightAmount[j], which must not be
// negative), Candidates the pairs kept, sorted by (Left, Right), and
// Rejections some of the pairs a hard rule removed, also sorted by (Left,
// Right). It is NewScorer followed by Scorer.Problem; see NewScorer for the
// errors.
func BuildProblem(left, right []Profile, leftAmount, rightAmount []int, opts ScoreOptions) (*Problem, error) {
	s, err := NewScorer(left, right, opts)
	if err != nil {
		return nil, err
	}
	return s.Problem(leftAmount, rightAmount)
}

// Problem returns the assignment problem of the scorer's round, given how
// many matches each side may take part in. A right side with amount 0
// breaks RuleNoCapacity, which is checked before the rules Pair checks.
//
// # What is kept
//
// Write K for TopK, and order a left side L's pairs with all right sides by
// score, highest first, ties broken by the lower right index. A pair is
// admissible when it breaks no rule (capacity, Pair's rules and the
// threshold).
//
//   - Candidates: L keeps exactly its first min(K, a) admissible pairs, a
//     being their number.
//   - Rejections: L lists the pairs broken by a rule that would otherwise
//     have been among its candidates: those that come before its K-th
//     candidate or, when it has fewer than K, that reach the threshold;
//     the first K of them if there are more. Each carries the first rule it
//     breaks. RuleBelowThreshold therefore never appears here.
//   - Admissible pairs after the K-th candidate (RuleNotInTopK) and pairs
//     below the threshold are dropped without a trace; Scorer.Pair scores
//     any of them for an explanation.
//
// Both lists are exactly what a scan of every pair would give; the index and
// bounds below only decide how much work that takes.
//
// # How: an inverted index and bounds
//
// The scorer indexes right sides by theme. Left sides with the same themes
// form units of work, which share their theme vector and the list of right
// sides sharing a theme with them, sorted by falling theme similarity (in
// buckets of 1/64). For each left side L, with R(L) the right sides that
// share a theme with L or that L ranked:
//
//  1. L's ranked right sides are examined first, then the unit's list in
//     order, until even the best of what is left, at its bucket's
//     similarity and with every other feature but preference at 1, scores
//     below L's current K-th candidate (or, until L has K, below the
//     threshold). Nothing further in R(L) can then be a candidate or a
//     listed rejection.
//  2. Every right side outside R(L) has FeatureTheme = 0 (no theme in
//     common) and FeaturePreference = 0 (not ranked), so scores at most
//     B(L), below. If L's K-th candidate from R(L) scores above B(L), or
//     B(L) is below the threshold, none of them can be a candidate or a
//     listed rejection. Otherwise L is examined against every right side.
//  3. Examining a pair scores its cheap features first (theme, language,
//     preference, experience, and the rules on ids, languages and regions)
//     and bounds its score with availability at 1 and geography at the
//     chord's length, never longer than the arc. Only a pair whose bound
//     could place it before L's current K-th candidate (or reach the
//     threshold, until L has K) is scored in full.
//
// With E the highest experience among right sides and e_L L's,
//
//	B(L) = (w_language + w_geography + w_availability + w_experience·max(0, E − e_L)) / Σw
//
// Every bound is computed with the same rounding as a score, so it is a true
// bound, and the K-th candidate only improves as more pairs are examined, so
// nothing skipped could have entered later. Regions are not indexed: they
// enter the score only through geography, which the bounds cover, and in a
// national round one region (Tbilisi) holds most hosts, so its list would
// hold nearly all of them.
//
// # Cost
//
// At most Σ_L |R(L)| cheap bounds when step 2 holds, which with tens of
// themes is a small share of left × right (in practice step 1 stops well
// short of it), and left × right in the worst case (themes that tell nobody
// apart, or weights where themes barely count). Memory is linear in left × K
// and in the profiles, never in left × right. Units are shared among up to
// GOMAXPROCS goroutines, each writing only its own left sides' results, so
// the problem does not depend on scheduling.
func (s *Scorer) Problem(leftAmount, rightAmount []int) (*Problem, error) {
	p, _, err := s.problem(leftAmount, rightAmount, runtime.GOMAXPROCS(0))
	return p, err
}

// genStats counts the work of candidate generation, for tests and
// benchmarks.
type genStats struct {
	bounded   int64 // pairs whose score was bounded (the cheap half of scoring)
	scored    int64 // pairs scored in full
	stops     int   // left sides whose theme list was cut short (step 1)
	fullScans int   // left sides scanned against all right sides
}

// genChunk is the most left sides in a unit of work: enough to share the
// cost of a unit's list, few enough to balance two cores.
const genChunk = 256

// genUnits returns the units of work of candidate generation: left sides
// with the same themes, which share one theme vector and one list of right
// sides by theme similarity, at most genChunk to a unit, each unit in index
// order.
func (s *Scorer) genUnits() [][]int32 {
	L := &s.left
	themes := func(l int32) []int32 { return L.themeIdx[L.themeOff[l]:L.themeOff[l+1]] }
	order := make([]int32, len(L.ids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return slices.Compare(themes(a), themes(b)) })
	var units [][]int32
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && j-i < genChunk && slices.Equal(themes(order[i]), themes(order[j])) {
			j++
		}
		units = append(units, order[i:j:j])
		i = j
	}
	return units
}

// problem is Problem with a given number of workers.
func (s *Scorer) problem(leftAmount, rightAmount []int, workers int) (*Problem, genStats, error) {
	nl, nr := len(s.left.ids), len(s.right.ids)
	if len(leftAmount) != nl || len(rightAmount) != nr {
		return nil, genStats{}, fmt.Errorf("matcher: %d left and %d right amounts for %d left and %d right sides; give one amount per side: %w",
			len(leftAmount), len(rightAmount), nl, nr, program.ErrInvalid)
	}
	p := &Problem{Left: make([]Side, nl), Right: make([]Side, nr)}
	for i, a := range leftAmount {
		if a < 0 {
			return nil, genStats{}, fmt.Errorf("matcher: left side %q: amount %d is negative: %w", s.left.ids[i], a, program.ErrInvalid)
		}
		p.Left[i] = Side{ID: s.left.ids[i], Region: s.leftRegion(i), Amount: a}
	}
	for j, a := range rightAmount {
		if a < 0 {
			return nil, genStats{}, fmt.Errorf("matcher: right side %q: amount %d is negative: %w", s.right.ids[j], a, program.ErrInvalid)
		}
		p.Right[j] = Side{ID: s.right.ids[j], Region: s.rightRegion(j), Amount: a}
	}

	// Each left side's candidates go to its own slots cands[l*k:l*k+k],
	// which bounds memory by left × K without growing slices; rejections,
	// usually few, go to per-unit slices, joined and sorted at the end.
	// So the result is the same whichever worker did the work.
	k := min(s.opts.TopK, nr) // no left side has more candidates than right sides
	cands := make([]Candidate, nl*k)
	kept := make([]int32, nl)
	units := s.genUnits()
	rejects := make([][]Rejection, len(units))
	stats := make([]genStats, max(workers, 1))
	var next atomic.Int64
	work := func(id int) {
		g := newGenerator(s, rightAmount)
		for {
			u := int(next.Add(1) - 1)
			if u >= len(units) {
				break
			}
			g.startUnit(int(units[u][0]))
			for _, l := range units[u] {
				g.run(int(l))
				rejects[u] = g.appendRejections(int(l), rejects[u])
				kept[l] = int32(g.writeCandidates(int(l), cands[int(l)*k:int(l+1)*k]))
			}
			g.endUnit(int(units[u][0]))
		}
		stats[id] = g.stats
	}
	if workers <= 1 || len(units) < 4 {
		work(0)
	} else {
		var wg sync.WaitGroup
		for id := range workers {
			wg.Go(func() { work(id) })
		}
		wg.Wait()
	}

	n := 0
	for l := range nl {
		n += copy(cands[n:], cands[l*k:l*k+int(kept[l])])
	}
	if n < len(cands)/2 {
		p.Candidates = slices.Clone(cands[:n]) // give back the unused slots
	} else {
		p.Candidates = cands[:n:n]
	}
	p.Rejections = slices.Concat(rejects...)
	slices.SortFunc(p.Rejections, func(a, b Rejection) int {
		return cmp.Or(cmp.Compare(a.Left, b.Left), cmp.Compare(a.Right, b.Right))
	})

	var total genStats
	for _, st := range stats {
		total.bounded += st.bounded
		total.scored += st.scored
		total.stops += st.stops
		total.fullScans += st.fullScans
	}
	return p, total, nil
}

// leftRegion returns left side l's region, as given.
func (s *Scorer) leftRegion(l int) string { return s.regions[s.left.region[l]+1] }

// rightRegion returns right side r's region, as given.
func (s *Scorer) rightRegion(r int) string { return s.regions[s.right.region[r]+1] }

// ranked is a pair of the left side being generated, as top-K lists hold it.
type ranked struct {
	score float64
	right int32
	slot  int32 // where topK keeps the pair's breakdown
	rule  Rule
}

// before reports whether a comes before b: higher score, then lower right
// index.
func (a ranked) before(b ranked) bool {
	return a.score > b.score || (a.score == b.score && a.right < b.right)
}

// topK keeps the first k pairs offered, in the order of ranked.before: a
// heap whose root is the last of them, the one the next better pair
// evicts. With breakdowns, it keeps each pair's breakdown in a slot of its
// own, which the evicted pair hands to the one replacing it, so the heap
// moves small items.
type topK struct {
	k          int
	items      []ranked
	breakdowns []Breakdown // by slot; nil when not kept
}

func (h *topK) reset(k int) { h.k, h.items = k, h.items[:0] }

func (h *topK) full() bool { return len(h.items) == h.k }

// offer adds x, with breakdown b if h keeps them, if it is among the first
// k offered so far.
func (h *topK) offer(x ranked, b *Breakdown) {
	if len(h.items) < h.k {
		x.slot = int32(len(h.items))
		h.keep(x.slot, b)
		h.items = append(h.items, x)
		for i := len(h.items) - 1; i > 0; {
			parent := (i - 1) / 2
			if !h.items[parent].before(h.items[i]) {
				break
			}
			h.items[parent], h.items[i] = h.items[i], h.items[parent]
			i = parent
		}
		return
	}
	if h.k == 0 || !x.before(h.items[0]) {
		return
	}
	x.slot = h.items[0].slot
	h.keep(x.slot, b)
	h.items[0] = x
	for i := 0; ; {
		last := i
		if c := 2*i + 1; c < len(h.items) && h.items[last].before(h.items[c]) {
			last = c
		}
		if c := 2*i + 2; c < len(h.items) && h.items[last].before(h.items[c]) {
			last = c
		}
		if last == i {
			return
		}
		h.items[i], h.items[last] = h.items[last], h.items[i]
		i = last
	}
}

// keep stores b in slot, if h keeps breakdowns.
func (h *topK) keep(slot int32, b *Breakdown) {
	if h.breakdowns == nil {
		return
	}
	if int(slot) == len(h.breakdowns) {
		h.breakdowns = append(h.breakdowns, Breakdown{})
	}
	h.breakdowns[slot] = *b
}

// generator holds one worker's scratch space.
type generator struct {
	s       *Scorer
	amounts []int
	// seen[r] == l+1 when right side r has been examined for left side l.
	seen []int32
	// lw is the unit's theme vector (Scorer.leftThemes), and list the
	// right sides sharing a theme with it, by theme similarity.
	lw   []float64
	list []similar
	// raw is list before sorting; inUnit[r] == unit once right side r is
	// in it.
	raw    []similar
	inUnit []int32
	unit   int32
	kept   topK
	rej    topK
	b      Breakdown
	stats  genStats
}

// similar is a right side and an upper bound on its FeatureTheme with the
// current unit (see themeBuckets).
type similar struct {
	theme  float64
	right  int32
	bucket int32 // 0 for the most similar
}

func newGenerator(s *Scorer, rightAmount []int) *generator {
	g := &generator{s: s, amounts: rightAmount, seen: make([]int32, len(s.right.ids)), inUnit: make([]int32, len(s.right.ids)), lw: make([]float64, len(s.themes))}
	g.kept.breakdowns = make([]Breakdown, 0, s.opts.TopK)
	return g
}

// themeBuckets is how finely startUnit sorts a unit's list by theme
// similarity: a counting sort into buckets of width 1/themeBuckets, highest
// first, costs a pass over the list where a full sort would dominate the
// generation of small units, and the bound it gives, the bucket's upper
// edge, is at most 1/themeBuckets above the true similarity. x·64 is exact
// in floating point, so the bucket of x is exactly ⌊64x⌋.
const themeBuckets = 64

// startUnit prepares the unit whose first left side is l: its theme vector
// and the right sides sharing a theme with it, most similar first.
func (g *generator) startUnit(l int) {
	s := g.s
	s.leftThemes(l, g.lw)
	g.unit++
	g.raw = g.raw[:0]
	var count [themeBuckets + 2]int
	for _, t := range s.left.themeIdx[s.left.themeOff[l]:s.left.themeOff[l+1]] {
		for _, r := range s.postings[s.postOff[t]:s.postOff[t+1]] {
			if g.inUnit[r] == g.unit {
				continue
			}
			g.inUnit[r] = g.unit
			k := int(s.themeCosine(g.lw, int(r)) * themeBuckets) // 0 … themeBuckets
			g.raw = append(g.raw, similar{theme: min(float64(k+1)/themeBuckets, 1), right: r, bucket: int32(themeBuckets - k)})
			count[themeBuckets-k+1]++
		}
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	g.list = slices.Grow(g.list[:0], len(g.raw))[:len(g.raw)]
	for _, e := range g.raw {
		g.list[count[e.bucket]] = e
		count[e.bucket]++
	}
}

// endUnit clears what startUnit set for the unit starting with l.
func (g *generator) endUnit(l int) { g.s.clearLeftThemes(l, g.lw) }

// run fills g.kept and g.rej for left side l of the current unit.
func (g *generator) run(l int) {
	s := g.s
	g.kept.reset(s.opts.TopK)
	g.rej.reset(s.opts.TopK)
	mark := int32(l + 1)
	for _, p := range s.prefs[s.prefOff[l]:s.prefOff[l+1]] {
		if g.seen[p.right] != mark {
			g.seen[p.right] = mark
			g.examine(l, int(p.right))
		}
	}
	// The rest of R(L), by falling theme similarity, until no right side
	// left can be a candidate: one not ranked scores at most bound, its
	// theme similarity with every feature but preference at its highest.
	var bound Breakdown
	bound[FeatureLanguage], bound[FeatureGeography], bound[FeatureAvailability] = 1, 1, 1
	bound[FeatureExperience] = max(0, s.maxRight-s.left.exp[l])
	reach := -1.0 // the bound at bound[FeatureTheme], once computed
	for _, e := range g.list {
		if g.seen[e.right] == mark {
			continue
		}
		if e.theme != bound[FeatureTheme] || reach < 0 {
			bound[FeatureTheme] = e.theme
			reach = s.weigh(&bound)
		}
		if g.outOfReach(reach) {
			g.stats.stops++
			break
		}
		g.seen[e.right] = mark
		g.examine(l, int(e.right))
	}
	bound[FeatureTheme] = 0 // B(L)
	if g.outOfReach(s.weigh(&bound)) {
		return
	}
	g.stats.fullScans++
	for r := range g.seen {
		if g.seen[r] != mark {
			g.seen[r] = mark
			g.examine(l, r)
		}
	}
}

// outOfReach reports whether a pair scoring at most ub can be neither a
// candidate nor a listed rejection: with K candidates, it scores below the
// last of them; before, it scores below the threshold.
func (g *generator) outOfReach(ub float64) bool {
	if g.kept.full() {
		return ub < g.kept.items[0].score
	}
	return ub < g.s.opts.Threshold
}

// outOfReachAt is outOfReach for right side r, whose index breaks a tie
// with the last candidate.
func (g *generator) outOfReachAt(ub float64, r int) bool {
	if g.kept.full() {
		return !(ranked{score: ub, right: int32(r)}).before(g.kept.items[0])
	}
	return ub < g.s.opts.Threshold
}

// examine offers the pair of left side l and right side r to the
// candidates or the rejections, unless a bound shows it can be neither:
// when K candidates are held, a pair must come before the last of them;
// until then it must reach the threshold. Either way, a pair whose score
// bound fails cannot appear in the result, as the K-th candidate only
// improves, so the costly half of its scoring is skipped.
func (g *generator) examine(l, r int) {
	s := g.s
	g.stats.bounded++
	rule := s.pairCheap(l, r, g.lw, &g.b)
	ub := s.cheapBound(l, r, &g.b)
	if g.outOfReachAt(ub, r) {
		return
	}
	g.stats.scored++
	score, rule := s.pairCostly(l, r, &g.b, rule)
	if g.amounts[r] == 0 {
		rule = RuleNoCapacity
	}
	if rule == "" {
		g.kept.offer(ranked{score: score, right: int32(r)}, &g.b)
	} else {
		g.rej.offer(ranked{score: score, right: int32(r), rule: rule}, nil)
	}
}

// writeCandidates writes left side l's kept pairs into dst, by right
// index, and returns how many there are.
func (g *generator) writeCandidates(l int, dst []Candidate) int {
	items := g.kept.items
	slices.SortFunc(items, func(a, b ranked) int { return int(a.right - b.right) })
	for i, it := range items {
		dst[i] = Candidate{Left: l, Right: int(it.right), Score: it.score, Breakdown: g.kept.breakdowns[it.slot]}
	}
	return len(items)
}

// appendRejections appends left side l's rejections to dst, by right
// index: those of the K first rule-broken pairs offered that come before
// the K-th candidate or, when there are fewer candidates, reach the
// threshold. Call it after the candidates are final but before
// writeCandidates reorders them.
func (g *generator) appendRejections(l int, dst []Rejection) []Rejection {
	items := g.rej.items
	if g.kept.full() {
		last := g.kept.items[0]
		items = slices.DeleteFunc(items, func(x ranked) bool { return !x.before(last) })
	} else {
		items = slices.DeleteFunc(items, func(x ranked) bool { return x.score < g.s.opts.Threshold })
	}
	slices.SortFunc(items, func(a, b ranked) int { return int(a.right - b.right) })
	for _, it := range items {
		dst = append(dst, Rejection{Left: l, Right: int(it.right), Rule: it.rule})
	}
	return dst
}
