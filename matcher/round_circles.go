package matcher

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/khidi/khidi/internal/program"
)

// Defaults of a study-circle round.
const (
	// DefaultCircleMin and DefaultCircleMax bound a circle's members: few
	// enough for everyone to speak at every session, enough that a
	// session still happens when some are away.
	DefaultCircleMin = 5
	DefaultCircleMax = 10
	// DefaultTrainerCircles is how many circles a trainer or expert
	// serves.
	DefaultTrainerCircles = 2
	// DefaultCircleReachKm is how far a member may live from the circle's
	// anchor: a circle meets in person every few weeks, so members must
	// be able to get there and back in an evening.
	DefaultCircleReachKm = 60
	// ExperiencedYears: a member with this many years of civic work, or
	// from an experienced organisation, can anchor a circle.
	ExperiencedYears = 5
)

// proposeCircles forms a study-circle round: activists, CSO members and
// leaders into circles of [CircleMin, CircleMax] members around
// experienced anchors (FormCircles), then trainers and experts to the
// circles. A member's affinity to an anchor is their pair's score, and a
// member cannot join an anchor with whom a hard rule (no shared language,
// availability) forbids the pair or who lives further than
// DefaultCircleReachKm away.
//
// The proposal's Problem describes the result in the shape explanations
// read: members on the left, circles on the right (dissolved circles with
// no places), one candidate per circle a member could join (scored by the
// affinity to its anchor), and each match a member's place in its circle.
func proposeCircles(in *Input, prop *Proposal) (*Proposal, error) {
	st := in.Settings
	if len(st.Pins) > 0 || len(st.Quotas) > 0 {
		return nil, fmt.Errorf("matcher: study_circle round: pins and quotas are not supported; exclude the member:anchor pairs you do not want instead: %w", program.ErrInvalid)
	}
	minSize, maxSize := cmp.Or(st.CircleMin, DefaultCircleMin), cmp.Or(st.CircleMax, DefaultCircleMax)
	experiencedOrg := map[program.OrgID]bool{}
	for _, o := range in.Organizations {
		experiencedOrg[o.ID] = o.Experienced
	}
	var members, trainers []Profile
	var experienced []bool
	for _, p := range in.Participants {
		switch p.Role {
		case program.RoleTrainer, program.RoleExpert:
			trainers = append(trainers, ParticipantProfile(p))
		default:
			members = append(members, ParticipantProfile(p))
			experienced = append(experienced, p.ExperienceYears >= ExperiencedYears || experiencedOrg[p.OrganizationID])
		}
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("matcher: study_circle round: no participants to form circles: %w", ErrNoCandidates)
	}
	opts := ScoreOptions{Kind: program.RoundStudyCircle, Weights: in.Weights, MinOverlapDays: activityDays(in),
		SameEntityForbidden: true, Threshold: cmp.Or(st.Threshold, DefaultThreshold)}
	for _, x := range st.Exclusions {
		opts.Exclusions = append(opts.Exclusions, [2]string{x.Who, x.Where})
	}
	ms, err := NewScorer(members, members, opts)
	if err != nil {
		return nil, fmt.Errorf("matcher: study_circle round: %w", err)
	}
	if err := checkExclusions(in, ms); err != nil {
		return nil, err
	}
	affinity := func(m, a int) (Breakdown, float64, bool) {
		b, score, rule := ms.Pair(m, a)
		return b, score, rule == "" && ms.DistanceKm(m, a) <= DefaultCircleReachKm
	}
	var ts *Scorer
	if len(trainers) > 0 {
		if ts, err = NewScorer(trainers, members, opts); err != nil {
			return nil, fmt.Errorf("matcher: study_circle round: trainers: %w", err)
		}
	}
	res, err := FormCircles(&CircleInput{
		Experienced: experienced, Min: minSize, Max: maxSize,
		Affinity: func(m, a int) (float64, bool) {
			_, s, ok := affinity(m, a)
			return s, ok
		},
		Trainers: len(trainers), TrainerLoad: cmp.Or(st.TrainerCircles, DefaultTrainerCircles),
		TrainerAffinity: func(t, anchor int, circle []int) (float64, bool) {
			// A trainer must share a language with the anchor, who
			// runs the sessions; the fit is the mean over the members.
			if _, _, rule := ts.Pair(t, anchor); rule == RuleNoSharedLanguage {
				return 0, false
			}
			var sum float64
			for _, m := range circle {
				_, s, _ := ts.Pair(t, m)
				sum += s
			}
			return sum / float64(len(circle)), true
		},
	})
	if err != nil {
		return nil, fmt.Errorf("matcher: study_circle round: %w", err)
	}
	if len(res.Circles) == 0 {
		return nil, fmt.Errorf("matcher: study_circle round: %d members, %d of them experienced, but no circle of at least %d could form: %w",
			len(members), countTrue(experienced), minSize, ErrNoCandidates)
	}
	for i, c := range res.Circles {
		sc := StudyCircle{ID: program.CirclePlace(i + 1), Anchor: members[c.Anchor].ID, MeanAffinity: c.MeanAffinity}
		for _, m := range c.Members {
			sc.Members = append(sc.Members, members[m].ID)
		}
		for _, t := range c.Trainers {
			sc.Trainers = append(sc.Trainers, trainers[t].ID)
		}
		prop.Circles = append(prop.Circles, sc)
	}

	// The result as a Problem: circles, then dissolved circles.
	p := &Problem{}
	for _, m := range members {
		p.Left = append(p.Left, Side{ID: m.ID, Region: m.Region, Amount: 1})
	}
	circleOf := map[int]int{} // anchor → right index
	for i, c := range res.Circles {
		circleOf[c.Anchor] = len(p.Right)
		p.Right = append(p.Right, Side{ID: program.CirclePlace(i + 1), Region: members[c.Anchor].Region, Amount: maxSize})
	}
	for _, a := range res.Dissolved {
		circleOf[a] = len(p.Right)
		p.Right = append(p.Right, Side{ID: "dissolved-circle-of-" + members[a].ID, Region: members[a].Region})
	}
	a := &Assignment{}
	placed := make([]int, len(members)) // right index + 1 of the member's circle
	for _, c := range res.Circles {
		for _, m := range c.Members {
			placed[m] = circleOf[c.Anchor] + 1
		}
	}
	for m := range members {
		for _, anchor := range append(anchorsOf(res), res.Dissolved...) {
			r := circleOf[anchor]
			var (
				b  Breakdown
				s  float64
				ok bool
			)
			if m == anchor {
				b, s, ok = Breakdown{}, 1, true // the anchor belongs to its own circle
			} else {
				b, s, ok = affinity(m, anchor)
			}
			switch {
			case ok && p.Right[r].Amount > 0:
				p.Candidates = append(p.Candidates, Candidate{Left: m, Right: r, Score: s, Breakdown: b})
				if placed[m] == r+1 {
					a.Matched = append(a.Matched, len(p.Candidates)-1)
					a.Score += s
				}
			case ok:
				p.Rejections = append(p.Rejections, Rejection{Left: m, Right: r, Rule: RuleCircleDissolved})
			}
		}
	}
	sortProblem(p, a)
	prop.Problem, prop.Assignment, prop.Scorer = p, a, ms
	if prop.Explanations, err = Explain(p, a, in.Weights); err != nil {
		return nil, fmt.Errorf("matcher: study_circle round: %w", err)
	}
	for _, e := range a.Matched {
		c := p.Candidates[e]
		prop.Matches = append(prop.Matches, program.Match{ParticipantID: program.ParticipantID(members[c.Left].ID),
			Circle: c.Right + 1, Status: program.OfferProposed, Score: c.Score, Breakdown: breakdownMap(c.Breakdown)})
	}
	for i, c := range res.Circles {
		for _, t := range c.Trainers {
			_, s, _ := ts.Pair(t, c.Anchor)
			prop.Matches = append(prop.Matches, program.Match{ParticipantID: program.ParticipantID(trainers[t].ID),
				Circle: i + 1, Status: program.OfferProposed, Score: s})
		}
		prop.Places = append(prop.Places, program.Place{ID: program.CirclePlace(i + 1), Capacity: maxSize + len(c.Trainers)})
	}
	prop.Summary = summarise(p, a, prop.Explanations)
	prop.Summary.Fill = prop.Summary.Fill[:len(res.Circles)] // dissolved circles have no places
	prop.Summary.Hosts = len(res.Circles)
	return prop, nil
}

// anchorsOf returns the anchors of res's circles, in circle order.
func anchorsOf(res *CircleResult) []int {
	as := make([]int, len(res.Circles))
	for i, c := range res.Circles {
		as[i] = c.Anchor
	}
	return as
}

// sortProblem orders p's candidates and rejections by (left, right), as a
// Problem requires, renumbering a's matches.
func sortProblem(p *Problem, a *Assignment) {
	order := make([]int, len(p.Candidates))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		cx, cy := p.Candidates[x], p.Candidates[y]
		return cmp.Or(cmp.Compare(cx.Left, cy.Left), cmp.Compare(cx.Right, cy.Right))
	})
	where := make([]int, len(order))
	sorted := make([]Candidate, len(order))
	for to, from := range order {
		sorted[to], where[from] = p.Candidates[from], to
	}
	p.Candidates = sorted
	for i, e := range a.Matched {
		a.Matched[i] = where[e]
	}
	slices.Sort(a.Matched)
	slices.SortFunc(p.Rejections, func(x, y Rejection) int {
		return cmp.Or(cmp.Compare(x.Left, y.Left), cmp.Compare(x.Right, y.Right))
	})
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
