package demodata

import (
	"math"
	"math/rand/v2"

	"github.com/khidi/khidi/internal/program"
)

// DefaultYear is the programme year when Config.Year is zero.
const DefaultYear = 2027

// The demo size: how many of each kind Generate makes at Scale 1. It is
// large enough that every kind of round has real choices to make (more
// novice activists than internship places, more community visits asked for
// than leaders can make comfortably) and small enough that the whole demo
// runs in seconds.
const (
	DemoHosts        = 60  // Tbilisi host organisations
	DemoRegionalCSOs = 80  // CSOs in the regions, for peer exchanges
	DemoPartners     = 25  // partner organisations abroad
	DemoParticipants = 400 // people of every role
	DemoCommunities  = 40  // remote communities asking for visits
)

// MaxCount caps every count, so that a mistaken Scale cannot ask for more
// memory than a machine has. A national round (see National) is far below.
const MaxCount = 2_000_000

// Config says which programme to generate. The zero Config is the demo
// programme of seed 0.
type Config struct {
	// Seed selects the programme; the same Config always generates the same
	// Programme.
	Seed uint64
	// Year is the programme year in which availability windows and blackout
	// dates fall; zero means DefaultYear.
	Year int
	// Scale multiplies every demo count that is not given explicitly below
	// (rounded, and at least 1). Zero, a negative number or NaN means 1.
	Scale float64
	// Explicit counts override Scale for their kind: zero means Scale times
	// the demo count, a negative count means none at all. A count above
	// MaxCount is capped at MaxCount.
	Hosts, RegionalCSOs, Partners, Participants, Communities int
}

// National returns the Config of a national round, the size the benchmarks
// measure: 100,000 participants and 5,000 organisations, most of them
// experienced Tbilisi hosts with internship places (4,500), besides 400
// regional CSOs, 100 partners abroad and 1,000 communities.
func National(seed uint64) Config {
	return Config{Seed: seed, Hosts: 4500, RegionalCSOs: 400, Partners: 100, Participants: 100_000, Communities: 1000}
}

// Programme is a generated programme: every record already normalised and
// valid (program.Validate accepts each after Normalize, which changes
// nothing), with unique ids, and every organization_id and preference naming
// one of Organizations.
type Programme struct {
	// Organizations holds the Tbilisi hosts ("org-tbs-…"), then the regional
	// CSOs ("org-reg-…"), then the partners abroad ("org-abr-…").
	Organizations []program.Organization
	Participants  []program.Participant
	Communities   []program.Community
	// Year is the programme year: every date in the programme falls in it.
	Year int
}

// counts are the resolved sizes of one programme.
type counts struct {
	hosts, regional, partners, participants, communities int
}

// resolve turns the Config's counts and Scale into the numbers to make.
func (c Config) resolve() counts {
	scale := c.Scale
	if !(scale > 0) { // also catches NaN
		scale = 1
	}
	n := func(explicit, demo int) int {
		switch {
		case explicit < 0:
			return 0
		case explicit > 0:
			return min(explicit, MaxCount)
		}
		v := math.Round(scale * float64(demo))
		if v > MaxCount { // compared as floats: +Inf does not convert to int
			return MaxCount
		}
		return max(1, int(v))
	}
	return counts{
		hosts:        n(c.Hosts, DemoHosts),
		regional:     n(c.RegionalCSOs, DemoRegionalCSOs),
		partners:     n(c.Partners, DemoPartners),
		participants: n(c.Participants, DemoParticipants),
		communities:  n(c.Communities, DemoCommunities),
	}
}

// The PCG stream of each kind of record. Separate streams keep one kind
// unchanged when only another kind's count changes.
const (
	streamHosts uint64 = iota + 1
	streamRegional
	streamPartners
	streamParticipants
	streamCommunities
)

// Generate returns the programme cfg describes. It is deterministic: the
// same cfg gives a reflect.DeepEqual Programme on every run and platform.
// A national round (National) takes well under a second.
func Generate(cfg Config) Programme {
	year := cfg.Year
	if year == 0 {
		year = DefaultYear
	}
	n := cfg.resolve()
	stream := func(s uint64) *rand.Rand { return rand.New(rand.NewPCG(cfg.Seed, s)) }

	g := &generator{year: year, emails: map[string]int{}, names: map[string]int{}}
	g.orgs = make([]program.Organization, 0, n.hosts+n.regional+n.partners)
	g.hosts(stream(streamHosts), n.hosts)
	g.regionalCSOs(stream(streamRegional), n.regional)
	g.partners(stream(streamPartners), n.partners)
	people := g.participants(stream(streamParticipants), n.participants)
	return Programme{
		Organizations: g.orgs,
		Participants:  people,
		Communities:   g.communities(stream(streamCommunities), n.communities),
		Year:          year,
	}
}
