package matcher

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// onlyFeature returns weights that count feature f alone, so that a pair's score
// is that feature's value.
func onlyFeature(f Feature) Weights {
	var w Weights
	w[f] = 1
	return w
}

// mustScorer builds a scorer or fails the test.
func mustScorer(t *testing.T, left, right []Profile, opts ScoreOptions) *Scorer {
	t.Helper()
	s, err := NewScorer(left, right, opts)
	if err != nil {
		t.Fatalf("NewScorer: %v", err)
	}
	return s
}

// day2027 returns the date of a day in 2027.
func day2027(month, day int) program.Date {
	return program.Date{Year: 2027, Month: time.Month(month), Day: day}
}

// scoreNear reports whether a and b agree to 1e-12.
func scoreNear(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// TestThemeCosine checks FeatureTheme on a vocabulary small enough to work
// out by hand. Four profiles: left L0 {a, b}, L1 {c}; right R0 {a},
// R1 {a, c}. So N = 4, df(a) = 3, df(b) = 1, df(c) = 2 and
//
//	idf(a) = ln(4/3) + 1 = 1.287682
//	idf(b) = ln(4)   + 1 = 2.386294
//	idf(c) = ln(2)   + 1 = 1.693147
//
//	cos(L0, R0) = a / √(a²+b²)                 = 1.287682 / 2.711554 = 0.474887
//	cos(L0, R1) = a² / (√(a²+b²)·√(a²+c²))     = 1.658125 / 5.767950 = 0.287472
//	cos(L1, R0) = 0 (nothing shared)
//	cos(L1, R1) = c / √(a²+c²)                 = 1.693147 / 2.127175 = 0.795961
func TestThemeCosine(t *testing.T) {
	left := []Profile{{ID: "L0", Themes: []string{"a", "b"}}, {ID: "L1", Themes: []string{"c", "c", ""}}}
	right := []Profile{{ID: "R0", Themes: []string{"a"}}, {ID: "R1", Themes: []string{"c", "a"}}}
	s := mustScorer(t, left, right, ScoreOptions{Weights: onlyFeature(FeatureTheme)})
	a, b, c := math.Log(4.0/3)+1, math.Log(4)+1, math.Log(2)+1
	for _, tt := range []struct {
		l, r   int
		want   float64
		approx float64 // the decimal worked out above
	}{
		{0, 0, a / math.Sqrt(a*a+b*b), 0.474887},
		{0, 1, a * a / (math.Sqrt(a*a+b*b) * math.Sqrt(a*a+c*c)), 0.287472},
		{1, 0, 0, 0},
		{1, 1, c / math.Sqrt(a*a+c*c), 0.795961},
	} {
		br, score, rule := s.Pair(tt.l, tt.r)
		if !scoreNear(br[FeatureTheme], tt.want) || math.Abs(tt.want-tt.approx) > 1e-6 || !scoreNear(score, tt.want) || rule != "" {
			t.Errorf("Pair(%d, %d) = theme %v, score %v, rule %q; want %v (≈ %v)", tt.l, tt.r, br[FeatureTheme], score, rule, tt.want, tt.approx)
		}
	}
	// Identical theme sets are similar exactly 1 (up to rounding), and a
	// profile without themes is similar to nothing.
	s = mustScorer(t, []Profile{{ID: "x", Themes: []string{"a", "b"}}, {ID: "y"}}, []Profile{{ID: "z", Themes: []string{"b", "a"}}}, ScoreOptions{Weights: onlyFeature(FeatureTheme)})
	if br, _, _ := s.Pair(0, 0); !scoreNear(br[FeatureTheme], 1) {
		t.Errorf("same themes: theme = %v, want 1", br[FeatureTheme])
	}
	if br, _, _ := s.Pair(1, 0); br[FeatureTheme] != 0 {
		t.Errorf("no themes: theme = %v, want 0", br[FeatureTheme])
	}
}

// TestLanguage checks FeatureLanguage and RuleNoSharedLanguage.
func TestLanguage(t *testing.T) {
	for _, tt := range []struct {
		name        string
		left, right []string
		want        float64
		rule        Rule
	}{
		{"one of three", []string{"ka", "en", "ru"}, []string{"en", "de"}, 1.0 / 3, ""},
		{"all", []string{"ka"}, []string{"ka", "en"}, 1, ""},
		{"two of two", []string{"hy", "ka", "hy"}, []string{"ka", "hy"}, 1, ""}, // repeats count once
		{"none", []string{"ka", "en"}, []string{"de"}, 0, RuleNoSharedLanguage},
		{"community lists none", []string{"ka"}, nil, 1, ""},
		{"person lists none", nil, []string{"ka"}, 1, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustScorer(t, []Profile{{ID: "l", Languages: tt.left}}, []Profile{{ID: "r", Languages: tt.right}}, ScoreOptions{Weights: onlyFeature(FeatureLanguage)})
			br, score, rule := s.Pair(0, 0)
			if !scoreNear(br[FeatureLanguage], tt.want) || !scoreNear(score, tt.want) || rule != tt.rule {
				t.Errorf("Pair = language %v, score %v, rule %q; want %v, %q", br[FeatureLanguage], score, rule, tt.want, tt.rule)
			}
		})
	}
}

// TestLanguageManyCodes checks language sets wider than one 64-bit word.
func TestLanguageManyCodes(t *testing.T) {
	var many []string
	for i := range 100 {
		many = append(many, string(rune('a'+i/26))+string(rune('a'+i%26)))
	}
	left := []Profile{{ID: "l", Languages: []string{many[99], many[1]}}}
	right := []Profile{{ID: "r", Languages: many[50:]}, {ID: "s", Languages: many[:60]}, {ID: "t", Languages: many[2:99]}}
	s := mustScorer(t, left, right, ScoreOptions{Weights: onlyFeature(FeatureLanguage)})
	for r, want := range []float64{0.5, 0.5, 0} {
		if br, _, _ := s.Pair(0, r); br[FeatureLanguage] != want {
			t.Errorf("Pair(0, %d) language = %v, want %v", r, br[FeatureLanguage], want)
		}
	}
}

// TestGeography checks the three geographies on distances known exactly:
// one degree along a meridian is R·π/180 = 111.19508 km, a quarter of a
// great circle R·π/2 = 10,007.54 km (R = 6,371.0088 km).
func TestGeography(t *testing.T) {
	deg := EarthRadiusKm * math.Pi / 180
	quarter := EarthRadiusKm * math.Pi / 2
	for _, tt := range []struct {
		name        string
		geo         Geography
		left, right Profile
		want        float64
	}{
		{"closeness, same place", Closeness, Profile{Lat: 41.7151, Lon: 44.8271}, Profile{Lat: 41.7151, Lon: 44.8271}, 1},
		{"closeness, one degree", Closeness, Profile{}, Profile{Lat: 1}, 1 / (1 + deg/500)},   // 0.818069
		{"closeness, quarter", Closeness, Profile{}, Profile{Lon: 90}, 1 / (1 + quarter/500)}, // 0.047585
		{"closeness, across the pole", Closeness, Profile{Lat: 89}, Profile{Lat: 89, Lon: 180}, 1 / (1 + 2*deg/500)},
		{"travel cost, one degree", TravelCost, Profile{}, Profile{Lat: -1}, 1 / (1 + deg/100)},                              // 0.473496
		{"travel cost, antipodes", TravelCost, Profile{}, Profile{Lon: 180}, 1 / (1 + 2*quarter/100)},                        // 0.004971
		{"cross region, crossing", CrossRegion, Profile{Region: "A"}, Profile{Region: "B", Lat: 1}, 0.75 + 0.25/(1+deg/500)}, // 0.954517
		{"cross region, same region", CrossRegion, Profile{Region: "A"}, Profile{Region: "A", Lat: 1}, 0.25 / (1 + deg/500)},
		{"cross region, region unknown", CrossRegion, Profile{}, Profile{Region: "B", Lat: 1}, 0.25 / (1 + deg/500)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.left.ID, tt.right.ID = "l", "r"
			s := mustScorer(t, []Profile{tt.left}, []Profile{tt.right}, ScoreOptions{Weights: onlyFeature(FeatureGeography), Geography: tt.geo})
			br, score, _ := s.Pair(0, 0)
			if !scoreNear(br[FeatureGeography], tt.want) || !scoreNear(score, tt.want) {
				t.Errorf("Pair = geography %v, score %v; want %v", br[FeatureGeography], score, tt.want)
			}
		})
	}
}

// TestAvailability checks FeatureAvailability and RuleAvailability. The
// horizon is the span of the dates the round's windows name; open ends
// reach to it.
func TestAvailability(t *testing.T) {
	w := func(from, to program.Date) program.Window { return program.Window{From: from, To: to} }
	june := w(day2027(6, 1), day2027(6, 30)) // 30 days
	for _, tt := range []struct {
		name        string
		left, right []program.Window
		minDays     int
		want        float64
		rule        Rule
	}{
		// June 21–30 of June 1–30: 10 of 30 days.
		{"partial", []program.Window{june}, []program.Window{w(day2027(6, 21), day2027(7, 31))}, 10, 10.0 / 30, ""},
		{"partial, too short", []program.Window{june}, []program.Window{w(day2027(6, 21), day2027(7, 31))}, 11, 10.0 / 30, RuleAvailability},
		// Horizon June 1 – July 31 (61 days); the open person covers it,
		// the host June 21 – July 31 (41 days).
		{"person open", nil, []program.Window{w(day2027(6, 21), day2027(7, 31)), june}, 0, 1, ""},
		{"person open, host narrower", []program.Window{w(day2027(6, 1), day2027(6, 1))}, nil, 0, 1, ""},
		{"host open", []program.Window{june}, nil, 30, 1, ""},
		{"host open, person too short", []program.Window{june}, nil, 31, 1, RuleAvailability},
		// Two stretches, 5 and 11 days, of 30: the longest is 11.
		{"two stretches", []program.Window{june}, []program.Window{w(day2027(6, 10), day2027(6, 20)), w(day2027(5, 20), day2027(6, 5))}, 11, 16.0 / 30, ""},
		{"two stretches, too short", []program.Window{june}, []program.Window{w(day2027(6, 10), day2027(6, 20)), w(day2027(5, 20), day2027(6, 5))}, 12, 16.0 / 30, RuleAvailability},
		// Adjacent windows join into one stretch of 30 days.
		{"adjacent", []program.Window{june}, []program.Window{w(day2027(6, 16), day2027(6, 30)), w(day2027(6, 1), day2027(6, 15))}, 30, 1, ""},
		{"disjoint", []program.Window{june}, []program.Window{w(day2027(8, 1), day2027(8, 31))}, 0, 0, ""},
		{"disjoint, rule", []program.Window{june}, []program.Window{w(day2027(8, 1), day2027(8, 31))}, 1, 0, RuleAvailability},
		// Open ends on both sides: from June 1 on, and until June 10: 10
		// days, bounded on both ends. The horizon is June 1–10.
		{"open ends meet", []program.Window{{From: day2027(6, 1)}}, []program.Window{{To: day2027(6, 10)}}, 10, 1, ""},
		{"open ends meet, too short", []program.Window{{From: day2027(6, 1)}}, []program.Window{{To: day2027(6, 10)}}, 11, 1, RuleAvailability},
		// Both open at the same end: the stretch never ends, so any
		// activity fits. Horizon: June 1 – June 30.
		{"unbounded", []program.Window{{From: day2027(6, 1)}}, []program.Window{{From: day2027(6, 30)}}, 400, 1.0 / 30, ""},
		// An unordered window holds no day: never available.
		{"never", []program.Window{w(day2027(6, 30), day2027(6, 1))}, []program.Window{june}, 1, 0, RuleAvailability},
		{"always, no dates in the round", nil, nil, 400, 1, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustScorer(t, []Profile{{ID: "l", Windows: tt.left}}, []Profile{{ID: "r", Windows: tt.right}},
				ScoreOptions{Weights: onlyFeature(FeatureAvailability), MinOverlapDays: tt.minDays})
			br, score, rule := s.Pair(0, 0)
			if !scoreNear(br[FeatureAvailability], tt.want) || !scoreNear(score, tt.want) || rule != tt.rule {
				t.Errorf("Pair = availability %v, score %v, rule %q; want %v, %q", br[FeatureAvailability], score, rule, tt.want, tt.rule)
			}
		})
	}
	// The horizon is the round's, not the pair's: another profile's dates
	// stretch it. Horizon June 1 – July 31 (61 days); the open person
	// has 41 of them in common with a host open from June 21.
	s := mustScorer(t, []Profile{{ID: "l"}, {ID: "m", Windows: []program.Window{june}}},
		[]Profile{{ID: "r", Windows: []program.Window{w(day2027(6, 21), day2027(7, 31))}}}, ScoreOptions{Weights: onlyFeature(FeatureAvailability)})
	if br, _, _ := s.Pair(0, 0); !scoreNear(br[FeatureAvailability], 41.0/61) {
		t.Errorf("open person, round horizon: availability = %v, want 41/61", br[FeatureAvailability])
	}
}

// TestPreference checks FeaturePreference: 1 − r/max(n, 5) for rank r of
// n, 0 when unranked.
func TestPreference(t *testing.T) {
	right := []Profile{{ID: "h0"}, {ID: "h1"}, {ID: "h2"}, {ID: "h3"}}
	for _, tt := range []struct {
		name  string
		prefs []string
		want  [4]float64
	}{
		{"three", []string{"h2", "h0", "h1"}, [4]float64{0.8, 0.6, 1, 0}},
		{"one", []string{"h3"}, [4]float64{0, 0, 0, 1}},
		{"unknown id keeps its rank", []string{"gone", "h1"}, [4]float64{0, 0.8, 0, 0}},
		{"repeat keeps the first rank", []string{"h1", "h1", "h0"}, [4]float64{0.6, 1, 0, 0}},
		{"ten", []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "h0"}, [4]float64{0.1, 0, 0, 0}},
		{"none", nil, [4]float64{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustScorer(t, []Profile{{ID: "p", Preferences: tt.prefs}}, right, ScoreOptions{Weights: onlyFeature(FeaturePreference)})
			for r, want := range tt.want {
				if br, score, _ := s.Pair(0, r); !scoreNear(br[FeaturePreference], want) || !scoreNear(score, want) {
					t.Errorf("Pair(0, %d) = preference %v, score %v; want %v", r, br[FeaturePreference], score, want)
				}
			}
		})
	}
}

// TestExperience checks FeatureExperience: max(0, right − left).
func TestExperience(t *testing.T) {
	for _, tt := range []struct{ left, right, want float64 }{
		{0.2, 1, 0.8},
		{0, 0.3, 0.3},
		{1, 0.3, 0},
		{0.5, 0.5, 0},
	} {
		s := mustScorer(t, []Profile{{ID: "l", Experience: tt.left}}, []Profile{{ID: "r", Experience: tt.right}}, ScoreOptions{Weights: onlyFeature(FeatureExperience)})
		if br, _, _ := s.Pair(0, 0); !scoreNear(br[FeatureExperience], tt.want) {
			t.Errorf("experience %v with %v = %v, want %v", tt.left, tt.right, br[FeatureExperience], tt.want)
		}
	}
}

// TestScoreWeightedMean checks a whole breakdown and its weighted mean
// under the internship defaults (3, 1, 1, 1, 2, 1; sum 9):
//
//	theme 1 (the same single theme), language ½ (ka of ka, en),
//	geography 1 (same place), availability 1 (both open),
//	preference 0.8 (second of two), experience 0.7 − 0.2 = 0.5
//	score = (3·1 + 1·½ + 1·1 + 1·1 + 2·0.8 + 1·0.5) / 9 = 7.6/9 = 0.844444
func TestScoreWeightedMean(t *testing.T) {
	left := []Profile{{ID: "p", Lat: 42, Lon: 43, Themes: []string{"media"}, Languages: []string{"ka", "en"}, Experience: 0.2, Preferences: []string{"h9", "h"}}}
	right := []Profile{{ID: "h", Lat: 42, Lon: 43, Themes: []string{"media"}, Languages: []string{"ka"}, Experience: 0.7}, {ID: "h9"}}
	s := mustScorer(t, left, right, ScoreOptions{Kind: program.RoundInternship})
	br, score, rule := s.Pair(0, 0)
	want := Breakdown{1, 0.5, 1, 1, 0.8, 0.5}
	for f := range br {
		if !scoreNear(br[f], want[f]) {
			t.Errorf("%v = %v, want %v", Feature(f), br[f], want[f])
		}
	}
	if !scoreNear(score, 7.6/9) || rule != "" {
		t.Errorf("score %v, rule %q; want %v (0.844444), no rule", score, rule, 7.6/9)
	}
	// Weights scale together without changing the score.
	s = mustScorer(t, left, right, ScoreOptions{Weights: Weights{30, 10, 10, 10, 20, 10}})
	if _, score2, _ := s.Pair(0, 0); !scoreNear(score2, score) {
		t.Errorf("weights ×10: score %v, want %v", score2, score)
	}
}

// TestRules checks each hard rule on a pair built to break it, and that a
// pair breaking several reports the first in Pair's order.
func TestRules(t *testing.T) {
	june := []program.Window{{From: day2027(6, 1), To: day2027(6, 30)}}
	person := Profile{ID: "org-a", Region: "Imereti", Themes: []string{"x"}, Languages: []string{"ka"}, Windows: june}
	host := Profile{ID: "org-b", Region: "Kakheti", Themes: []string{"x"}, Languages: []string{"ka"}, Windows: june}
	for _, tt := range []struct {
		name   string
		edit   func(l, r *Profile, o *ScoreOptions)
		want   Rule
		scored bool // whether the score is still the pair's (a rule does not change it)
	}{
		{"admissible", func(l, r *Profile, o *ScoreOptions) {}, "", true},
		{"same entity", func(l, r *Profile, o *ScoreOptions) { r.ID = l.ID; o.SameEntityForbidden = true }, RuleSameEntity, true},
		{"same entity allowed", func(l, r *Profile, o *ScoreOptions) { r.ID = l.ID }, "", true},
		{"own organisation", func(l, r *Profile, o *ScoreOptions) { l.Organization = r.ID }, RuleOwnOrganization, true},
		{"excluded", func(l, r *Profile, o *ScoreOptions) { o.Exclusions = [][2]string{{"org-a", "org-b"}} }, RuleExcluded, true},
		{"excluded the other way is not", func(l, r *Profile, o *ScoreOptions) { o.Exclusions = [][2]string{{"org-b", "org-a"}} }, "", true},
		{"no shared language", func(l, r *Profile, o *ScoreOptions) { r.Languages = []string{"en"} }, RuleNoSharedLanguage, true},
		{"same region", func(l, r *Profile, o *ScoreOptions) { r.Region = l.Region; o.ForbidSameRegion = true }, RuleSameRegion, true},
		{"same region allowed", func(l, r *Profile, o *ScoreOptions) { r.Region = l.Region }, "", true},
		{"unknown regions are not the same", func(l, r *Profile, o *ScoreOptions) { l.Region, r.Region = "", ""; o.ForbidSameRegion = true }, "", true},
		{"availability", func(l, r *Profile, o *ScoreOptions) { o.MinOverlapDays = 31 }, RuleAvailability, true},
		{"below threshold", func(l, r *Profile, o *ScoreOptions) { r.Themes = []string{"y"}; o.Threshold = 0.9 }, RuleBelowThreshold, true},
		{"several: first in order", func(l, r *Profile, o *ScoreOptions) {
			l.Organization = r.ID
			r.Languages = []string{"en"}
			o.Exclusions = [][2]string{{"org-a", "org-b"}}
			o.Threshold = 1
		}, RuleOwnOrganization, true},
		{"several: language before region", func(l, r *Profile, o *ScoreOptions) {
			r.Languages, r.Region, o.ForbidSameRegion, o.MinOverlapDays = []string{"en"}, l.Region, true, 40
		}, RuleNoSharedLanguage, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, r := person, host
			opts := ScoreOptions{Kind: program.RoundPeerExchange}
			tt.edit(&l, &r, &opts)
			s := mustScorer(t, []Profile{l}, []Profile{r}, opts)
			br, score, rule := s.Pair(0, 0)
			if rule != tt.want {
				t.Errorf("rule = %q, want %q", rule, tt.want)
			}
			if got := s.weigh(&br); score != got {
				t.Errorf("score %v is not the weighted mean %v of the breakdown", score, got)
			}
		})
	}
}

// TestNewScorerErrors checks that bad profiles and options are refused
// with errors wrapping program.ErrInvalid.
func TestNewScorerErrors(t *testing.T) {
	ok := []Profile{{ID: "a"}, {ID: "b"}}
	for _, tt := range []struct {
		name        string
		left, right []Profile
		opts        ScoreOptions
	}{
		{"repeated id", []Profile{{ID: "a"}, {ID: "a"}}, ok, ScoreOptions{Kind: program.RoundInternship}},
		{"empty id", ok, []Profile{{ID: ""}}, ScoreOptions{Kind: program.RoundInternship}},
		{"latitude", []Profile{{ID: "a", Lat: 91}}, ok, ScoreOptions{Kind: program.RoundInternship}},
		{"longitude NaN", ok, []Profile{{ID: "a", Lon: math.NaN()}}, ScoreOptions{Kind: program.RoundInternship}},
		{"experience", []Profile{{ID: "a", Experience: 1.5}}, ok, ScoreOptions{Kind: program.RoundInternship}},
		{"negative weight", ok, ok, ScoreOptions{Weights: Weights{1, -1}}},
		{"NaN weight", ok, ok, ScoreOptions{Weights: Weights{1, math.NaN()}}},
		{"no weights, no kind", ok, ok, ScoreOptions{}},
		{"no weights, unknown kind", ok, ok, ScoreOptions{Kind: "hackathon"}},
		{"geography", ok, ok, ScoreOptions{Kind: program.RoundInternship, Geography: 7}},
		{"threshold", ok, ok, ScoreOptions{Kind: program.RoundInternship, Threshold: 1.5}},
		{"threshold NaN", ok, ok, ScoreOptions{Kind: program.RoundInternship, Threshold: math.NaN()}},
		{"overlap", ok, ok, ScoreOptions{Kind: program.RoundInternship, MinOverlapDays: -1}},
		{"top k", ok, ok, ScoreOptions{Kind: program.RoundInternship, TopK: -1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewScorer(tt.left, tt.right, tt.opts)
			if !errors.Is(err, program.ErrInvalid) {
				t.Errorf("NewScorer error = %v, want one wrapping program.ErrInvalid", err)
			}
		})
	}
}

// TestScorerDefaults checks that the zero options of a kind resolve to
// the kind's documented defaults.
func TestScorerDefaults(t *testing.T) {
	for _, kind := range program.AllRoundKinds() {
		s := mustScorer(t, nil, nil, ScoreOptions{Kind: kind})
		got := s.Options()
		if got.Weights != DefaultWeights(kind) || got.Geography != DefaultGeography(kind) || got.TopK != DefaultTopK {
			t.Errorf("%s: options %+v, want default weights, geography and TopK", kind, got)
		}
	}
	s := mustScorer(t, []Profile{{ID: "p"}}, []Profile{{ID: "h"}}, ScoreOptions{Kind: program.RoundPeerExchange, TopK: 3})
	if i, ok := s.LeftIndex("p"); !ok || i != 0 {
		t.Errorf("LeftIndex(p) = %d, %v", i, ok)
	}
	if _, ok := s.RightIndex("p"); ok {
		t.Errorf("RightIndex(p) found a left side")
	}
}
