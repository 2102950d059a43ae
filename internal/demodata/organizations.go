package demodata

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// hostSectors are the Tbilisi hosts' sectors and their shares: mostly
// experienced CSOs, with some media, academia, private and government
// bodies, which the self-reflection meeting needs to balance its sectors.
var hostSectors = []struct {
	sector      program.Sector
	share       float64
	experienced float64 // share of them that are experienced hosts
	visitors    int     // most visitor places
}{
	{program.SectorCSO, 0.65, 1, 6},
	{program.SectorMedia, 0.10, 0.7, 3},
	{program.SectorAcademia, 0.10, 0.8, 3},
	{program.SectorPrivate, 0.08, 0.6, 2},
	{program.SectorGovernment, 0.07, 0.6, 2},
}

var hostSectorSampler = newWeighted(len(hostSectors), func(i int) float64 { return hostSectors[i].share })

// internPlaces draws 1 to 5 internship places, 2 the most common.
var internPlaces = newWeighted(5, func(i int) float64 { return []float64{3, 4, 3, 2, 1}[i] })

// hosts appends n Tbilisi host organisations.
func (g *generator) hosts(r *rand.Rand, n int) {
	g.hostPop = make([]float64, 0, n)
	for i := range n {
		s := hostSectors[hostSectorSampler.draw(r)]
		tw := tbilisiTowns[r.IntN(len(tbilisiTowns))]
		lat, lon := near(r, tw.lat, tw.lon, 0.01)
		th := drawThemes(r, 1, 3, "")
		kinds := orgKinds[s.sector]
		kind := kinds[r.IntN(len(kinds))]
		name, slug := themes[themeIndex(th[0])].ka+" "+kind.ka, th[0]+"-"+kind.slug
		switch x := r.Float64(); {
		case x < 0.25:
			name, slug = "საქართველოს "+name, "georgian-"+slug
		case x < 0.35:
			name, slug = "თბილისის "+name, "tbilisi-"+slug
		}
		langs := []string{"ka"}
		if chance(r, 0.95) {
			langs = append(langs, "en")
		}
		for _, l := range []langShare{{"ru", 0.4}, {"de", 0.05}, {"fr", 0.04}, {"hy", 0.03}, {"az", 0.02}} {
			if chance(r, l.share) {
				langs = append(langs, l.code)
			}
		}
		name, slug = g.uniqueName(name, slug)
		places := 1 + internPlaces.draw(r)
		o := program.Organization{
			ID:              program.OrgID(id("org-tbs-", i+1, n, 3)),
			Name:            name,
			Sector:          s.sector,
			Region:          regTbilisi,
			City:            tw.name,
			Lat:             lat,
			Lon:             lon,
			Country:         program.DefaultCountry,
			TimeZone:        program.DefaultTimeZone,
			Themes:          th,
			Languages:       langs,
			Experienced:     chance(r, s.experienced),
			InternCapacity:  places,
			VisitorCapacity: r.IntN(s.visitors + 1),
			Availability:    g.hostWindows(r),
			Email:           g.uniqueEmail("office", slug+".example.ge"),
		}
		o.Blackouts = g.blackouts(r, 3, o.Availability)
		g.orgs = append(g.orgs, o)
		g.orgTown = append(g.orgTown, tw)
		// Popularity is log-normal: a few hosts are far more wanted than
		// the rest, as in every real match, and larger, experienced hosts
		// are better known.
		pop := math.Exp(0.9*r.NormFloat64()) * (1 + 0.2*float64(places))
		if o.Experienced {
			pop *= 1.5
		}
		g.hostPop = append(g.hostPop, pop)
	}
	g.hostEnd = len(g.orgs)
}

// hostWindows returns a Tbilisi host's one or two availability windows:
// most host in spring and autumn and close over the August holidays; the
// rest host through most of the year.
func (g *generator) hostWindows(r *rand.Rand) []program.Window {
	if chance(r, 0.7) {
		return []program.Window{
			g.window(g.dayOf(time.February, 1)+r.IntN(30), g.dayOf(time.June, 15)+r.IntN(30)),
			g.window(g.dayOf(time.September, 1)+r.IntN(20), g.dayOf(time.December, 20)-r.IntN(20)),
		}
	}
	return []program.Window{g.window(g.dayOf(time.January, 15)+r.IntN(45), g.dayOf(time.November, 30)+r.IntN(20))}
}

// regionTowns maps each region outside Tbilisi to its towns, and samples
// them by weight.
type regionTowns struct {
	towns   []town
	sampler weighted
}

// townsByRegion returns the towns of region with their sampler.
func townsByRegion(region string) regionTowns {
	var ts []town
	for _, t := range regionalTowns {
		if t.region == region {
			ts = append(ts, t)
		}
	}
	return regionTowns{ts, newWeighted(len(ts), func(i int) float64 { return ts[i].weight })}
}

// regionSampler draws a region outside Tbilisi by the summed weight of its
// towns, and regionalTownSampler a town outside Tbilisi directly.
var (
	regionSampler = newWeighted(len(regionNames), func(i int) float64 {
		s := 0.0
		for _, t := range regionalTowns {
			if t.region == regionNames[i] {
				s += t.weight
			}
		}
		return s
	})
	regionalTownSampler = newWeighted(len(regionalTowns), func(i int) float64 { return regionalTowns[i].weight })
)

// regionalCSOs appends n CSOs in the regions: small organisations, mostly
// not experienced, each able to receive at least one visitor in a peer
// exchange. The first ten go one to each region, so every region has a CSO
// as soon as there are ten; the rest follow the regions' weights.
func (g *generator) regionalCSOs(r *rand.Rand, n int) {
	byRegion := make([]regionTowns, len(regionNames))
	for i, reg := range regionNames {
		byRegion[i] = townsByRegion(reg)
	}
	for i := range n {
		ri := i
		if i >= len(regionNames) {
			ri = regionSampler.draw(r)
		}
		rt := byRegion[ri]
		tw := rt.towns[rt.sampler.draw(r)]
		lat, lon := near(r, tw.lat, tw.lon, 0.01)
		th := drawThemes(r, 1, 3, "")
		kind := orgKinds[program.SectorCSO][r.IntN(len(orgKinds[program.SectorCSO]))]
		name := genitive(tw.ka) + " " + themes[themeIndex(th[0])].ka + " " + kind.ka
		slug := asciiTown(tw.name) + "-" + th[0] + "-" + kind.slug
		name, slug = g.uniqueName(name, slug)

		// CSOs in Armenian- or Azerbaijani-speaking towns work in that
		// language; where it is the majority, some do not work in Georgian
		// (and then always in the majority language, so none has no
		// language).
		var langs []string
		minority := max(tw.hy, tw.az)
		if minority < 0.5 || chance(r, 0.8) {
			langs = append(langs, "ka")
		}
		if chance(r, tw.hy) || tw.hy >= 0.5 {
			langs = append(langs, "hy")
		}
		if chance(r, tw.az) || tw.az >= 0.5 {
			langs = append(langs, "az")
		}
		if chance(r, 0.5+0.4*minority) {
			langs = append(langs, "ru")
		}
		if chance(r, 0.4) {
			langs = append(langs, "en")
		}
		var windows []program.Window
		if chance(r, 0.5) { // the other half host whenever asked
			windows = []program.Window{g.window(g.dayOf(time.March, 1)+r.IntN(60), g.dayOf(time.October, 1)+r.IntN(80))}
		}
		o := program.Organization{
			ID:              program.OrgID(id("org-reg-", i+1, n, 3)),
			Name:            name,
			Sector:          program.SectorCSO,
			Region:          tw.region,
			City:            tw.name,
			Lat:             lat,
			Lon:             lon,
			Country:         program.DefaultCountry,
			TimeZone:        program.DefaultTimeZone,
			Themes:          th,
			Languages:       langs,
			Experienced:     chance(r, 0.25),
			VisitorCapacity: 1 + r.IntN(4),
			Availability:    windows,
			Email:           g.uniqueEmail("office", slug+".example.ge"),
		}
		o.Blackouts = g.blackouts(r, 1, windows)
		g.orgs = append(g.orgs, o)
		g.orgTown = append(g.orgTown, tw)
	}
	g.regionalEnd = len(g.orgs)
}

// asciiTown returns a town's Latin name in lower case for an e-mail domain.
// The regional towns' names are plain ASCII already.
func asciiTown(name string) string {
	b := []byte(name)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// partners appends n partner organisations abroad, spread over the
// countries in turn so that even a handful covers several time zones, and
// only repeating a template (with a number) once every one is used.
func (g *generator) partners(r *rand.Rand, n int) {
	byCountry := make([][]partnerSite, len(partnerCountries))
	for _, s := range partnerSites {
		for ci, c := range partnerCountries {
			if s.country == c {
				byCountry[ci] = append(byCountry[ci], s)
			}
		}
	}
	for i := range n {
		ci := i % len(partnerCountries)
		sites := byCountry[ci]
		round := i / len(partnerCountries)
		s := sites[round%len(sites)]
		name, slug := s.name, s.slug
		if k := round / len(sites); k > 0 {
			name, slug = name+" "+strconv.Itoa(k+1), slug+"-"+strconv.Itoa(k+1)
		}
		lat, lon := s.lat, s.lon
		if round >= len(sites) { // a repeat sits elsewhere in the same city
			lat, lon = near(r, lat, lon, 0.02)
		}
		langs := []string{s.country.lang, "en"}
		for _, l := range s.country.extra {
			if chance(r, l.share) {
				langs = append(langs, l.code)
			}
		}
		sector := program.SectorCSO
		if s.intl {
			sector = program.SectorInternational
		}
		windows := []program.Window{g.window(g.dayOf(time.March, 1)+r.IntN(30), g.dayOf(time.June, 30)-r.IntN(20))}
		if chance(r, 0.7) {
			windows = append(windows, g.window(g.dayOf(time.September, 15)+r.IntN(20), g.dayOf(time.November, 30)-r.IntN(15)))
		}
		intern := 0
		if chance(r, 0.2) {
			intern = 1 + r.IntN(2)
		}
		o := program.Organization{
			ID:              program.OrgID(id("org-abr-", i+1, n, 3)),
			Name:            name,
			Sector:          sector,
			Region:          s.region,
			City:            s.city,
			Lat:             lat,
			Lon:             lon,
			Country:         s.country.code,
			TimeZone:        s.country.zone,
			Themes:          drawThemes(r, 1, 3, ""),
			Languages:       langs,
			Experienced:     chance(r, 0.85),
			InternCapacity:  intern,
			VisitorCapacity: 1 + r.IntN(5),
			Availability:    windows,
			Email:           g.uniqueEmail("office", slug+".example.org"),
		}
		o.Blackouts = g.blackouts(r, 2, windows)
		g.orgs = append(g.orgs, o)
		g.orgTown = append(g.orgTown, town{region: s.region, name: s.city, lat: s.lat, lon: s.lon})
	}
}

// communities returns n remote communities: the real places of
// communitySites in order, then the same places again with a number and a
// neighbouring position, for benchmark sizes beyond the table.
func (g *generator) communities(r *rand.Rand, n int) []program.Community {
	out := make([]program.Community, n)
	for i := range out {
		s := communitySites[i%len(communitySites)]
		name, lat, lon := s.name, s.lat, s.lon
		if k := i / len(communitySites); k > 0 {
			name = name + " " + strconv.Itoa(k+1)
			lat, lon = near(r, lat, lon, 0.03)
		}
		out[i] = program.Community{
			ID:            program.CommunityID(id("c-", i+1, n, 3)),
			Name:          name,
			Region:        s.region,
			Lat:           lat,
			Lon:           lon,
			Needs:         drawThemes(r, 1, 3, s.need),
			VisitsPerYear: 2 + r.IntN(11),
		}
	}
	return out
}
