package matcher

import (
	"cmp"
	"fmt"
	"slices"
)

// Feature is one component of a pair's score: a number in [0, 1], where 1
// is the best fit. The weights of a round say how much each counts.
type Feature int

// The features, in the order of a Breakdown.
const (
	// FeatureTheme is the TF-IDF-weighted cosine similarity of the two
	// sides' themes (a community's needs), over the round's vocabulary:
	// sharing a rare theme counts more than sharing a common one.
	FeatureTheme Feature = iota
	// FeatureLanguage is the share of the person's working languages the
	// host also works in (the hard rule already requires one in common).
	FeatureLanguage
	// FeatureGeography is closeness for internships and visits by travel
	// (1 at the same place, falling with great-circle distance), and for
	// peer exchanges a bonus for crossing regions.
	FeatureGeography
	// FeatureAvailability is how much of the person's availability
	// window the host's availability covers.
	FeatureAvailability
	// FeaturePreference is 1 for the person's first-ranked host, falling
	// with rank, and 0 for an unranked host.
	FeaturePreference
	// FeatureExperience is the experience gap: high when a novice meets
	// an experienced host or member.
	FeatureExperience

	// NumFeatures is the number of features.
	NumFeatures = int(iota)
)

// featureNames are the names of the features in weights files, round
// records and explanations.
var featureNames = [NumFeatures]string{"theme", "language", "geography", "availability", "preference", "experience"}

// String returns the feature's name, as weights files spell it.
func (f Feature) String() string {
	if f < 0 || int(f) >= NumFeatures {
		return fmt.Sprintf("Feature(%d)", int(f))
	}
	return featureNames[f]
}

// Breakdown holds a pair's value of every feature, indexed by Feature.
type Breakdown [NumFeatures]float64

// Rule is a hard constraint: a pair that breaks one is never matched.
type Rule string

// The hard rules. Each names why a pair was not a candidate, so every
// unmatched person can be told.
const (
	RuleNoSharedLanguage Rule = "no_shared_language"   // no working language in common
	RuleAvailability     Rule = "availability"         // windows overlap by less than the activity lasts
	RuleOwnOrganization  Rule = "own_organization"     // the host is the person's own organisation
	RuleExcluded         Rule = "excluded"             // the manager excluded the pair
	RuleNoCapacity       Rule = "no_capacity"          // the host has no place for this activity
	RuleSameRegion       Rule = "same_region"          // the round forbids pairs within one region
	RuleBelowThreshold   Rule = "below_threshold"      // the score is below the round's threshold
	RuleNotInTopK        Rule = "not_in_top_k"         // admissible, but not among the person's K best
	RuleSameEntity       Rule = "same_entity"          // an organisation cannot visit itself
	RuleMutualPair       Rule = "mutual_pair_excluded" // the round forbids A↔B exchanges both ways
	RuleCircleDissolved  Rule = "circle_dissolved"     // the study circle stayed below its minimum size
)

// Side is one entity of an assignment problem: a person or organisation on
// the left (who goes), or a host or community on the right (where).
type Side struct {
	ID     string
	Region string
	// Amount is how many matches the side takes part in at most: 1 for a
	// person, the visits a leader can make, a host's places.
	Amount int
}

// Candidate is an admissible pair and its score.
type Candidate struct {
	Left, Right int // indices into Problem.Left and Problem.Right
	// Score is the weighted mean of Breakdown, in [0, 1].
	Score     float64
	Breakdown Breakdown
}

// Rejection is a pair a hard rule removed, kept so that an unmatched person
// can be told why each host was out of reach.
type Rejection struct {
	Left, Right int
	Rule        Rule
}

// Quota bounds how many matches go to left sides of some regions, as a
// share of the matches the round makes without quotas: at least Min and at
// most Max (0 and 1 leave a bound off). With Outside, the regions listed are
// the ones not counted ("at least 60% to people from outside Tbilisi").
type Quota struct {
	Regions []string `json:"regions"`
	Outside bool     `json:"outside,omitempty"`
	Min     float64  `json:"min,omitempty"`
	Max     float64  `json:"max,omitempty"`
}

// Problem is a capacitated assignment: every left side is matched to at
// most Amount right sides and every right side receives at most Amount,
// over the candidate pairs only, maximising the total score. Candidates are
// sorted by (Left, Right) with no pair twice.
type Problem struct {
	Left, Right []Side
	Candidates  []Candidate
	Rejections  []Rejection
	// Pins are candidate indices that must be matched.
	Pins []int
	// Quotas bound the share of matches per group of left regions.
	Quotas []Quota
}

// find returns the index of the candidate pairing left with right, or where
// it would be inserted and false: candidates are sorted by (Left, Right).
func (p *Problem) find(left, right int) (int, bool) {
	return slices.BinarySearchFunc(p.Candidates, [2]int{left, right}, func(c Candidate, k [2]int) int {
		return cmp.Or(cmp.Compare(c.Left, k[0]), cmp.Compare(c.Right, k[1]))
	})
}
