package matcher

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// circleWorld is a test instance: members on a map, each speaking some of
// three languages; a member reaches an anchor that shares a language and is
// within reach, with affinity falling with distance, in whole thousandths
// so that totals compare exactly.
type circleWorld struct {
	x, y        []float64
	langs       []uint8 // bit set
	experienced []bool
	reach       float64
	// trainers, on the same map
	tx, ty []float64
	tlangs []uint8
}

// affinity returns member m's affinity to anchor a in thousandths.
func (w *circleWorld) affinity(m, a int) (int, bool) {
	return w.milli(w.x[m], w.y[m], w.langs[m], w.x[a], w.y[a], w.langs[a])
}

// trainerAffinity returns trainer t's affinity to the circle of anchor a.
func (w *circleWorld) trainerAffinity(t, a int) (int, bool) {
	return w.milli(w.tx[t], w.ty[t], w.tlangs[t], w.x[a], w.y[a], w.langs[a])
}

func (w *circleWorld) milli(x1, y1 float64, l1 uint8, x2, y2 float64, l2 uint8) (int, bool) {
	d := math.Hypot(x1-x2, y1-y2)
	if l1&l2 == 0 || d > w.reach {
		return 0, false
	}
	return int(math.Round(1000 * (1 - d/w.reach))), true
}

// input returns the FormCircles input for w.
func (w *circleWorld) input(minSize, maxSize int) *CircleInput {
	return &CircleInput{
		Experienced: w.experienced,
		Affinity: func(m, a int) (float64, bool) {
			v, ok := w.affinity(m, a)
			return float64(v) / 1000, ok
		},
		Min: minSize, Max: maxSize,
		Trainers: len(w.tx),
		TrainerAffinity: func(t, a int, members []int) (float64, bool) {
			v, ok := w.trainerAffinity(t, a)
			return float64(v) / 1000, ok
		},
	}
}

// randomCircleWorld draws n members (a share of them experienced) and
// trainers.
func randomCircleWorld(r *rand.Rand, n int, experienced float64, reach float64, trainers int) *circleWorld {
	w := &circleWorld{reach: reach}
	for range n {
		w.x = append(w.x, r.Float64())
		w.y = append(w.y, r.Float64())
		w.langs = append(w.langs, uint8(1+r.IntN(7)))
		w.experienced = append(w.experienced, r.Float64() < experienced)
	}
	for range trainers {
		w.tx = append(w.tx, r.Float64())
		w.ty = append(w.ty, r.Float64())
		w.tlangs = append(w.tlangs, uint8(1+r.IntN(7)))
	}
	return w
}

// checkCircles checks every invariant of res that does not need an
// optimum, recomputing each from w: sizes, anchors, membership, reasons,
// mean affinities and trainers. It returns per member its circle's anchor
// or -1.
func checkCircles(t *testing.T, w *circleWorld, in *CircleInput, res *CircleResult) []int {
	t.Helper()
	n := len(w.x)
	anchorOf := make([]int, n)
	for m := range anchorOf {
		anchorOf[m] = -1
	}
	size := map[int]int{}
	dissolved := map[int]bool{}
	for _, a := range res.Dissolved {
		dissolved[a] = true
	}
	load := make([]int, len(w.tx))
	for k, c := range res.Circles {
		if k > 0 && res.Circles[k-1].Anchor >= c.Anchor {
			t.Fatalf("circles not in order of anchors: %d then %d", res.Circles[k-1].Anchor, c.Anchor)
		}
		if len(c.Members) < in.Min || len(c.Members) > in.Max {
			t.Fatalf("circle of %d has %d members, want %d to %d", c.Anchor, len(c.Members), in.Min, in.Max)
		}
		if !w.experienced[c.Anchor] || !slices.Contains(c.Members, c.Anchor) {
			t.Fatalf("circle of %d: anchor not experienced or not a member (%v)", c.Anchor, c.Members)
		}
		if dissolved[c.Anchor] {
			t.Fatalf("circle of %d was dissolved and is still there", c.Anchor)
		}
		if !slices.IsSorted(c.Members) {
			t.Fatalf("circle of %d: members %v not ascending", c.Anchor, c.Members)
		}
		sum := 0
		for _, m := range c.Members {
			if anchorOf[m] >= 0 {
				t.Fatalf("member %d in the circles of %d and %d", m, anchorOf[m], c.Anchor)
			}
			anchorOf[m] = c.Anchor
			if m == c.Anchor {
				continue
			}
			v, ok := w.affinity(m, c.Anchor)
			if !ok {
				t.Fatalf("member %d cannot reach anchor %d but is in its circle", m, c.Anchor)
			}
			sum += v
		}
		size[c.Anchor] = len(c.Members)
		want := 0.0
		if len(c.Members) > 1 {
			want = float64(sum) / 1000 / float64(len(c.Members)-1)
		}
		if math.Abs(c.MeanAffinity-want) > 1e-9 {
			t.Errorf("circle of %d: MeanAffinity = %v, want %v", c.Anchor, c.MeanAffinity, want)
		}
		if len(c.Trainers) > max(in.TrainersPerCircle, 1) || !slices.IsSorted(c.Trainers) {
			t.Fatalf("circle of %d: trainers %v, want at most %d, ascending", c.Anchor, c.Trainers, max(in.TrainersPerCircle, 1))
		}
		for _, tr := range c.Trainers {
			if _, ok := w.trainerAffinity(tr, c.Anchor); !ok {
				t.Fatalf("trainer %d cannot serve the circle of %d but does", tr, c.Anchor)
			}
			load[tr]++
		}
	}
	for tr, l := range load {
		if l > max(in.TrainerLoad, 1) {
			t.Fatalf("trainer %d serves %d circles, want at most %d", tr, l, max(in.TrainerLoad, 1))
		}
	}
	// Unplaced: exactly the members in no circle, each with its true
	// reason.
	var unplaced []int
	for k, u := range res.Unplaced {
		if k > 0 && res.Unplaced[k-1].Member >= u.Member {
			t.Fatalf("unplaced members not ascending")
		}
		unplaced = append(unplaced, u.Member)
		if anchorOf[u.Member] >= 0 {
			t.Fatalf("member %d is unplaced and in the circle of %d", u.Member, anchorOf[u.Member])
		}
		var reachFinal, reachDissolved bool
		for _, c := range res.Circles {
			if _, ok := w.affinity(u.Member, c.Anchor); ok {
				reachFinal = true
				if len(c.Members) < in.Max {
					t.Errorf("member %d is unplaced but reaches the circle of %d, which has room (%d of %d)", u.Member, c.Anchor, len(c.Members), in.Max)
				}
			}
		}
		for a := range dissolved {
			if _, ok := w.affinity(u.Member, a); ok && a != u.Member {
				reachDissolved = true
			}
		}
		want := UnplacedNoCircle
		switch {
		case reachFinal:
			want = UnplacedCirclesFull
		case reachDissolved:
			want = UnplacedCircleDissolved
		}
		if u.Reason != want {
			t.Errorf("member %d unplaced for %q, want %q", u.Member, u.Reason, want)
		}
	}
	var free []int
	for m, a := range anchorOf {
		if a < 0 {
			free = append(free, m)
		}
	}
	if !slices.Equal(unplaced, free) {
		t.Fatalf("unplaced members %v, want the members in no circle %v", unplaced, free)
	}
	return anchorOf
}

// bestCircleAssignment returns, by enumeration, the best assignment of the
// members other than anchors to the anchors' circles with every circle
// within [minSize, maxSize]: the most members placed, then the greatest
// affinity in thousandths. ok is false when no assignment keeps every
// circle within bounds.
func bestCircleAssignment(w *circleWorld, anchors []int, minSize, maxSize int) (placed, affinity int, ok bool) {
	n := len(w.x)
	isAnchor := make([]bool, n)
	for _, a := range anchors {
		isAnchor[a] = true
	}
	var members []int
	for m := range n {
		if !isAnchor[m] {
			members = append(members, m)
		}
	}
	size := make([]int, len(anchors))
	for c := range size {
		size[c] = 1
	}
	var rec func(k, placed, aff int)
	rec = func(k, pl, aff int) {
		if k == len(members) {
			for _, s := range size {
				if s < minSize {
					return
				}
			}
			if !ok || pl > placed || (pl == placed && aff > affinity) {
				placed, affinity, ok = pl, aff, true
			}
			return
		}
		rec(k+1, pl, aff) // unplaced
		for c, a := range anchors {
			v, reach := w.affinity(members[k], a)
			if !reach || size[c] == maxSize {
				continue
			}
			size[c]++
			rec(k+1, pl+1, aff+v)
			size[c]--
		}
	}
	rec(0, 0, 0)
	return placed, affinity, ok
}

// placedAffinity returns how many members res placed besides the anchors
// and their total affinity in thousandths.
func placedAffinity(w *circleWorld, res *CircleResult) (placed, affinity int) {
	for _, c := range res.Circles {
		for _, m := range c.Members {
			if m != c.Anchor {
				v, _ := w.affinity(m, c.Anchor)
				placed++
				affinity += v
			}
		}
	}
	return placed, affinity
}

func TestFormCirclesBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(12, 4))
	cases, dissolving := 0, 0
	for trial := range 600 {
		n := 3 + r.IntN(6)
		w := randomCircleWorld(r, n, 0.5, 0.5+r.Float64(), 0)
		var exp []int
		for m, e := range w.experienced {
			if e {
				exp = append(exp, m)
			}
		}
		if len(exp) == 0 {
			continue
		}
		r.Shuffle(len(exp), func(a, b int) { exp[a], exp[b] = exp[b], exp[a] })
		anchors := exp[:1+r.IntN(min(len(exp), 3))]
		minSize := 1 + r.IntN(3)
		maxSize := minSize + r.IntN(3)
		in := w.input(minSize, maxSize)
		in.Anchors = anchors
		name := fmt.Sprintf("trial %d: %d members, anchors %v, sizes %d–%d", trial, n, anchors, minSize, maxSize)
		res, err := FormCircles(in)
		if err != nil {
			t.Fatalf("%s: FormCircles: %v", name, err)
		}
		checkCircles(t, w, in, res)
		placed, aff := placedAffinity(w, res)
		wantPlaced, wantAff, ok := bestCircleAssignment(w, anchors, minSize, maxSize)
		if ok {
			// Some assignment keeps every circle: FormCircles must find
			// the best of them without dissolving anything.
			if len(res.Dissolved) > 0 || placed != wantPlaced || aff != wantAff {
				t.Fatalf("%s: placed %d with affinity %d/1000, dissolving %v; want %d with %d/1000, none dissolved (brute force)",
					name, placed, aff, res.Dissolved, wantPlaced, wantAff)
			}
		} else {
			// None does: something must go, and the final circles must
			// be assigned optimally.
			if len(res.Dissolved) == 0 {
				t.Fatalf("%s: no assignment keeps every circle, but none was dissolved", name)
			}
			dissolving++
			var final []int
			for _, c := range res.Circles {
				final = append(final, c.Anchor)
			}
			wantPlaced, wantAff, ok := bestCircleAssignment(w, final, minSize, maxSize)
			if !ok || placed != wantPlaced || aff != wantAff {
				t.Fatalf("%s: final circles %v place %d with affinity %d/1000, want %d with %d/1000 (brute force, feasible %v)",
					name, final, placed, aff, wantPlaced, wantAff, ok)
			}
		}
		cases++
	}
	if dissolving == 0 {
		t.Errorf("no case dissolved a circle; make the family harder")
	}
	t.Logf("%d cases checked against brute force, %d of them dissolving", cases, dissolving)
}

// bestTrainers returns, by enumeration, the best trainer assignment to
// circles whose anchors are given: the most circles served plus
// assignments, then the greatest affinity in thousandths.
func bestTrainers(w *circleWorld, anchors []int, load, per int) (count, affinity int) {
	used := make([]int, len(w.tx))
	best := [2]int{-1, 0}
	var rec func(c, count, aff int)
	rec = func(c, count, aff int) {
		if c == len(anchors) {
			if count > best[0] || (count == best[0] && aff > best[1]) {
				best = [2]int{count, aff}
			}
			return
		}
		// Every subset of trainers of size ≤ per for circle c.
		for set := 0; set < 1<<len(w.tx); set++ {
			k, v, fine := 0, 0, true
			for tr := range w.tx {
				if set&(1<<tr) == 0 {
					continue
				}
				a, ok := w.trainerAffinity(tr, anchors[c])
				if !ok || used[tr] == load {
					fine = false
					break
				}
				k++
				v += a
			}
			if !fine || k > per {
				continue
			}
			for tr := range w.tx {
				if set&(1<<tr) != 0 {
					used[tr]++
				}
			}
			served := 0
			if k > 0 {
				served = 1
			}
			rec(c+1, count+k+served, aff+v)
			for tr := range w.tx {
				if set&(1<<tr) != 0 {
					used[tr]--
				}
			}
		}
	}
	rec(0, 0, 0)
	return best[0], best[1]
}

func TestFormCirclesTrainersBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 5))
	checked := 0
	for trial := range 300 {
		w := randomCircleWorld(r, 12, 0.4, 0.6, 1+r.IntN(3))
		in := w.input(1, 4)
		in.TrainerLoad = 1 + r.IntN(2)
		in.TrainersPerCircle = 1 + r.IntN(2)
		res, err := FormCircles(in)
		if err != nil {
			t.Fatal(err)
		}
		checkCircles(t, w, in, res)
		if len(res.Circles) > 4 {
			continue // too many for the enumeration
		}
		var anchors []int
		count, aff := 0, 0
		for _, c := range res.Circles {
			anchors = append(anchors, c.Anchor)
			if len(c.Trainers) > 0 {
				count++
			}
			for _, tr := range c.Trainers {
				v, _ := w.trainerAffinity(tr, c.Anchor)
				count++
				aff += v
			}
		}
		wantCount, wantAff := bestTrainers(w, anchors, in.TrainerLoad, in.TrainersPerCircle)
		if count != wantCount || aff != wantAff {
			t.Fatalf("trial %d: trainers score %d with affinity %d/1000, want %d with %d/1000 (brute force)", trial, count, aff, wantCount, wantAff)
		}
		checked++
	}
	t.Logf("%d trainer assignments checked against brute force", checked)
}

func TestFormCirclesInvariants(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2026, 6))
	reasons := map[UnplacedReason]int{}
	dissolved, trained := 0, 0
	for trial := range 40 {
		n := 40 + r.IntN(260)
		minSize := 2 + r.IntN(4)
		maxSize := minSize + r.IntN(8)
		w := randomCircleWorld(r, n, 0.05+0.3*r.Float64(), 0.1+0.4*r.Float64(), r.IntN(12))
		in := w.input(minSize, maxSize)
		in.TrainerLoad = r.IntN(4)
		in.TrainersPerCircle = r.IntN(3)
		t.Run(fmt.Sprintf("trial=%d/n=%d/sizes=%d-%d", trial, n, minSize, maxSize), func(t *testing.T) {
			res, err := FormCircles(in)
			if err != nil {
				t.Fatal(err)
			}
			checkCircles(t, w, in, res)
			again, err := FormCircles(in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, again) {
				t.Errorf("FormCircles differs between two runs")
			}
			for _, u := range res.Unplaced {
				reasons[u.Reason]++
			}
			dissolved += len(res.Dissolved)
			for _, c := range res.Circles {
				trained += len(c.Trainers)
			}
		})
	}
	// The family must reach every branch the invariants check.
	for _, reason := range []UnplacedReason{UnplacedNoCircle, UnplacedCircleDissolved, UnplacedCirclesFull} {
		if reasons[reason] == 0 {
			t.Errorf("no member unplaced for %q; make the family harder", reason)
		}
	}
	if dissolved == 0 || trained == 0 {
		t.Errorf("%d circles dissolved and %d trainers assigned; want some of each", dissolved, trained)
	}
	t.Logf("unplaced by reason %v, %d circles dissolved, %d trainer assignments", reasons, dissolved, trained)
}

// handWorld builds a world from an explicit affinity table (thousandths;
// missing pairs unreachable).
type handAffinity map[[2]int]int

func (h handAffinity) input(experienced []bool, minSize, maxSize int) *CircleInput {
	return &CircleInput{
		Experienced: experienced,
		Affinity: func(m, a int) (float64, bool) {
			v, ok := h[[2]int{m, a}]
			return float64(v) / 1000, ok
		},
		Min: minSize, Max: maxSize,
	}
}

func TestFormCirclesHand(t *testing.T) {
	t.Parallel()
	// Dissolution. Members 0 and 1 are experienced. 2 and 3 reach only 0;
	// 4 reaches only 1; 1 reaches 0 (0.5); 5 reaches nobody; 6 reaches 0
	// weakly (0.1). Sizes 3 to 4.
	//
	// Round 1, anchors 0 and 1: 1's circle can only ever hold 1 and 4,
	// below 3, so it is dissolved. Round 2, anchor 0: 1 (0.5), 2 (0.9),
	// 3 (0.8) and 6 (0.1) compete for three places; 6 loses. So:
	// circle {0,1,2,3} with mean (0.5+0.9+0.8)/3; 4 unplaced (its circle
	// was dissolved), 5 (reaches nothing), 6 (circle full).
	dissolve := handAffinity{
		{2, 0}: 900, {3, 0}: 800, {1, 0}: 500, {6, 0}: 100,
		{4, 1}: 700,
	}
	exp := []bool{true, true, false, false, false, false, false}
	wantDissolve := &CircleResult{
		Circles:   []Circle{{Anchor: 0, Members: []int{0, 1, 2, 3}, Trainers: []int{}, MeanAffinity: (0.5 + 0.9 + 0.8) / 3}},
		Unplaced:  []UnplacedMember{{4, UnplacedCircleDissolved}, {5, UnplacedNoCircle}, {6, UnplacedCirclesFull}},
		Dissolved: []int{1},
		Rounds:    2,
	}
	// Keeping circles alive comes before affinity. Sizes 2 to 3; anchors
	// 0 and 1; 2 reaches 0 (0.9) and 1 (0.1); 3 reaches 0 (0.8) only. The
	// affinity-best assignment puts both with 0 and leaves 1 alone, to be
	// dissolved; FormCircles sends 2 to 1 instead.
	alive := handAffinity{{2, 0}: 900, {2, 1}: 100, {3, 0}: 800}
	wantAlive := &CircleResult{
		Circles: []Circle{
			{Anchor: 0, Members: []int{0, 3}, Trainers: []int{}, MeanAffinity: 0.8},
			{Anchor: 1, Members: []int{1, 2}, Trainers: []int{}, MeanAffinity: 0.1},
		},
		Unplaced: []UnplacedMember{}, Dissolved: []int{}, Rounds: 1,
	}
	tests := []struct {
		name string
		in   *CircleInput
		want *CircleResult
	}{
		{"dissolution, anchors chosen", dissolve.input(exp, 3, 4), wantDissolve},
		{"dissolution, anchors given", withAnchors(dissolve.input(exp, 3, 4), 1, 0), wantDissolve},
		{"keep circles alive", withAnchors(alive.input([]bool{true, true, false, false}, 2, 3), 0, 1), wantAlive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FormCircles(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			// Means compare within rounding; the rest exactly.
			for k := range min(len(got.Circles), len(tt.want.Circles)) {
				if math.Abs(got.Circles[k].MeanAffinity-tt.want.Circles[k].MeanAffinity) < 1e-12 {
					got.Circles[k].MeanAffinity = tt.want.Circles[k].MeanAffinity
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FormCircles = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// withAnchors sets in's anchors.
func withAnchors(in *CircleInput, anchors ...int) *CircleInput {
	in.Anchors = anchors
	return in
}

func TestFormCirclesTrainersHand(t *testing.T) {
	t.Parallel()
	// Two circles (anchors 0 and 1, each with one novice). Trainer 0 fits
	// circle 0 best (0.9) and circle 1 too (0.6); trainer 1 fits only
	// circle 0 (0.5). With one circle each, serving both circles beats
	// giving trainer 0 its best: trainer 0 → circle 1, trainer 1 →
	// circle 0 (0.6 + 0.5).
	aff := handAffinity{{2, 0}: 500, {3, 1}: 500}
	in := withAnchors(aff.input([]bool{true, true, false, false}, 2, 2), 0, 1)
	in.Trainers = 2
	in.TrainerAffinity = func(tr, a int, members []int) (float64, bool) {
		v, ok := map[[2]int]float64{{0, 0}: 0.9, {0, 1}: 0.6, {1, 0}: 0.5}[[2]int{tr, a}]
		return v, ok
	}
	got, err := FormCircles(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Circles) != 2 || !slices.Equal(got.Circles[0].Trainers, []int{1}) || !slices.Equal(got.Circles[1].Trainers, []int{0}) {
		t.Errorf("FormCircles circles = %+v, want trainer 1 with circle 0 and trainer 0 with circle 1", got.Circles)
	}
	// With two circles per trainer and two trainers per circle, trainer 0
	// serves both and trainer 1 joins circle 0.
	in.TrainerLoad, in.TrainersPerCircle = 2, 2
	got, err = FormCircles(in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Circles[0].Trainers, []int{0, 1}) || !slices.Equal(got.Circles[1].Trainers, []int{0}) {
		t.Errorf("FormCircles circles = %+v, want trainers [0 1] and [0]", got.Circles)
	}
}

func TestFormCirclesErrors(t *testing.T) {
	t.Parallel()
	ok := func(m, a int) (float64, bool) { return 0.5, true }
	exp := []bool{true, false, true}
	tests := []struct {
		name string
		in   CircleInput
	}{
		{"min zero", CircleInput{Experienced: exp, Affinity: ok, Min: 0, Max: 3}},
		{"max below min", CircleInput{Experienced: exp, Affinity: ok, Min: 3, Max: 2}},
		{"no affinity", CircleInput{Experienced: exp, Min: 1, Max: 3}},
		{"negative circles", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, Circles: -1}},
		{"too many circles", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, Circles: 3}},
		{"anchor out of range", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, Anchors: []int{3}}},
		{"anchor not experienced", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, Anchors: []int{1}}},
		{"anchor twice", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, Anchors: []int{0, 0}}},
		{"no trainer affinity", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, Trainers: 2}},
		{"negative load", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, TrainerLoad: -1}},
		{"NaN affinity", CircleInput{Experienced: exp, Affinity: func(m, a int) (float64, bool) { return math.NaN(), true }, Min: 1, Max: 3}},
		{"affinity above 1", CircleInput{Experienced: exp, Affinity: func(m, a int) (float64, bool) { return 1.5, true }, Min: 1, Max: 3}},
		{"trainer affinity below -1", CircleInput{Experienced: exp, Affinity: ok, Min: 1, Max: 3, Trainers: 1,
			TrainerAffinity: func(tr, a int, members []int) (float64, bool) { return -2, true }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := FormCircles(&tt.in)
			if !errors.Is(err, ErrCircleInput) {
				t.Errorf("FormCircles = %+v, %v; want an error wrapping ErrCircleInput", res, err)
			}
		})
	}
}

func TestFormCirclesEmpty(t *testing.T) {
	t.Parallel()
	res, err := FormCircles(&CircleInput{Min: 1, Max: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Circles) != 0 || len(res.Unplaced) != 0 || res.Rounds != 1 {
		t.Errorf("FormCircles(no members) = %+v, want nothing", res)
	}
	// Nobody experienced: everyone is unplaced, with no circle to reach.
	res, err = FormCircles(&CircleInput{Experienced: []bool{false, false}, Affinity: func(m, a int) (float64, bool) { return 1, true }, Min: 1, Max: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []UnplacedMember{{0, UnplacedNoCircle}, {1, UnplacedNoCircle}}
	if len(res.Circles) != 0 || !slices.Equal(res.Unplaced, want) {
		t.Errorf("FormCircles(no experienced) = %+v, want everyone unplaced: %v", res, want)
	}
}

// BenchmarkFormCircles forms circles of 5 to 12 from 2,000 members, 300 of
// them experienced, on a map where each member reaches the anchors within
// a fifth of its width that share a language, and assigns 40 trainers
// serving up to 3 circles each.
func BenchmarkFormCircles(b *testing.B) {
	r := rand.New(rand.NewPCG(2000, 300))
	w := randomCircleWorld(r, 2000, 0, 0.2, 40)
	for _, m := range r.Perm(2000)[:300] {
		w.experienced[m] = true
	}
	in := w.input(5, 12)
	in.TrainerLoad = 3
	b.ReportAllocs()
	var res *CircleResult
	for b.Loop() {
		var err error
		if res, err = FormCircles(in); err != nil {
			b.Fatal(err)
		}
	}
	placed := 0
	for _, c := range res.Circles {
		placed += len(c.Members)
	}
	if len(res.Circles) == 0 || placed+len(res.Unplaced) != 2000 {
		b.Fatalf("FormCircles formed %d circles placing %d, with %d unplaced, of 2000", len(res.Circles), placed, len(res.Unplaced))
	}
	b.ReportMetric(float64(len(res.Circles)), "circles")
	b.ReportMetric(float64(len(res.Unplaced)), "unplaced")
	b.ReportMetric(float64(res.Rounds), "rounds")
}
