package matcher_test

// The tests of Propose check each proposal against the programme's records
// and the README's rules, restated here from scratch (who may go where, the
// hard rules, capacities, the shapes of peer rings and study circles), and
// the optimum of small rounds against an enumeration of every assignment.
// None of them compares Propose with its own earlier output.

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/khidi/khidi/matcher/internal/oracle"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher"
)

// demoSeeds are the demo-size programmes every kind of round runs on.
var demoSeeds = []uint64{1, 2, 3}

var demoProgrammes struct {
	sync.Mutex
	m map[uint64]demodata.Programme
}

// demoInput returns a round of kind on the demo programme of seed. The
// records are shared between tests, read-only: Propose must not change
// them (the race detector would notice).
func demoInput(seed uint64, kind program.RoundKind, st matcher.Settings) matcher.Input {
	demoProgrammes.Lock()
	d, ok := demoProgrammes.m[seed]
	if !ok {
		d = demodata.Generate(demodata.Config{Seed: seed})
		if demoProgrammes.m == nil {
			demoProgrammes.m = map[uint64]demodata.Programme{}
		}
		demoProgrammes.m[seed] = d
	}
	demoProgrammes.Unlock()
	return matcher.Input{Kind: kind, Settings: st, Organizations: d.Organizations, Participants: d.Participants, Communities: d.Communities}
}

func mustPropose(t *testing.T, in matcher.Input) *matcher.Proposal {
	t.Helper()
	prop, err := matcher.Propose(in)
	if err != nil {
		t.Fatalf("Propose(%s round) = %v", in.Kind, err)
	}
	return prop
}

// The rules of who goes where, restated from the README's table.

// georgian reports whether o is in Georgia: an empty country means
// program.DefaultCountry.
func georgian(o program.Organization) bool {
	return o.Country == "" || o.Country == program.DefaultCountry
}

// internEligible: novice activists and CSO members with fewer than
// NoviceYears of experience (activists count as new civic actors whatever
// their years, as sidesOf and the brief read the README).
func internEligible(p program.Participant) bool {
	return p.Role == program.RoleActivist || (p.Role == program.RoleCSOMember && p.ExperienceYears < matcher.NoviceYears)
}

func trainerRole(r program.Role) bool { return r == program.RoleTrainer || r == program.RoleExpert }

// roundSides is what a round of in may match, computed from the records:
// who may go (with how many matches each may take) and where (with its
// places).
type roundSides struct {
	who   map[string]int
	where map[string]int
}

func sidesFor(in matcher.Input) roundSides {
	s := roundSides{who: map[string]int{}, where: map[string]int{}}
	switch in.Kind {
	case program.RoundInternship:
		region := cmp.Or(in.Settings.HostRegion, "Tbilisi")
		for _, p := range in.Participants {
			if internEligible(p) {
				s.who[string(p.ID)] = 1
			}
		}
		for _, o := range in.Organizations {
			if o.Experienced && o.Region == region && o.InternCapacity > 0 {
				s.where[string(o.ID)] = o.InternCapacity
			}
		}
	case program.RoundPeerExchange:
		for _, o := range in.Organizations {
			if o.Sector == program.SectorCSO && georgian(o) && o.VisitorCapacity > 0 {
				s.who[string(o.ID)] = 1
				s.where[string(o.ID)] = 1 // hosts one peer, whatever its places
			}
		}
	case program.RoundInternationalExchange:
		for _, o := range in.Organizations {
			switch {
			case o.Sector == program.SectorCSO && georgian(o):
				s.who[string(o.ID)] = 1
			case !georgian(o) && o.VisitorCapacity > 0:
				s.where[string(o.ID)] = o.VisitorCapacity
			}
		}
	case program.RoundCommunityVisit:
		visits := cmp.Or(in.Settings.VisitsPerLeader, 2)
		for _, p := range in.Participants {
			if p.Role == program.RoleCSOLeader {
				s.who[string(p.ID)] = visits
			}
		}
		for _, c := range in.Communities {
			if c.VisitsPerYear > 0 {
				s.where[string(c.ID)] = c.VisitsPerYear
			}
		}
	case program.RoundStudyCircle:
		for _, p := range in.Participants {
			if !trainerRole(p.Role) {
				s.who[string(p.ID)] = 1
			}
		}
	}
	return s
}

// records indexes a round's records by id.
type records struct {
	orgs   map[string]program.Organization
	people map[string]program.Participant
	comms  map[string]program.Community
}

func indexRecords(in matcher.Input) records {
	r := records{orgs: map[string]program.Organization{}, people: map[string]program.Participant{}, comms: map[string]program.Community{}}
	for _, o := range in.Organizations {
		r.orgs[string(o.ID)] = o
	}
	for _, p := range in.Participants {
		r.people[string(p.ID)] = p
	}
	for _, c := range in.Communities {
		r.comms[string(c.ID)] = c
	}
	return r
}

// entity is what the hard rules read of either side of a pair.
type entity struct {
	languages []string
	windows   []program.Window // none: always available
	org       string           // a participant's own organisation
	region    string
	lat, lon  float64
}

func (r records) entity(id string) (entity, bool) {
	if p, ok := r.people[id]; ok {
		var ws []program.Window
		if w := p.Availability(); !w.From.IsZero() || !w.To.IsZero() {
			ws = []program.Window{w}
		}
		return entity{p.Languages, ws, string(p.OrganizationID), p.Region, p.Lat, p.Lon}, true
	}
	if o, ok := r.orgs[id]; ok {
		return entity{o.Languages, o.Availability, "", o.Region, o.Lat, o.Lon}, true
	}
	if c, ok := r.comms[id]; ok {
		return entity{nil, nil, "", c.Region, c.Lat, c.Lon}, true // communities set no language or availability condition
	}
	return entity{}, false
}

// shareLanguage reports whether a and b have a working language in common,
// or either lists none (no condition).
func shareLanguage(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, l := range a {
		if slices.Contains(b, l) {
			return true
		}
	}
	return false
}

const (
	openLo = math.MinInt64 / 4
	openHi = math.MaxInt64 / 4
)

// dayIntervals returns the days of ws as merged inclusive intervals of day
// numbers, open ends as openLo and openHi; none means always.
func dayIntervals(ws []program.Window) [][2]int64 {
	if len(ws) == 0 {
		return [][2]int64{{openLo, openHi}}
	}
	day := func(d program.Date, open int64) int64 {
		if d.IsZero() {
			return open
		}
		return d.In(time.UTC).Unix() / 86400
	}
	var ivs [][2]int64
	for _, w := range ws {
		if iv := [2]int64{day(w.From, openLo), day(w.To, openHi)}; iv[0] <= iv[1] {
			ivs = append(ivs, iv)
		}
	}
	slices.SortFunc(ivs, func(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	var out [][2]int64
	for _, iv := range ivs {
		if n := len(out); n > 0 && iv[0] <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], iv[1])
			continue
		}
		out = append(out, iv)
	}
	return out
}

// overlapEnough reports whether a and b are both available on some stretch
// of at least days consecutive days (an open-ended common stretch is long
// enough).
func overlapEnough(a, b []program.Window, days int) bool {
	for _, x := range dayIntervals(a) {
		for _, y := range dayIntervals(b) {
			lo, hi := max(x[0], y[0]), min(x[1], y[1])
			switch {
			case lo > hi:
			case lo == openLo || hi == openHi:
				return true
			case hi-lo+1 >= int64(days):
				return true
			}
		}
	}
	return false
}

// haversineKm is the great-circle distance on the sphere scoring uses.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * matcher.EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

func activityDays(in matcher.Input) int {
	switch {
	case in.Settings.ActivityDays > 0:
		return in.Settings.ActivityDays
	case in.Kind == program.RoundInternship:
		return 30
	}
	return 3
}

// who returns who goes in m.
func who(m program.Match) string { return string(m.ParticipantID) + string(m.VisitorID) }

// hashWithDefaults is the hash Propose reports for in: the kind's default
// weights filled in when in has none.
func hashWithDefaults(in matcher.Input) string {
	if in.Weights == (matcher.Weights{}) {
		in.Weights = matcher.DefaultWeights(in.Kind)
	}
	return in.Hash()
}

// checkProposal checks prop against in's records and the rules of its
// kind.
func checkProposal(t *testing.T, in matcher.Input, prop *matcher.Proposal) {
	t.Helper()
	if prop.Kind != in.Kind || prop.Version != matcher.Version {
		t.Errorf("proposal kind %q version %q, want %q %q", prop.Kind, prop.Version, in.Kind, matcher.Version)
	}
	if want := hashWithDefaults(in); prop.InputHash != want {
		t.Errorf("InputHash = %s, want %s (the input's, default weights filled in)", prop.InputHash, want)
	}
	for i, m := range prop.Matches {
		if m.Status != program.OfferProposed {
			t.Errorf("match %d status %q, want proposed", i, m.Status)
		}
		if !(m.Score >= 0 && m.Score <= 1) {
			t.Errorf("match %d score %v outside [0, 1]", i, m.Score)
		}
		m.RoundID = 1 // left for the store to set
		if err := program.Validate(&m); err != nil {
			t.Errorf("program.Validate(match %d %s→%s) = %v", i, who(m), m.Place(), err)
		}
	}
	if in.Kind == program.RoundStudyCircle {
		checkCircles(t, in, prop)
	} else {
		checkPairs(t, in, prop)
	}
	checkExplanations(t, in, prop)
}

// checkPairs checks the matches of a round of pairs: sides, capacities,
// hard rules, exclusions, pins and the summary's counts.
func checkPairs(t *testing.T, in matcher.Input, prop *matcher.Proposal) {
	t.Helper()
	sides, recs := sidesFor(in), indexRecords(in)
	days := activityDays(in)
	perWho, perWhere := map[string]int{}, map[string]int{}
	pairs := map[matcher.Pair]bool{}
	for _, m := range prop.Matches {
		w, r := who(m), m.Place()
		pr := matcher.Pair{Who: w, Where: r}
		if pairs[pr] {
			t.Errorf("%s matched twice", pr)
		}
		pairs[pr] = true
		perWho[w]++
		perWhere[r]++
		if _, ok := sides.who[w]; !ok {
			t.Errorf("%s: %s may not go in a %s round", pr, w, in.Kind)
		}
		if _, ok := sides.where[r]; !ok {
			t.Errorf("%s: %s is not a place of a %s round", pr, r, in.Kind)
		}
		switch in.Kind {
		case program.RoundInternship, program.RoundCommunityVisit:
			if m.ParticipantID == "" || m.VisitorID != "" || (in.Kind == program.RoundInternship) != (m.HostID != "") {
				t.Errorf("%s: fields %+v do not fit a %s", pr, m, in.Kind)
			}
		default:
			if m.VisitorID == "" || m.HostID == "" {
				t.Errorf("%s: fields %+v do not fit a %s", pr, m, in.Kind)
			}
		}
		a, okA := recs.entity(w)
		b, okB := recs.entity(r)
		if !okA || !okB {
			t.Errorf("%s names a record not in the input", pr)
			continue
		}
		if !shareLanguage(a.languages, b.languages) {
			t.Errorf("%s: no shared language (%v, %v)", pr, a.languages, b.languages)
		}
		if a.org != "" && a.org == r {
			t.Errorf("%s: placed in their own organisation", pr)
		}
		if w == r {
			t.Errorf("%s: visits itself", pr)
		}
		if !overlapEnough(a.windows, b.windows, days) {
			t.Errorf("%s: availability %v and %v overlap less than %d days", pr, a.windows, b.windows, days)
		}
		if in.Settings.ForbidSameRegion && a.region == b.region {
			t.Errorf("%s: both in %s, with ForbidSameRegion", pr, a.region)
		}
	}
	for w, n := range perWho {
		if n > sides.who[w] {
			t.Errorf("%s has %d matches, may have %d", w, n, sides.who[w])
		}
	}
	for r, n := range perWhere {
		if n > sides.where[r] {
			t.Errorf("%s receives %d, has %d places", r, n, sides.where[r])
		}
	}
	for _, x := range in.Settings.Exclusions {
		if pairs[x] {
			t.Errorf("excluded pair %s matched", x)
		}
	}
	for _, pin := range in.Settings.Pins {
		if !pairs[pin] {
			t.Errorf("pinned pair %s not matched", pin)
		}
	}

	switch in.Kind {
	case program.RoundPeerExchange:
		checkRings(t, in, prop, pairs)
	case program.RoundCommunityVisit:
		// Covered by perWho and perWhere: leaders at most VisitsPerLeader,
		// communities at most VisitsPerYear; say so if nobody had a choice.
		if len(prop.Matches) == 0 {
			t.Errorf("no community visit at all")
		}
	}

	// Places and summary, against the records.
	sum := prop.Summary
	if len(prop.Places) != len(sides.where) || sum.Hosts != len(sides.where) {
		t.Errorf("%d places, summary %d hosts; the records have %d", len(prop.Places), sum.Hosts, len(sides.where))
	}
	for _, pl := range prop.Places {
		if pl.Capacity != sides.where[pl.ID] {
			t.Errorf("place %s capacity %d, records say %d", pl.ID, pl.Capacity, sides.where[pl.ID])
		}
	}
	used := 0
	for _, f := range sum.Fill {
		used += f.Used
		if f.Used != perWhere[f.ID] || f.Capacity != sides.where[f.ID] {
			t.Errorf("fill %+v, want used %d of %d", f, perWhere[f.ID], sides.where[f.ID])
		}
	}
	if used != len(prop.Matches) || sum.Matches != len(prop.Matches) {
		t.Errorf("fill used sums to %d, summary matches %d, for %d matches", used, sum.Matches, len(prop.Matches))
	}
	if sum.Matched != len(perWho) {
		t.Errorf("summary matched %d, %d distinct sides matched", sum.Matched, len(perWho))
	}
	checkScores(t, prop.Matches, sum)
}

// checkScores checks the summary's mean and worst score of ms.
func checkScores(t *testing.T, ms []program.Match, sum matcher.Summary) {
	t.Helper()
	if len(ms) == 0 {
		return
	}
	total, worst := 0.0, 1.0
	for _, m := range ms {
		total += m.Score
		worst = min(worst, m.Score)
	}
	if mean := total / float64(len(ms)); math.Abs(sum.MeanScore-mean) > 1e-9 || sum.WorstScore != worst {
		t.Errorf("summary mean %v worst %v, want %v %v", sum.MeanScore, sum.WorstScore, mean, worst)
	}
}

// checkRings checks a peer exchange: every organisation taking part visits
// exactly one peer and hosts exactly one, along the cover's rings.
func checkRings(t *testing.T, in matcher.Input, prop *matcher.Proposal, pairs map[matcher.Pair]bool) {
	t.Helper()
	visits, hosts := map[string]string{}, map[string]string{}
	for pr := range pairs {
		if _, dup := visits[pr.Who]; dup {
			t.Errorf("%s visits twice", pr.Who)
		}
		if _, dup := hosts[pr.Where]; dup {
			t.Errorf("%s hosts twice", pr.Where)
		}
		visits[pr.Who], hosts[pr.Where] = pr.Where, pr.Who
		if in.Settings.ForbidMutual && pairs[matcher.Pair{Who: pr.Where, Where: pr.Who}] {
			t.Errorf("%s and back: a mutual pair, with ForbidMutual", pr)
		}
	}
	for o := range visits {
		if _, ok := hosts[o]; !ok {
			t.Errorf("%s visits %s but hosts nobody", o, visits[o])
		}
	}
	for o := range hosts {
		if _, ok := visits[o]; !ok {
			t.Errorf("%s hosts %s but visits nobody", o, hosts[o])
		}
	}
	c := prop.Cover
	if c == nil || prop.Problem == nil {
		t.Fatalf("peer exchange without a cover or problem")
	}
	ids := func(i int) string { return prop.Problem.Left[i].ID }
	inRing := map[string]bool{}
	for _, ring := range c.Cycles {
		if len(ring) < 2 {
			t.Errorf("ring %v of fewer than two organisations", ring)
		}
		for k, i := range ring {
			from, to := ids(i), ids(ring[(k+1)%len(ring)])
			if inRing[from] {
				t.Errorf("%s in two rings", from)
			}
			inRing[from] = true
			if visits[from] != to {
				t.Errorf("ring %v: %s should visit %s, matches say %q", ring, from, to, visits[from])
			}
		}
	}
	if len(inRing) != len(visits) || c.Participants != len(visits) {
		t.Errorf("rings hold %d organisations, cover says %d, matches %d", len(inRing), c.Participants, len(visits))
	}
}

// checkCircles checks a study circle round: sizes, anchors, members in one
// circle each, trainers only as trainers, and the summary.
func checkCircles(t *testing.T, in matcher.Input, prop *matcher.Proposal) {
	t.Helper()
	recs := indexRecords(in)
	st := in.Settings
	lo, hi := cmp.Or(st.CircleMin, 5), cmp.Or(st.CircleMax, 10)
	load := cmp.Or(st.TrainerCircles, 2)
	experienced := func(p program.Participant) bool {
		return p.ExperienceYears >= matcher.ExperiencedYears || recs.orgs[string(p.OrganizationID)].Experienced
	}
	excluded := map[matcher.Pair]bool{}
	for _, x := range st.Exclusions {
		excluded[x] = true
	}
	members := map[int][]string{}
	trainers := map[int][]string{}
	circleOf := map[string]int{}
	trainerLoad := map[string]int{}
	memberMatches := 0
	for _, m := range prop.Matches {
		id := string(m.ParticipantID)
		p, ok := recs.people[id]
		switch {
		case !ok || m.Circle < 1 || m.Circle > len(prop.Circles) || m.HostID != "" || m.CommunityID != "" || m.VisitorID != "":
			t.Errorf("match %+v: not a participant in a circle of the round", m)
		case trainerRole(p.Role):
			trainers[m.Circle] = append(trainers[m.Circle], id)
			trainerLoad[id]++
		default:
			memberMatches++
			if c, dup := circleOf[id]; dup {
				t.Errorf("%s in circles %d and %d", id, c, m.Circle)
			}
			circleOf[id] = m.Circle
			members[m.Circle] = append(members[m.Circle], id)
		}
	}
	for id, n := range trainerLoad {
		if n > load {
			t.Errorf("trainer %s serves %d circles, at most %d", id, n, load)
		}
		if _, member := circleOf[id]; member {
			t.Errorf("trainer %s is also a member", id)
		}
	}
	for i, c := range prop.Circles {
		n := i + 1
		got := slices.Sorted(slices.Values(members[n]))
		if c.ID != program.CirclePlace(n) || !slices.Equal(got, slices.Sorted(slices.Values(c.Members))) {
			t.Errorf("circle %s members %v, matches give %s %v", c.ID, c.Members, program.CirclePlace(n), got)
		}
		if len(got) < lo || len(got) > hi {
			t.Errorf("circle %d has %d members, want [%d, %d]", n, len(got), lo, hi)
		}
		if !slices.Equal(slices.Sorted(slices.Values(trainers[n])), slices.Sorted(slices.Values(c.Trainers))) {
			t.Errorf("circle %d trainers %v, matches give %v", n, c.Trainers, trainers[n])
		}
		anchor, ok := recs.people[c.Anchor]
		if !ok || !slices.Contains(got, c.Anchor) || !experienced(anchor) {
			t.Errorf("circle %d anchor %s: not an experienced member of it", n, c.Anchor)
		}
		if !slices.ContainsFunc(got, func(id string) bool { return experienced(recs.people[id]) }) {
			t.Errorf("circle %d %v has no experienced member", n, got)
		}
		for _, id := range got {
			p := recs.people[id]
			switch {
			case id == c.Anchor:
			case !shareLanguage(p.Languages, anchor.Languages):
				t.Errorf("circle %d: %s shares no language with anchor %s", n, id, c.Anchor)
			case haversineKm(p.Lat, p.Lon, anchor.Lat, anchor.Lon) > matcher.DefaultCircleReachKm+1e-6:
				t.Errorf("circle %d: %s lives %.1f km from anchor %s", n, id, haversineKm(p.Lat, p.Lon, anchor.Lat, anchor.Lon), c.Anchor)
			case excluded[matcher.Pair{Who: id, Where: c.Anchor}]:
				t.Errorf("circle %d: %s joined anchor %s, an excluded pair", n, id, c.Anchor)
			}
			a, _ := recs.entity(id)
			b, _ := recs.entity(c.Anchor)
			if id != c.Anchor && !overlapEnough(a.windows, b.windows, activityDays(in)) {
				t.Errorf("circle %d: %s and anchor %s are not available together", n, id, c.Anchor)
			}
		}
		for _, id := range c.Trainers {
			if !shareLanguage(recs.people[id].Languages, anchor.Languages) {
				t.Errorf("circle %d: trainer %s shares no language with anchor %s", n, id, c.Anchor)
			}
		}
	}

	sum := prop.Summary
	if len(prop.Places) != len(prop.Circles) || sum.Hosts != len(prop.Circles) || len(sum.Fill) != len(prop.Circles) {
		t.Fatalf("%d places, %d hosts, %d fills for %d circles", len(prop.Places), sum.Hosts, len(sum.Fill), len(prop.Circles))
	}
	used := 0
	for i, f := range sum.Fill {
		used += f.Used
		if f.ID != program.CirclePlace(i+1) || f.Used != len(members[i+1]) {
			t.Errorf("fill %+v, want %s used %d", f, program.CirclePlace(i+1), len(members[i+1]))
		}
		if pl := prop.Places[i]; pl.ID != f.ID || pl.Capacity != hi+len(trainers[i+1]) {
			t.Errorf("place %+v, want %s capacity %d", pl, f.ID, hi+len(trainers[i+1]))
		}
	}
	if used != memberMatches || sum.Matches != memberMatches || sum.Matched != memberMatches {
		t.Errorf("fill used %d, summary matches %d matched %d, for %d members placed", used, sum.Matches, sum.Matched, memberMatches)
	}
}

// checkExplanations checks one explanation per side that could go, reasons
// for the unmatched, and that the summary's counts add up.
func checkExplanations(t *testing.T, in matcher.Input, prop *matcher.Proposal) {
	t.Helper()
	sides := sidesFor(in)
	recs := indexRecords(in)
	got := map[string]int{}
	for _, m := range prop.Matches {
		if p, ok := recs.people[string(m.ParticipantID)]; ok && trainerRole(p.Role) {
			continue
		}
		got[who(m)]++
	}
	sum := prop.Summary
	if len(prop.Explanations) != len(sides.who) || sum.Eligible != len(sides.who) {
		t.Errorf("%d explanations, summary %d eligible; the records have %d who could go", len(prop.Explanations), sum.Eligible, len(sides.who))
	}
	if sum.Matched+sum.Unmatched != sum.Eligible {
		t.Errorf("summary matched %d + unmatched %d ≠ eligible %d", sum.Matched, sum.Unmatched, sum.Eligible)
	}
	seen := map[string]bool{}
	unmatched := 0
	for _, e := range prop.Explanations {
		if _, ok := sides.who[e.LeftID]; !ok || seen[e.LeftID] {
			t.Errorf("explanation of %s: not eligible, or explained twice", e.LeftID)
		}
		seen[e.LeftID] = true
		switch n := got[e.LeftID]; {
		case n == 0 && e.Unmatched == nil:
			t.Errorf("%s unmatched with no reason", e.LeftID)
		case n == 0:
			unmatched++
		case e.Unmatched != nil || len(e.Matched) != n:
			t.Errorf("%s has %d matches, explained as %d with reason %+v", e.LeftID, n, len(e.Matched), e.Unmatched)
		}
	}
	if unmatched != sum.Unmatched {
		t.Errorf("summary unmatched %d, explanations say %d", sum.Unmatched, unmatched)
	}
	why := 0
	for _, rc := range sum.UnmatchedWhy {
		why += rc.Count
	}
	eligible, matched := 0, 0
	for _, rc := range sum.Regions {
		eligible += rc.Eligible
		matched += rc.Matched
	}
	if why != sum.Unmatched || eligible != sum.Eligible || matched != sum.Matched {
		t.Errorf("reasons count %d (want %d), regions %d eligible %d matched (want %d, %d)", why, sum.Unmatched, eligible, matched, sum.Eligible, sum.Matched)
	}
}

func TestProposeDemo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		kind  program.RoundKind
		st    matcher.Settings
		seeds []uint64 // nil: demoSeeds
	}{
		{"internship", program.RoundInternship, matcher.Settings{}, nil},
		{"internship/threshold", program.RoundInternship, matcher.Settings{Threshold: 0.5, TopK: 5, ActivityDays: 60}, nil},
		{"peer_exchange", program.RoundPeerExchange, matcher.Settings{}, nil},
		{"peer_exchange/forbid_same_region", program.RoundPeerExchange, matcher.Settings{ForbidSameRegion: true}, nil},
		// Forbidding mutual pairs is a branch and bound: on seeds 1 and 3
		// it takes seconds (with the same region forbidden too) or stops
		// at its node limit (without), so it runs on seed 2 only.
		{"peer_exchange/forbid_mutual", program.RoundPeerExchange, matcher.Settings{ForbidMutual: true}, []uint64{2}},
		{"peer_exchange/both", program.RoundPeerExchange, matcher.Settings{ForbidMutual: true, ForbidSameRegion: true}, []uint64{2}},
		{"international_exchange", program.RoundInternationalExchange, matcher.Settings{}, nil},
		{"community_visit", program.RoundCommunityVisit, matcher.Settings{}, nil},
		{"community_visit/one_each", program.RoundCommunityVisit, matcher.Settings{VisitsPerLeader: 1}, nil},
		{"community_visit/three_each", program.RoundCommunityVisit, matcher.Settings{VisitsPerLeader: 3}, nil},
		{"study_circle", program.RoundStudyCircle, matcher.Settings{}, nil},
		{"study_circle/small", program.RoundStudyCircle, matcher.Settings{CircleMin: 3, CircleMax: 4, TrainerCircles: 1}, nil},
	}
	for _, tt := range tests {
		seeds := tt.seeds
		if seeds == nil {
			seeds = demoSeeds
		}
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", tt.name, seed), func(t *testing.T) {
				t.Parallel()
				in := demoInput(seed, tt.kind, tt.st)
				prop := mustPropose(t, in)
				if len(prop.Matches) == 0 {
					t.Fatalf("Propose(%s) made no match", tt.name)
				}
				checkProposal(t, in, prop)
			})
		}
	}
}

// TestProposeDemoSettings runs demo rounds with exclusions and pins chosen
// from a first proposal, and checks that they hold.
func TestProposeDemoSettings(t *testing.T) {
	t.Parallel()
	for _, kind := range []program.RoundKind{program.RoundInternship, program.RoundInternationalExchange, program.RoundCommunityVisit} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			base := mustPropose(t, demoInput(1, kind, matcher.Settings{}))
			matched := map[matcher.Pair]bool{}
			var st matcher.Settings
			for i, m := range base.Matches {
				matched[matcher.Pair{Who: who(m), Where: m.Place()}] = true
				if i%7 == 0 && len(st.Exclusions) < 5 {
					st.Exclusions = append(st.Exclusions, matcher.Pair{Who: who(m), Where: m.Place()})
				}
			}
			// Pin two admissible pairs the first proposal did not make, for
			// sides without a match there (so that no place is pinned
			// twice and no person more often than they may go).
			p, sc := base.Problem, base.Scorer
			usedLeft, usedRight := map[int]bool{}, map[int]bool{}
			for l := 0; l < len(p.Left) && len(st.Pins) < 2; l++ {
				for r := range p.Right {
					pr := matcher.Pair{Who: p.Left[l].ID, Where: p.Right[r].ID}
					if _, _, rule := sc.Pair(l, r); rule != "" || matched[pr] || usedLeft[l] || usedRight[r] || slices.Contains(st.Exclusions, pr) {
						continue
					}
					st.Pins = append(st.Pins, pr)
					usedLeft[l], usedRight[r] = true, true
					break
				}
			}
			if len(st.Pins) < 2 {
				t.Fatalf("found %d pairs to pin, want 2", len(st.Pins))
			}
			in := demoInput(1, kind, st)
			prop := mustPropose(t, in)
			checkProposal(t, in, prop) // checks exclusions and pins
			for _, e := range prop.Explanations {
				for _, mr := range e.Matched {
					if pinned := slices.Contains(st.Pins, matcher.Pair{Who: e.LeftID, Where: mr.RightID}); mr.Pinned != pinned {
						t.Errorf("%s→%s explained pinned=%v, want %v", e.LeftID, mr.RightID, mr.Pinned, pinned)
					}
				}
			}
		})
	}
	t.Run("study_circle", func(t *testing.T) {
		t.Parallel()
		base := mustPropose(t, demoInput(1, program.RoundStudyCircle, matcher.Settings{}))
		var st matcher.Settings
		for _, c := range base.Circles[:3] {
			for _, m := range c.Members[:2] {
				if m != c.Anchor {
					st.Exclusions = append(st.Exclusions, matcher.Pair{Who: m, Where: c.Anchor})
				}
			}
		}
		in := demoInput(1, program.RoundStudyCircle, st)
		checkProposal(t, in, mustPropose(t, in)) // checks exclusions against the anchors
	})
}

func TestProposeQuota(t *testing.T) {
	t.Parallel()
	for _, seed := range demoSeeds[:2] {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			base := mustPropose(t, demoInput(seed, program.RoundInternship, matcher.Settings{}))
			T := len(base.Matches)
			st := matcher.Settings{Quotas: []matcher.Quota{{Regions: []string{"Tbilisi"}, Outside: true, Min: 0.6}}}
			in := demoInput(seed, program.RoundInternship, st)
			prop := mustPropose(t, in)
			checkProposal(t, in, prop)
			recs := indexRecords(in)
			outside := func(ms []program.Match) int {
				n := 0
				for _, m := range ms {
					if recs.people[string(m.ParticipantID)].Region != "Tbilisi" {
						n++
					}
				}
				return n
			}
			want := int(math.Ceil(0.6 * float64(T)))
			if got := outside(prop.Matches); got < want {
				t.Errorf("with quota: %d of %d matches from outside Tbilisi, want at least ⌈0.6·%d⌉ = %d", got, len(prop.Matches), T, want)
			}
			if outside(base.Matches) >= want {
				t.Logf("seed %d: the quota does not bind (%d of %d outside already)", seed, outside(base.Matches), T)
			}
			if prop.Assignment.Base != T {
				t.Errorf("Assignment.Base = %d, want %d (matches without the quota)", prop.Assignment.Base, T)
			}
		})
	}
}

func TestProposeDeterministic(t *testing.T) {
	t.Parallel()
	for _, kind := range program.AllRoundKinds() {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			in := demoInput(2, kind, matcher.Settings{})
			before := in.Hash()
			a, b := mustPropose(t, in), mustPropose(t, in)
			ja, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			jb, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if string(ja) != string(jb) {
				t.Errorf("two Propose calls on one input encode differently (%d and %d bytes)", len(ja), len(jb))
			}
			if after := in.Hash(); after != before {
				t.Errorf("Propose changed its input: hash %s, was %s", after, before)
			}
		})
	}
}

// smallOrg and smallPerson build records for hand-made rounds, valid as
// program.Validate wants them.
func smallOrg(id string, themes, langs []string, places int) program.Organization {
	return program.Organization{
		ID: program.OrgID(id), Name: id, Sector: program.SectorCSO, Region: "Tbilisi", City: "Tbilisi",
		Lat: 41.7151, Lon: 44.8271, Country: "GE", TimeZone: "Asia/Tbilisi",
		Themes: themes, Languages: langs, Experienced: true, InternCapacity: places, VisitorCapacity: places,
		Email: id + "@example.ge",
	}
}

func smallPerson(id string, role program.Role, region string, themes, langs []string) program.Participant {
	return program.Participant{
		ID: program.ParticipantID(id), Name: id, Email: id + "@example.ge", Role: role, Region: region,
		Lat: 41.7151, Lon: 44.8271, Themes: themes, Languages: langs,
	}
}

var (
	ka  = []string{"ka"}
	hy  = []string{"hy"}
	env = []string{"environment"}
	med = []string{"media-literacy"}
)

// pinRound is an internship round by hand: p-1 fits org-tbs-1 (shared
// theme) better than org-tbs-2 (no theme), which is still admissible:
// language, geography, availability and experience give it
// (1+1+1+1)/9 = 0.44 under the default weights, above the 0.2 threshold.
// p-2 speaks only Armenian, which no host does; p-3 is a member of
// org-tbs-1; p-4 leads a CSO and is no intern.
func pinRound(st matcher.Settings) matcher.Input {
	p3 := smallPerson("p-3", program.RoleCSOMember, "Tbilisi", env, ka)
	p3.OrganizationID = "org-tbs-1"
	return matcher.Input{
		Kind:     program.RoundInternship,
		Settings: st,
		Organizations: []program.Organization{
			smallOrg("org-tbs-1", env, ka, 2),
			smallOrg("org-tbs-2", med, ka, 1),
		},
		Participants: []program.Participant{
			smallPerson("p-1", program.RoleActivist, "Imereti", env, ka),
			smallPerson("p-2", program.RoleActivist, "Samtskhe-Javakheti", env, hy),
			p3,
			smallPerson("p-4", program.RoleCSOLeader, "Tbilisi", env, ka),
		},
	}
}

func TestProposePins(t *testing.T) {
	t.Parallel()
	// Without pins and with TopK 1, p-1's only candidate is org-tbs-1.
	base := mustPropose(t, pinRound(matcher.Settings{TopK: 1}))
	sc := base.Scorer
	l, _ := sc.LeftIndex("p-1")
	r2, _ := sc.RightIndex("org-tbs-2")
	if _, score, rule := sc.Pair(l, r2); rule != "" || score < 0.4 {
		t.Fatalf("p-1:org-tbs-2 scores %v with rule %q; the round is meant to have it admissible", score, rule)
	}
	for _, c := range base.Problem.Candidates {
		if c.Left == l && c.Right == r2 {
			t.Fatalf("p-1:org-tbs-2 is a candidate with TopK 1; the test needs it outside the top K")
		}
	}
	if slices.ContainsFunc(base.Matches, func(m program.Match) bool { return m.ParticipantID == "p-1" && m.HostID == "org-tbs-2" }) {
		t.Fatalf("p-1 matched to org-tbs-2 without a pin")
	}

	tests := []struct {
		name string
		st   matcher.Settings
		want []matcher.Pair // pinned pairs that must be matched
		err  error          // else the error, and the rule its message names
		rule matcher.Rule
	}{
		{name: "outside top K", st: matcher.Settings{TopK: 1, Pins: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}}},
			want: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}}},
		{name: "below threshold", st: matcher.Settings{Threshold: 0.6, Pins: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}}},
			want: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}}},
		{name: "below threshold, the only pair", st: matcher.Settings{Threshold: 0.99, Pins: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}}},
			want: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}}},
		{name: "pinned twice", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}, {Who: "p-1", Where: "org-tbs-2"}}},
			want: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}}},
		{name: "no shared language", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-2", Where: "org-tbs-1"}}},
			err: program.ErrInvalid, rule: matcher.RuleNoSharedLanguage},
		{name: "own organisation", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-3", Where: "org-tbs-1"}}},
			err: program.ErrInvalid, rule: matcher.RuleOwnOrganization},
		{name: "excluded", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-1", Where: "org-tbs-1"}}, Exclusions: []matcher.Pair{{Who: "p-1", Where: "org-tbs-1"}}},
			err: program.ErrInvalid, rule: matcher.RuleExcluded},
		{name: "unknown person", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-9", Where: "org-tbs-1"}}}, err: program.ErrInvalid},
		{name: "unknown host", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-1", Where: "org-tbs-9"}}}, err: program.ErrInvalid},
		{name: "person not in this kind of round", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-4", Where: "org-tbs-1"}}}, err: program.ErrInvalid},
		{name: "over capacity", st: matcher.Settings{Pins: []matcher.Pair{{Who: "p-1", Where: "org-tbs-2"}, {Who: "p-3", Where: "org-tbs-2"}}},
			err: matcher.ErrPinConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := pinRound(tt.st)
			prop, err := matcher.Propose(in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Propose(pins %v) = %v, want an error wrapping %v", tt.st.Pins, err, tt.err)
				}
				// The message must name the rule for the manager: what the
				// error says is the point here, not how it is classified.
				if tt.rule != "" && !strings.Contains(err.Error(), string(tt.rule)) {
					t.Errorf("Propose(pins %v) = %q, want the rule %q named", tt.st.Pins, err, tt.rule)
				}
				return
			}
			if err != nil {
				t.Fatalf("Propose(pins %v) = %v", tt.st.Pins, err)
			}
			checkProposal(t, in, prop)
			for _, pr := range tt.want {
				if !slices.ContainsFunc(prop.Matches, func(m program.Match) bool { return who(m) == pr.Who && m.Place() == pr.Where }) {
					t.Errorf("pin %s not matched", pr)
				}
			}
		})
	}
}

// TestProposeHardRules checks, on rounds by hand, that each hard rule keeps
// a pair out even where it would score best.
func TestProposeHardRules(t *testing.T) {
	t.Parallel()
	prop := mustPropose(t, pinRound(matcher.Settings{}))
	checkProposal(t, pinRound(matcher.Settings{}), prop)
	got := map[string]string{}
	for _, m := range prop.Matches {
		got[string(m.ParticipantID)] = string(m.HostID)
	}
	// p-2 shares no language with any host; p-3 belongs to org-tbs-1, the
	// only host with their theme, so goes to org-tbs-2; p-4 is no intern.
	want := map[string]string{"p-1": "org-tbs-1", "p-3": "org-tbs-2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Propose(pinRound) matches %v, want %v", got, want)
	}

	// Excluding p-3's only other host leaves p-3 with no admissible
	// host, and says which rules removed them.
	in := pinRound(matcher.Settings{Exclusions: []matcher.Pair{{Who: "p-3", Where: "org-tbs-2"}}})
	prop = mustPropose(t, in)
	checkProposal(t, in, prop)
	for _, e := range prop.Explanations {
		if e.LeftID != "p-3" {
			continue
		}
		u := e.Unmatched
		if u == nil || !u.NoCandidates {
			t.Fatalf("p-3 explained as %+v, want no admissible host", e)
		}
		var rules []matcher.Rule
		for _, rc := range u.Rules {
			rules = append(rules, rc.Rule)
		}
		slices.Sort(rules)
		if want := []matcher.Rule{matcher.RuleExcluded, matcher.RuleOwnOrganization}; !slices.Equal(rules, want) {
			t.Errorf("p-3's pairs removed by %v, want %v", rules, want)
		}
	}
}

// TestProposeEmptyCountry checks that an organisation whose country is
// empty counts as Georgian, as program.Organization documents.
func TestProposeEmptyCountry(t *testing.T) {
	t.Parallel()
	org := func(id, region string, lat, lon float64, country string) program.Organization {
		o := smallOrg(id, env, ka, 1)
		o.Region, o.Lat, o.Lon, o.Country, o.Experienced = region, lat, lon, country, false
		return o
	}
	orgs := []program.Organization{
		org("org-reg-1", "Imereti", 42.27, 42.70, ""),
		org("org-reg-2", "Kakheti", 41.92, 45.48, ""),
		org("org-reg-3", "Adjara", 41.64, 41.63, "GE"),
		org("org-abr-1", "Lviv", 49.84, 24.03, "UA"),
	}
	for _, kind := range []program.RoundKind{program.RoundPeerExchange, program.RoundInternationalExchange} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			in := matcher.Input{Kind: kind, Organizations: orgs}
			prop, err := matcher.Propose(in)
			if err != nil {
				t.Fatalf("Propose = %v", err)
			}
			checkProposal(t, in, prop)
			var left []string
			for _, e := range prop.Explanations {
				left = append(left, e.LeftID)
			}
			if want := []string{"org-reg-1", "org-reg-2", "org-reg-3"}; !slices.Equal(left, want) {
				t.Errorf("%s round visitors %v, want %v", kind, left, want)
			}
		})
	}
}

func TestProposeErrors(t *testing.T) {
	t.Parallel()
	oneLeader := []program.Participant{smallPerson("p-1", program.RoleCSOLeader, "Tbilisi", env, ka)}
	tests := []struct {
		name string
		in   matcher.Input
		err  error
	}{
		{"unknown kind", matcher.Input{Kind: "hackathon"}, program.ErrInvalid},
		{"negative weight", func() matcher.Input {
			in := pinRound(matcher.Settings{})
			in.Weights = matcher.Weights{1, -1, 1, 1, 1, 1}
			return in
		}(), program.ErrInvalid},
		{"threshold above 1", pinRound(matcher.Settings{Threshold: 1.5}), program.ErrInvalid},
		{"negative top K", pinRound(matcher.Settings{TopK: -1}), program.ErrInvalid},
		{"internship without people", matcher.Input{Kind: program.RoundInternship, Organizations: []program.Organization{smallOrg("org-tbs-1", env, ka, 1)}}, matcher.ErrNoCandidates},
		{"internship without hosts", matcher.Input{Kind: program.RoundInternship, Participants: pinRound(matcher.Settings{}).Participants}, matcher.ErrNoCandidates},
		{"internship, no shared language", matcher.Input{Kind: program.RoundInternship,
			Organizations: []program.Organization{smallOrg("org-tbs-1", env, ka, 1)},
			Participants:  []program.Participant{smallPerson("p-1", program.RoleActivist, "Tbilisi", env, hy)}}, matcher.ErrNoCandidates},
		{"internship, only the own organisation", func() matcher.Input {
			p := smallPerson("p-1", program.RoleActivist, "Tbilisi", env, ka)
			p.OrganizationID = "org-tbs-1"
			return matcher.Input{Kind: program.RoundInternship, Organizations: []program.Organization{smallOrg("org-tbs-1", env, ka, 1)}, Participants: []program.Participant{p}}
		}(), matcher.ErrNoCandidates},
		{"internship, only pair excluded", matcher.Input{Kind: program.RoundInternship,
			Settings:      matcher.Settings{Exclusions: []matcher.Pair{{Who: "p-1", Where: "org-tbs-1"}}},
			Organizations: []program.Organization{smallOrg("org-tbs-1", env, ka, 1)},
			Participants:  []program.Participant{smallPerson("p-1", program.RoleActivist, "Tbilisi", env, ka)}}, matcher.ErrNoCandidates},
		{"peer exchange of one", matcher.Input{Kind: program.RoundPeerExchange, Organizations: []program.Organization{smallOrg("org-tbs-1", env, ka, 1)}}, matcher.ErrNoCandidates},
		{"peer exchange with pins", demoInput(1, program.RoundPeerExchange, matcher.Settings{Pins: []matcher.Pair{{Who: "org-reg-001", Where: "org-reg-002"}}}), program.ErrInvalid},
		{"international exchange, nobody abroad", matcher.Input{Kind: program.RoundInternationalExchange, Organizations: []program.Organization{smallOrg("org-tbs-1", env, ka, 1)}}, matcher.ErrNoCandidates},
		{"community visit, no community", matcher.Input{Kind: program.RoundCommunityVisit, Participants: oneLeader}, matcher.ErrNoCandidates},
		{"community visit, nobody asks", matcher.Input{Kind: program.RoundCommunityVisit, Participants: oneLeader,
			Communities: []program.Community{{ID: "c-1", Name: "c-1", Region: "Racha-Lechkhumi and Kvemo Svaneti", Lat: 42.5, Lon: 43.1, Needs: env}}}, matcher.ErrNoCandidates},
		{"study circle, no members", matcher.Input{Kind: program.RoundStudyCircle, Participants: []program.Participant{smallPerson("p-1", program.RoleTrainer, "Tbilisi", env, ka)}}, matcher.ErrNoCandidates},
		{"study circle, too few to form one", matcher.Input{Kind: program.RoundStudyCircle, Participants: oneLeader}, matcher.ErrNoCandidates},
		// Settings a kind cannot apply are refused rather than ignored.
		{"peer exchange with a quota", demoInput(2, program.RoundPeerExchange, matcher.Settings{Quotas: []matcher.Quota{{Regions: []string{"Tbilisi"}, Outside: true, Min: 0.6}}}), program.ErrInvalid},
		{"study circle with pins", demoInput(1, program.RoundStudyCircle, matcher.Settings{Pins: []matcher.Pair{{Who: "p-0001", Where: "p-0002"}}}), program.ErrInvalid},
		{"study circle with a quota", demoInput(1, program.RoundStudyCircle, matcher.Settings{Quotas: []matcher.Quota{{Regions: []string{"Tbilisi"}, Outside: true, Min: 0.6}}}), program.ErrInvalid},
		{"quota nobody can meet", pinRound(matcher.Settings{Quotas: []matcher.Quota{{Regions: []string{"Imereti", "Tbilisi"}, Outside: true, Min: 0.5}}}), matcher.ErrQuotaInfeasible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prop, err := matcher.Propose(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Propose = %v, %v; want an error wrapping %v", prop != nil, err, tt.err)
			}
			if prop != nil {
				t.Errorf("Propose returned a proposal with its error %v", err)
			}
			if errors.Is(err, matcher.ErrQuotaInfeasible) {
				var qe *matcher.QuotaError
				if !errors.As(err, &qe) || qe.Quota != 0 {
					t.Errorf("Propose = %v, want a *QuotaError naming quota 0", err)
				}
			}
		})
	}
}

// randomInternship draws a small internship round: 3–5 people of mixed
// roles (leaders and experienced members are not interns), 2–3 Tbilisi
// hosts with 0–2 places, and two organisations that are not hosts (one
// inexperienced, one outside Tbilisi), with themes, languages,
// availability, memberships and rankings drawn so that every hard rule
// has work to do.
func randomInternship(rng *rand.Rand) matcher.Input {
	themes := []string{"environment", "media-literacy", "youth-participation", "gender-equality", "local-governance"}
	langs := []string{"ka", "ka", "ka", "ru", "en", "hy"}
	pick := func(from []string, lo, hi int) []string {
		var out []string
		for range lo + rng.IntN(hi-lo+1) {
			if x := from[rng.IntN(len(from))]; !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	window := func() (from, to program.Date) {
		if rng.IntN(2) == 0 {
			return program.Date{}, program.Date{}
		}
		start := rng.IntN(300)
		t0 := program.Date{Year: 2027, Month: 1, Day: 1}.In(time.UTC).AddDate(0, 0, start)
		return program.DateOf(t0), program.DateOf(t0.AddDate(0, 0, 10+rng.IntN(90)))
	}
	var in matcher.Input
	in.Kind = program.RoundInternship
	nh := 2 + rng.IntN(2)
	for j := range nh + 2 {
		o := smallOrg(fmt.Sprintf("org-tbs-%d", j+1), pick(themes, 1, 3), pick(langs, 1, 2), rng.IntN(3))
		o.Lat += rng.Float64() * 0.05
		o.Lon += rng.Float64() * 0.05
		if rng.IntN(3) == 0 {
			f, to := window()
			if !f.IsZero() {
				o.Availability = []program.Window{{From: f, To: to}}
			}
		}
		switch j {
		case nh:
			o.Experienced, o.InternCapacity = false, 2
		case nh + 1:
			o.Region, o.City, o.Lat, o.Lon, o.InternCapacity = "Imereti", "Kutaisi", 42.27, 42.70, 2
		}
		in.Organizations = append(in.Organizations, o)
	}
	regions := []struct {
		name     string
		lat, lon float64
	}{{"Tbilisi", 41.72, 44.79}, {"Imereti", 42.27, 42.70}, {"Kakheti", 41.92, 45.48}, {"Kvemo Kartli", 41.46, 44.81}}
	roles := []program.Role{program.RoleActivist, program.RoleActivist, program.RoleCSOMember, program.RoleCSOMember, program.RoleCSOLeader}
	for i := range 3 + rng.IntN(3) {
		rg := regions[rng.IntN(len(regions))]
		p := smallPerson(fmt.Sprintf("p-%d", i+1), roles[rng.IntN(len(roles))], rg.name, pick(themes, 1, 2), pick(langs, 1, 2))
		p.Lat, p.Lon, p.ExperienceYears = rg.lat, rg.lon, rng.IntN(6)
		p.AvailableFrom, p.AvailableTo = window()
		if rng.IntN(3) == 0 {
			p.OrganizationID = in.Organizations[rng.IntN(len(in.Organizations))].ID
		}
		if rng.IntN(2) == 0 {
			for _, j := range rng.Perm(len(in.Organizations))[:1+rng.IntN(3)] {
				p.Preferences = append(p.Preferences, in.Organizations[j].ID)
			}
		}
		in.Participants = append(in.Participants, p)
	}
	return in
}

// bestTotal enumerates every assignment of people to hosts (or to nobody)
// within the hosts' places, over the pairs allowed, with pin forced if
// pin[0] ≥ 0, and returns the greatest total score; -1 if the pin cannot
// hold.
func bestTotal(score [][]float64, allowed [][]bool, places []int, pin [2]int) float64 {
	left := slices.Clone(places)
	var rec func(l int) float64
	rec = func(l int) float64 {
		if l == len(score) {
			return 0
		}
		best := math.Inf(-1)
		if pin[0] != l {
			best = rec(l + 1)
		}
		for r := range left {
			if !allowed[l][r] || left[r] == 0 || (pin[0] == l && pin[1] != r) {
				continue
			}
			left[r]--
			best = max(best, score[l][r]+rec(l+1))
			left[r]++
		}
		return best
	}
	if b := rec(0); !math.IsInf(b, -1) {
		return b
	}
	return -1
}

// TestProposeOptimal compares the total score of small internship rounds
// with an enumeration of every assignment, over scores from a Scorer the
// test builds itself from the eligible people and hosts.
func TestProposeOptimal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(20270101, 0))
	const cases = 400
	var solved, withPin, withStability, noCandidates int
	for c := range cases {
		in := randomInternship(rng)
		var lp, rp []matcher.Profile
		var places []int
		for _, p := range in.Participants {
			if internEligible(p) {
				lp = append(lp, matcher.ParticipantProfile(p))
			}
		}
		for _, o := range in.Organizations {
			if o.Experienced && o.Region == "Tbilisi" && o.InternCapacity > 0 {
				rp = append(rp, matcher.OrganizationProfile(o))
				places = append(places, o.InternCapacity)
			}
		}
		var sc *matcher.Scorer
		score, allowed := make([][]float64, len(lp)), make([][]bool, len(lp))
		any := false
		if len(lp) > 0 && len(rp) > 0 {
			var err error
			sc, err = matcher.NewScorer(lp, rp, matcher.ScoreOptions{Kind: program.RoundInternship, MinOverlapDays: 30, Threshold: matcher.DefaultThreshold})
			if err != nil {
				t.Fatalf("case %d: NewScorer = %v", c, err)
			}
		}
		var admissible [][2]int
		for l := range lp {
			score[l], allowed[l] = make([]float64, len(rp)), make([]bool, len(rp))
			for r := range rp {
				_, s, rule := sc.Pair(l, r)
				score[l][r], allowed[l][r] = s, rule == ""
				if rule == "" {
					any = true
					admissible = append(admissible, [2]int{l, r})
				}
			}
		}
		pin := [2]int{-1, -1}
		if len(admissible) > 0 && rng.IntN(3) == 0 {
			pin = admissible[rng.IntN(len(admissible))]
			in.Settings.Pins = []matcher.Pair{{Who: lp[pin[0]].ID, Where: rp[pin[1]].ID}}
			withPin++
		}

		prop, err := matcher.Propose(in)
		if !any {
			if !errors.Is(err, matcher.ErrNoCandidates) {
				t.Errorf("case %d: no admissible pair, Propose = %v, want ErrNoCandidates", c, err)
			}
			noCandidates++
			continue
		}
		if err != nil {
			t.Fatalf("case %d: Propose = %v", c, err)
		}
		solved++
		checkProposal(t, in, prop)
		got := 0.0
		for _, m := range prop.Matches {
			l, r := slices.IndexFunc(lp, func(p matcher.Profile) bool { return p.ID == string(m.ParticipantID) }), slices.IndexFunc(rp, func(p matcher.Profile) bool { return p.ID == string(m.HostID) })
			if l < 0 || r < 0 || !allowed[l][r] || math.Abs(m.Score-score[l][r]) > 1e-12 {
				t.Errorf("case %d: match %s:%s scores %v; the test's scorer says %v, admissible %v", c, m.ParticipantID, m.HostID, m.Score, score[max(l, 0)][max(r, 0)], l >= 0 && r >= 0 && allowed[l][r])
			}
			got += m.Score
		}
		// Solve is exact in units of 1/ScoreScale, so each match may differ
		// from the real-valued optimum by half a unit either way.
		want := bestTotal(score, allowed, places, pin)
		if tol := float64(len(lp)) / matcher.ScoreScale; math.Abs(got-want) > tol {
			t.Errorf("case %d: Propose total %.7f, enumeration %.7f (%d people, places %v, pin %v)", c, got, want, len(lp), places, in.Settings.Pins)
		}

		ranked := slices.ContainsFunc(lp, func(p matcher.Profile) bool {
			return slices.ContainsFunc(p.Preferences, func(id string) bool {
				return slices.ContainsFunc(rp, func(h matcher.Profile) bool { return h.ID == id })
			})
		})
		switch {
		case ranked && prop.Stability == nil:
			t.Errorf("case %d: people ranked hosts of the round, Stability is nil", c)
		case !ranked && prop.Stability != nil:
			t.Errorf("case %d: nobody ranked a host of the round, Stability = %v", c, prop.Stability)
		case ranked:
			withStability++
			checkStability(t, in, prop)
		}
	}
	t.Logf("%d cases: %d solved (%d with a pin, %d with rankings), %d with no admissible pair", cases, solved, withPin, withStability, noCandidates)
	if solved < cases/2 || withPin < cases/10 || withStability < cases/10 || noCandidates == 0 {
		t.Errorf("the random rounds exercise too little: %d solved, %d pinned, %d ranked, %d without candidates", solved, withPin, withStability, noCandidates)
	}
}

// TestProposePeersOptimal compares small peer exchanges with an
// enumeration of every permutation of the organisations (a fixed point
// taking no part), with and without mutual pairs and same-region pairs.
func TestProposePeersOptimal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(20270202, 0))
	themes := []string{"environment", "media-literacy", "youth-participation", "gender-equality"}
	regions := []struct {
		name     string
		lat, lon float64
	}{{"Imereti", 42.27, 42.70}, {"Kakheti", 41.92, 45.48}, {"Adjara", 41.64, 41.63}}
	const cases = 300
	var solved, mutualForbidden, nobody int
	for c := range cases {
		in := matcher.Input{Kind: program.RoundPeerExchange, Settings: matcher.Settings{ForbidMutual: rng.IntN(2) == 0, ForbidSameRegion: rng.IntN(3) == 0}}
		for i := range 3 + rng.IntN(4) {
			rg := regions[rng.IntN(len(regions))]
			o := smallOrg(fmt.Sprintf("org-reg-%d", i+1), []string{themes[rng.IntN(len(themes))]}, [][]string{ka, ka, hy, {"ka", "ru"}}[rng.IntN(4)], 1)
			o.Region, o.Lat, o.Lon, o.Experienced = rg.name, rg.lat+rng.Float64()*0.2, rg.lon+rng.Float64()*0.2, false
			switch rng.IntN(8) {
			case 0:
				o.VisitorCapacity = 0 // takes no part
			case 1:
				o.Sector = program.SectorMedia // not a CSO
			case 2:
				o.Country = "" // Georgian all the same
			}
			in.Organizations = append(in.Organizations, o)
		}
		var orgs []matcher.Profile
		for _, o := range in.Organizations {
			if o.Sector == program.SectorCSO && georgian(o) && o.VisitorCapacity > 0 {
				orgs = append(orgs, matcher.OrganizationProfile(o))
			}
		}
		n := len(orgs)
		score, allowed := make([][]float64, n), make([][]bool, n)
		any := false
		if n > 0 {
			sc, err := matcher.NewScorer(orgs, orgs, matcher.ScoreOptions{Kind: program.RoundPeerExchange, MinOverlapDays: 3, SameEntityForbidden: true, Threshold: matcher.DefaultThreshold})
			if err != nil {
				t.Fatalf("case %d: NewScorer = %v", c, err)
			}
			for i := range n {
				score[i], allowed[i] = make([]float64, n), make([]bool, n)
				for j := range n {
					_, s, rule := sc.Pair(i, j)
					score[i][j] = s
					allowed[i][j] = rule == "" && !(in.Settings.ForbidSameRegion && orgs[i].Region == orgs[j].Region)
					any = any || (rule == "" && i != j)
				}
			}
		}
		// Every permutation σ: i visits σ(i), or takes no part if σ(i) = i.
		best := 0.0
		oracle.Permutations(n, func(perm []int) {
			total := 0.0
			for i, j := range perm {
				if j == i {
					continue
				}
				if !allowed[i][j] || (in.Settings.ForbidMutual && perm[j] == i) {
					return
				}
				total += score[i][j]
			}
			best = max(best, total)
		})

		prop, err := matcher.Propose(in)
		if !any {
			if !errors.Is(err, matcher.ErrNoCandidates) {
				t.Errorf("case %d: no admissible pair, Propose = %v, want ErrNoCandidates", c, err)
			}
			nobody++
			continue
		}
		if err != nil {
			t.Fatalf("case %d: Propose = %v", c, err)
		}
		solved++
		if in.Settings.ForbidMutual {
			mutualForbidden++
		}
		checkProposal(t, in, prop)
		got := 0.0
		for _, m := range prop.Matches {
			got += m.Score
		}
		// Without mutual pairs the cover is proven within MutualGap of
		// the optimum, not necessarily at it.
		tol := float64(n) / matcher.PeerScoreScale
		low := best - tol
		if in.Settings.ForbidMutual {
			low = best*(1-matcher.MutualGap) - tol
		}
		if got < low || got > best+tol {
			t.Errorf("case %d: Propose total %.7f, enumeration %.7f (%d organisations, settings %+v)", c, got, best, n, in.Settings)
		}
	}
	t.Logf("%d cases: %d solved (%d without mutual pairs), %d with no admissible pair", cases, solved, mutualForbidden, nobody)
	if solved < cases/2 || mutualForbidden < cases/5 || nobody == 0 {
		t.Errorf("the random rounds exercise too little: %d solved, %d without mutual pairs, %d without candidates", solved, mutualForbidden, nobody)
	}
}

// checkStability checks that the stable assignment of prop's report has no
// blocking pair, by the definition of BlockingPairs restated: a candidate
// (l, r), not matched, that l ranked, where l is free or ranks r above its
// match, and r has a free place or prefers l (higher score, ties to the
// lower left index) to the worst it received.
func checkStability(t *testing.T, in matcher.Input, prop *matcher.Proposal) {
	t.Helper()
	st, p := prop.Stability, prop.Problem
	if st.StableBlocking != 0 || st.Stable == nil || st.OptimalBlocking != len(st.Blocking) {
		t.Fatalf("stability report %v: stable blocking %d, optimal %d with %d listed", st, st.StableBlocking, st.OptimalBlocking, len(st.Blocking))
	}
	recs := indexRecords(in)
	rank := func(l, r int) int { // 0-based rank of host r for person l; -1 unranked
		prefs := recs.people[p.Left[l].ID].Preferences
		return slices.Index(prefs, program.OrgID(p.Right[r].ID))
	}
	matchOf := make([]int, len(p.Left)) // right index, -1 none
	for i := range matchOf {
		matchOf[i] = -1
	}
	holders := make([][]int, len(p.Right)) // candidates
	for _, e := range st.Stable.Matched {
		c := p.Candidates[e]
		matchOf[c.Left] = c.Right
		holders[c.Right] = append(holders[c.Right], e)
	}
	for e, c := range p.Candidates {
		rk := rank(c.Left, c.Right)
		if rk < 0 || matchOf[c.Left] == c.Right {
			continue
		}
		if m := matchOf[c.Left]; m >= 0 && (rank(c.Left, m) >= 0 && rank(c.Left, m) < rk) {
			continue // l prefers its own match
		}
		blocks := len(holders[c.Right]) < p.Right[c.Right].Amount
		for _, h := range holders[c.Right] {
			hc := p.Candidates[h]
			if c.Score > hc.Score || (c.Score == hc.Score && c.Left < hc.Left) {
				blocks = true
			}
		}
		if blocks {
			t.Errorf("stable assignment blocked by %s:%s (candidate %d)", p.Left[c.Left].ID, p.Right[c.Right].ID, e)
		}
	}
	total := 0.0
	for _, m := range prop.Matches {
		total += m.Score
	}
	if math.Abs(st.OptimalScore-total) > 1e-9 || st.OptimalMatches != len(prop.Matches) {
		t.Errorf("stability report optimal %v with %d matches, proposal %v with %d", st.OptimalScore, st.OptimalMatches, total, len(prop.Matches))
	}
}

func TestProposeStabilityDemo(t *testing.T) {
	t.Parallel()
	for _, seed := range demoSeeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			in := demoInput(seed, program.RoundInternship, matcher.Settings{})
			prop := mustPropose(t, in)
			if prop.Stability == nil {
				t.Fatalf("demo internship round, where activists rank hosts: Stability is nil")
			}
			checkStability(t, in, prop)
		})
	}
	// Only internship applicants rank hosts, and leaders make several
	// visits: no other kind reports stability.
	for _, kind := range []program.RoundKind{program.RoundPeerExchange, program.RoundInternationalExchange, program.RoundCommunityVisit, program.RoundStudyCircle} {
		if prop := mustPropose(t, demoInput(1, kind, matcher.Settings{})); prop.Stability != nil {
			t.Errorf("%s round has a stability report", kind)
		}
	}
}

// perturb changes v, which must be settable, to a different value of its
// type, copying slices rather than writing into shared ones.
func perturb(t *testing.T, v reflect.Value) {
	t.Helper()
	if v.Type() == reflect.TypeFor[program.Date]() {
		d := program.Date{Year: 2031, Month: 2, Day: 3}
		if v.Interface() == d {
			d.Day++
		}
		v.Set(reflect.ValueOf(d))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 0.25)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice:
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		if c.Len() == 0 {
			c = reflect.Append(c, reflect.Zero(v.Type().Elem()))
		}
		perturb(t, c.Index(0))
		v.Set(c)
	case reflect.Struct:
		perturb(t, v.Field(0))
	default:
		t.Fatalf("perturb: no rule for %s", v.Type())
	}
}

func TestInputHash(t *testing.T) {
	t.Parallel()
	base := demoInput(1, program.RoundInternship, matcher.Settings{})
	h := base.Hash()
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Fatalf("Hash() = %q, want 64 hex digits", h)
	}

	// Reordering records changes nothing.
	rng := rand.New(rand.NewPCG(7, 0))
	for i := range 5 {
		in := base
		in.Organizations, in.Participants, in.Communities = slices.Clone(in.Organizations), slices.Clone(in.Participants), slices.Clone(in.Communities)
		rng.Shuffle(len(in.Organizations), func(i, j int) { in.Organizations[i], in.Organizations[j] = in.Organizations[j], in.Organizations[i] })
		rng.Shuffle(len(in.Participants), func(i, j int) { in.Participants[i], in.Participants[j] = in.Participants[j], in.Participants[i] })
		rng.Shuffle(len(in.Communities), func(i, j int) { in.Communities[i], in.Communities[j] = in.Communities[j], in.Communities[i] })
		order := slices.Clone(in.Participants)
		if got := in.Hash(); got != h {
			t.Errorf("shuffle %d: Hash() = %s, want %s", i, got, h)
		}
		if !reflect.DeepEqual(order, in.Participants) {
			t.Errorf("shuffle %d: Hash reordered its input", i)
		}
	}

	// Every change of a record, the weights, the kind or a setting changes
	// it. Fields are found by reflection, so a new field that the hash
	// leaves out fails here.
	type change struct {
		name string
		in   matcher.Input
	}
	var changes []change
	record := func(kind string, n int, set func(in *matcher.Input) reflect.Value) {
		for i := range n {
			in := base
			in.Organizations, in.Participants, in.Communities = slices.Clone(in.Organizations), slices.Clone(in.Participants), slices.Clone(in.Communities)
			rec := set(&in)
			perturb(t, rec.Field(i))
			changes = append(changes, change{kind + "." + rec.Type().Field(i).Name, in})
		}
	}
	k := 5 // a record with some of every field set
	record("Organization", reflect.TypeFor[program.Organization]().NumField(), func(in *matcher.Input) reflect.Value {
		return reflect.ValueOf(&in.Organizations[k]).Elem()
	})
	record("Participant", reflect.TypeFor[program.Participant]().NumField(), func(in *matcher.Input) reflect.Value {
		return reflect.ValueOf(&in.Participants[k]).Elem()
	})
	record("Community", reflect.TypeFor[program.Community]().NumField(), func(in *matcher.Input) reflect.Value {
		return reflect.ValueOf(&in.Communities[k]).Elem()
	})
	for i := range reflect.TypeFor[matcher.Settings]().NumField() {
		in := base
		perturb(t, reflect.ValueOf(&in.Settings).Elem().Field(i))
		changes = append(changes, change{"Settings." + reflect.TypeFor[matcher.Settings]().Field(i).Name, in})
	}
	for f := range matcher.NumFeatures {
		in := base
		in.Weights = matcher.DefaultWeights(in.Kind)
		in.Weights[f] += 0.5
		changes = append(changes, change{"Weights." + matcher.Feature(f).String(), in})
	}
	for _, kind := range program.AllRoundKinds() {
		if kind != base.Kind {
			in := base
			in.Kind = kind
			changes = append(changes, change{"Kind " + string(kind), in})
		}
	}
	in := base
	in.Participants = in.Participants[1:]
	changes = append(changes, change{"a participant fewer", in})
	in = base
	in.Communities = append(slices.Clone(in.Communities), in.Communities[0])
	in.Communities[len(in.Communities)-1].ID = "c-999"
	changes = append(changes, change{"a community more", in})
	in = base
	in.Settings.Pins = []matcher.Pair{{Who: "p-0001", Where: "org-tbs-001"}}
	changes = append(changes, change{"a pin", in})
	in = base
	in.Settings.Quotas = []matcher.Quota{{Regions: []string{"Tbilisi"}, Outside: true, Min: 0.6}}
	changes = append(changes, change{"a quota", in})

	seen := map[string]string{h: "base"}
	for _, c := range changes {
		got := c.in.Hash()
		if prev, dup := seen[got]; dup {
			t.Errorf("%s: Hash() = %s, the same as %s", c.name, got, prev)
			continue
		}
		seen[got] = c.name
	}
	if h2 := base.Hash(); h2 != h {
		t.Errorf("the changes altered the base input: Hash() = %s, was %s", h2, h)
	}
}

func TestPairText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want matcher.Pair
		ok   bool
	}{
		{"p-0042:org-tbs-007", matcher.Pair{Who: "p-0042", Where: "org-tbs-007"}, true},
		{"p-0042", matcher.Pair{}, false},
		{":org-tbs-007", matcher.Pair{}, false},
		{"p-0042:", matcher.Pair{}, false},
		{"p-0042:org:7", matcher.Pair{}, false},
	}
	for _, tt := range tests {
		var p matcher.Pair
		err := p.UnmarshalText([]byte(tt.text))
		if (err == nil) != tt.ok || p != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v, ok %v", tt.text, p, err, tt.want, tt.ok)
		}
		if tt.ok {
			if b, _ := p.MarshalText(); string(b) != tt.text {
				t.Errorf("MarshalText(%v) = %q, want %q", p, b, tt.text)
			}
		}
	}
}

func TestRefused(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("round 3: %w", matcher.ErrNoCandidates), true},
		{fmt.Errorf("round 3: %w", matcher.ErrPinConflict), true},
		{fmt.Errorf("round 3: %w", matcher.ErrQuotaInfeasible), true},
		{fmt.Errorf("round 3: %w", matcher.ErrInvalidProblem), true},
		{fmt.Errorf("round 3: %w", matcher.ErrCircleInput), true},
		{fmt.Errorf("round 3: %w", matcher.ErrPeerInput), true},
		{fmt.Errorf("round 3: %w", matcher.ErrTooManyBranches), true},
		{errors.New("database down"), false},
		{nil, false},
	} {
		if got := matcher.Refused(tt.err); got != tt.want {
			t.Errorf("Refused(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
