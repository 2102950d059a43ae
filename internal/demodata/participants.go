package demodata

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// roleShares are the participants' roles: mostly novice activists, then
// members and leaders of CSOs, a few trainers and experts. tbilisi is the
// share of each role living in the capital (experts cluster there), which
// puts about 60% of all participants outside it.
var roleShares = []struct {
	role         program.Role
	share        float64
	tbilisi      float64
	expLo, expHi int // years of experience
}{
	{program.RoleActivist, 0.55, 0.37, 0, 3},
	{program.RoleCSOMember, 0.20, 0.37, 1, 10},
	{program.RoleCSOLeader, 0.15, 0.33, 5, 20},
	{program.RoleTrainer, 0.05, 0.55, 4, 25},
	{program.RoleExpert, 0.05, 0.65, 8, 30},
}

// pool is a list of organisations people are drawn into, with a turn
// counter so that leaders are spread one per organisation before any has
// two.
type pool struct {
	orgs []int
	next int
}

// participants returns n participants. It needs the organisations made
// already: members and leaders belong to them and live near them, and
// activists rank the Tbilisi hosts.
func (g *generator) participants(r *rand.Rand, n int) []program.Participant {
	// Exact role counts, in a shuffled order, so the proportions hold at
	// every size and ids do not cluster by role.
	roles := make([]int, 0, n)
	for ri := len(roleShares) - 1; ri > 0; ri-- {
		for range int(float64(n) * roleShares[ri].share) {
			roles = append(roles, ri)
		}
	}
	for len(roles) < n {
		roles = append(roles, 0) // activists take the remainder
	}
	r.Shuffle(n, func(i, j int) { roles[i], roles[j] = roles[j], roles[i] })

	// Membership pools: Tbilisi CSO hosts, the regional CSOs of each region,
	// and all of them together for a region that has none.
	var tbilisi, all pool
	regional := make([]pool, len(regionNames))
	for i := range g.regionalEnd {
		o := &g.orgs[i]
		if i < g.hostEnd && o.Sector != program.SectorCSO {
			continue
		}
		all.orgs = append(all.orgs, i)
		if i < g.hostEnd {
			tbilisi.orgs = append(tbilisi.orgs, i)
		} else {
			ri := slices.Index(regionNames, o.Region)
			regional[ri].orgs = append(regional[ri].orgs, i)
		}
	}
	// Shuffled once, so that the leaders' turns do not follow id order.
	shuffle := func(p *pool) {
		r.Shuffle(len(p.orgs), func(i, j int) { p.orgs[i], p.orgs[j] = p.orgs[j], p.orgs[i] })
	}
	shuffle(&tbilisi)
	shuffle(&all)
	for i := range regional {
		shuffle(&regional[i])
	}
	var academic []int // hosts experts and trainers may work at
	for i := range g.hostEnd {
		if s := g.orgs[i].Sector; s == program.SectorAcademia || s == program.SectorCSO {
			academic = append(academic, i)
		}
	}
	prefs := g.newPreferenceSampler()

	out := make([]program.Participant, n)
	for i := range out {
		rs := roleShares[roles[i]]
		inTbilisi := chance(r, rs.tbilisi)
		var tw town
		if inTbilisi {
			tw = tbilisiTowns[r.IntN(len(tbilisiTowns))]
		} else {
			tw = regionalTowns[regionalTownSampler.draw(r)]
		}

		org := -1
		switch rs.role {
		case program.RoleCSOLeader, program.RoleCSOMember:
			p := &tbilisi
			if !inTbilisi {
				p = &regional[slices.Index(regionNames, tw.region)]
			}
			if len(p.orgs) == 0 {
				p = &all
			}
			switch {
			case len(p.orgs) == 0:
			case rs.role == program.RoleCSOLeader:
				org = p.orgs[p.next%len(p.orgs)]
				p.next++
			default:
				org = p.orgs[r.IntN(len(p.orgs))]
			}
		case program.RoleTrainer, program.RoleExpert:
			if len(academic) > 0 && chance(r, 0.35) {
				org = academic[r.IntN(len(academic))]
			}
		}
		var orgID program.OrgID
		firstTheme := ""
		if org >= 0 {
			o := &g.orgs[org]
			orgID, tw = o.ID, g.orgTown[org]
			firstTheme = o.Themes[r.IntN(len(o.Themes))]
		}

		radius := 0.03
		if tw.region == regTbilisi {
			radius = 0.02
		}
		lat, lon := near(r, tw.lat, tw.lon, radius)
		eth := georgian
		switch x := r.Float64(); {
		case x < tw.hy:
			eth = armenian
		case x < tw.hy+tw.az:
			eth = azerbaijani
		}
		name, local := personName(r, eth)
		th := drawThemes(r, 1, 3, firstTheme)
		from, to := g.personWindow(r, rs.role)

		p := program.Participant{
			ID:              program.ParticipantID(id("p-", i+1, n, 4)),
			Name:            name,
			Email:           g.uniqueEmail(local, "example.ge"),
			Role:            rs.role,
			OrganizationID:  orgID,
			Region:          tw.region,
			City:            tw.name,
			Lat:             lat,
			Lon:             lon,
			Themes:          th,
			Languages:       personLanguages(r, eth, rs.role, tw.region == regTbilisi),
			ExperienceYears: rs.expLo + r.IntN(rs.expHi-rs.expLo+1),
			AvailableFrom:   from,
			AvailableTo:     to,
		}
		// About half the novice activists, and some CSO members, say which
		// Tbilisi hosts they want to intern at.
		if (rs.role == program.RoleActivist && chance(r, 0.5)) || (rs.role == program.RoleCSOMember && chance(r, 0.15)) {
			p.Preferences = prefs.draw(r, 1+r.IntN(5), th, g.orgs)
		}
		out[i] = p
	}
	return out
}

// personName returns a display name in the person's own script and the
// ASCII local part of their e-mail address ("nino.beridze").
func personName(r *rand.Rand, eth ethnicity) (name, local string) {
	female := chance(r, 0.55) // women are a majority in Georgian civil society
	pick := func(l []person) person { return l[r.IntN(len(l))] }
	var given, family person
	switch eth {
	case armenian:
		given, family = pick(hyMale), pick(hySurnames)
		if female {
			given = pick(hyFemale)
		}
	case azerbaijani:
		given, family = pick(azMale), pick(azSurnames)
		if female {
			given = pick(azFemale)
			family = person{family.name + "a", family.ascii + "a"}
		}
	default:
		given, family = pick(kaMale), pick(kaSurnames)
		if female {
			given = pick(kaFemale)
		}
	}
	return given.name + " " + family.name, given.ascii + "." + family.ascii
}

// personLanguages returns a person's working languages, first language
// first. Armenian and Azerbaijani speakers outside Tbilisi often do not
// work in Georgian, which is what makes the matcher's shared-language rule
// bite; Russian is their usual second language, English the young
// Georgians'.
func personLanguages(r *rand.Rand, eth ethnicity, role program.Role, inTbilisi bool) []string {
	senior := role != program.RoleActivist
	kaShare := 0.6
	if inTbilisi {
		kaShare = 0.95
	}
	var langs []string
	switch eth {
	case armenian:
		langs = []string{"hy"}
		if chance(r, kaShare) {
			langs = append(langs, "ka")
		}
		if chance(r, 0.75) {
			langs = append(langs, "ru")
		}
	case azerbaijani:
		langs = []string{"az"}
		if chance(r, kaShare) {
			langs = append(langs, "ka")
		}
		if chance(r, 0.4) {
			langs = append(langs, "ru")
		}
		if chance(r, 0.35) {
			langs = append(langs, "tr")
		}
	default:
		langs = []string{"ka"}
		ru := 0.2
		if senior {
			ru = 0.55
		}
		if chance(r, ru) {
			langs = append(langs, "ru")
		}
		for _, l := range []langShare{{"de", 0.04}, {"fr", 0.03}, {"tr", 0.02}} {
			if chance(r, l.share) {
				langs = append(langs, l.code)
			}
		}
	}
	en := 0.3
	switch {
	case eth != georgian:
	case role == program.RoleTrainer || role == program.RoleExpert:
		en = 0.75
	case senior:
		en = 0.45
	default:
		en = 0.6
	}
	if chance(r, en) {
		langs = addLang(langs, "en")
	}
	return langs
}

// personWindow returns a participant's availability in the programme year.
// Activists mostly give a window of two to six months (an internship must
// fit in it); some leave one end or both open. Senior people are more often
// open and otherwise available for longer.
func (g *generator) personWindow(r *rand.Rand, role program.Role) (from, to program.Date) {
	open, lo, hi := 0.15, 60, 180
	if role != program.RoleActivist {
		open, lo, hi = 0.4, 90, 300
	}
	switch x := r.Float64(); {
	case x < open:
		return program.Date{}, program.Date{}
	case x < open+0.1:
		return g.day(g.dayOf(time.February, 1) + r.IntN(120)), program.Date{}
	case x < open+0.2:
		return program.Date{}, g.day(g.dayOf(time.June, 1) + r.IntN(200))
	}
	start := 14 + r.IntN(g.dayOf(time.September, 30)-14)
	return g.day(start), g.day(start + lo + r.IntN(hi-lo+1))
}

// preferenceSampler draws the Tbilisi hosts an applicant ranks: by
// popularity, usually among the hosts sharing one of the applicant's
// themes. Per-theme samplers make a draw O(log hosts), so a national round
// of 100,000 applicants and thousands of hosts is quick.
type preferenceSampler struct {
	all     weighted
	byTheme [][]int // host indices having each theme
	theme   []weighted
}

func (g *generator) newPreferenceSampler() *preferenceSampler {
	s := &preferenceSampler{byTheme: make([][]int, len(themes)), theme: make([]weighted, len(themes))}
	if g.hostEnd == 0 {
		return s
	}
	s.all = newWeighted(g.hostEnd, func(i int) float64 { return g.hostPop[i] })
	for i := range g.hostEnd {
		for _, t := range g.orgs[i].Themes {
			ti := themeIndex(t)
			s.byTheme[ti] = append(s.byTheme[ti], i)
		}
	}
	for ti, hs := range s.byTheme {
		s.theme[ti] = newWeighted(len(hs), func(i int) float64 { return g.hostPop[hs[i]] })
	}
	return s
}

// draw returns up to k distinct hosts, best first; nil when there are no
// hosts.
func (s *preferenceSampler) draw(r *rand.Rand, k int, themesOf []string, orgs []program.Organization) []program.OrgID {
	if len(s.all.cum) == 0 {
		return nil
	}
	out := make([]program.OrgID, 0, k)
	for tries := 0; len(out) < k && tries < 4*k+10; tries++ {
		h := -1
		if chance(r, 0.8) {
			ti := themeIndex(themesOf[r.IntN(len(themesOf))])
			if hs := s.byTheme[ti]; len(hs) > 0 {
				h = hs[s.theme[ti].draw(r)]
			}
		}
		if h < 0 {
			h = s.all.draw(r)
		}
		if id := orgs[h].ID; !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
