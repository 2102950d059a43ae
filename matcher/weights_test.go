package matcher

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

// TestDefaultWeights checks the documented table's promises: every kind's
// weights are valid, preference counts only where people rank hosts, and
// language is left out for communities, which list none.
func TestDefaultWeights(t *testing.T) {
	for _, kind := range program.AllRoundKinds() {
		w := DefaultWeights(kind)
		if err := w.Check(); err != nil {
			t.Errorf("DefaultWeights(%s) = %v: %v", kind, w, err)
		}
		if pref := w[FeaturePreference] > 0; pref != (kind == program.RoundInternship) {
			t.Errorf("DefaultWeights(%s) preference = %v; want > 0 only for internships", kind, w[FeaturePreference])
		}
		if w[FeatureTheme] < w[FeatureLanguage] {
			t.Errorf("DefaultWeights(%s) = %v: themes should lead", kind, w)
		}
	}
	if w := DefaultWeights(program.RoundCommunityVisit); w[FeatureLanguage] != 0 || w[FeatureGeography] <= w[FeatureAvailability] {
		t.Errorf("DefaultWeights(community_visit) = %v; want no language and travel counting most after themes", w)
	}
	if err := DefaultWeights("hackathon").Check(); err != nil {
		t.Errorf("DefaultWeights of an unknown kind: %v", err)
	}
}

// TestWeightsMapRoundTrip checks that Map and WeightsFromMap are inverse,
// on every kind's defaults and on random weights.
func TestWeightsMapRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var cases []Weights
	for _, kind := range program.AllRoundKinds() {
		cases = append(cases, DefaultWeights(kind))
	}
	for range 100 {
		var w Weights
		for f := range w {
			w[f] = rng.ExpFloat64()
			if rng.IntN(4) == 0 {
				w[f] = 0
			}
		}
		cases = append(cases, w)
	}
	for _, w := range cases {
		m := w.Map()
		if len(m) != NumFeatures {
			t.Fatalf("%v.Map() has %d entries, want %d", w, len(m), NumFeatures)
		}
		for f := range NumFeatures {
			if m[Feature(f).String()] != w[f] {
				t.Errorf("%v.Map()[%q] = %v, want %v", w, Feature(f), m[Feature(f).String()], w[f])
			}
		}
		got, err := WeightsFromMap(m)
		if err != nil || got != w {
			t.Errorf("WeightsFromMap(%v.Map()) = %v, %v", w, got, err)
		}
		// String and Set round-trip as well.
		var back Weights
		if err := back.Set(w.String()); err != nil || back != w {
			t.Errorf("Set(%q) = %v, %v; want %v", w.String(), back, err, w)
		}
	}
	// A feature a stored round does not name weighs 0.
	if got, err := WeightsFromMap(map[string]float64{"theme": 2}); err != nil || got != (Weights{2}) {
		t.Errorf(`WeightsFromMap({"theme": 2}) = %v, %v; want only theme 2`, got, err)
	}
}

// TestWeightsFromMapErrors checks that every bad entry is reported, by
// name, in name order.
func TestWeightsFromMapErrors(t *testing.T) {
	_, err := WeightsFromMap(map[string]float64{
		"theme": 1, "themes": 2, "language": -1, "geography": math.NaN(), "experience": math.Inf(1),
	})
	want := []string{
		`field "experience": weight +Inf is not finite; write a non-negative number such as 1.5`,
		`field "geography": weight NaN is not finite; write a non-negative number such as 1.5`,
		`field "language": weight -1 is negative; use 0 to leave the feature out`,
		`field "themes": unknown feature; use one of theme, language, geography, availability, preference, experience`,
	}
	if got := errorLines(err); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("WeightsFromMap errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !errors.Is(err, program.ErrInvalid) {
		t.Errorf("error %v does not wrap program.ErrInvalid", err)
	}
}

// TestWeightsSet checks the flag form of weights.
func TestWeightsSet(t *testing.T) {
	w := DefaultWeights(program.RoundInternship)
	if err := w.Set("theme=2, geography=0.5,"); err != nil {
		t.Fatal(err)
	}
	if want := (Weights{2, 1, 0.5, 1, 2, 1}); w != want {
		t.Errorf("after Set: %v, want %v", w, want)
	}
	for _, tt := range []struct{ in, want string }{
		{"theme", `field "theme": has no value; write name=value, e.g. theme=2`},
		{"theme=x", `field "theme": "x" is not a number; write a non-negative number such as 1.5`},
		{"themes=1", `field "themes": unknown feature; use one of theme, language, geography, availability, preference, experience`},
		{"theme=-2", `field "theme": weight -2 is negative; use 0 to leave the feature out`},
		{"theme=1e999", `field "theme": weight 1e999 is out of range; write a non-negative number such as 1.5`},
		{"theme=NaN", `field "theme": weight NaN is not finite; write a non-negative number such as 1.5`},
	} {
		before := w
		err := w.Set(tt.in)
		if got := strings.Join(errorLines(err), "\n"); got != tt.want {
			t.Errorf("Set(%q) error %q, want %q", tt.in, got, tt.want)
		}
		if w != before {
			t.Errorf("Set(%q) failed but changed the weights to %v", tt.in, w)
		}
	}
}

// TestParseWeights reads the weights files in testdata/weights: good.json
// overrides three weights of a base, and every other file's errors, one
// per line, must equal its .golden file.
func TestParseWeights(t *testing.T) {
	base := DefaultWeights(program.RoundInternship)
	f, err := os.Open("testdata/weights/good.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseWeights("good.json", f, base)
	if want := (Weights{2, 1, 0.5, 1, 0, 1}); err != nil || got != want {
		t.Errorf("ParseWeights(good.json) = %v, %v; want %v", got, err, want)
	}

	// A base that the file leaves invalid is reported too.
	_, err = ParseWeights("w.json", strings.NewReader(`{"theme": 1}`), Weights{0, -1})
	if got, want := strings.Join(errorLines(err), "\n"), `w.json: field "language": weight -1 is negative; use 0 to leave the feature out`; got != want {
		t.Errorf("ParseWeights with a bad base: %q, want %q", got, want)
	}

	files, err := filepath.Glob("testdata/weights/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		if name == "good.json" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			golden, err := os.ReadFile(strings.TrimSuffix(path, ".json") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseWeights(name, strings.NewReader(string(data)), base)
			if !errors.Is(err, program.ErrInvalid) {
				t.Errorf("error %v does not wrap program.ErrInvalid", err)
			}
			got := strings.Join(errorLines(err), "\n") + "\n"
			if got != string(golden) {
				t.Errorf("ParseWeights(%s) errors:\n%s\nwant (%s.golden):\n%s", name, got, strings.TrimSuffix(name, ".json"), golden)
			}
		})
	}
}

// errorLines returns err's entries one per line, as the command line
// prints them.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	var list program.ErrorList
	if !errors.As(err, &list) {
		return []string{err.Error()}
	}
	lines := make([]string, len(list))
	for i, e := range list {
		lines[i] = e.Error()
	}
	return lines
}
