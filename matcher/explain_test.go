package matcher

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
)

// explainProblem is a round whose reasons are known by hand (scores in
// brackets):
//
//	p-1 → o-1 [0.80] or o-3 [0.60]; o-1 has no one else: matched to o-1.
//	p-2 → o-2 [0.81], p-3 → o-2 [0.77], p-4 → o-2 [0.70]; o-2 has 2
//	places: p-2 and p-3 (1.58 beats either pair with p-4).
//	p-4: o-1 removed (no shared language): unmatched, o-2 full.
//	p-5: every pair removed (2 × availability, 1 × no shared language).
//	p-6: amount 0, although o-3 [0.90] is a candidate.
//
// p-1's pair has breakdown (0.9, 1, 0.5, 1, 1, 0): under weights
// (3, 1, 1, 1, 2, 1), Σ = 9, its score is 7.2/9 = 0.8.
func explainProblem() (*Problem, Weights) {
	flat := func(x float64) Breakdown { return Breakdown{x, x, x, x, x, x} }
	p := &Problem{
		Left: []Side{
			{ID: "p-1", Amount: 1}, {ID: "p-2", Amount: 1}, {ID: "p-3", Amount: 1},
			{ID: "p-4", Amount: 1}, {ID: "p-5", Amount: 1}, {ID: "p-6", Amount: 0},
		},
		Right: []Side{{ID: "o-1", Amount: 1}, {ID: "o-2", Amount: 2}, {ID: "o-3", Amount: 1}},
		Candidates: []Candidate{
			{Left: 0, Right: 0, Score: 0.8, Breakdown: Breakdown{0.9, 1, 0.5, 1, 1, 0}},
			{Left: 0, Right: 2, Score: 0.6, Breakdown: flat(0.6)},
			{Left: 1, Right: 1, Score: 0.81, Breakdown: flat(0.81)},
			{Left: 2, Right: 1, Score: 0.77, Breakdown: flat(0.77)},
			{Left: 3, Right: 1, Score: 0.70, Breakdown: flat(0.70)},
			{Left: 5, Right: 2, Score: 0.90, Breakdown: flat(0.90)},
		},
		Rejections: []Rejection{
			{Left: 3, Right: 0, Rule: RuleNoSharedLanguage},
			{Left: 4, Right: 0, Rule: RuleAvailability},
			{Left: 4, Right: 1, Rule: RuleAvailability},
			{Left: 4, Right: 2, Rule: RuleNoSharedLanguage},
		},
	}
	return p, Weights{3, 1, 1, 1, 2, 1}
}

func TestExplain(t *testing.T) {
	p, w := explainProblem()
	a, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 2, 3}; !slices.Equal(a.Matched, want) {
		t.Fatalf("Solve = %v, want %v (by hand)", a.Matched, want)
	}
	ex, err := Explain(p, a, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != len(p.Left) {
		t.Fatalf("%d explanations for %d left sides", len(ex), len(p.Left))
	}

	// p-1: contributions Breakdown·w/9.
	m := ex[0].Matched
	if len(m) != 1 || m[0].Candidate != 0 || m[0].RightID != "o-1" || m[0].Rank != 1 || m[0].Candidates != 2 || ex[0].Unmatched != nil {
		t.Fatalf("p-1: %+v", ex[0])
	}
	wantContrib := []float64{2.7 / 9, 1.0 / 9, 0.5 / 9, 1.0 / 9, 2.0 / 9, 0}
	sum := 0.0
	for f, c := range m[0].Contributions {
		if c.Feature != Feature(f).String() || math.Abs(c.Value-wantContrib[f]) > 1e-12 {
			t.Errorf("p-1 contribution %d = %+v, want %s %v", f, c, Feature(f), wantContrib[f])
		}
		sum += c.Value
	}
	if math.Abs(sum-0.8) > 1e-12 {
		t.Errorf("p-1 contributions sum to %v, want the score 0.8", sum)
	}

	// p-4: o-2 full with p-2 and p-3; o-1 removed by a rule.
	u := ex[3].Unmatched
	if u == nil || len(ex[3].Matched) != 0 || u.NoCandidates || u.NoPlaces || len(u.Hosts) != 1 {
		t.Fatalf("p-4: %+v", ex[3])
	}
	h := u.Hosts[0]
	wantHolders := []Holder{{Candidate: 2, Left: 1, LeftID: "p-2", Score: 0.81}, {Candidate: 3, Left: 2, LeftID: "p-3", Score: 0.77}}
	if h.RightID != "o-2" || !h.Full || h.Places != 2 || h.Score != 0.70 || h.Rank != 1 || !slices.Equal(h.Holders, wantHolders) {
		t.Errorf("p-4's host: %+v, want o-2 full with %+v", h, wantHolders)
	}
	// The price of a place at o-2 lies between p-4's bid and the lowest
	// holder's score: p-4 would need more than it to get in.
	if h.Price < 0.70-1e-6 || h.Price > 0.77+1e-6 {
		t.Errorf("price at o-2 = %v, want within [0.70, 0.77]", h.Price)
	}
	if want := []RejectedPair{{Right: 0, RightID: "o-1", Rule: RuleNoSharedLanguage}}; !slices.Equal(u.Rejected, want) {
		t.Errorf("p-4 rejected %+v, want %+v", u.Rejected, want)
	}

	// p-5: no candidates, rules counted.
	u = ex[4].Unmatched
	wantRules := []RuleCount{{RuleAvailability, 2}, {RuleNoSharedLanguage, 1}}
	if u == nil || !u.NoCandidates || len(u.Hosts) != 0 || len(u.Rejected) != 3 || !slices.Equal(u.Rules, wantRules) {
		t.Errorf("p-5: %+v, want no candidates and rules %+v", u, wantRules)
	}
	// p-6: amount 0.
	if u := ex[5].Unmatched; u == nil || !u.NoPlaces {
		t.Errorf("p-6: %+v, want NoPlaces", ex[5].Unmatched)
	}

	wantText := []string{
		"p-1 was matched with o-1 (score 0.80, the 1st of 2 candidates): theme 0.30, preference 0.22, language 0.11, availability 0.11, geography 0.06.",
		"p-2 was matched with o-2 (score 0.81, the only candidate): theme 0.27, preference 0.18, language 0.09, geography 0.09, availability 0.09, experience 0.09.",
		"p-3 was matched with o-2 (score 0.77, the only candidate): theme 0.26, preference 0.17, language 0.09, geography 0.09, availability 0.09, experience 0.09.",
		"p-4 was not matched. Host o-2 was full: its 2 places went to p-2 (0.81), p-3 (0.77); your score there was 0.70. Hard rules removed 1 other pair (no_shared_language 1).",
		"p-5 was not matched: no host was admissible; hard rules removed 3 pairs (availability 2, no_shared_language 1).",
		"p-6 was not matched: it takes no match (amount 0).",
	}
	for l, want := range wantText {
		if got := ex[l].String(); got != want {
			t.Errorf("explanation %d:\n got %q\nwant %q", l, got, want)
		}
	}

	// The data survive JSON.
	data, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	var back []Explanation
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, ex) {
		t.Errorf("explanations changed through JSON:\n%s", data)
	}
}

func TestExplainQuota(t *testing.T) {
	// Two Tbilisi people, two hosts of one place; at most half of T = 2
	// matches to Tbilisi, so p-1 (the lower score) stays out although
	// o-1 has room.
	p := tinyProblem([]int{1, 1}, []int{1, 1}, [][3]int{{0, 0, 900}, {1, 1, 800}})
	p.Quotas = []Quota{{Regions: []string{"Tbilisi"}, Max: 0.5}}
	a, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Explain(p, a, Weights{1, 1, 1, 1, 1, 1})
	if err != nil {
		t.Fatal(err)
	}
	u := ex[1].Unmatched
	if u == nil || !slices.Equal(u.Quotas, []int{0}) || len(u.Hosts) != 1 || u.Hosts[0].Full {
		t.Fatalf("p-1: %+v, want quota 0 at its maximum and o-1 not full", u)
	}
	want := "p-1 was not matched. Host o-1 had a free place, but quota 0 was at its maximum; your score there was 0.80."
	if got := ex[1].String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestExplainInvalid(t *testing.T) {
	p, w := explainProblem()
	for _, a := range []*Assignment{nil, {Matched: []int{6}}, {Matched: []int{2, 0}}, {Matched: []int{-1}}} {
		if _, err := Explain(p, a, w); !errors.Is(err, ErrInvalidProblem) {
			t.Errorf("Explain(%+v) = %v, want ErrInvalidProblem", a, err)
		}
	}
}

func TestOrdinalEN(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd", 111: "111th"} {
		if got := ordinalEN(n); got != want {
			t.Errorf("ordinalEN(%d) = %q, want %q", n, got, want)
		}
	}
}
