package matcher

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/khidi/khidi/internal/program"
)

// Version names this matcher in the rounds it computes, so that a result
// that differs after an upgrade can be told apart from one whose input
// changed. Raise it whenever scoring or solving changes what a round gives.
const Version = "khidi-matcher/1"

// Pair names a who–where pair, as the manager writes it: "p-0042:org-tbs-007".
type Pair struct{ Who, Where string }

// String returns "who:where".
func (p Pair) String() string { return p.Who + ":" + p.Where }

// MarshalText implements encoding.TextMarshaler.
func (p Pair) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler for "who:where".
func (p *Pair) UnmarshalText(b []byte) error {
	who, where, ok := strings.Cut(string(b), ":")
	if !ok || who == "" || where == "" || strings.Contains(where, ":") {
		return fmt.Errorf("pair %q: want WHO:WHERE, such as p-0042:org-tbs-007", b)
	}
	*p = Pair{who, where}
	return nil
}

// Settings are a round's options besides its weights. They are stored with
// the round, so that a run can be repeated exactly; zero values mean the
// kind's defaults.
type Settings struct {
	// Threshold is the lowest score a pair may have to be matched, in
	// [0, 1]: a person stays unmatched rather than take a poorer match.
	Threshold float64 `json:"threshold,omitempty"`
	// TopK is how many candidates each person keeps (DefaultTopK).
	TopK int `json:"top_k,omitempty"`
	// ActivityDays is how long the activity lasts: a pair whose
	// availability overlaps less is not a candidate (DefaultActivityDays).
	ActivityDays int `json:"activity_days,omitempty"`
	// Pins must be matched; Exclusions must not.
	Pins       []Pair `json:"pins,omitempty"`
	Exclusions []Pair `json:"exclusions,omitempty"`
	// Quotas bound the share of matches per group of regions.
	Quotas []Quota `json:"quotas,omitempty"`
	// ForbidSameRegion keeps exchange visits across regions;
	// ForbidMutual forbids A↔B peer exchanges both ways.
	ForbidSameRegion bool `json:"forbid_same_region,omitempty"`
	ForbidMutual     bool `json:"forbid_mutual,omitempty"`
	// HostRegion is where internship hosts are (default Tbilisi).
	HostRegion string `json:"host_region,omitempty"`
	// VisitsPerLeader is how many community visits a CSO leader makes in
	// a year (default 2).
	VisitsPerLeader int `json:"visits_per_leader,omitempty"`
	// CircleMin and CircleMax bound a study circle's members (default 5
	// and 10); TrainerCircles is how many circles a trainer or expert
	// serves (default 2).
	CircleMin      int `json:"circle_min,omitempty"`
	CircleMax      int `json:"circle_max,omitempty"`
	TrainerCircles int `json:"trainer_circles,omitempty"`
	// Stable proposes the applicant-proposing deferred-acceptance
	// matching instead of the score-optimal one, for rounds where people
	// ranked hosts: no person and host would both rather be together, at
	// the cost of total score (the stability report shows how much).
	Stable bool `json:"stable,omitempty"`
}

// MutualGap is how far from optimal a peer exchange without mutual pairs
// may be proven: 0.5% of the score. Forbidding A↔B pairs makes the cycle
// cover NP-hard, and on realistic scores, which are nearly symmetric, the
// exact search over a few hundred CSOs runs for minutes; within 0.5% it
// ends at once, and the proposal reports the bound it proved.
const MutualGap = 0.005

// check refuses settings outside their ranges, NaN included, before
// anything (the input hash first) reads them.
func (st *Settings) check() error {
	share := func(x float64) bool { return x >= 0 && x <= 1 } // false for NaN
	if !share(st.Threshold) {
		return fmt.Errorf("threshold %v: want a number from 0 to 1: %w", st.Threshold, program.ErrInvalid)
	}
	for i, q := range st.Quotas {
		if !share(q.Min) || !share(q.Max) {
			return fmt.Errorf("quota %d: shares %v and %v: want numbers from 0 to 1: %w", i+1, q.Min, q.Max, program.ErrInvalid)
		}
		for _, r := range q.Regions {
			if strings.TrimSpace(r) != r || r == "" {
				return fmt.Errorf("quota %d: region %q: want a region's name without surrounding spaces: %w", i+1, r, program.ErrInvalid)
			}
		}
	}
	for _, n := range []int{st.TopK, st.ActivityDays, st.VisitsPerLeader, st.CircleMin, st.CircleMax, st.TrainerCircles} {
		if n < 0 {
			return fmt.Errorf("settings: %d: counts and sizes cannot be negative: %w", n, program.ErrInvalid)
		}
	}
	return nil
}

// Defaults of Settings, chosen for the programme's activities.
const (
	// DefaultInternshipDays is a month: shorter placements teach little.
	DefaultInternshipDays = 30
	// DefaultVisitDays covers a visit with travel either side.
	DefaultVisitDays = 3
	// DefaultThreshold leaves a person unmatched rather than place them
	// where less than a fifth of what counts fits.
	DefaultThreshold = 0.2
	// DefaultHostRegion is where the experienced host organisations are.
	DefaultHostRegion = "Tbilisi"
	// DefaultVisitsPerLeader: a CSO leader's two trips a year.
	DefaultVisitsPerLeader = 2
	// NoviceYears: participants with fewer years than this count as new
	// civic actors for internships.
	NoviceYears = 3
)

// Input is one round's data: its kind, weights, settings and the
// programme's records.
type Input struct {
	Kind          program.RoundKind
	Weights       Weights // all zero: DefaultWeights(Kind)
	Settings      Settings
	Organizations []program.Organization
	Participants  []program.Participant
	Communities   []program.Community
	// Progress, when not nil, is called as each stage of the work ends:
	// "score" (sides selected, pairs scored, candidates kept), "solve"
	// and "explain". The caller may time the stages or show progress;
	// the result does not depend on it.
	Progress func(stage string) `json:"-"`
}

// progress reports the end of a stage to in.Progress.
func (in *Input) progress(stage string) {
	if in.Progress != nil {
		in.Progress(stage)
	}
}

// Hash returns the hex SHA-256 of in's canonical form: the records sorted
// by id, and the kind, weights and settings, as JSON. Equal hashes mean a
// re-run computes the same proposal.
func (in *Input) Hash() string {
	c := *in
	c.Organizations = sortedByID(in.Organizations, func(o *program.Organization) program.OrgID { return o.ID })
	c.Participants = sortedByID(in.Participants, func(p *program.Participant) program.ParticipantID { return p.ID })
	c.Communities = sortedByID(in.Communities, func(c *program.Community) program.CommunityID { return c.ID })
	h := sha256.New()
	// Encoded straight into the hash: a national round's input is tens of
	// megabytes of JSON that need never be held.
	err := json.NewEncoder(h).Encode(struct {
		Version string
		Input
	}{Version, c})
	if err != nil {
		// Every field is a plain value; only a NaN fails, and
		// newProposal has refused those (weights and settings) first.
		panic("matcher: hash input: " + err.Error())
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sortedByID returns rs ordered by id: rs itself when it already is, as
// records from the store are, or a sorted copy.
func sortedByID[R any, ID cmp.Ordered](rs []R, id func(*R) ID) []R {
	byID := func(a, b R) int { return cmp.Compare(id(&a), id(&b)) }
	if slices.IsSortedFunc(rs, byID) {
		return rs
	}
	return slices.SortedFunc(slices.Values(rs), byID)
}

// ErrNoCandidates reports a round with nobody to match: no eligible people,
// no eligible hosts, or no admissible pair between them.
var ErrNoCandidates = errors.New("matcher: no eligible pairs")

// Refused reports whether err is the matcher saying a round cannot be made
// as asked — no eligible pair, conflicting pins, infeasible quotas, bad
// study-circle or peer-exchange input, a search too large — which the
// manager fixes by changing the request, as opposed to a failure.
func Refused(err error) bool {
	for _, target := range []error{ErrNoCandidates, ErrPinConflict, ErrQuotaInfeasible, ErrInvalidProblem,
		ErrCircleInput, ErrPeerInput, ErrTooManyBranches} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// Proposal is a round's answer: the matches proposed, every person's
// explanation, and what a manager reads first (the summary).
type Proposal struct {
	Kind      program.RoundKind `json:"kind"`
	Weights   Weights           `json:"weights"`
	Settings  Settings          `json:"settings"`
	InputHash string            `json:"input_hash"`
	Version   string            `json:"version"`
	// Matches are in status proposed, in the order of Problem.Candidates;
	// their RoundID is left for the store to set.
	Matches []program.Match `json:"matches"`
	// Places are the capacities of every host (or community, or circle)
	// of the round.
	Places []program.Place `json:"places"`
	// Explanations has one entry per person (or organisation) who could
	// be matched, matched or not, in Problem.Left order.
	Explanations []Explanation `json:"explanations"`
	// Stability compares the optimum with deferred acceptance when people
	// ranked hosts; nil otherwise.
	Stability *StabilityReport `json:"stability,omitempty"`
	// Cover is the peer exchange's ring of visits (peer_exchange only).
	Cover *PeerCover `json:"cover,omitempty"`
	// Circles are the study circles formed (study_circle only).
	Circles []StudyCircle `json:"circles,omitempty"`
	Summary Summary       `json:"summary"`

	// Problem and Assignment are what was solved, and Scorer scores any
	// pair of the round, for explaining a person in full.
	Problem    *Problem    `json:"-"`
	Assignment *Assignment `json:"-"`
	Scorer     *Scorer     `json:"-"`
}

// StudyCircle is one circle of a study-circle proposal, by ids.
type StudyCircle struct {
	ID           string   `json:"id"` // the circle's place id, circle-N
	Anchor       string   `json:"anchor"`
	Members      []string `json:"members"` // anchor included
	Trainers     []string `json:"trainers,omitempty"`
	MeanAffinity float64  `json:"mean_affinity"`
}

// Summary is what a manager reads first about a proposal.
type Summary struct {
	Eligible  int `json:"eligible"`  // people (or organisations) who could be matched
	Hosts     int `json:"hosts"`     // hosts (communities, circles) with places
	Matched   int `json:"matched"`   // of Eligible, those with a match
	Unmatched int `json:"unmatched"` // of Eligible, those without
	Matches   int `json:"matches"`   // pairs (a leader may make several visits)
	// MeanScore and WorstScore are over the matches.
	MeanScore  float64 `json:"mean_score"`
	WorstScore float64 `json:"worst_score"`
	// UnmatchedWhy counts the unmatched by their reason.
	UnmatchedWhy []ReasonCount `json:"unmatched_why,omitempty"`
	// Fill is per place: capacity and matches proposed.
	Fill []Fill `json:"fill"`
	// Regions is per region of the people: how many were eligible and
	// how many matched.
	Regions []RegionCount `json:"regions"`
}

// ReasonCount is how many people were left unmatched for one reason.
type ReasonCount struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// Fill is one place's use in a proposal.
type Fill struct {
	ID       string `json:"id"`
	Capacity int    `json:"capacity"`
	Used     int    `json:"used"`
}

// RegionCount is one region's people in a proposal.
type RegionCount struct {
	Region   string `json:"region"`
	Eligible int    `json:"eligible"`
	Matched  int    `json:"matched"`
}

// Propose computes a round's proposal from in: it selects who goes where
// for the kind, scores the pairs, solves exactly, and explains the result.
// The same in gives the same Proposal, byte for byte once encoded.
//
// Errors, each naming the cause: program.ErrInvalid for weights, settings
// or pins and exclusions naming nobody in the round; ErrNoCandidates when no
// pair is admissible; a *PinError for a pin that breaks a hard rule or
// exceeds a capacity; a *QuotaError for quotas no assignment meets.
func Propose(in Input) (*Proposal, error) {
	prop, err := newProposal(&in)
	if err != nil {
		return nil, err
	}
	if in.Kind == program.RoundStudyCircle {
		return proposeCircles(&in, prop)
	}
	r, err := prepare(&in, prop)
	if err != nil {
		return nil, err
	}
	// (A repair does not check exclusions: people named in stored
	// settings may have left since.)
	if err := checkExclusions(&in, r.scorer); err != nil {
		return nil, err
	}
	var a *Assignment
	switch {
	case in.Kind == program.RoundPeerExchange:
		a, prop.Cover, err = solvePeers(r.p, r.s.left, in.Settings)
	case in.Settings.Stable:
		prefs := preferences(r.p, r.s.left, r.scorer)
		if prefs == nil {
			return nil, fmt.Errorf("matcher: %s round: a stable matching needs people who ranked hosts, and nobody did: %w", in.Kind, program.ErrInvalid)
		}
		if len(r.p.Pins) > 0 || len(r.p.Quotas) > 0 {
			return nil, fmt.Errorf("matcher: %s round: a stable matching takes no pins or quotas: %w", in.Kind, program.ErrInvalid)
		}
		if a, err = DeferredAcceptance(r.p, prefs); err == nil {
			// The report compares the stable matching with the optimum.
			r.optimum, err = Solve(r.p)
		}
	default:
		a, err = Solve(r.p)
	}
	if err != nil {
		return nil, fmt.Errorf("matcher: %s round: %w", in.Kind, err)
	}
	in.progress("solve")
	if err := r.finish(prop, a); err != nil {
		return nil, err
	}
	in.progress("explain")
	return prop, nil
}

// newProposal checks in's kind and weights, filling in the defaults, and
// starts its proposal.
func newProposal(in *Input) (*Proposal, error) {
	if !in.Kind.Valid() {
		return nil, fmt.Errorf("matcher: round kind %q: want one of %v: %w", in.Kind, program.AllRoundKinds(), program.ErrInvalid)
	}
	if in.Weights == (Weights{}) {
		in.Weights = DefaultWeights(in.Kind)
	}
	if err := in.Weights.Check(); err != nil {
		return nil, fmt.Errorf("matcher: %s round: %w", in.Kind, err)
	}
	if err := in.Settings.check(); err != nil {
		return nil, fmt.Errorf("matcher: %s round: %w", in.Kind, err)
	}
	return &Proposal{Kind: in.Kind, Weights: in.Weights, Settings: in.Settings, InputHash: in.Hash(), Version: Version}, nil
}

// pairRound is a round of pairs (every kind but study circles) ready to
// solve: its sides, scorer and problem, pins and quotas included.
type pairRound struct {
	in     *Input
	s      sides
	scorer *Scorer
	p      *Problem
	// inserted reports whether the last call of candidate added one.
	inserted bool
	// shared reports that p.Candidates is a RepairPlan's, to be copied
	// before candidate changes it.
	shared bool
	// optimum is the score-optimal assignment when the proposal is
	// another (the stable one), for the stability report.
	optimum *Assignment
}

// prepare selects the sides of in, scores them and builds the problem.
func prepare(in *Input, prop *Proposal) (*pairRound, error) {
	s := sidesOf(in)
	if len(s.left) == 0 || len(s.right) == 0 {
		return nil, fmt.Errorf("matcher: %s round: %d who can go, %d places to go to: %w", in.Kind, len(s.left), len(s.right), ErrNoCandidates)
	}
	opts := ScoreOptions{
		Kind: in.Kind, Weights: in.Weights, MinOverlapDays: activityDays(in),
		ForbidSameRegion:    in.Settings.ForbidSameRegion && in.Kind != program.RoundPeerExchange, // the cycle cover applies it
		SameEntityForbidden: in.Kind == program.RoundPeerExchange,
		Threshold:           cmp.Or(in.Settings.Threshold, DefaultThreshold),
		TopK:                in.Settings.TopK,
	}
	for _, x := range in.Settings.Exclusions {
		opts.Exclusions = append(opts.Exclusions, [2]string{x.Who, x.Where})
	}
	scorer, err := NewScorer(s.left, s.right, opts)
	if err != nil {
		return nil, fmt.Errorf("matcher: %s round: %w", in.Kind, err)
	}
	p, err := scorer.Problem(s.leftAmount, s.rightAmount)
	if err != nil {
		return nil, fmt.Errorf("matcher: %s round: %w", in.Kind, err)
	}
	// Pins first: a pin below the threshold is a candidate even when it
	// is the round's only one.
	if err := pin(p, scorer, in.Settings.Pins); err != nil {
		return nil, fmt.Errorf("matcher: %s round: %w", in.Kind, err)
	}
	if len(p.Candidates) == 0 {
		return nil, fmt.Errorf("matcher: %s round: %d who can go and %d places, but no admissible pair (%s): %w",
			in.Kind, len(s.left), len(s.right), rejectionSummary(p), ErrNoCandidates)
	}
	p.Quotas = in.Settings.Quotas
	prop.Problem, prop.Scorer = p, scorer
	in.progress("score")
	return &pairRound{in: in, s: s, scorer: scorer, p: p}, nil
}

// finish fills prop from the assignment a of r: explanations, stability,
// matches, places and the summary.
func (r *pairRound) finish(prop *Proposal, a *Assignment) error {
	p, kind := r.p, r.in.Kind
	prop.Assignment = a
	var err error
	if prop.Explanations, err = Explain(p, a, r.in.Weights); err != nil {
		return fmt.Errorf("matcher: %s round: %w", kind, err)
	}
	if prefs := preferences(p, r.s.left, r.scorer); prefs != nil {
		if prop.Stability, err = Stability(p, cmp.Or(r.optimum, a), prefs); err != nil {
			return fmt.Errorf("matcher: %s round: %w", kind, err)
		}
	}
	prop.Matches = make([]program.Match, len(a.Matched))
	for i, e := range a.Matched {
		prop.Matches[i] = r.match(e)
	}
	for _, side := range p.Right {
		prop.Places = append(prop.Places, program.Place{ID: side.ID, Capacity: side.Amount})
	}
	prop.Summary = summarise(p, a, prop.Explanations)
	return nil
}

// match returns candidate e of r as a proposed match.
func (r *pairRound) match(e int) program.Match {
	c := r.p.Candidates[e]
	m := program.Match{Status: program.OfferProposed, Score: c.Score, Breakdown: breakdownMap(c.Breakdown)}
	r.s.set(&m, c.Left, c.Right)
	return m
}

// Repaired is a round re-solved after some of its offers were declined,
// expired or withdrawn.
type Repaired struct {
	// Proposal is the round as it now stands: every live match (accepted,
	// kept and new), explained; nil from a RepairPlan without Explain.
	Proposal *Proposal `json:"proposal,omitempty"`
	// New are the matches to offer, in status proposed: seats freed by a
	// decline, filled from people without an offer.
	New []program.Match `json:"new"`
	// Withdrawn are the open offers (from prior, with their ids) that the
	// repair could not keep, or whose pair the data no longer admits.
	Withdrawn []program.Match `json:"withdrawn"`
	// Kept counts the open offers kept, Accepted the accepted ones.
	Kept, Accepted int
}

// RepairRound re-solves the round of in after hosts answered some of its
// offers, disturbing as few people as it can (see Repair): prior are the
// round's matches with their statuses. Accepted matches stay; declined,
// expired and withdrawn pairs are never offered again; open offers are
// kept unless keeping them is impossible; freed places go to people without
// an offer, best total score first. in must be the round's input as it is
// now (people who left the programme removed). Peer exchanges and study
// circles, whose structures a single decline breaks, are re-run instead.
// It is PrepareRepair followed by RepairPlan.Repair, with the repaired
// proposal explained.
func RepairRound(in Input, prior []program.Match) (*Repaired, error) {
	plan, err := PrepareRepair(in)
	if err != nil {
		return nil, err
	}
	plan.Explain = true
	return plan.Repair(prior)
}

// RepairPlan is a round made ready for repairs: its sides selected and
// scored, which does not depend on the answers so far. A service prepares
// it before taking the round's lock, and keeps it for the round's next
// repairs while the programme does not change, so that the scoring, most
// of a repair's work, neither holds other answers up nor is done again.
// It is safe for concurrent use.
type RepairPlan struct {
	// Explain makes Repair return the repaired proposal, explained
	// (Repaired.Proposal); a service that needs only the changes leaves it
	// off, which saves most of a repair's time, and Repaired.Proposal is
	// then nil.
	Explain bool

	mu   sync.Mutex
	in   Input
	prop Proposal
	r    pairRound
	// byRight lists the candidates of each right side, ascending, for
	// Ledger.Refill.
	byRight [][]int32
}

// PrepareRepair selects and scores the round of in for a repair; see
// RepairRound.
func PrepareRepair(in Input) (*RepairPlan, error) {
	prop, err := newProposal(&in)
	if err != nil {
		return nil, err
	}
	if in.Kind == program.RoundPeerExchange || in.Kind == program.RoundStudyCircle {
		return nil, fmt.Errorf("matcher: %s round: repair keeps pairs, but a %s is a whole structure; run the round again: %w", in.Kind, in.Kind, program.ErrInvalid)
	}
	in.Settings.Pins = nil // accepted offers are the pins now
	plan := &RepairPlan{in: in}
	r, err := prepare(&plan.in, prop)
	if err != nil {
		return nil, err
	}
	plan.prop, plan.r = *prop, *r
	count := make([]int, len(r.p.Right))
	for _, c := range r.p.Candidates {
		count[c.Right]++
	}
	plan.byRight = make([][]int32, len(r.p.Right))
	for i, n := range count {
		plan.byRight[i] = make([]int32, 0, n)
	}
	for i, c := range r.p.Candidates {
		plan.byRight[c.Right] = append(plan.byRight[c.Right], int32(i))
	}
	return plan, nil
}

// Repair re-solves the prepared round given its matches prior, as
// RepairRound does. A repair that must add pairs to keep them (pairs cut
// by the top K) adds them to its own copy of the candidates, so the plan
// serves the next.
func (plan *RepairPlan) Repair(prior []program.Match) (*Repaired, error) {
	plan.mu.Lock()
	defer plan.mu.Unlock()
	in, prop, r := &plan.in, plan.prop, plan.r
	p := *r.p
	r.p, prop.Problem, r.shared = &p, &p, true
	priors := make([]Prior, 0, len(prior))
	byCandidate := map[int]program.Match{}
	var gone []program.Match // open offers whose pair left the round
	for _, m := range prior {
		who, where := string(m.ParticipantID)+string(m.VisitorID), m.Place()
		e, err := r.candidate(who, where, m.Status == program.OfferAccepted)
		if err != nil {
			return nil, fmt.Errorf("matcher: repair %s round: match %d: %w", in.Kind, m.ID, err)
		}
		if e < 0 {
			if m.Status == program.OfferOffered || m.Status == program.OfferProposed {
				gone = append(gone, m)
			}
			continue // a pair no longer in the round: nothing else to keep or avoid
		}
		// Inserting a candidate renumbers those after it.
		if r.inserted {
			for i := range priors {
				if priors[i].Candidate >= e {
					priors[i].Candidate++
				}
			}
			shifted := map[int]program.Match{}
			for c, pm := range byCandidate {
				if c >= e {
					c++
				}
				shifted[c] = pm
			}
			byCandidate = shifted
		}
		priors = append(priors, Prior{Candidate: e, Status: m.Status})
		byCandidate[e] = m
	}
	var (
		ch  *Changes
		err error
	)
	if !plan.Explain {
		// Without explanations no Assignment is needed, and when the
		// answers only freed places the smaller problem gives Repair's
		// result exactly (see FillFreed).
		var ok bool
		if ch, ok, err = FillFreed(r.p, priors); err != nil {
			return nil, fmt.Errorf("matcher: repair %s round: %w", in.Kind, err)
		}
		if !ok {
			ch = nil
		}
	}
	out := &Repaired{}
	if ch == nil {
		var a *Assignment
		if a, ch, err = Repair(r.p, priors, RepairOptions{}); err != nil {
			return nil, fmt.Errorf("matcher: repair %s round: %w", in.Kind, err)
		}
		if plan.Explain {
			if err := r.finish(&prop, a); err != nil {
				return nil, err
			}
			out.Proposal = &prop
		}
	}
	out.Kept, out.Accepted = len(ch.Kept), len(ch.Accepted)
	for _, e := range ch.New {
		out.New = append(out.New, r.match(e))
	}
	for _, e := range ch.Withdrawn {
		out.Withdrawn = append(out.Withdrawn, byCandidate[e])
	}
	out.Withdrawn = append(out.Withdrawn, gone...)
	return out, nil
}

// candidate returns the index of the candidate pairing who with where,
// adding it when the pair is admissible but was cut by the top K (and, for
// an accepted pair, even when the data now breaks a rule: an acceptance
// stands). It returns −1 for a pair whose sides are no longer in the round.
// r.inserted reports whether a candidate was added.
func (r *pairRound) candidate(who, where string, accepted bool) (int, error) {
	r.inserted = false
	l, okL := r.scorer.LeftIndex(who)
	rt, okR := r.scorer.RightIndex(where)
	if !okL || !okR {
		if accepted {
			return 0, fmt.Errorf("accepted pair %s:%s is no longer in the round (%s left it); withdraw it first: %w", who, where,
				map[bool]string{true: where, false: who}[okL], program.ErrConflict)
		}
		return -1, nil
	}
	i, found := r.p.find(l, rt)
	if found {
		return i, nil
	}
	bd, score, rule := r.scorer.Pair(l, rt)
	if rule != "" && rule != RuleBelowThreshold && !accepted {
		return -1, nil // now inadmissible: never offered again, and withdrawn if open
	}
	if r.shared {
		// The candidates belong to a RepairPlan: insert into a copy.
		r.p.Candidates, r.shared = slices.Clone(r.p.Candidates), false
	}
	r.p.Candidates = slices.Insert(r.p.Candidates, i, Candidate{Left: l, Right: rt, Score: score, Breakdown: bd})
	r.inserted = true
	return i, nil
}

// checkExclusions refuses an exclusion naming someone or somewhere not in
// the round: a mistyped one would otherwise exclude nothing, silently.
func checkExclusions(in *Input, s *Scorer) error {
	for _, x := range in.Settings.Exclusions {
		_, okL := s.LeftIndex(x.Who)
		_, okR := s.RightIndex(x.Where)
		if !okL || !okR {
			return fmt.Errorf("matcher: %s round: exclusion %s: %s is not in this round (check the id and that the round's kind takes it): %w",
				in.Kind, x, map[bool]string{true: x.Where, false: x.Who}[okL], program.ErrInvalid)
		}
	}
	return nil
}

// pin turns the manager's pins into candidate indices of p. A pin of an
// admissible pair that scoring left out of the top K is added as a
// candidate; a pin that breaks a hard rule is an error naming the rule.
func pin(p *Problem, s *Scorer, pins []Pair) error {
	for _, pr := range pins {
		l, okL := s.LeftIndex(pr.Who)
		r, okR := s.RightIndex(pr.Where)
		if !okL || !okR {
			return fmt.Errorf("pin %s: %s is not in this round (check the id and that the round's kind takes it): %w",
				pr, map[bool]string{true: pr.Where, false: pr.Who}[okL], program.ErrInvalid)
		}
		i, found := p.find(l, r)
		if !found {
			bd, score, rule := s.Pair(l, r)
			if rule == "" && p.Right[r].Amount == 0 {
				rule = RuleNoCapacity
			}
			if rule != "" && rule != RuleBelowThreshold {
				return fmt.Errorf("pin %s breaks the rule %q; remove the pin or fix the data: %w", pr, rule, program.ErrInvalid)
			}
			// Below the threshold or outside the top K: the manager's
			// pin overrides scoring's cut, not a hard rule.
			p.Candidates = slices.Insert(p.Candidates, i, Candidate{Left: l, Right: r, Score: score, Breakdown: bd})
			for j := range p.Pins {
				if p.Pins[j] >= i {
					p.Pins[j]++
				}
			}
		}
		p.Pins = append(p.Pins, i)
	}
	slices.Sort(p.Pins)
	p.Pins = slices.Compact(p.Pins)
	return nil
}

// solvePeers solves a peer exchange as a cycle cover of the organisations
// and returns it also as an Assignment of p, for explanations.
func solvePeers(p *Problem, orgs []Profile, st Settings) (*Assignment, *PeerCover, error) {
	opts := &CycleOptions{ForbidMutual: st.ForbidMutual}
	if st.ForbidMutual {
		opts.Gap = MutualGap
	}
	if st.ForbidSameRegion {
		opts.Regions = make([]string, len(orgs))
		for i := range orgs {
			opts.Regions[i] = orgs[i].Region
		}
	}
	if len(p.Pins) > 0 {
		return nil, nil, fmt.Errorf("peer exchange: pins are not supported; exclude the pairs you do not want instead: %w", program.ErrInvalid)
	}
	if len(p.Quotas) > 0 {
		return nil, nil, fmt.Errorf("peer exchange: quotas are not supported (every organisation visits and hosts at most once); use ForbidSameRegion instead: %w", program.ErrInvalid)
	}
	cover, err := CycleCover(len(orgs), p.Candidates, opts)
	if err != nil {
		return nil, nil, err
	}
	a := &Assignment{}
	for e, c := range p.Candidates {
		if cover.Visits[c.Left] == c.Right {
			a.Matched = append(a.Matched, e)
			a.Score += c.Score
		}
	}
	return a, cover, nil
}

// preferences returns each left side's ranked hosts as right indices, or
// nil when nobody ranked any or some side takes several matches (deferred
// acceptance is defined here for one match each).
func preferences(p *Problem, left []Profile, s *Scorer) [][]int {
	prefs := make([][]int, len(left))
	any := false
	for l := range left {
		if p.Left[l].Amount > 1 {
			return nil
		}
		for _, id := range left[l].Preferences {
			if r, ok := s.RightIndex(id); ok {
				prefs[l] = append(prefs[l], r)
				any = true
			}
		}
	}
	if !any {
		return nil
	}
	return prefs
}

// breakdownMap returns b by feature name, as program.Match stores it
// (BreakdownFromMap reads it back).
func breakdownMap(b Breakdown) map[string]float64 {
	m := make(map[string]float64, NumFeatures)
	for f, v := range b {
		m[Feature(f).String()] = v
	}
	return m
}

// rejectionSummary counts p's rejections by rule, for an error message.
func rejectionSummary(p *Problem) string {
	counts := map[Rule]int{}
	for _, r := range p.Rejections {
		counts[r.Rule]++
	}
	var parts []string
	for _, r := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", r, counts[r]))
	}
	if len(parts) == 0 {
		return "no pair shares a theme or passes the threshold"
	}
	return "pairs removed by rule: " + strings.Join(parts, ", ")
}

// summarise counts what a manager reads first.
func summarise(p *Problem, a *Assignment, exps []Explanation) Summary {
	s := Summary{Eligible: len(p.Left), Hosts: len(p.Right), Matches: len(a.Matched), WorstScore: 1}
	used := make([]int, len(p.Right))
	matched := make([]bool, len(p.Left))
	for _, e := range a.Matched {
		c := p.Candidates[e]
		used[c.Right]++
		matched[c.Left] = true
		s.MeanScore += c.Score
		s.WorstScore = min(s.WorstScore, c.Score)
	}
	if len(a.Matched) > 0 {
		s.MeanScore /= float64(len(a.Matched))
	} else {
		s.WorstScore = 0
	}
	regions := map[string]*RegionCount{}
	why := map[string]int{}
	for l, side := range p.Left {
		rc := regions[side.Region]
		if rc == nil {
			rc = &RegionCount{Region: side.Region}
			regions[side.Region] = rc
		}
		rc.Eligible++
		if matched[l] {
			s.Matched++
			rc.Matched++
			continue
		}
		s.Unmatched++
		why[unmatchedKind(exps[l].Unmatched)]++
	}
	for r, side := range p.Right {
		s.Fill = append(s.Fill, Fill{ID: side.ID, Capacity: side.Amount, Used: used[r]})
	}
	for _, name := range slices.Sorted(maps.Keys(regions)) {
		s.Regions = append(s.Regions, *regions[name])
	}
	for _, reason := range slices.Sorted(maps.Keys(why)) {
		s.UnmatchedWhy = append(s.UnmatchedWhy, ReasonCount{reason, why[reason]})
	}
	return s
}

// unmatchedKind names the kind of reason u gives, for counting.
func unmatchedKind(u *UnmatchedReason) string {
	switch {
	case u == nil:
		return "matched elsewhere"
	case u.NoPlaces:
		return "takes no places"
	case u.NoCandidates:
		return "no admissible host"
	case len(u.Quotas) > 0:
		return "regional quota reached"
	}
	return "candidate hosts full"
}
